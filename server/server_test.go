package server

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/render"
	"github.com/tributary/tributary/storage"
)

// fakeStore is an in-memory Store that counts reads and can hold them.
type fakeStore struct {
	mu      sync.Mutex
	version uint64
	entries []*feed.Entry
	states  []feed.SourceState
	err     error
	calls   atomic.Int64 // Window calls
	reads   atomic.Int64 // Version calls
	// gate, when set, holds every Window call until it is closed.
	gate chan struct{}
}

func (f *fakeStore) Version() uint64 {
	f.reads.Add(1)
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.version
}

// Window serves f's entries (in the order set, taken as newest first)
// like storage.Window; its cursors are valid storage cursors naming an id.
func (f *fakeStore) Window(ctx context.Context, q storage.Query) (storage.Window, error) {
	f.calls.Add(1)
	return f.window(ctx, q)
}

// WindowDigests serves the page Window would, each entry's checksum that
// of its JSON; it is not counted in calls.
func (f *fakeStore) WindowDigests(ctx context.Context, q storage.Query) (storage.DigestWindow, error) {
	w, err := f.window(ctx, q)
	if err != nil {
		return storage.DigestWindow{}, err
	}
	d := storage.DigestWindow{Offset: w.Offset, Total: w.Total, Prev: w.Prev, Next: w.Next}
	for _, e := range w.Entries {
		b, err := json.Marshal(e)
		if err != nil {
			return storage.DigestWindow{}, err
		}
		h := fnv.New64a()
		h.Write(b)
		d.Entries = append(d.Entries, storage.EntryDigest{ID: e.ID, Sum: h.Sum64()})
	}
	return d, nil
}

func (f *fakeStore) window(ctx context.Context, q storage.Query) (storage.Window, error) {
	f.mu.Lock()
	gate := f.gate
	f.mu.Unlock()
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			return storage.Window{}, ctx.Err()
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return storage.Window{}, f.err
	}
	var sel []*feed.Entry
	for _, e := range f.entries {
		if selected(q.Selection, e) {
			sel = append(sel, e)
		}
	}
	start := q.Skip
	if q.Before != "" {
		k, err := base64.RawURLEncoding.DecodeString(q.Before)
		if err != nil || len(k) <= 8 {
			return storage.Window{}, storage.ErrBadCursor
		}
		start = len(sel)
		for i, e := range sel {
			if e.ID == string(k[8:]) {
				start = i + 1
			}
		}
	}
	start = min(start, len(sel))
	end := min(start+q.Limit, len(sel))
	w := storage.Window{Entries: append([]*feed.Entry(nil), sel[start:end]...), Offset: start, Total: len(sel)}
	if end < len(sel) {
		w.Next = fakeCursor(sel[end-1].ID)
	}
	if start > q.Limit {
		w.Prev = fakeCursor(sel[start-q.Limit-1].ID)
	}
	return w, nil
}

func selected(q storage.Selection, e *feed.Entry) bool {
	if q.All() {
		return true
	}
	for _, c := range e.Copies {
		if slices.Contains(q.Sources, c.SourceID) {
			return true
		}
	}
	for _, c := range e.Categories {
		if slices.Contains(q.Tags, feed.TagOf(c)) {
			return true
		}
	}
	return false
}

func fakeCursor(id string) string {
	return base64.RawURLEncoding.EncodeToString(append(make([]byte, 8), id...))
}

func (f *fakeStore) Tags(ctx context.Context) ([]string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var tags []string
	for _, e := range f.entries {
		for _, c := range e.Categories {
			if t := feed.TagOf(c); t != "" && !slices.Contains(tags, t) {
				tags = append(tags, t)
			}
		}
	}
	slices.Sort(tags)
	return tags, nil
}

// KnownTags is Tags: the fake forgets nothing it never held.
func (f *fakeStore) KnownTags(ctx context.Context) ([]string, error) { return f.Tags(ctx) }

func (f *fakeStore) Sources(ctx context.Context) ([]feed.SourceState, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.states), f.err
}

// set replaces the entries and, when bump is true, changes the version as a
// real store does; bump false simulates a write the cache must not notice.
func (f *fakeStore) set(bump bool, entries ...*feed.Entry) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.entries = entries
	if bump {
		f.version++
	}
}

func (f *fakeStore) bump() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.version++
}

var (
	t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	// clock is the fixed "now" of the tests, after every entry.
	clock = t0.Add(24 * time.Hour)
)

func entry(id string, modified time.Time) *feed.Entry {
	return &feed.Entry{ID: id, Title: "Title " + id, Link: "https://example.org/" + id,
		Content:   strings.Repeat("<p>Some content for "+id+".</p>", 20),
		Published: modified, Updated: modified, Created: modified, Modified: modified}
}

// fakeWrite stands in for render.Write: deterministic bytes that depend on
// the page and the entries, so the cache logic is tested on its own.
func fakeWrite(w io.Writer, f render.Format, p render.Page, entries []*feed.Entry, o render.Options) error {
	fmt.Fprintf(w, "format=%s self=%s alt=%s updated=%s\n", f, p.SelfURL, p.AlternateURL, p.Updated.Format(time.RFC3339))
	for _, e := range entries {
		fmt.Fprintf(w, "%s %s %s\n", e.ID, e.Title, e.Content)
	}
	return nil
}

