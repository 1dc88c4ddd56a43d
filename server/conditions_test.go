package server

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tributary/tributary/feed/render"
)

// TestPreconditions: If-Match and If-Unmodified-Since (RFC 9110 §13.1.1,
// §13.1.4), evaluated before If-None-Match and If-Modified-Since (§13.2.2).
func TestPreconditions(t *testing.T) {
	store := &fakeStore{}
	store.set(true, entry("a", t0))
	h := newTest(t, store, nil, Options{}).Handler()
	idTag := do(h, "GET", "/feed.atom").Header().Get("ETag")
	gzTag := do(h, "GET", "/feed.atom", "Accept-Encoding", "gzip").Header().Get("ETag")
	lastMod := t0.Format(http.TimeFormat)
	earlier := t0.Add(-time.Second).Format(http.TimeFormat)
	tests := []struct {
		name   string
		path   string
		header []string
		status int
	}{
		{"if-match", "/feed.atom", []string{"If-Match", idTag}, 200},
		{"if-match gzip", "/feed.atom", []string{"Accept-Encoding", "gzip", "If-Match", gzTag}, 200},
		{"if-match star", "/feed.atom", []string{"If-Match", "*"}, 200},
		{"if-match in a list", "/feed.atom", []string{"If-Match", `"x", ` + idTag}, 200},
		{"if-match on a second line", "/feed.atom", []string{"If-Match", `"x"`, "If-Match", idTag}, 200},
		{"if-match other", "/feed.atom", []string{"If-Match", `"other"`}, 412},
		{"if-match weak", "/feed.atom", []string{"If-Match", "W/" + idTag}, 412},
		{"if-match another representation's", "/feed.atom", []string{"Accept-Encoding", "gzip", "If-Match", idTag}, 412},
		{"if-match malformed", "/feed.atom", []string{"If-Match", strings.Trim(idTag, `"`)}, 412},
		{"if-match, then if-none-match", "/feed.atom", []string{"If-Match", idTag, "If-None-Match", idTag}, 304},
		{"if-match fails before if-none-match", "/feed.atom", []string{"If-Match", `"other"`, "If-None-Match", idTag}, 412},
		{"unmodified since last-modified", "/feed.atom", []string{"If-Unmodified-Since", lastMod}, 200},
		{"unmodified since later", "/feed.atom", []string{"If-Unmodified-Since", t0.Add(time.Hour).Format(http.TimeFormat)}, 200},
		{"unmodified since earlier", "/feed.atom", []string{"If-Unmodified-Since", earlier}, 412},
		{"unmodified since garbage", "/feed.atom", []string{"If-Unmodified-Since", "yesterday"}, 200},
		{"if-match wins over the date", "/feed.atom", []string{"If-Match", idTag, "If-Unmodified-Since", earlier}, 200},
		{"unmodified fails before if-none-match", "/feed.atom", []string{"If-Unmodified-Since", earlier, "If-None-Match", idTag}, 412},
		{"unmodified, then if-modified-since", "/feed.atom", []string{"If-Unmodified-Since", lastMod, "If-Modified-Since", lastMod}, 304},
		// Documents without a date ignore If-Unmodified-Since.
		{"undated list, unmodified since", "/sources.opml", []string{"If-Unmodified-Since", earlier}, 200},
		{"undated list, if-match other", "/sources.opml", []string{"If-Match", `"other"`}, 412},
		{"a page", "/feed.rss?page=1", []string{"If-Match", `"other"`}, 412},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, method := range []string{"GET", "HEAD"} {
				w := do(h, method, tt.path, tt.header...)
				if w.Code != tt.status {
					t.Fatalf("%s: %d, want %d (%s)", method, w.Code, tt.status, w.Body)
				}
				if tt.status != 412 {
					continue
				}
				if w.Header().Get("ETag") == "" || w.Header().Get("Content-Type") != "text/plain; charset=utf-8" {
					t.Errorf("%s: 412 with ETag %q, Content-Type %q", method, w.Header().Get("ETag"), w.Header().Get("Content-Type"))
				}
				if method == "GET" && !strings.HasPrefix(w.Body.String(), "precondition failed: ") {
					t.Errorf("412 body %q does not say why", w.Body)
				}
			}
		})
	}
	// A feed with no entry has no date either.
	h = newTest(t, &fakeStore{}, nil, Options{}).Handler()
	if w := do(h, "GET", "/feed.json", "If-Unmodified-Since", earlier); w.Code != 200 {
		t.Errorf("empty feed, If-Unmodified-Since: %d, want 200", w.Code)
	}
}

