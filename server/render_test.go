package server

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/render"
)

// skipUnlessRendererWorks skips tests of the real renderer while
// feed/render is still a stub that panics.
func skipUnlessRendererWorks(t *testing.T) {
	t.Helper()
	err := func() (err error) {
		defer func() {
			if v := recover(); v != nil {
				err = fmt.Errorf("%v", v)
			}
		}()
		return render.Write(io.Discard, render.Atom, render.Page{BaseURL: base, SelfURL: base + "feed.atom"}, nil, render.Options{})
	}()
	if err != nil {
		t.Skipf("feed/render is not usable yet: %v", err)
	}
}

// TestRealRenderer serves every format through feed/render: well-formed
// documents that name themselves, and ETags that survive a rebuild of the
// same entries (the renderer must be deterministic for ETags to work).
func TestRealRenderer(t *testing.T) {
	skipUnlessRendererWorks(t)
	store := &fakeStore{}
	store.set(true, entry("b", t0.Add(time.Hour)), entry("a", t0))
	s := New(store, nil, Options{Page: render.Page{Title: "Tributary test", BaseURL: base}, Now: func() time.Time { return clock }})
	h := s.Handler()
	for _, f := range []render.Format{render.Atom, render.RSS, render.JSON} {
		t.Run(string(f), func(t *testing.T) {
			path := "/feed." + string(f)
			w := do(h, "GET", path)
			if w.Code != http.StatusOK {
				t.Fatalf("status %d: %s", w.Code, w.Body)
			}
			if ct := w.Header().Get("Content-Type"); ct != f.ContentType() {
				t.Errorf("Content-Type %q", ct)
			}
			body := w.Body.Bytes()
			if err := wellFormed(f, body); err != nil {
				t.Errorf("not well-formed: %v", err)
			}
			if !bytes.Contains(body, []byte(base+"feed."+string(f))) {
				t.Errorf("document does not carry its self URL")
			}
			gz := do(h, "GET", path, "Accept-Encoding", "gzip")
			if !bytes.Equal(gunzip(t, gz.Body.Bytes()), body) {
				t.Errorf("gzip body differs from identity")
			}
			etag := w.Header().Get("ETag")
			store.bump()
			if again := do(h, "GET", path).Header().Get("ETag"); again != etag {
				t.Errorf("re-rendering the same entries changed the ETag: %s, %s", etag, again)
			}
		})
	}
}

func wellFormed(f render.Format, b []byte) error {
	if f == render.JSON {
		var v map[string]any
		return json.Unmarshal(b, &v)
	}
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// discard is a ResponseWriter that drops the body, so that the benchmark
// measures the handler rather than a recorder's copying.
type discard struct {
	h    http.Header
	code int
}

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) WriteHeader(code int)        { d.code = code }
func (d *discard) Write(p []byte) (int, error) { return len(p), nil }

// BenchmarkFeedCached serves /feed.atom (50 entries of about 3 KB) from a
// warm cache: the cost of every request between two store changes.
func BenchmarkFeedCached(b *testing.B) {
	store := &fakeStore{}
	var entries []*feed.Entry
	for i := range 50 {
		e := entry(fmt.Sprintf("entry-%02d", i), t0)
		e.Content = strings.Repeat("<p>Lorem ipsum dolor sit amet. </p>", 90)
		entries = append(entries, e)
	}
	store.set(true, entries...)
	h := newTest(b, store, nil, Options{}).Handler()
	etag := do(h, "GET", "/feed.atom").Header().Get("ETag")
	cases := []struct {
		name   string
		header http.Header
		code   int
	}{
		{"identity", http.Header{}, 200},
		{"gzip", http.Header{"Accept-Encoding": {"gzip, deflate, br"}}, 200},
		{"304", http.Header{"If-None-Match": {etag}}, 304},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			r, _ := http.NewRequest("GET", "/feed.atom", nil)
			r.Header = c.header
			r.RemoteAddr = "127.0.0.1:40000"
			w := &discard{}
			b.ReportAllocs()
			for b.Loop() {
				w.h, w.code = http.Header{}, 0
				h.ServeHTTP(w, r)
			}
			if w.code != c.code {
				b.Fatalf("status %d, want %d", w.code, c.code)
			}
		})
	}
}
