package server

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("gzip body: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("gzip body: %v", err)
	}
	return out
}

func TestFeedHeaders(t *testing.T) {
	store := &fakeStore{}
	store.set(true, entry("new", t0.Add(time.Hour+500*time.Millisecond)), entry("newer-modified", t0.Add(2*time.Hour)), entry("old", t0))
	h := newTest(t, store, nil, Options{}).Handler()
	w := do(h, "GET", "/feed.atom")
	want := map[string]string{
		"Content-Type":           "application/atom+xml; charset=utf-8",
		"Cache-Control":          "public, max-age=300",
		"Vary":                   "Accept-Encoding, Origin",
		"X-Content-Type-Options": "nosniff",
		// The newest Modified, not the first entry's.
		"Last-Modified":  "Sat, 01 Mar 2025 14:00:00 GMT",
		"Content-Length": strconv.Itoa(w.Body.Len()),
	}
	for k, v := range want {
		if got := w.Header().Get(k); got != v {
			t.Errorf("%s: %q, want %q", k, got, v)
		}
	}
	if etag := w.Header().Get("ETag"); !strings.HasPrefix(etag, `"`) || !strings.HasSuffix(etag, `"`) || len(etag) < 18 {
		t.Errorf("ETag %q is not a strong quoted hash", etag)
	}
	if w.Header().Get("Content-Encoding") != "" {
		t.Errorf("identity response has Content-Encoding %q", w.Header().Get("Content-Encoding"))
	}

	h = newTest(t, &fakeStore{}, nil, Options{CacheControl: "no-cache"}).Handler()
	w = do(h, "GET", "/feed.json")
	// A feed with no entry has no date to give: none is made up (the
	// epoch would answer any If-Modified-Since with 304).
	if got := w.Header().Get("Last-Modified"); got != "" {
		t.Errorf("empty feed Last-Modified %q, want none", got)
	}
	// and its bytes, so its ETag, do not change until its entries do.
	first := do(h, "GET", "/feed.atom").Header().Get("ETag")
	h = newTest(t, &fakeStore{}, nil, Options{CacheControl: "no-cache"}).Handler()
	if again := do(h, "GET", "/feed.atom").Header().Get("ETag"); again != first {
		t.Errorf("empty feed ETag %q, then %q from another build", first, again)
	}
	if got := w.Header().Get("Cache-Control"); got != "no-cache" {
		t.Errorf("Cache-Control %q, want the configured one", got)
	}
}

func TestFeedPageMetadata(t *testing.T) {
	store := &fakeStore{}
	store.set(true, entry("a", t0))
	// BaseURL without its trailing slash still makes proper URLs.
	h := newTest(t, store, nil, Options{Page: pageWithBase("https://feeds.example.org/news")}).Handler()
	for _, name := range []string{"feed.atom", "feed.rss", "feed.json"} {
		w := do(h, "GET", "/"+name)
		first, _, _ := strings.Cut(w.Body.String(), "\n")
		want := "self=https://feeds.example.org/news/" + name + " alt=https://feeds.example.org/news/ updated=2025-03-01T12:00:00Z"
		if !strings.Contains(first, want) {
			t.Errorf("%s rendered with %q, want %q", name, first, want)
		}
	}
}

func TestFeedMaxItems(t *testing.T) {
	store := &fakeStore{}
	store.set(true, entry("a", t0), entry("b", t0), entry("c", t0))
	h := newTest(t, store, nil, Options{MaxItems: 2}).Handler()
	body := do(h, "GET", "/feed.rss").Body.String()
	if !strings.Contains(body, "\nb Title") || strings.Contains(body, "\nc Title") {
		t.Errorf("MaxItems 2 rendered:\n%.200s", body)
	}
}