// TestLastModifiedAfterConfigChange: a config that changes what a feed
// says (its title) takes effect with a new Server (start, reload); its
// Last-Modified is then no earlier than that, so that a client sending
// only If-Modified-Since sees the change.
func TestLastModifiedAfterConfigChange(t *testing.T) {
	store := &fakeStore{}
	store.set(true, entry("a", t0))
	server := func(title string, now time.Time) http.Handler {
		return New(store, nil, Options{Page: render.Page{Title: title, BaseURL: base}, Now: func() time.Time { return now }}).Handler()
	}
	started := t0.Add(time.Hour + 700*time.Millisecond)
	one := do(server("Title One", started), "GET", "/feed.atom")
	lastMod := one.Header().Get("Last-Modified")
	if want := t0.Add(time.Hour).Format(http.TimeFormat); lastMod != want {
		t.Errorf("Last-Modified %q after a start later than the entries, want the start %q", lastMod, want)
	}

	reloaded := server("Title Two", t0.Add(2*time.Hour))
	w := do(reloaded, "GET", "/feed.atom", "If-Modified-Since", lastMod)
	if w.Code != 200 || !strings.Contains(w.Body.String(), "Title Two") {
		t.Fatalf("If-Modified-Since the old Last-Modified after a new title: %d, want 200 with the new title", w.Code)
	}
	if w.Header().Get("ETag") == one.Header().Get("ETag") {
		t.Errorf("the new title kept the ETag")
	}
	newMod := w.Header().Get("Last-Modified")
	if want := t0.Add(2 * time.Hour).Format(http.TimeFormat); newMod != want {
		t.Errorf("Last-Modified %q after the reload, want %q", newMod, want)
	}
	if w := do(reloaded, "GET", "/feed.atom", "If-Modified-Since", newMod); w.Code != 304 {
		t.Errorf("If-Modified-Since the new Last-Modified: %d, want 304", w.Code)
	}

	// An entry newer than the config gives its own time.
	store.set(true, entry("b", t0.Add(3*time.Hour)), entry("a", t0))
	if got, want := do(reloaded, "GET", "/feed.atom").Header().Get("Last-Modified"), t0.Add(3*time.Hour).Format(http.TimeFormat); got != want {
		t.Errorf("Last-Modified %q with an entry newer than the config, want %q", got, want)
	}
	// Documents without a date stay without one.
	for _, path := range []string{"/feeds.opml", "/sources.opml"} {
		if got := do(reloaded, "GET", path).Header().Get("Last-Modified"); got != "" {
			t.Errorf("%s: Last-Modified %q, want none", path, got)
		}
	}
	store.set(true)
	if got := do(reloaded, "GET", "/feed.rss").Header().Get("Last-Modified"); got != "" {
		t.Errorf("empty feed: Last-Modified %q, want none", got)
	}
}

