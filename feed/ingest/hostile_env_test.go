package ingest_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/fetch"
	"github.com/tributary/tributary/feed/ingest"
	"github.com/tributary/tributary/storage"
)

// The hostile suite runs real rounds against httptest servers on 127.0.0.1.
// Names under .test resolve, through fetch.Options.LookupNetIP, to a public
// documentation address, so every fetch is held to the address policy as an
// upstream on the internet would be (so do names under example.com, which
// the TLS test server's certificate names); the few names below stand for what a
// redirect must not reach. Every dial goes to 127.0.0.1 on the port asked
// for. Any other name (nowhere.invalid) fails to resolve: no DNS query
// leaves the machine.
var hostileHosts = map[string]string{
	"evil.test":     "127.0.0.1",
	"metadata.test": "169.254.169.254",
	"intranet.test": "10.0.0.5",
}

const publicAddr = "203.0.113.10"

// hostileTimeout is the whole-request timeout of the suite's fetcher: short,
// so that the slow and silent upstreams cost little, long enough for a
// loopback fetch on a loaded machine.
const hostileTimeout = 2 * time.Second

// hostileMaxBody caps bodies in the suite; the hostile bodies exceed it.
const hostileMaxBody = 256 << 10

func hostileLookup(_ context.Context, host string) ([]netip.Addr, error) {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	if ip, ok := hostileHosts[host]; ok {
		return []netip.Addr{netip.MustParseAddr(ip)}, nil
	}
	// The TLS test server's certificate names example.com.
	if strings.HasSuffix(host, ".test") || strings.HasSuffix(host, ".example.com") {
		return []netip.Addr{netip.MustParseAddr(publicAddr)}, nil
	}
	return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
}

func hostileDial(ctx context.Context, network, addr string) (net.Conn, error) {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	var d net.Dialer
	return d.DialContext(ctx, network, net.JoinHostPort("127.0.0.1", port))
}

func newHostileFetcher(t *testing.T, opts fetch.Options) *fetch.Fetcher {
	t.Helper()
	if opts.Timeout == 0 {
		opts.Timeout = hostileTimeout
	}
	if opts.MaxBody == 0 {
		opts.MaxBody = hostileMaxBody
	}
	opts.LookupNetIP, opts.DialContext = hostileLookup, hostileDial
	f := fetch.New(opts)
	t.Cleanup(f.CloseIdleConnections)
	return f
}

func openHostileStore(t *testing.T) *storage.DB {
	t.Helper()
	db, err := storage.Open(t.TempDir()+"/tributary.db", storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// clock is a settable time for Options.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// logBuffer collects what the ingester logs; rounds log from many goroutines.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// rssItem is one item of a generated RSS feed; empty fields are left out.
type rssItem struct {
	GUID, Link, Title, Description, PubDate string
}

// rssFeed writes an RSS 2.0 feed. Fields are written as given: callers put
// markup, entities or hostile bytes in them on purpose.
func rssFeed(title string, items ...rssItem) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n")
	b.WriteString(`<rss version="2.0"><channel><title>` + title + `</title><link>https://site.test/</link>` + "\n")
	for _, it := range items {
		b.WriteString("<item>")
		for _, f := range []struct{ name, val string }{
			{"guid", it.GUID}, {"link", it.Link}, {"title", it.Title},
			{"description", it.Description}, {"pubDate", it.PubDate},
		} {
			if f.val != "" {
				b.WriteString("<" + f.name + ">" + f.val + "</" + f.name + ">")
			}
		}
		b.WriteString("</item>\n")
	}
	b.WriteString("</channel></rss>\n")
	return b.String()
}

// simpleFeed is a healthy feed of n items whose ids and links are made from
// name.
func simpleFeed(name string, n int) string {
	items := make([]rssItem, n)
	for i := range items {
		items[i] = rssItem{
			GUID:        fmt.Sprintf("%s-%d", name, i),
			Link:        fmt.Sprintf("https://%s.example/post/%d", name, i),
			Title:       fmt.Sprintf("%s post %d", name, i),
			Description: fmt.Sprintf("Post %d of %s, with words of its own.", i, name),
			PubDate:     "Mon, 02 Mar 2026 08:00:00 GMT",
		}
	}
	return rssFeed(name, items...)
}

const atomHealthy = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Healthy Atom</title><id>urn:uuid:6a1c3c4e-healthy-atom</id>
  <link href="https://healthy-atom.example/"/><updated>2026-03-01T10:00:00Z</updated>
  <entry><title>Atom one</title><id>urn:uuid:6a1c3c4e-1</id>
    <link href="https://healthy-atom.example/one"/><updated>2026-03-01T10:00:00Z</updated>
    <content type="html">&lt;p&gt;The first Atom entry.&lt;/p&gt;</content></entry>
  <entry><title>Atom two</title><id>urn:uuid:6a1c3c4e-2</id>
    <link href="https://healthy-atom.example/two"/><updated>2026-03-01T11:00:00Z</updated>
    <content type="html">&lt;p&gt;The second Atom entry.&lt;/p&gt;</content></entry>
</feed>
`

// serve answers with body as contentType (none when empty).
func serve(contentType, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		_, _ = w.Write([]byte(body))
	}
}

func serveBytes(contentType string, body []byte) http.HandlerFunc {
	return serve(contentType, string(body))
}

// redirectTo answers code with a Location made by loc from the request's
// port: redirects to other hosts must name the test server's port.
func redirectTo(code int, loc func(port string) string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		_, port, _ := net.SplitHostPort(r.Host)
		w.Header().Set("Location", loc(port))
		w.WriteHeader(code)
	}
}

// gzipBomb returns a gzip body that inflates to about size bytes from a
// thousandth of that: one compressed megabyte of spaces, repeated as gzip
// members (which readers concatenate), after a feed's opening so that a
// parser reading a truncated bomb would take it for a feed.
func gzipBomb(t *testing.T, size int) []byte {
	t.Helper()
	member := func(b []byte) []byte {
		var buf bytes.Buffer
		zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := zw.Write(b); err != nil {
			t.Fatal(err)
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	out := member([]byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>`))
	spaces := member(bytes.Repeat([]byte(" "), 1<<20))
	for n := 0; n < size; n += 1 << 20 {
		out = append(out, spaces...)
	}
	return out
}

