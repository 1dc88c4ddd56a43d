package ingest_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/fetch"
	"github.com/tributary/tributary/feed/ingest"
	"github.com/tributary/tributary/storage"
)

// cutFraming is how an upstream frames the body it then stops sending: the
// response head to send and the bytes of the body that arrive before the
// connection ends at byte cut of the document.
type cutFraming struct {
	name string
	head func(doc []byte) string
	sent func(doc []byte, cut int) []byte
}

func chunked(b []byte) []byte {
	return slices.Concat(fmt.Appendf(nil, "%x\r\n", len(b)), b, []byte("\r\n"))
}

var cutFramings = []cutFraming{
	{"no Content-Length",
		func([]byte) string { return "Connection: close\r\n" },
		func(doc []byte, cut int) []byte { return doc[:cut] }},
	{"Content-Length",
		func(doc []byte) string { return fmt.Sprintf("Content-Length: %d\r\n", len(doc)) },
		func(doc []byte, cut int) []byte { return doc[:cut] }},
	{"chunked, cut mid-chunk",
		func([]byte) string { return "Transfer-Encoding: chunked\r\n" },
		func(doc []byte, cut int) []byte { return chunked(doc)[:len(fmt.Sprintf("%x\r\n", len(doc)))+cut] }},
	{"chunked, cut between chunks",
		func([]byte) string { return "Transfer-Encoding: chunked\r\n" },
		func(doc []byte, cut int) []byte {
			if cut == 0 {
				return nil // an empty chunk would end the body
			}
			return chunked(doc[:cut])
		}},
}

// cutUpstream serves doc with ETag "v1", answering 304 to that tag, except
// that while cut is set the connection ends after what framing sends of
// doc[:cut].
type cutUpstream struct {
	doc     []byte
	framing cutFraming

	mu          sync.Mutex
	cut         int
	conditional []string // If-None-Match of every request
}

func (u *cutUpstream) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	u.mu.Lock()
	u.conditional = append(u.conditional, r.Header.Get("If-None-Match"))
	cut := u.cut
	u.mu.Unlock()
	if r.Header.Get("If-None-Match") == `"v1"` {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	if cut < 0 {
		w.Header().Set("Content-Type", rss)
		w.Header().Set("ETag", `"v1"`)
		_, _ = w.Write(u.doc)
		return
	}
	conn, buf, err := w.(http.Hijacker).Hijack()
	if err != nil {
		panic(err)
	}
	defer conn.Close()
	_, _ = buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: " + rss + "\r\nETag: \"v1\"\r\n" +
		u.framing.head(u.doc) + "\r\n")
	_, _ = buf.Write(u.framing.sent(u.doc, cut))
	_ = buf.Flush()
}

func (u *cutUpstream) sent() string {
	u.mu.Lock()
	defer u.mu.Unlock()
	return strings.Join(u.conditional, ",")
}

func newCutIngest(t *testing.T, u *cutUpstream) (*ingest.Ingester, feed.Source, *storage.DB) {
	t.Helper()
	srv := httptest.NewServer(u)
	t.Cleanup(srv.Close)
	clk := newClock()
	db := openHostileStore(t)
	in := ingest.New(db, newHostileFetcher(t, fetch.Options{}),
		ingest.Options{Now: clk.Now, Jitter: func() float64 { return 0 }})
	return in, feed.Source{ID: "cut", Name: "cut", URL: "http://cut.test:" + portOf(t, srv.URL) + "/feed"}, db
}

func sourceState(t *testing.T, db *storage.DB, id string) feed.SourceState {
	t.Helper()
	var st feed.SourceState
	err := db.View(context.Background(), func(tx feed.Tx) (err error) {
		st, err = tx.SourceState(id)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// The connection ending before the document did is one event whatever the
// body's framing: the items that arrived whole are stored, the source is
// reported cut short (not failed, not backed off), and no validators are
// kept, so that the next fetch is unconditional and brings the rest.
func TestCutShortWhateverTheFraming(t *testing.T) {
	doc, err := os.ReadFile("testdata/cut/feed.xml")
	if err != nil {
		t.Fatal(err)
	}
	at := func(s string, plus int) int {
		i := bytes.Index(doc, []byte(s))
		if i < 0 {
			t.Fatalf("no %q in the document", s)
		}
		return i + plus
	}
	cuts := []struct {
		name  string
		at    int
		whole int // items before the cut
	}{
		{"inside the second item", at("<item><guid>cut-1", 40), 1},
		{"inside the third item", at("<description>The third post", 20), 2},
		{"inside the closing tags", at("</channel>", 5), 4},
	}
	for _, fr := range cutFramings {
		for _, c := range cuts {
			t.Run(fr.name+"/"+c.name, func(t *testing.T) {
				u := &cutUpstream{doc: doc, framing: fr, cut: c.at}
				in, src, db := newCutIngest(t, u)

				rep, err := in.Ingest(context.Background(), src)
				if err != nil || rep.Outcome != feed.Fetched || !rep.Truncated || rep.New != c.whole || rep.Error != "" {
					t.Fatalf("cut: %+v, %v; want fetched, cut short, with the %d whole items", rep, err, c.whole)
				}
				if st := sourceState(t, db, src.ID); st.Failures != 0 || st.ETag != "" || st.LastModified != "" {
					t.Errorf("state after the cut: %d failures, validators %q %q; want none", st.Failures, st.ETag, st.LastModified)
				}
				u.mu.Lock()
				u.cut = -1
				u.mu.Unlock()
				rep, err = in.Ingest(context.Background(), src)
				if err != nil || rep.Outcome != feed.Fetched || rep.Truncated || rep.New != 4-c.whole {
					t.Fatalf("next fetch: %+v, %v; want the other %d items, whole", rep, err, 4-c.whole)
				}
				rep, err = in.Ingest(context.Background(), src)
				if err != nil || rep.Outcome != feed.NotModified {
					t.Fatalf("third fetch: %+v, %v; want not modified", rep, err)
				}
				if got := u.sent(); got != `,,"v1"` {
					t.Errorf("If-None-Match sent: %q, want none, none, then the whole feed's tag", got)
				}
			})
		}
	}
}

// A cut that leaves nothing a feed can be read from still fails the fetch
// and backs the source off, as before, whatever the framing.
func TestCutShortWithNothingReadableFails(t *testing.T) {
	doc, err := os.ReadFile("testdata/cut/feed.xml")
	if err != nil {
		t.Fatal(err)
	}
	cuts := []struct {
		name    string
		at      int
		wantErr string // in the report's error, for framings that announce a length
	}{
		{"before the body", 0, "reading body: unexpected EOF"},
		{"inside the XML declaration", 20, "parse: not a feed"},
	}
	for _, fr := range cutFramings {
		for _, c := range cuts {
			t.Run(fr.name+"/"+c.name, func(t *testing.T) {
				u := &cutUpstream{doc: doc, framing: fr, cut: c.at}
				in, src, db := newCutIngest(t, u)
				rep, err := in.Ingest(context.Background(), src)
				if err != nil || rep.Outcome != feed.Failed || rep.Truncated || rep.New != 0 {
					t.Fatalf("%+v, %v; want failed", rep, err)
				}
				if st := sourceState(t, db, src.ID); st.Failures != 1 || st.ETag != "" {
					t.Errorf("state: %d failures, ETag %q; want 1 (backed off) and none", st.Failures, st.ETag)
				}
				if fr.name != "no Content-Length" && !strings.Contains(rep.Error, c.wantErr) {
					t.Errorf("error %q, want it to say %q", rep.Error, c.wantErr)
				}
			})
		}
	}
}