// TestLastModifiedAfterDeletion: an entry leaving a feed with no newer one
// arriving changes its bytes, and its Last-Modified moves to when this
// server rendered them; it never moves back while the bytes stay.
func TestLastModifiedAfterDeletion(t *testing.T) {
	store := &fakeStore{}
	store.set(true, entry("b", t0.Add(time.Hour)), entry("a", t0))
	now := t0.Add(2 * time.Hour)
	h := newTest(t, store, nil, Options{Now: func() time.Time { return now }}).Handler()
	before := do(h, "GET", "/feed.atom").Header().Get("Last-Modified")
	if want := t0.Add(time.Hour).Format(http.TimeFormat); before != want {
		t.Fatalf("Last-Modified %q, want the newest entry's %q", before, want)
	}

	now = t0.Add(3*time.Hour + 400*time.Millisecond)
	store.set(true, entry("a", t0)) // b deleted (retention)
	w := do(h, "GET", "/feed.atom", "If-Modified-Since", before)
	if w.Code != 200 || strings.Contains(w.Body.String(), "b Title") {
		t.Fatalf("If-Modified-Since the old date after a deletion: %d, want 200 without the entry", w.Code)
	}
	after := w.Header().Get("Last-Modified")
	if want := t0.Add(3 * time.Hour).Format(http.TimeFormat); after != want {
		t.Errorf("Last-Modified %q after the deletion, want when it was rendered, %q", after, want)
	}

	// A change elsewhere in the store: same bytes, same date.
	now = t0.Add(4 * time.Hour)
	store.bump()
	w = do(h, "GET", "/feed.atom", "If-Modified-Since", after)
	if w.Code != 304 || w.Header().Get("Last-Modified") != after {
		t.Errorf("unchanged bytes after another change: %d, Last-Modified %q; want 304, %q", w.Code, w.Header().Get("Last-Modified"), after)
	}
}

// TestLastModifiedTwoChangesInOneSecond: bytes that change twice within
// one second share a date, and a client validating by that date alone is
// not told 304 (QA: a title edited twice in a second was answered 304 to
// If-Modified-Since for bytes the client had never seen).
func TestLastModifiedTwoChangesInOneSecond(t *testing.T) {
	store := &fakeStore{}
	store.set(true, entry("a", t0))
	now := t0.Add(time.Hour + 100*time.Millisecond)
	h := newTest(t, store, nil, Options{Now: func() time.Time { return now }}).Handler()
	do(h, "GET", "/feed.atom")
	store.set(true, entry("b", t0), entry("a", t0)) // a change, rendered at 01:00:00
	first := do(h, "GET", "/feed.atom").Header().Get("Last-Modified")
	now = t0.Add(time.Hour + 600*time.Millisecond)
	store.set(true, entry("c", t0), entry("b", t0), entry("a", t0)) // another, in the same second
	w := do(h, "GET", "/feed.atom", "If-Modified-Since", first)
	if w.Code != 200 || !strings.Contains(w.Body.String(), "c Title") {
		t.Fatalf("If-Modified-Since the first change's date: %d, want 200 with the second change", w.Code)
	}
	// The date never runs ahead of the clock (RFC 9110): the second
	// version shares the first's, and that date alone no longer earns
	// a 304 until the next change; the entity tag still does.
	second := w.Header().Get("Last-Modified")
	if second != first {
		t.Errorf("Last-Modified %q, want the second both changes fell in, %q", second, first)
	}
	if w := do(h, "GET", "/feed.atom", "If-Modified-Since", second); w.Code != 200 {
		t.Errorf("If-Modified-Since the shared second: %d, want 200", w.Code)
	}
	if w := do(h, "GET", "/feed.atom", "If-None-Match", w.Header().Get("ETag")); w.Code != 304 {
		t.Errorf("If-None-Match of the second version: %d, want 304", w.Code)
	}
	// The next change in a later second is dated alone again.
	now = t0.Add(time.Hour + 2*time.Second)
	store.set(true, entry("d", t0), entry("c", t0), entry("b", t0), entry("a", t0))
	third := do(h, "GET", "/feed.atom").Header().Get("Last-Modified")
	if w := do(h, "GET", "/feed.atom", "If-Modified-Since", third); w.Code != 304 {
		t.Errorf("If-Modified-Since after a change in a second of its own: %d, want 304", w.Code)
	}
}