const base = "https://feeds.example.org/"

// newTest returns a server on store with the fake renderer.
func newTest(t testing.TB, store Store, trigger Trigger, opts Options) *Server {
	t.Helper()
	if opts.Page.BaseURL == "" {
		opts.Page.BaseURL = base
	}
	if opts.Now == nil {
		opts.Now = func() time.Time { return clock }
	}
	s := New(store, trigger, opts)
	s.write = fakeWrite
	// The config took effect before every entry: Last-Modified is the
	// entries' (TestLastModifiedAfterConfigChange tests since).
	s.since = time.Time{}
	return s
}

// do runs one request from loopback on h, addressed to the server's
// address as a local client does, and returns the recorded response.
func do(h http.Handler, method, target string, header ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, nil)
	r.RemoteAddr = "127.0.0.1:40000"
	r.Host = "127.0.0.1:8080"
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Add(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestRoutes(t *testing.T) {
	store := &fakeStore{}
	store.set(true, entry("a", t0))
	h := newTest(t, store, &fakeTrigger{}, Options{}).Handler()
	tests := []struct {
		method, path string
		status       int
		allow        string
		contentType  string
	}{
		{"GET", "/feed.atom", 200, "", "application/atom+xml; charset=utf-8"},
		{"HEAD", "/feed.rss", 200, "", "application/rss+xml; charset=utf-8"},
		{"GET", "/feed.json", 200, "", "application/feed+json; charset=utf-8"},
		{"POST", "/feed.atom", 405, "GET, HEAD", ""},
		{"DELETE", "/feed.json", 405, "GET, HEAD", ""},
		{"GET", "/-/fetch", 405, "POST", ""},
		{"GET", "/", 404, "", "text/plain; charset=utf-8"},
		{"GET", "/feed.xml", 404, "", "text/plain; charset=utf-8"},
		{"GET", "/feed.atom/x", 404, "", "text/plain; charset=utf-8"},
		{"GET", "/healthz", 200, "", "text/plain; charset=utf-8"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			w := do(h, tt.method, tt.path)
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d", w.Code, tt.status)
			}
			if got := w.Header().Get("Allow"); got != tt.allow {
				t.Errorf("Allow %q, want %q", got, tt.allow)
			}
			if tt.contentType != "" && w.Header().Get("Content-Type") != tt.contentType {
				t.Errorf("Content-Type %q, want %q", w.Header().Get("Content-Type"), tt.contentType)
			}
		})
	}
}

func TestHealth(t *testing.T) {
	s := newTest(t, &fakeStore{}, nil, Options{})
	h := s.Handler()
	check := func(path string, status int, body string) {
		t.Helper()
		w := do(h, "GET", path)
		if w.Code != status || w.Body.String() != body {
			t.Errorf("GET %s = %d %q, want %d %q", path, w.Code, w.Body.String(), status, body)
		}
	}
	check("/healthz", 200, "ok")
	check("/readyz", 503, "not ready")
	s.Ready(true)
	check("/readyz", 200, "ready")
	s.Ready(false)
	check("/readyz", 503, "not ready")
}

func TestRequestLog(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	h := newTest(t, &fakeStore{}, nil, Options{Logger: logger}).Handler()
	do(h, "GET", "/healthz")
	do(h, "GET", "/nope")
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("got %d log lines, want 2:\n%s", len(lines), buf.String())
	}
	for i, want := range []string{"method=GET path=/healthz status=200 bytes=2", "method=GET path=/nope status=404"} {
		if !strings.Contains(lines[i], "level=DEBUG") || !strings.Contains(lines[i], want) || !strings.Contains(lines[i], "duration=") {
			t.Errorf("log line %q lacks %q", lines[i], want)
		}
	}
}

func TestServeShutsDownGracefully(t *testing.T) {
	trig := &fakeTrigger{started: make(chan struct{}), release: make(chan struct{})}
	s := newTest(t, &fakeStore{}, trig, Options{TrustLoopback: true})
	ln := listen(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()

	// A fetch round in flight when shutdown starts still gets its answer.
	answered := make(chan int, 1)
	go func() {
		resp, err := http.Post("http://"+ln.Addr().String()+"/-/fetch", "", nil)
		if err != nil {
			t.Error(err)
			answered <- 0
			return
		}
		resp.Body.Close()
		answered <- resp.StatusCode
	}()
	<-trig.started
	cancel()
	close(trig.release)
	if code := <-answered; code != http.StatusOK {
		t.Errorf("in-flight request answered %d, want 200", code)
	}
	if err := <-served; err != nil {
		t.Errorf("Serve returned %v after a clean shutdown, want nil", err)
	}
}

func TestServeReportsListenerFailure(t *testing.T) {
	s := newTest(t, &fakeStore{}, nil, Options{})
	ln := listen(t)
	ln.Close()
	err := s.Serve(context.Background(), ln)
	if err == nil || !strings.Contains(err.Error(), "serve") {
		t.Errorf("Serve on a closed listener = %v, want a serve error", err)
	}
}

var errBoom = errors.New("boom")

func newLogger(w io.Writer) *slog.Logger { return slog.New(slog.NewTextHandler(w, nil)) }
