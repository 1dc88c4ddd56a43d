package server

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"
)

// TestWarmRendersAhead: Warm renders the unified feed in every format after
// a change, so that the requests that follow read nothing from the store;
// at an unchanged version it renders nothing.
func TestWarmRendersAhead(t *testing.T) {
	store := &fakeStore{}
	store.set(true, entry("a", t0))
	s := newTest(t, store, nil, Options{})
	h := s.Handler()
	if err := s.Warm(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := store.calls.Load(); got != int64(len(formats)) {
		t.Fatalf("Warm read the store %d times, want %d", got, len(formats))
	}
	first := do(h, "GET", "/feed.atom")
	if first.Code != 200 || store.calls.Load() != int64(len(formats)) {
		t.Fatalf("a request after Warm answered %d and read the store", first.Code)
	}

	if err := s.Warm(context.Background()); err != nil || store.calls.Load() != int64(len(formats)) {
		t.Fatalf("Warm at an unchanged version: %v, %d store reads", err, store.calls.Load())
	}

	store.set(true, entry("b", t0.Add(time.Hour)), entry("a", t0))
	if err := s.Warm(context.Background()); err != nil {
		t.Fatal(err)
	}
	calls := store.calls.Load()
	for _, f := range formats {
		w := do(h, "GET", "/feed."+string(f), "Accept-Encoding", "gzip")
		if w.Code != 200 || w.Header().Get("Content-Encoding") != "gzip" {
			t.Errorf("feed.%s after Warm: %d, Content-Encoding %q", f, w.Code, w.Header().Get("Content-Encoding"))
		}
	}
	again := do(h, "GET", "/feed.atom")
	if again.Header().Get("ETag") == first.Header().Get("ETag") || store.calls.Load() != calls {
		t.Errorf("after a change and Warm: ETag %s (was %s), %d store reads by requests",
			again.Header().Get("ETag"), first.Header().Get("ETag"), store.calls.Load()-calls)
	}
}

// TestWarmErrors: a failing render is reported and not cached.
func TestWarmErrors(t *testing.T) {
	store := &fakeStore{err: errBoom}
	store.set(true, entry("a", t0))
	s := newTest(t, store, nil, Options{})
	if err := s.Warm(context.Background()); err == nil {
		t.Fatal("Warm over a failing store returned nil")
	}
	store.mu.Lock()
	store.err = nil
	store.mu.Unlock()
	if w := do(s.Handler(), "GET", "/feed.json"); w.Code != 200 {
		t.Errorf("after recovery: %d", w.Code)
	}
}

// TestSubscriptionDocumentsPinned: the unified feed's subscription
// documents stay cached however many pages are walked, and ?page=1 is the
// same cached document.
func TestSubscriptionDocumentsPinned(t *testing.T) {
	store := &fakeStore{}
	store.set(true, entry("c", t0.Add(2*time.Hour)), entry("b", t0.Add(time.Hour)), entry("a", t0))
	s := newTest(t, store, nil, Options{MaxItems: 1})
	h := s.Handler()
	for _, f := range formats {
		do(h, "GET", "/feed."+string(f))
	}
	calls := store.calls.Load()
	for i := range 2 * maxCachedDocs {
		do(h, "GET", fmt.Sprintf("/feed.rss?page=%d", i+2))
	}
	calls = store.calls.Load() - calls
	for _, target := range []string{"/feed.atom", "/feed.rss", "/feed.json", "/feed.atom?page=1"} {
		before := store.calls.Load()
		if w := do(h, "GET", target); w.Code != 200 || store.calls.Load() != before {
			t.Errorf("GET %s after walking %d pages: %d, rendered again", target, calls, w.Code)
		}
	}
	s.docs.mu.Lock()
	n := s.docs.order.Len()
	s.docs.mu.Unlock()
	if n != maxCachedDocs {
		t.Errorf("cache holds %d documents, want %d", n, maxCachedDocs)
	}
}

// TestSharedHeaderValues: the header values a snapshot shares between
// responses are not changed by what a handler downstream adds to one
// response's header, neither in the next response nor in an earlier one.
func TestSharedHeaderValues(t *testing.T) {
	store := &fakeStore{}
	store.set(true, entry("a", t0))
	s := newTest(t, store, nil, Options{})
	mangle := func(extra string) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			s.Handler().ServeHTTP(w, r)
			h := w.Header()
			for _, key := range []string{"Vary", "Etag", "Cache-Control", "Content-Length", "Content-Type"} {
				h.Add(key, extra)
			}
		})
	}
	first := do(mangle("one"), "GET", "/feed.atom")
	second := do(mangle("two"), "GET", "/feed.atom")
	plain := do(s.Handler(), "GET", "/feed.atom")
	for _, key := range []string{"Vary", "Etag", "Cache-Control", "Content-Length", "Content-Type"} {
		want := plain.Header().Values(key)
		if len(want) != 1 {
			t.Fatalf("%s: %q", key, want)
		}
		if got := first.Header().Values(key); !slices.Equal(got, []string{want[0], "one"}) {
			t.Errorf("%s of the first response: %q", key, got)
		}
		if got := second.Header().Values(key); !slices.Equal(got, []string{want[0], "two"}) {
			t.Errorf("%s of the second response: %q", key, got)
		}
	}
}
