package ingest_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/fetch"
	"github.com/tributary/tributary/feed/ingest"
)

const rss = "application/rss+xml"

// hostileCase is one upstream of the round: served at http://<name>.test:<port>/<name>/
// unless url names another address ({port}, {tls} and {mute} are replaced by
// the ports of the plain server, the TLS server and a listener that never
// answers).
type hostileCase struct {
	name    string
	handler http.HandlerFunc
	url     string
	// wantErr is a substring of the report's error; "" means the source
	// must be fetched with wantItems items.
	wantErr   string
	wantItems int
	// check inspects the entries stored from this source.
	check func(t *testing.T, entries []*feed.Entry)
}

func titleIs(want string) func(*testing.T, []*feed.Entry) {
	return func(t *testing.T, entries []*feed.Entry) {
		t.Helper()
		if len(entries) != 1 || entries[0].Title != want {
			t.Errorf("stored titles %q, want [%q]", titles(entries), want)
		}
	}
}

func titles(entries []*feed.Entry) []string {
	var out []string
	for _, e := range entries {
		out = append(out, e.Title)
	}
	return out
}

func hostileCases(t *testing.T) []hostileCase {
	dripped := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", rss)
		for _, c := range []byte(simpleFeed("drip", 1)) {
			_, _ = w.Write([]byte{c})
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(2 * time.Second):
			}
		}
	}
	silent := func(_ http.ResponseWriter, r *http.Request) { <-r.Context().Done() }
	cutFeed := simpleFeed("cut", 2)
	cutFeed = cutFeed[:strings.Index(cutFeed, "<item><guid>cut-1")+20]
	endless := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", rss)
		_, _ = w.Write([]byte(`<rss version="2.0"><channel><title>endless</title>`))
		chunk := []byte(strings.Repeat("<item><title>again</title></item>\n", 256))
		for r.Context().Err() == nil {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}
	oversize := func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", rss)
		w.Header().Set("Content-Length", strconv.Itoa(hostileMaxBody+1))
		_, _ = w.Write(bytes.Repeat([]byte(" "), hostileMaxBody+1))
	}
	bomb := gzipBomb(t, 64<<20)
	gzipped := func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", rss)
		w.Header().Set("Content-Encoding", "gzip")
		_, _ = w.Write(bomb)
	}
	status := func(code int, header ...string) http.HandlerFunc {
		return func(w http.ResponseWriter, _ *http.Request) {
			for i := 0; i+1 < len(header); i += 2 {
				w.Header().Set(header[i], header[i+1])
			}
			http.Error(w, http.StatusText(code), code)
		}
	}
	loop := func(w http.ResponseWriter, r *http.Request) {
		next := "/redirect-loop/a"
		if strings.HasSuffix(r.URL.Path, "/a") {
			next = "/redirect-loop/b"
		}
		http.Redirect(w, r, next, http.StatusFound)
	}
	chain := func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/redirect-chain/"))
		http.Redirect(w, r, "/redirect-chain/"+strconv.Itoa(n+1), http.StatusFound)
	}
	healthyAt := func(host string) func(string) string {
		return func(port string) string { return "http://" + net.JoinHostPort(host, port) + "/healthy-rss/" }
	}
	page := func(href string) http.HandlerFunc {
		return serve("text/html; charset=utf-8", `<!DOCTYPE html><html><head><title>A blog</title>`+
			`<link rel="alternate" type="application/rss+xml" title="Feed" href="`+href+`">`+
			`</head><body><p>Welcome.</p></body></html>`)
	}
	pageFeed := func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/feed.xml") {
			serve(rss, simpleFeed("paged", 2))(w, r)
			return
		}
		page("feed.xml")(w, r)
	}
	pageToPage := func(w http.ResponseWriter, r *http.Request) {
		// Every page links to another page: followed once, not twice.
		page("next.html")(w, r)
	}
	// A page on a trusted (loopback) host linking to a local file: the
	// link names no host to trust (review: file://localhost/… was read).
	secret := filepath.Join(t.TempDir(), "secret.xml")
	if err := os.WriteFile(secret, []byte(simpleFeed("read from disk", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	pageToFile := page("file://localhost" + secret)
	pageToLoopback := func(w http.ResponseWriter, r *http.Request) {
		_, port, _ := net.SplitHostPort(r.Host)
		page("http://127.0.0.1:"+port+"/healthy-rss/")(w, r)
	}
	latin1, _ := charmap.ISO8859_1.NewEncoder().String(rssFeed("latin", rssItem{GUID: "1", Title: "Café crème"}))
	cp1251, _ := charmap.Windows1251.NewEncoder().String(strings.Replace(
		rssFeed("cyr", rssItem{GUID: "1", Title: "Привет, мир"}), `encoding="utf-8"`, `encoding="windows-1251"`, 1))
	utf16, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(
		strings.Replace(rssFeed("utf16", rssItem{GUID: "1", Title: "Grüße"}), `encoding="utf-8"`, `encoding="utf-16"`, 1))
	nested := `<?xml version="1.0"?><rss version="2.0"><channel><title>deep</title><item><title>x</title>` +
		strings.Repeat("<x>", 20_000) + strings.Repeat("</x>", 20_000) + `</item></channel></rss>`
	laughs := `<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY xxe SYSTEM "file:///etc/passwd">
]>
<rss version="2.0"><channel><title>laughs</title>
<item><guid>1</guid><title>Laughs &lol9;</title><description>Secrets: &xxe;</description></item>
</channel></rss>`
	// One item's GUID, link or category over bbolt's 32 KiB key limit
	// failed the whole feed at every fetch; a title of megabytes was
	// repeated in every document and share link. Each item is stored,
	// its fields bounded.
	long := strings.Repeat("x", 40<<10)
	var manyTags strings.Builder
	for i := range 60 {
		fmt.Fprintf(&manyTags, "<category>tag %d</category>", i)
	}
	oversized := `<rss version="2.0"><channel><title>big</title><link>https://big.test/</link>` +
		`<item><title>Long GUID</title><guid isPermaLink="false">` + long + `</guid><link>https://big.test/a</link><description>one</description></item>` +
		`<item><title>Long link</title><link>https://big.test/` + long + `</link><guid>b</guid><description>two</description></item>` +
		`<item><title>Long tag</title><link>https://big.test/c</link><category>` + long + `</category>` + manyTags.String() + `<description>three</description></item>` +
		`<item><title>` + strings.Repeat("word ", 12000) + `</title><link>https://big.test/d</link><author>` + long[:20<<10] + `</author><description>four</description></item>` +
		`</channel></rss>`
	bounded := func(t *testing.T, entries []*feed.Entry) {
		t.Helper()
		if len(entries) != 4 {
			t.Fatalf("stored %d entries, want 4", len(entries))
		}
		for _, e := range entries {
			if n := utf8.RuneCountInString(e.Title); n > 1000 {
				t.Errorf("title of %d runes", n)
			}
			if len(e.Link) > 8<<10 || len(e.Author) > 1000 || len(e.Categories) > 50 {
				t.Errorf("entry %q: link of %d bytes, author of %d, %d categories", e.ID, len(e.Link), len(e.Author), len(e.Categories))
			}
			for _, c := range e.Categories {
				if len(c) > 400 {
					t.Errorf("category of %d bytes", len(c))
				}
			}
		}
	}
	noTitle := func(t *testing.T, entries []*feed.Entry) {
		t.Helper()
		for _, e := range entries {
			if len(e.Title) > 100 || strings.Contains(e.Content, "lollol") || strings.Contains(e.Content, "root:") {
				t.Errorf("an entity was expanded: title %q, content %q", e.Title, e.Content)
			}
		}
	}

	return []hostileCase{
		// Healthy upstreams: the round must bring them in whatever the others do.
		{name: "healthy-rss", handler: serve(rss, simpleFeed("healthy", 3)), wantItems: 3},
		{name: "healthy-atom", handler: serve("application/atom+xml", atomHealthy), wantItems: 2},

		// Slow, silent, endless and oversized answers.
		{name: "slow-drip", handler: dripped, wantErr: "timed out"},
		{name: "never-answers", handler: silent, wantErr: "timed out"},
		{name: "endless-body", handler: endless, wantErr: "body exceeds 256 KiB limit"},
		{name: "over-size-cap", handler: oversize, wantErr: "body exceeds 256 KiB limit"},
		{name: "gzip-bomb", handler: gzipped, wantErr: "body exceeds 256 KiB limit"},
		{name: "huge-headers", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Padding", strings.Repeat("a", 300<<10))
			serve(rss, simpleFeed("headers", 1))(w, r)
		}, wantErr: "server response headers exceeded 262144 bytes"},
		// A listener that accepts and never says a word: TLS waits for the
		// server's hello, plain HTTP for a status line.
		{name: "tls-handshake-stall", url: "https://tls-handshake-stall.test:{mute}/", wantErr: "timed out"},
		{name: "tcp-mute", url: "http://tcp-mute.test:{mute}/", wantErr: "timed out"},

		// Redirects.
		{name: "redirect-loop", handler: loop, wantErr: "redirect loop at http://redirect-loop.test:"},
		{name: "redirect-chain", handler: chain, wantErr: "stopped after 5 redirects"},
		{name: "redirect-five", handler: func(w http.ResponseWriter, r *http.Request) {
			n, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/redirect-five/"))
			if n == 5 {
				serve(rss, simpleFeed("five", 1))(w, r)
				return
			}
			http.Redirect(w, r, "/redirect-five/"+strconv.Itoa(n+1), http.StatusFound)
		}, wantItems: 1},
		{name: "redirect-ftp", handler: redirectTo(302, func(string) string { return "ftp://files.test/feed.xml" }),
			wantErr: `redirect to unsupported scheme "ftp"`},
		{name: "redirect-file", handler: redirectTo(301, func(string) string { return "file:///etc/passwd" }),
			wantErr: `redirect to unsupported scheme "file"`},
		{name: "redirect-javascript", handler: redirectTo(302, func(string) string { return "javascript:alert(1)" }),
			wantErr: `redirect to unsupported scheme "javascript"`},

		// Redirects to addresses an upstream must not reach.
		{name: "redirect-loopback", handler: redirectTo(302, healthyAt("127.0.0.1")),
			wantErr: "refusing to connect to 127.0.0.1: loopback address"},
		{name: "redirect-ipv6-loopback", handler: redirectTo(301, healthyAt("::1")),
			wantErr: "refusing to connect to ::1: loopback address"},
		{name: "redirect-localhost", handler: redirectTo(302, healthyAt("localhost")),
			wantErr: "refusing to connect to localhost: loopback address"},
		{name: "redirect-name-of-loopback", handler: redirectTo(302, healthyAt("evil.test")),
			wantErr: "refusing to connect to evil.test (127.0.0.1): loopback address"},
		{name: "redirect-metadata", handler: redirectTo(302, func(string) string { return "http://169.254.169.254/latest/meta-data/" }),
			wantErr: "refusing to connect to 169.254.169.254: link-local address"},
		{name: "redirect-name-of-metadata", handler: redirectTo(307, healthyAt("metadata.test")),
			wantErr: "refusing to connect to metadata.test (169.254.169.254): link-local address"},
		{name: "redirect-private", handler: redirectTo(302, func(string) string { return "http://10.1.2.3/feed" }),
			wantErr: "refusing to connect to 10.1.2.3: private address"},
		// Configured URLs are trusted as written: an intranet source may
		// redirect to loopback, and a loopback source is fetched.
		{name: "intranet-to-loopback", url: "http://intranet.test:{port}/intranet-to-loopback/",
			handler: redirectTo(302, healthyAt("127.0.0.1")), wantItems: 3},
		{name: "configured-loopback", url: "http://127.0.0.1:{port}/configured-loopback/",
			handler: serve(rss, simpleFeed("loopback", 1)), wantItems: 1},

		// Errors answered by the upstream, or on the way to it.
		{name: "status-404", handler: status(404), wantErr: "/status-404/: 404 Not Found"},
		{name: "status-410", handler: status(410), wantErr: "410 Gone"},
		{name: "status-500", handler: status(500), wantErr: "500 Internal Server Error"},
		{name: "status-429", handler: status(429, "Retry-After", "7200"),
			wantErr: "429 Too Many Requests (retry after 2h0m0s)"},
		{name: "status-503", handler: status(503, "Retry-After", "120"),
			wantErr: "503 Service Unavailable (retry after 2m0s)"},
		{name: "tls-wrong-name", url: "https://tls-wrong-name.test:{tls}/",
			wantErr: "tls: failed to verify certificate: x509: certificate is valid for example.com"},
		{name: "tls-unknown-authority", url: "https://feeds.example.com:{tls}/",
			wantErr: "tls: failed to verify certificate: x509: certificate signed by unknown authority"},
		{name: "dns-failure", url: "http://nowhere.invalid:{port}/feed", wantErr: "lookup nowhere.invalid: no such host"},

		// HTML pages.
		{name: "html-page", handler: pageFeed, wantItems: 2},
		{name: "html-page-to-page", handler: pageToPage,
			wantErr: "parse: not a feed: an HTML page (it links to feed next.html); its feed link " +
				"http://html-page-to-page.test:{port}/html-page-to-page/next.html: parse: not a feed: an HTML page"},
		{name: "html-page-to-loopback", handler: pageToLoopback,
			wantErr: "refusing to connect to 127.0.0.1: loopback address"},
		{name: "html-page-on-localhost-to-file", url: "http://localhost:{port}/html-page-on-localhost-to-file/", handler: pageToFile,
			wantErr: "local files are not fetched for untrusted URLs"},
		{name: "html-page-no-feed", handler: serve("text/html", `<html><body>Hello</body></html>`),
			wantErr: "parse: not a feed: an HTML page"},

		// Bodies that are not feeds, or broken ones.
		{name: "empty-body", handler: serve(rss, ""), wantErr: "parse: empty body"},
		{name: "whitespace-body", handler: serve(rss, "\n\r\n  \t"), wantErr: "parse: empty body"},
		{name: "garbage", handler: serveBytes("application/octet-stream", []byte{0x89, 'P', 'N', 'G', 0, 1, 2, 0xff}),
			wantErr: "parse: not a feed"},
		{name: "other-xml", handler: serve("text/xml", `<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>`),
			wantErr: "parse: not a feed: found <svg>"},
		{name: "other-json", handler: serve("application/json", `{"hello": ["world"]}`), wantErr: "parse: not a feed"},
		// Cut inside its second item: the first, whole, is kept.
		{name: "truncated-xml", handler: serve(rss, cutFeed), wantItems: 1, check: titleIs("cut post 0")},
		{name: "malformed-xml", handler: serve(rss, `<rss version="2.0"><channel><item><title>a</item></channel>`),
			wantErr: "parse: XML syntax error on line"},
		{name: "deeply-nested", handler: serve(rss, nested), wantErr: "parse: elements nested deeper than 10000 levels"},
		{name: "entity-expansion", handler: serve(rss, laughs), wantItems: 1, check: noTitle},
		{name: "oversized-fields", handler: serve(rss, oversized), wantItems: 4, check: bounded},

		// Bytes that are a feed, however badly labelled.
		{name: "type-octet-stream", handler: serve("application/octet-stream", simpleFeed("octet", 1)), wantItems: 1},
		{name: "type-text-html", handler: serve("text/html", simpleFeed("html-typed", 1)), wantItems: 1},
		{name: "type-none", handler: serve("", simpleFeed("untyped", 1)), wantItems: 1},
		{name: "json-as-text", handler: serve("text/plain",
			`{"version":"https://jsonfeed.org/version/1.1","title":"J","items":[{"id":"1","title":"Json item","content_text":"Hello"}]}`),
			wantItems: 1, check: titleIs("Json item")},
		{name: "charset-missing-latin1", handler: serve("application/rss+xml",
			strings.Replace(latin1, ` encoding="utf-8"`, "", 1)), wantItems: 1, check: titleIs("Café crème")},
		{name: "charset-header-latin1", handler: serve("application/rss+xml; charset=iso-8859-1",
			strings.Replace(latin1, ` encoding="utf-8"`, "", 1)), wantItems: 1, check: titleIs("Café crème")},
		{name: "charset-wrong-latin1-says-utf8", handler: serve("application/rss+xml; charset=utf-8", latin1),
			wantItems: 1, check: titleIs("Caf\uFFFD cr\uFFFDme")},
		{name: "charset-wrong-utf8-says-latin1", handler: serve("text/xml; charset=ISO-8859-1",
			rssFeed("u", rssItem{GUID: "1", Title: "Café crème"})), wantItems: 1, check: titleIs("Café crème")},
		{name: "charset-declared-cp1251", handler: serve("text/xml", cp1251), wantItems: 1, check: titleIs("Привет, мир")},
		{name: "invalid-utf8", handler: serve(rss, rssFeed("bad", rssItem{GUID: "1", Title: "Bad \xff\xfe bytes"})),
			wantItems: 1, check: titleIs("Bad \uFFFD bytes")},
		{name: "control-characters", handler: serve(rss, rssFeed("ctl", rssItem{GUID: "1", Title: "Bell\x07 and back\x08space &#8;"})),
			wantItems: 1, check: titleIs("Bell and backspace")},
		{name: "bom-utf8", handler: serve(rss, "\xEF\xBB\xBF"+rssFeed("bom", rssItem{GUID: "1", Title: "After a BOM"})),
			wantItems: 1, check: titleIs("After a BOM")},
		{name: "bom-utf16", handler: serve("application/xml", utf16), wantItems: 1, check: titleIs("Grüße")},
	}
}

// TestHostileRound runs one round over every hostile upstream at once: each
// fails with an error saying what went wrong, or is fetched despite its
// faults, and none of them stops the healthy ones.
func TestHostileRound(t *testing.T) {
	cases := hostileCases(t)
	mux := http.NewServeMux()
	for _, c := range cases {
		if c.handler != nil {
			mux.Handle("/"+c.name+"/", c.handler)
		}
	}
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	tlsSrv := httptest.NewUnstartedServer(serve(rss, simpleFeed("tls", 1)))
	// The handshake failure is the point; the server's log of it is noise.
	tlsSrv.Config.ErrorLog = log.New(io.Discard, "", 0)
	tlsSrv.StartTLS()
	t.Cleanup(tlsSrv.Close)
	port := portOf(t, srv.URL)
	tlsPort := portOf(t, tlsSrv.URL)
	mutePort := portOf(t, "http://"+muteListener(t))

	var srcs []feed.Source
	for _, c := range cases {
		u := c.url
		if u == "" {
			u = "http://" + c.name + ".test:{port}/" + c.name + "/"
		}
		u = strings.NewReplacer("{port}", port, "{tls}", tlsPort, "{mute}", mutePort).Replace(u)
		srcs = append(srcs, feed.Source{ID: c.name, Name: c.name, URL: u})
	}

	db := openHostileStore(t)
	clk := newClock()
	logs := &logBuffer{}
	in := ingest.New(db, newHostileFetcher(t, fetch.Options{}), ingest.Options{
		Now:    clk.Now,
		Jitter: func() float64 { return 0 },
		Logger: slog.New(slog.NewTextHandler(logs, nil)),
	})
	rep, err := in.Round(context.Background(), srcs, ingest.All, ingest.Politeness{Concurrency: len(srcs)})
	if err != nil {
		t.Fatalf("round: %v", err)
	}
	if len(rep.Sources) != len(cases) {
		t.Fatalf("%d reports for %d sources", len(rep.Sources), len(cases))
	}

	stored := storedBySource(t, db)
	states := map[string]feed.SourceState{}
	all, err := db.Sources(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range all {
		states[st.SourceID] = st
	}
	for i, c := range cases {
		r := rep.Sources[i]
		t.Run(c.name, func(t *testing.T) {
			wantErr := strings.NewReplacer("{port}", port).Replace(c.wantErr)
			st := states[c.name]
			if wantErr != "" {
				if r.Outcome != feed.Failed || !strings.Contains(r.Error, wantErr) {
					t.Fatalf("outcome %s, error %q; want failed with %q", r.Outcome, r.Error, wantErr)
				}
				if !strings.Contains(r.Error, srcs[i].URL) && !strings.HasPrefix(r.Error, "parse: ") {
					t.Errorf("error %q does not name the URL %s", r.Error, srcs[i].URL)
				}
				if st.LastError != r.Error || st.Failures != 1 || !st.NextFetch.After(clk.Now()) {
					t.Errorf("state: last error %q, failures %d, next %s; want the error recorded and a retry scheduled",
						st.LastError, st.Failures, st.NextFetch)
				}
				if n := len(stored[c.name]); n != 0 {
					t.Errorf("%d entries stored from a failed source", n)
				}
				return
			}
			if r.Outcome != feed.Fetched || r.Items != c.wantItems {
				t.Fatalf("outcome %s (%q), %d items; want fetched with %d", r.Outcome, r.Error, r.Items, c.wantItems)
			}
			if n := len(stored[c.name]); n != c.wantItems {
				t.Errorf("%d entries stored, want %d", n, c.wantItems)
			}
			if st.Failing() {
				t.Errorf("state records error %q", st.LastError)
			}
			if c.check != nil {
				c.check(t, stored[c.name])
			}
		})
	}

	// Following a page's feed link is said, with both addresses.
	if !strings.Contains(logs.String(), "source serves an HTML page; followed its feed link") ||
		!strings.Contains(logs.String(), "/html-page/feed.xml") {
		t.Errorf("no log line about following the HTML page's feed link:\n%s", logs)
	}
}
