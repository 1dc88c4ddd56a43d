package fetch

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

// cutServer answers every request with the raw response head and then body,
// and closes the connection: an upstream that drops it mid-body, whatever
// the framing head announces.
func cutServer(t *testing.T, head string, body []byte) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		defer conn.Close()
		_, _ = buf.WriteString("HTTP/1.1 200 OK\r\n" + head + "\r\n")
		_, _ = buf.Write(body)
		_ = buf.Flush()
	}))
	t.Cleanup(srv.Close)
	return srv
}

// A body the connection ends before its Content-Length or its last chunk
// is what arrived, as a body without Content-Length cut short is; it is
// marked Truncated and comes without validators, so that the next fetch
// asks for the whole document again. A cut that leaves no byte of the body
// is an error, as it was.
func TestFetchCutShort(t *testing.T) {
	doc, err := os.ReadFile("testdata/cut.xml")
	if err != nil {
		t.Fatal(err)
	}
	const lastMod = "Mon, 02 Mar 2026 11:00:00 GMT"
	validators := "Content-Type: application/rss+xml\r\nETag: \"v1\"\r\nLast-Modified: " + lastMod + "\r\n"
	// Cut inside the third item, after two whole ones.
	cut := bytes.Index(doc, []byte("<item><guid>cut-2")) + 30
	zipped := gzipped(t, doc)
	chunk := func(b []byte) []byte { return slices.Concat(fmt.Appendf(nil, "%x\r\n", len(b)), b, []byte("\r\n")) }

	tests := []struct {
		name string
		head string
		body []byte
		// want is the body expected; nil wants a start of doc (gzip: what
		// was inflated when the stream stopped).
		want      []byte
		truncated bool
		// errWant, when set, is the error expected instead of a body.
		errWant string
	}{
		{
			// The framing cannot tell: the body is whole as far as HTTP
			// knows, and the parser finds the cut (parse.Truncated).
			name: "no Content-Length",
			head: validators + "Connection: close\r\n",
			body: doc[:cut], want: doc[:cut],
		},
		{
			name: "Content-Length",
			head: validators + fmt.Sprintf("Content-Length: %d\r\n", len(doc)),
			body: doc[:cut], want: doc[:cut], truncated: true,
		},
		{
			name: "chunked, cut mid-chunk",
			head: validators + "Transfer-Encoding: chunked\r\n",
			body: chunk(doc)[:cut+5], want: doc[:cut], truncated: true,
		},
		{
			name: "chunked, cut between chunks",
			head: validators + "Transfer-Encoding: chunked\r\n",
			body: append(chunk(doc[:cut]), chunk(doc[cut : cut+10])[:3]...), want: doc[:cut], truncated: true,
		},
		{
			name: "gzip with Content-Length",
			head: validators + "Content-Encoding: gzip\r\n" + fmt.Sprintf("Content-Length: %d\r\n", len(zipped)),
			body: zipped[:len(zipped)*3/4], truncated: true,
		},
		{
			// Every byte arrived, and is wrong: not a cut.
			name:    "gzip with a wrong checksum",
			head:    validators + "Content-Encoding: gzip\r\n" + fmt.Sprintf("Content-Length: %d\r\n", len(zipped)),
			body:    slices.Concat(zipped[:len(zipped)-8], []byte{0, 0, 0, 0}, zipped[len(zipped)-4:]),
			errWant: "reading body: gzip: invalid checksum",
		},
		{
			name:    "Content-Length, nothing of the body",
			head:    validators + fmt.Sprintf("Content-Length: %d\r\n", len(doc)),
			errWant: "reading body: unexpected EOF",
		},
		{
			name: "chunked, nothing of the body",
			head: validators + "Transfer-Encoding: chunked\r\n",
			body: []byte("2f"), errWant: "reading body: unexpected EOF",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := cutServer(t, tc.head, tc.body)
			f := newTestFetcher(t, Options{}, nil)
			resp, err := f.Fetch(context.Background(), Request{URL: srv.URL + "/feed"})
			if tc.errWant != "" {
				if err == nil || !strings.Contains(err.Error(), tc.errWant) || resp != nil {
					t.Fatalf("Fetch = %v, %v; want no response and %q", resp, err, tc.errWant)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case tc.want != nil && !bytes.Equal(resp.Body, tc.want):
				t.Errorf("body %d bytes, want the %d that arrived", len(resp.Body), len(tc.want))
			case tc.want == nil && (len(resp.Body) == 0 || !bytes.HasPrefix(doc, resp.Body)):
				t.Errorf("body %q, want the start of the document", resp.Body)
			}
			if resp.Truncated != tc.truncated {
				t.Errorf("Truncated = %v, want %v", resp.Truncated, tc.truncated)
			}
			wantTag, wantMod := `"v1"`, lastMod
			if tc.truncated {
				wantTag, wantMod = "", ""
			}
			if resp.ETag != wantTag || resp.LastModified != wantMod || resp.Status != 200 || resp.ContentType != "application/rss+xml" {
				t.Errorf("status %d, type %q, validators %q %q; want 200, the type, validators %q %q",
					resp.Status, resp.ContentType, resp.ETag, resp.LastModified, wantTag, wantMod)
			}
		})
	}
}

// stopThenCut is a transport whose body gives part of a document, then
// waits for the request's end and reports the body cut short.
type stopThenCut struct{}

func (stopThenCut) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{
		StatusCode: 200, Header: http.Header{"Etag": {`"v1"`}}, ContentLength: 100, Request: r,
		Body: io.NopCloser(io.MultiReader(strings.NewReader("<rss>"), cutWhenDone{r.Context()})),
	}, nil
}

type cutWhenDone struct{ ctx context.Context }

func (c cutWhenDone) Read([]byte) (int, error) {
	<-c.ctx.Done()
	return 0, io.ErrUnexpectedEOF
}

// A body that ends early because the fetch was stopped (its timeout, a
// cancellation) is the fetch's failure, not an upstream's cut.
func TestFetchStoppedIsNotCutShort(t *testing.T) {
	f := New(Options{Transport: stopThenCut{}, Timeout: 50 * time.Millisecond})
	resp, err := f.Fetch(context.Background(), Request{URL: "http://cut.test/feed"})
	if err == nil || !strings.Contains(err.Error(), "timed out") || resp != nil {
		t.Fatalf("Fetch = %v, %v; want a timeout", resp, err)
	}
}
