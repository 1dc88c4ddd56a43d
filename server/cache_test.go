package server

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/render"
)

func pageWithBase(base string) render.Page {
	return render.Page{Title: "Test feed", BaseURL: base}
}

func TestETagFollowsContent(t *testing.T) {
	store := &fakeStore{}
	store.set(true, entry("a", t0))
	h := newTest(t, store, nil, Options{}).Handler()
	etag := func() string { return do(h, "GET", "/feed.atom").Header().Get("ETag") }

	first := etag()
	if again := etag(); again != first {
		t.Fatalf("ETag changed between identical requests: %q, %q", first, again)
	}
	calls := store.calls.Load()

	// A write the version does not announce is not seen: the cache serves
	// what it rendered without asking the store.
	store.set(false, entry("b", t0.Add(time.Hour)), entry("a", t0))
	if got := etag(); got != first {
		t.Errorf("ETag changed without a version change")
	}
	if store.calls.Load() != calls {
		t.Errorf("the store was read again at an unchanged version")
	}

	// Once the version changes the new content is served, under a new ETag.
	store.bump()
	second := etag()
	if second == first {
		t.Errorf("ETag unchanged after the content changed")
	}

	// A version change that renders the same bytes keeps the ETag.
	store.bump()
	if got := etag(); got != second {
		t.Errorf("ETag %q changed to %q though the bytes are the same", second, got)
	}
	if store.calls.Load() != calls+2 {
		t.Errorf("%d store reads after two version changes, want 2", store.calls.Load()-calls)
	}
}

func TestRebuildOnceForConcurrentRequests(t *testing.T) {
	store := &fakeStore{}
	store.set(true, entry("a", t0))
	srv := httptest.NewServer(newTest(t, store, nil, Options{}).Handler())
	defer srv.Close()
	get := func() (int, string, error) {
		req, _ := http.NewRequest("GET", srv.URL+"/feed.atom", nil)
		req.Header.Set("Accept-Encoding", "gzip")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, "", err
		}
		defer resp.Body.Close()
		_, err = io.Copy(io.Discard, resp.Body)
		return resp.StatusCode, resp.Header.Get("ETag"), err
	}
	if _, _, err := get(); err != nil {
		t.Fatal(err)
	}

	// The store changes, and reading it is slow: requests pile up while
	// the first of them rebuilds.
	gate := make(chan struct{})
	store.mu.Lock()
	store.gate = gate
	store.mu.Unlock()
	store.set(true, entry("b", t0.Add(time.Hour)), entry("a", t0))
	before, reads := store.calls.Load(), store.reads.Load()

	const n = 50
	var wg sync.WaitGroup
	etags := make([]string, n)
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			var code int
			code, etags[i], errs[i] = get()
			if errs[i] == nil && code != 200 {
				errs[i] = fmt.Errorf("status %d", code)
			}
		})
	}
	// Every request reads the version on arrival and finds its document
	// stale; the one that rebuilds reads it once more, then blocks in the
	// store. Once all have, the others are queued behind it.
	for store.reads.Load() < reads+n+1 {
		time.Sleep(time.Millisecond)
	}
	close(gate)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		if etags[i] != etags[0] {
			t.Fatalf("requests after one change got different ETags: %q, %q", etags[0], etags[i])
		}
	}
	if got := store.calls.Load() - before; got != 1 {
		t.Errorf("%d concurrent requests read the store %d times, want once", n, got)
	}
}

// TestWaiterLeavesWithItsClient checks that a request waiting for another's
// rebuild stops waiting when its client goes away, without a rebuild of its
// own, and that the rebuild it waited for still completes.
func TestWaiterLeavesWithItsClient(t *testing.T) {
	store := &fakeStore{}
	store.set(true, entry("a", t0))
	s := newTest(t, store, nil, Options{})
	h := s.Handler()
	do(h, "GET", "/feed.atom")

	gate := make(chan struct{})
	store.mu.Lock()
	store.gate = gate
	store.mu.Unlock()
	store.bump()
	rebuilding := make(chan int, 1)
	go func() { rebuilding <- do(h, "GET", "/feed.atom").Code }()
	for store.calls.Load() < 2 {
		time.Sleep(time.Millisecond)
	}

	// feed.atom is locked by its rebuild: a client that gives up while
	// waiting gets no answer, and no rebuild of its own.
	ctx, cancel := context.WithCancel(context.Background())
	r := httptest.NewRequestWithContext(ctx, "GET", "/feed.atom", nil)
	w := httptest.NewRecorder()
	done := make(chan struct{})
	go func() { h.ServeHTTP(w, r); close(done) }()
	cancel()
	<-done
	if store.calls.Load() != 2 {
		t.Errorf("a cancelled waiter read the store")
	}

	close(gate)
	if code := <-rebuilding; code != 200 {
		t.Errorf("rebuilding request answered %d", code)
	}
}

func TestRenderFailures(t *testing.T) {
	tests := []struct {
		name  string
		store error
		write func(w io.Writer, f render.Format, p render.Page, entries []*feed.Entry, o render.Options) error
	}{
		{"store error", errBoom, nil},
		{"render error after partial output", nil, func(w io.Writer, f render.Format, p render.Page, entries []*feed.Entry, o render.Options) error {
			io.WriteString(w, "<feed><entry>")
			return errBoom
		}},
		{"render panic", nil, func(w io.Writer, f render.Format, p render.Page, entries []*feed.Entry, o render.Options) error {
			io.WriteString(w, "<feed>")
			panic("bug")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := &fakeStore{err: tt.store}
			store.set(true, entry("a", t0))
			var logs strings.Builder
			s := newTest(t, store, nil, Options{Logger: newLogger(&logs)})
			if tt.write != nil {
				s.write = tt.write
			}
			w := do(s.Handler(), "GET", "/feed.atom")
			if w.Code != http.StatusInternalServerError || w.Body.String() != "feed unavailable\n" {
				t.Errorf("answered %d %q, want 500 and a short text", w.Code, w.Body)
			}
			if w.Header().Get("ETag") != "" {
				t.Errorf("500 carries an ETag")
			}
			if !strings.Contains(logs.String(), "feed unavailable") || !strings.Contains(logs.String(), "feed.atom") {
				t.Errorf("no error logged: %q", logs.String())
			}

			// The failure is not cached: once the cause is gone, the
			// next request renders.
			store.mu.Lock()
			store.err = nil
			store.mu.Unlock()
			s.write = fakeWrite
			if w := do(s.Handler(), "GET", "/feed.atom"); w.Code != 200 {
				t.Errorf("after recovery answered %d", w.Code)
			}
		})
	}
}