func TestGzip(t *testing.T) {
	store := &fakeStore{}
	store.set(true, entry("a", t0), entry("b", t0))
	h := newTest(t, store, nil, Options{}).Handler()
	plain := do(h, "GET", "/feed.atom")
	tests := []struct {
		accept string
		gzip   bool
	}{
		{"", false},
		{"gzip", true},
		{"GZIP", true},
		{"x-gzip", true},
		{"gzip, deflate, br", true},
		{"br;q=1.0, gzip;q=0.8", true},
		{"gzip;q=0", false},
		{"gzip; q=0.000", false},
		{"gzip;q=0, *", false},
		{"*", true},
		{"*;q=0", false},
		{"deflate, br", false},
		{"identity", false},
		{"gzip;q=bogus", false},
	}
	for _, tt := range tests {
		t.Run(tt.accept, func(t *testing.T) {
			var w *httptest.ResponseRecorder
			if tt.accept == "" {
				w = do(h, "GET", "/feed.atom")
			} else {
				w = do(h, "GET", "/feed.atom", "Accept-Encoding", tt.accept)
			}
			enc := w.Header().Get("Content-Encoding")
			if (enc == "gzip") != tt.gzip {
				t.Fatalf("Content-Encoding %q, want gzip=%v", enc, tt.gzip)
			}
			if w.Header().Get("Content-Length") != strconv.Itoa(w.Body.Len()) {
				t.Errorf("Content-Length %s for %d bytes", w.Header().Get("Content-Length"), w.Body.Len())
			}
			if !tt.gzip {
				if w.Header().Get("ETag") != plain.Header().Get("ETag") || !bytes.Equal(w.Body.Bytes(), plain.Body.Bytes()) {
					t.Errorf("identity response differs from the plain one")
				}
				return
			}
			if got := gunzip(t, w.Body.Bytes()); !bytes.Equal(got, plain.Body.Bytes()) {
				t.Errorf("gzip body does not decompress to the identity bytes")
			}
			if etag := w.Header().Get("ETag"); etag == plain.Header().Get("ETag") || !strings.HasPrefix(etag, `"`) {
				t.Errorf("gzip ETag %q must be strong and differ from identity %q", etag, plain.Header().Get("ETag"))
			}
		})
	}
	// Accept-Encoding may be split over several header lines.
	w := do(h, "GET", "/feed.atom", "Accept-Encoding", "br", "Accept-Encoding", "gzip")
	if w.Header().Get("Content-Encoding") != "gzip" {
		t.Errorf("gzip in a second Accept-Encoding line was not honoured")
	}
}

func TestHead(t *testing.T) {
	store := &fakeStore{}
	store.set(true, entry("a", t0))
	h := newTest(t, store, nil, Options{})
	for _, accept := range []string{"identity", "gzip"} {
		get := do(h.Handler(), "GET", "/feed.json", "Accept-Encoding", accept)
		head := do(h.Handler(), "HEAD", "/feed.json", "Accept-Encoding", accept)
		if head.Code != 200 || head.Body.Len() != 0 {
			t.Errorf("%s: HEAD = %d with %d body bytes, want 200 and none", accept, head.Code, head.Body.Len())
		}
		if got, want := head.Header().Get("Content-Length"), strconv.Itoa(get.Body.Len()); got != want {
			t.Errorf("%s: HEAD Content-Length %s, want %s", accept, got, want)
		}
		for _, k := range []string{"ETag", "Last-Modified", "Content-Type", "Content-Encoding"} {
			if head.Header().Get(k) != get.Header().Get(k) {
				t.Errorf("%s: HEAD %s %q, GET %q", accept, k, head.Header().Get(k), get.Header().Get(k))
			}
		}
	}
}

