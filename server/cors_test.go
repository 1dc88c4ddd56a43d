package server

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestCORSPublicDocuments: a web page may read the feeds and the OPML lists
// and their validators; never the operator endpoints or anything else.
func TestCORSPublicDocuments(t *testing.T) {
	db := openCorpus(t)
	s := corpusServer(t, db, 50)
	s.trigger = &fakeTrigger{}
	h := s.Handler()
	const origin = "https://reader.example"
	public := []struct {
		path   string
		status int
	}{
		{"/feed.atom", 200}, {"/feed.rss", 200}, {"/feed.json", 200},
		{"/feed.json?page=2", 404}, // past the end: still readable, with its reason
		{"/sources/harbor-light/feed.atom", 200}, {"/sources/field-notes/feed.rss", 200},
		{"/sources/nobody/feed.json", 404},
		{"/tags/news/feed.json", 200}, {"/tags/birds/feed.atom", 200},
		{"/tags/NEWS/feed.rss", 301},
		{"/sources.opml", 200}, {"/feeds.opml", 200},
	}
	for _, tt := range public {
		for _, method := range []string{"GET", "HEAD"} {
			w := do(h, method, tt.path, "Origin", origin)
			if w.Code != tt.status {
				t.Errorf("%s %s: %d, want %d", method, tt.path, w.Code, tt.status)
			}
			if got := w.Header().Values("Access-Control-Allow-Origin"); len(got) != 1 || got[0] != "*" {
				t.Errorf("%s %s with Origin: Access-Control-Allow-Origin %q, want *", method, tt.path, got)
			}
			if got := w.Header().Get("Access-Control-Expose-Headers"); got != "ETag, Last-Modified" {
				t.Errorf("%s %s: Access-Control-Expose-Headers %q", method, tt.path, got)
			}
			if tt.status != 404 && !strings.Contains(w.Header().Get("Vary"), "Origin") {
				t.Errorf("%s %s: Vary %q lacks Origin, whose presence changes the answer", method, tt.path, w.Header().Get("Vary"))
			}
			// A feed reader sends no Origin: its answer has no CORS
			// headers, and says it would have had them.
			w = do(h, method, tt.path)
			if got := w.Header().Get("Access-Control-Allow-Origin"); got != "" {
				t.Errorf("%s %s without Origin: Access-Control-Allow-Origin %q", method, tt.path, got)
			}
			if tt.status == 200 && w.Header().Get("Vary") != "Accept-Encoding, Origin" {
				t.Errorf("%s %s without Origin: Vary %q", method, tt.path, w.Header().Get("Vary"))
			}
		}
	}
	// A revalidation from a page is readable too.
	etag := do(h, "GET", "/feed.atom").Header().Get("ETag")
	if w := do(h, "GET", "/feed.atom", "Origin", origin, "If-None-Match", etag); w.Code != 304 || w.Header().Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("304 to a page: %d, Access-Control-Allow-Origin %q", w.Code, w.Header().Get("Access-Control-Allow-Origin"))
	}

	// Nothing else is shared with pages, whatever they ask.
	private := []struct{ method, path string }{
		{"POST", "/-/fetch"}, {"GET", "/healthz"}, {"GET", "/readyz"}, {"GET", "/"}, {"GET", "/nope"},
		{"GET", "/sources/harbor-light/"}, {"POST", "/feed.atom"},
	}
	for _, tt := range private {
		w := do(h, tt.method, tt.path, "Origin", origin)
		if got := w.Header().Get("Access-Control-Allow-Origin"); got != "" {
			t.Errorf("%s %s: Access-Control-Allow-Origin %q on a private answer", tt.method, tt.path, got)
		}
	}
}

// TestCORSPreflight: a page that sends validators (not CORS-safelisted
// headers) first asks with OPTIONS; the public documents answer 204 with
// what it may send and read. Other OPTIONS are answered as before.
func TestCORSPreflight(t *testing.T) {
	db := openCorpus(t)
	s := corpusServer(t, db, 50)
	s.opts.Backup = func(context.Context, io.Writer) (int64, error) { return 0, nil }
	// Routes are made by New: build again with the backup and a trigger.
	s = New(db, &fakeTrigger{}, s.opts)
	h := s.Handler()
	preflight := []string{"Origin", "https://reader.example", "Access-Control-Request-Method", "GET",
		"Access-Control-Request-Headers", "if-none-match,if-modified-since"}
	for _, path := range []string{"/feed.atom", "/feed.rss", "/feed.json", "/feed.atom?page=2",
		"/sources/harbor-light/feed.atom", "/sources/any/feed.json", "/tags/news/feed.rss",
		"/sources.opml", "/feeds.opml"} {
		for _, method := range []string{"GET", "HEAD"} {
			req := append([]string{}, preflight...)
			req[3] = method
			w := do(h, "OPTIONS", path, req...)
			want := map[string]string{
				"Access-Control-Allow-Origin":   "*",
				"Access-Control-Allow-Methods":  "GET, HEAD",
				"Access-Control-Allow-Headers":  "If-None-Match, If-Modified-Since",
				"Access-Control-Expose-Headers": "ETag, Last-Modified",
				"Vary":                          "Access-Control-Request-Method",
				"Access-Control-Max-Age":        "86400",
			}
			if w.Code != http.StatusNoContent || w.Body.Len() != 0 {
				t.Errorf("preflight of %s %s: %d with %d bytes, want 204", method, path, w.Code, w.Body.Len())
			}
			for k, v := range want {
				if got := w.Header().Get(k); got != v {
					t.Errorf("preflight of %s %s: %s %q, want %q", method, path, k, got, v)
				}
			}
		}
	}
	// Not a preflight of a public document's GET: answered as ever.
	tests := []struct {
		path   string
		header []string
		status int
		allow  string
	}{
		{"/feed.atom", nil, 405, "GET, HEAD"},
		{"/feed.atom", []string{"Origin", "https://reader.example"}, 405, "GET, HEAD"},
		{"/feed.atom", []string{"Access-Control-Request-Method", "POST"}, 405, "GET, HEAD"},
		{"/feed.atom", []string{"Access-Control-Request-Method", "get"}, 405, "GET, HEAD"},
		{"/sources/harbor-light/feed.xml", []string{"Access-Control-Request-Method", "GET"}, 405, "GET, HEAD"},
		{"/-/fetch", []string{"Access-Control-Request-Method", "POST"}, 405, "POST"},
		{"/-/fetch", []string{"Access-Control-Request-Method", "GET"}, 405, "POST"},
		{"/-/backup", []string{"Access-Control-Request-Method", "GET"}, 405, "GET, HEAD"},
		{"/healthz", []string{"Access-Control-Request-Method", "GET"}, 405, "GET, HEAD"},
		{"/nope", []string{"Access-Control-Request-Method", "GET"}, 404, ""},
	}
	// Only OPTIONS is a preflight.
	if w := do(h, "GET", "/feed.atom", preflight...); w.Code != 200 || w.Header().Get("ETag") == "" {
		t.Errorf("GET with Access-Control-Request-Method: %d, ETag %q; want the document", w.Code, w.Header().Get("ETag"))
	}
	for _, tt := range tests {
		w := do(h, "OPTIONS", tt.path, tt.header...)
		if w.Code != tt.status || w.Header().Get("Allow") != tt.allow || w.Header().Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("OPTIONS %s %q: %d, Allow %q, Access-Control-Allow-Origin %q; want %d, %q, none",
				tt.path, tt.header, w.Code, w.Header().Get("Allow"), w.Header().Get("Access-Control-Allow-Origin"), tt.status, tt.allow)
		}
	}
}