// storedBySource returns every stored entry under each source that has a
// copy of it.
func storedBySource(t *testing.T, db *storage.DB) map[string][]*feed.Entry {
	t.Helper()
	entries, _, err := db.Newest(context.Background(), 0, "")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]*feed.Entry{}
	for _, e := range entries {
		seen := map[string]bool{}
		for _, c := range e.Copies {
			if !seen[c.SourceID] {
				seen[c.SourceID] = true
				out[c.SourceID] = append(out[c.SourceID], e)
			}
		}
	}
	return out
}

func portOf(t *testing.T, rawURL string) string {
	t.Helper()
	_, port, err := net.SplitHostPort(strings.TrimPrefix(strings.TrimPrefix(rawURL, "http://"), "https://"))
	if err != nil {
		t.Fatal(err)
	}
	return port
}

// roundEnv is one test server, store, clock and ingester for tests that run
// several rounds.
type roundEnv struct {
	t    *testing.T
	db   *storage.DB
	clk  *clock
	in   *ingest.Ingester
	port string
}

// newRoundEnv serves h and ingests with opts; Now and Jitter are the
// environment's (a settable clock, no jitter).
func newRoundEnv(t *testing.T, h http.Handler, fopts fetch.Options, opts ingest.Options) *roundEnv {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	env := &roundEnv{t: t, db: openHostileStore(t), clk: newClock(), port: portOf(t, srv.URL)}
	opts.Now = env.clk.Now
	opts.Jitter = func() float64 { return 0 }
	env.in = ingest.New(env.db, newHostileFetcher(t, fopts), opts)
	return env
}

// source is a source named name at http://<name>.test:<port><path>.
func (e *roundEnv) source(name, path string) feed.Source {
	return feed.Source{ID: name, Name: name, URL: "http://" + name + ".test:" + e.port + path}
}

func (e *roundEnv) round(mode ingest.Mode, srcs ...feed.Source) feed.RoundReport {
	e.t.Helper()
	rep, err := e.in.Round(context.Background(), srcs, mode, ingest.Politeness{})
	if err != nil {
		e.t.Fatalf("round: %v", err)
	}
	return rep
}

func (e *roundEnv) state(id string) feed.SourceState {
	e.t.Helper()
	states, err := e.db.Sources(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	for _, st := range states {
		if st.SourceID == id {
			return st
		}
	}
	e.t.Fatalf("no state stored for source %s", id)
	return feed.SourceState{}
}

// entries returns the entries stored from source id, newest first.
func (e *roundEnv) entries(id string) []*feed.Entry {
	e.t.Helper()
	return storedBySource(e.t, e.db)[id]
}

// muteListener accepts connections on 127.0.0.1 and never writes to them,
// until the test ends; it returns its address.
func muteListener(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return l.Addr().String()
}