func TestConditional(t *testing.T) {
	store := &fakeStore{}
	store.set(true, entry("a", t0))
	h := newTest(t, store, nil, Options{}).Handler()
	idTag := do(h, "GET", "/feed.atom").Header().Get("ETag")
	gzTag := do(h, "GET", "/feed.atom", "Accept-Encoding", "gzip").Header().Get("ETag")
	lastMod := t0.Format(http.TimeFormat)
	weak := func(tag string) string { return "W/" + tag }
	tests := []struct {
		name   string
		gzip   bool
		header []string
		status int
	}{
		{"no validators", false, nil, 200},
		{"etag", false, []string{"If-None-Match", idTag}, 304},
		{"gzip etag", true, []string{"If-None-Match", gzTag}, 304},
		{"weak etag", false, []string{"If-None-Match", weak(idTag)}, 304},
		{"weak gzip etag", true, []string{"If-None-Match", weak(gzTag)}, 304},
		{"etag in a list", false, []string{"If-None-Match", `"x", ` + idTag + `,"y"`}, 304},
		{"etag on a second line", true, []string{"If-None-Match", `"x"`, "If-None-Match", gzTag}, 304},
		{"star", false, []string{"If-None-Match", "*"}, 304},
		{"other etag", false, []string{"If-None-Match", `"other"`}, 200},
		{"identity etag for gzip", true, []string{"If-None-Match", idTag}, 200},
		{"gzip etag for identity", false, []string{"If-None-Match", gzTag}, 200},
		{"unquoted etag", false, []string{"If-None-Match", strings.Trim(idTag, `"`)}, 200},
		{"since last-modified", false, []string{"If-Modified-Since", lastMod}, 304},
		{"gzip since last-modified", true, []string{"If-Modified-Since", lastMod}, 304},
		{"since later", false, []string{"If-Modified-Since", t0.Add(time.Hour).Format(http.TimeFormat)}, 304},
		{"since earlier", false, []string{"If-Modified-Since", t0.Add(-time.Second).Format(http.TimeFormat)}, 200},
		{"since the future", false, []string{"If-Modified-Since", clock.Add(time.Hour).Format(http.TimeFormat)}, 200},
		{"since garbage", false, []string{"If-Modified-Since", "yesterday"}, 200},
		{"etag wins over date", false, []string{"If-None-Match", `"other"`, "If-Modified-Since", lastMod}, 200},
		{"etag and date", true, []string{"If-None-Match", gzTag, "If-Modified-Since", t0.Add(-time.Hour).Format(http.TimeFormat)}, 304},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			header := tt.header
			want := idTag
			if tt.gzip {
				header = append([]string{"Accept-Encoding", "gzip"}, header...)
				want = gzTag
			}
			for _, method := range []string{"GET", "HEAD"} {
				w := do(h, method, "/feed.atom", header...)
				if w.Code != tt.status {
					t.Fatalf("%s: status %d, want %d", method, w.Code, tt.status)
				}
				if got := w.Header().Get("ETag"); got != want {
					t.Errorf("%s: ETag %q, want %q", method, got, want)
				}
				if tt.status == 304 {
					if w.Body.Len() != 0 {
						t.Errorf("304 with a body")
					}
					for _, k := range []string{"Cache-Control", "Vary", "Last-Modified"} {
						if w.Header().Get(k) == "" {
							t.Errorf("304 without %s", k)
						}
					}
				}
			}
		})
	}
}

// TestConditionalOverHTTP checks the whole exchange through a real client,
// which adds and strips gzip itself.
func TestConditionalOverHTTP(t *testing.T) {
	store := &fakeStore{}
	store.set(true, entry("a", t0))
	ts := httptest.NewServer(newTest(t, store, nil, Options{}).Handler())
	defer ts.Close()
	resp, err := http.Get(ts.URL + "/feed.rss")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !resp.Uncompressed || !strings.Contains(string(body), "a Title a") {
		t.Fatalf("client did not get a transparently gunzipped feed (uncompressed=%v)", resp.Uncompressed)
	}
	req, _ := http.NewRequest("GET", ts.URL+"/feed.rss", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	req.Header.Set("If-None-Match", resp.Header.Get("ETag"))
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotModified {
		t.Errorf("revalidation answered %d, want 304", resp.StatusCode)
	}

	resp, err = http.Head(ts.URL + "/feed.rss")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.ContentLength != int64(len(body)) {
		t.Errorf("HEAD answered %d with Content-Length %d, want 200 and %d", resp.StatusCode, resp.ContentLength, len(body))
	}
}
