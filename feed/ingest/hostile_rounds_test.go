package ingest_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/fetch"
	"github.com/tributary/tributary/feed/ingest"
)

// Behaviours of hostile upstreams that show over several rounds.

// A permanent redirect moves a source only once it answered the configured
// URL several rounds in a row; a temporary one never does.
func TestPermanentRedirectMovesAfterConfirmations(t *testing.T) {
	tests := []struct {
		name string
		// codes is how the old URL answers in each round: a redirect to the
		// new URL with that status, or 200 with the feed itself.
		codes    []int
		moved    bool
		wantSeen int // RedirectSeen after the last round
	}{
		{name: "301 three times moves", codes: []int{301, 301, 301}, moved: true},
		{name: "308 three times moves", codes: []int{308, 308, 308}, moved: true},
		{name: "301 twice is pending", codes: []int{301, 301}, wantSeen: 2},
		{name: "302 never moves", codes: []int{302, 302, 302, 302, 302}},
		{name: "307 never moves", codes: []int{307, 307, 307, 307, 307}},
		{name: "a 200 restarts the count", codes: []int{301, 301, 200, 301, 301}, wantSeen: 2},
		{name: "a 302 restarts the count", codes: []int{301, 301, 302, 301}, wantSeen: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var mu sync.Mutex
			round, oldHits := 0, 0
			mux := http.NewServeMux()
			mux.HandleFunc("/old/", func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				oldHits++
				code := 200
				if round < len(tc.codes) {
					code = tc.codes[round]
				}
				mu.Unlock()
				if code == 200 {
					serve(rss, simpleFeed("moving", 2))(w, r)
					return
				}
				http.Redirect(w, r, "/new/", code)
			})
			mux.HandleFunc("/new/", serve(rss, simpleFeed("moving", 2)))
			env := newRoundEnv(t, mux, fetch.Options{}, ingest.Options{})
			src := env.source("moving", "/old/")
			newURL := strings.TrimSuffix(src.URL, "/old/") + "/new/"

			for i := range tc.codes {
				mu.Lock()
				round = i
				mu.Unlock()
				rep := env.round(ingest.Force, src)
				if r := rep.Sources[0]; r.Outcome != feed.Fetched {
					t.Fatalf("round %d: %s %q", i+1, r.Outcome, r.Error)
				}
			}
			st := env.state("moving")
			wantURL := src.URL
			if tc.moved {
				wantURL = newURL
			}
			if st.URL != wantURL || st.RedirectSeen != tc.wantSeen {
				t.Fatalf("URL %s (pending %q seen %d); want %s seen %d",
					st.URL, st.PendingRedirect, st.RedirectSeen, wantURL, tc.wantSeen)
			}
			if st.ConfiguredURL != src.URL {
				t.Errorf("configured URL became %s", st.ConfiguredURL)
			}
			if n := len(env.entries("moving")); n != 2 {
				t.Errorf("%d entries after %d rounds, want 2", n, len(tc.codes))
			}
			// Once moved, the old URL is no longer asked.
			mu.Lock()
			round, before := len(tc.codes), oldHits
			mu.Unlock()
			env.round(ingest.Force, src)
			mu.Lock()
			asked := oldHits > before
			mu.Unlock()
			if asked == tc.moved {
				t.Errorf("after the move (%v) the old URL was asked: %v", tc.moved, asked)
			}
		})
	}
}

// A failing source is backed off, doubling up to BackoffMax, reported as
// skipped with its last error while it waits, and fetched again once due.
// The healthy source beside it is fetched in every round.
func TestFailingSourceBacksOff(t *testing.T) {
	var failing atomic.Bool
	failing.Store(true)
	mux := http.NewServeMux()
	mux.HandleFunc("/failing/", func(w http.ResponseWriter, r *http.Request) {
		if failing.Load() {
			http.Error(w, "broken", http.StatusInternalServerError)
			return
		}
		serve(rss, simpleFeed("recovered", 1))(w, r)
	})
	mux.HandleFunc("/healthy/", serve(rss, simpleFeed("healthy", 1)))
	env := newRoundEnv(t, mux, fetch.Options{}, ingest.Options{Interval: time.Hour, BackoffMax: 2 * time.Hour})
	bad, good := env.source("failing", "/failing/"), env.source("healthy", "/healthy/")
	lastErr := "GET " + bad.URL + ": 500 Internal Server Error"

	// The base is a quarter of the interval.
	for i, wait := range []time.Duration{15 * time.Minute, 30 * time.Minute, time.Hour, 2 * time.Hour, 2 * time.Hour} {
		failures := i + 1
		now := env.clk.Now()
		rep := env.round(ingest.All, bad, good)
		r := rep.Sources[0]
		if r.Outcome != feed.Failed || r.Error != lastErr {
			t.Fatalf("attempt %d: %s %q, want failed with %q", failures, r.Outcome, r.Error, lastErr)
		}
		if got := r.NextFetch.Sub(now); got != wait {
			t.Errorf("attempt %d: next fetch in %s, want %s", failures, got, wait)
		}
		if h := rep.Sources[1]; h.Outcome != feed.Fetched {
			t.Errorf("attempt %d: healthy source %s %q", failures, h.Outcome, h.Error)
		}
		st := env.state("failing")
		if !st.Failing() || st.Failures != failures || st.LastError != lastErr || st.LastStatus != 500 {
			t.Errorf("attempt %d: state failing=%v failures=%d status=%d error %q",
				failures, st.Failing(), st.Failures, st.LastStatus, st.LastError)
		}

		// Until then, All and Due rounds skip it and say why.
		env.clk.Set(r.NextFetch.Add(-time.Second))
		noun := "failures"
		if failures == 1 {
			noun = "failure"
		}
		wantSkip := fmt.Sprintf("backing off after %d %s until %s; last error: %s",
			failures, noun, r.NextFetch.Format(time.RFC3339), lastErr)
		for _, mode := range []ingest.Mode{ingest.All, ingest.Due} {
			rep = env.round(mode, bad, good)
			if s := rep.Sources[0]; s.Outcome != feed.Skipped || s.Error != wantSkip || !s.NextFetch.Equal(r.NextFetch) {
				t.Errorf("attempt %d, mode %d: %s %q next %s; want skipped with %q",
					failures, mode, s.Outcome, s.Error, s.NextFetch, wantSkip)
			}
		}
		env.clk.Set(r.NextFetch)
	}

	// Force fetches it anyway; the failure counts.
	if r := env.round(ingest.Force, bad).Sources[0]; r.Outcome != feed.Failed {
		t.Errorf("forced: %s", r.Outcome)
	}
	if st := env.state("failing"); st.Failures != 6 {
		t.Errorf("failures %d after a forced attempt, want 6", st.Failures)
	}

	// Recovery resets the count and the schedule.
	failing.Store(false)
	now := env.clk.Now().Add(5 * time.Hour)
	env.clk.Set(now)
	r := env.round(ingest.All, bad).Sources[0]
	st := env.state("failing")
	if r.Outcome != feed.Fetched || st.Failing() || st.Failures != 0 || !st.NextFetch.Equal(now.Add(time.Hour)) {
		t.Errorf("recovered: %s, state failures=%d error %q next %s", r.Outcome, st.Failures, st.LastError, st.NextFetch)
	}
}

// Retry-After on 429 and 503 is honoured: the upstream is not asked again
// before the time it gave, even when the backoff alone would be shorter.
func TestRetryAfterHonoured(t *testing.T) {
	tests := []struct {
		name       string
		status     int
		retryAfter func(now time.Time) string // now is the wall clock
		// the wait from the round's time; min < max for an HTTP date,
		// which has whole seconds and is read against the wall clock.
		min, max time.Duration
	}{
		{name: "429 seconds", status: 429, retryAfter: func(time.Time) string { return "7200" },
			min: 2 * time.Hour, max: 2 * time.Hour},
		{name: "503 seconds", status: 503, retryAfter: func(time.Time) string { return "5400" },
			min: 90 * time.Minute, max: 90 * time.Minute},
		{name: "429 date", status: 429, retryAfter: func(now time.Time) string {
			return now.Add(3 * time.Hour).UTC().Format(http.TimeFormat)
		}, min: 3*time.Hour - 2*time.Second, max: 3 * time.Hour},
		{name: "shorter than the backoff", status: 429, retryAfter: func(time.Time) string { return "60" },
			min: 15 * time.Minute, max: 15 * time.Minute},
		{name: "capped at a day", status: 503, retryAfter: func(time.Time) string { return "99999999" },
			min: fetch.MaxRetryAfter, max: fetch.MaxRetryAfter},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var hits atomic.Int32
			h := func(w http.ResponseWriter, _ *http.Request) {
				hits.Add(1)
				w.Header().Set("Retry-After", tc.retryAfter(time.Now()))
				http.Error(w, "slow down", tc.status)
			}
			env := newRoundEnv(t, http.HandlerFunc(h), fetch.Options{}, ingest.Options{Interval: time.Hour})
			src := env.source("limited", "/feed")
			now := env.clk.Now()
			r := env.round(ingest.All, src).Sources[0]
			if r.Outcome != feed.Failed || r.Status != tc.status || !strings.Contains(r.Error, "(retry after ") {
				t.Fatalf("%s %d %q; want failed with its status and the pause asked for", r.Outcome, r.Status, r.Error)
			}
			if wait := r.NextFetch.Sub(now); wait < tc.min || wait > tc.max {
				t.Fatalf("next fetch in %s, want %s..%s", wait, tc.min, tc.max)
			}
			env.clk.Set(r.NextFetch.Add(-time.Second))
			if s := env.round(ingest.All, src).Sources[0]; s.Outcome != feed.Skipped || hits.Load() != 1 {
				t.Errorf("before the time given: %s after %d requests; want skipped after 1", s.Outcome, hits.Load())
			}
			env.clk.Set(r.NextFetch)
			if r := env.round(ingest.All, src).Sources[0]; r.Outcome != feed.Failed || hits.Load() != 2 {
				t.Errorf("at the time given: %s after %d requests; want asked again", r.Outcome, hits.Load())
			}
		})
	}
}

// Dates in the far future are clamped to the time of the fetch; missing,
// unparseable and pre-1990 dates make an undated item, dated when first seen.
func TestDatesClampedAndUndated(t *testing.T) {
	clk := newClock()
	now := clk.Now()
	rfc := func(t time.Time) string { return t.Format(time.RFC1123Z) }
	tests := []struct {
		title, pubDate string
		want           time.Time
		undated        bool
	}{
		{"Far future", "Tue, 01 Jan 2999 00:00:00 GMT", now, true},
		{"Three days ahead", rfc(now.Add(72 * time.Hour)), now, true},
		{"Tomorrow", rfc(now.Add(24 * time.Hour)), now.Add(24 * time.Hour), false},
		{"Yesterday", rfc(now.Add(-24 * time.Hour)), now.Add(-24 * time.Hour), false},
		{"Unparseable", "the day after yesterday", now, true},
		{"Epoch", "Thu, 01 Jan 1970 00:00:00 GMT", now, true},
		{"Missing", "", now, true},
	}
	var items []rssItem
	for i, tc := range tests {
		items = append(items, rssItem{GUID: fmt.Sprint(i), Title: tc.title, PubDate: tc.pubDate})
	}
	env := newRoundEnv(t, serve(rss, rssFeed("dates", items...)), fetch.Options{}, ingest.Options{})
	env.clk.Set(now)
	if r := env.round(ingest.All, env.source("dates", "/feed")).Sources[0]; r.Outcome != feed.Fetched {
		t.Fatalf("%s %q", r.Outcome, r.Error)
	}
	byTitle := map[string]*feed.Entry{}
	for _, e := range env.entries("dates") {
		byTitle[e.Title] = e
	}
	for _, tc := range tests {
		e := byTitle[tc.title]
		if e == nil {
			t.Errorf("%s: not stored", tc.title)
			continue
		}
		published := e.Published
		if tc.undated {
			// Undated items are a nanosecond apart per place in the feed.
			published = published.Round(time.Second)
		}
		if !published.Equal(tc.want) || e.Copies[0].Undated != tc.undated {
			t.Errorf("%s (%q): published %s undated %v, want %s undated %v",
				tc.title, tc.pubDate, e.Published, e.Copies[0].Undated, tc.want, tc.undated)
		}
	}
}

// A feed of 10,000 items gives the first MaxItems, in feed order.
func TestHugeFeedCappedByMaxItems(t *testing.T) {
	const total, max = 10_000, 200
	var b strings.Builder
	b.WriteString(`<rss version="2.0"><channel><title>huge</title>`)
	for i := range total {
		fmt.Fprintf(&b, "<item><guid>%d</guid><title>huge post %d</title></item>\n", i, i)
	}
	b.WriteString(`</channel></rss>`)
	body := b.String()
	env := newRoundEnv(t, serve(rss, body), fetch.Options{MaxBody: 8 << 20}, ingest.Options{MaxItems: max})
	r := env.round(ingest.All, env.source("huge", "/feed")).Sources[0]
	if r.Outcome != feed.Fetched || r.Items != max || r.New != max {
		t.Fatalf("%s %q: %d items, %d new; want %d of each", r.Outcome, r.Error, r.Items, r.New, max)
	}
	entries := env.entries("huge")
	if len(entries) != max {
		t.Fatalf("%d entries stored, want %d", len(entries), max)
	}
	for _, e := range entries {
		var n int
		if _, err := fmt.Sscanf(e.Title, "huge post %d", &n); err != nil || n >= max {
			t.Errorf("stored %q, not one of the first %d items", e.Title, max)
		}
	}
}

// Items repeating one GUID within a feed: a GUID that names several links
// names no one post (a feed giving every item its home page as the GUID
// lost each post to the next), so those items are told apart by their
// links, and an item repeating both GUID and link is one entry. The first
// listing is the one stored, and the entries stay as they are at the next
// fetch: an entry used to take each listing's text in turn, at every fetch.
func TestDuplicateGUIDsInOneFeed(t *testing.T) {
	body := rssFeed("dups",
		rssItem{GUID: "same", Link: "https://dups.example/a", Title: "First"},
		rssItem{GUID: "same", Link: "https://dups.example/b", Title: "Second"},
		rssItem{GUID: "other", Link: "https://dups.example/c", Title: "Other"},
		rssItem{GUID: "same", Link: "https://dups.example/a", Title: "Third"},
	)
	// Every fetch processes every item (no item is skipped as known), so
	// that the second shows whether the listings still take turns.
	env := newRoundEnv(t, serve(rss, body), fetch.Options{}, ingest.Options{FullPass: time.Nanosecond})
	src := env.source("dups", "/feed")
	for round := 1; round <= 2; round++ {
		r := env.round(ingest.Force, src).Sources[0]
		if r.Outcome != feed.Fetched || r.Items != 4 {
			t.Fatalf("round %d: %s %q, %d items", round, r.Outcome, r.Error, r.Items)
		}
		if round == 1 && r.New != 3 {
			t.Errorf("round 1: %d new entries, want 3", r.New)
		}
		if round == 2 && r.New+r.Merged+r.Updated != 0 {
			t.Errorf("round 2: %d new, %d merged, %d updated; want nothing changed", r.New, r.Merged, r.Updated)
		}
		entries := env.entries("dups")
		if got := titles(entries); len(got) != 3 || !slices.Contains(got, "First") || !slices.Contains(got, "Second") || !slices.Contains(got, "Other") {
			t.Fatalf("round %d: entries %q, want First, Second and Other", round, got)
		}
		for _, e := range entries {
			if len(e.Copies) != 1 {
				t.Errorf("round %d: entry %q has %d copies, want 1", round, e.Title, len(e.Copies))
			}
		}
	}
}

// Items with neither link nor GUID are known by their title and text within
// their source: fetched again, in another order, they are the same entries.
func TestItemsWithoutLinkOrGUIDKeepIdentity(t *testing.T) {
	a := rssItem{Title: "Weekly notes", Description: "Notes about the harbour wall and the tides."}
	b := rssItem{Title: "Weekly notes", Description: "Notes about the lighthouse keeper's log."}
	c := rssItem{Title: "A short one"}
	d := rssItem{Description: "An untitled thought about rain."}
	var mu sync.Mutex
	body := rssFeed("anon", a, b, c, d)
	h := func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		serve(rss, body)(w, r)
	}
	env := newRoundEnv(t, http.HandlerFunc(h), fetch.Options{}, ingest.Options{})
	src := env.source("anon", "/feed")
	rounds := []struct {
		items   []rssItem
		wantNew int
		total   int
	}{
		{[]rssItem{a, b, c, d}, 4, 4},
		{[]rssItem{a, b, c, d}, 0, 4},
		{[]rssItem{d, c, b, a}, 0, 4},
		{[]rssItem{{Title: "New arrival", Description: "Fresh."}, b, a, d, c}, 1, 5},
	}
	for i, rd := range rounds {
		mu.Lock()
		body = rssFeed("anon", rd.items...)
		mu.Unlock()
		r := env.round(ingest.Force, src).Sources[0]
		if r.Outcome != feed.Fetched || r.New != rd.wantNew || r.Merged != 0 {
			t.Errorf("round %d: %s %q, %d new, %d merged; want %d new", i+1, r.Outcome, r.Error, r.New, r.Merged, rd.wantNew)
		}
		if n := len(env.entries("anon")); n != rd.total {
			t.Errorf("round %d: %d entries, want %d", i+1, n, rd.total)
		}
	}
}

// A moved source's URL is the upstream's choice, not the operator's: it has
// the configured URL's trust, not its own host's, so an upstream that
// moves its feed to a name of its own and then points that name at a
// private address (DNS rebinding) gets nothing fetched from there, while a
// source configured on the intranet keeps working where it moves.
func TestMovedSourceKeepsAddressPolicy(t *testing.T) {
	tests := []struct {
		name       string
		configured func(port string) string
		movedTo    func(port string) string
		wantErr    string // of the round after the name turned private; "" for fetched
	}{
		{"moved to another host, rebound", func(p string) string { return "http://moving.test:" + p + "/old/" },
			func(p string) string { return "http://rebind.test:" + p + "/new/" }, "refusing to connect to rebind.test (10.0.0.7): private address"},
		{"moved on a loopback host", func(p string) string { return "http://127.0.0.1:" + p + "/old/" },
			func(p string) string { return "http://127.0.0.1:" + p + "/new/" }, ""},
		// A source configured on loopback or the intranet is the
		// operator's: where it moves has its trust (review: one moved
		// from 127.0.0.1 to localhost was refused for good).
		{"moved off a loopback host to a private name", func(p string) string { return "http://127.0.0.1:" + p + "/old/" },
			func(p string) string { return "http://rebind.test:" + p + "/new/" }, ""},
		{"moved from loopback to localhost", func(p string) string { return "http://127.0.0.1:" + p + "/old/" },
			func(p string) string { return "http://localhost:" + p + "/new/" }, ""},
		{"moved from the intranet to another intranet name", func(p string) string { return "http://intranet.test:" + p + "/old/" },
			func(p string) string { return "http://rebind.test:" + p + "/new/" }, ""},
		// Retiring the old name is how such a move ends (review of
		// a505090: the moved source then failed for good).
		{"moved from the intranet, the old name gone", func(p string) string { return "http://intranet.test:" + p + "/old/" },
			func(p string) string { return "http://rebind.test:" + p + "/new/" }, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var rebound atomic.Bool
			var port string
			mux := http.NewServeMux()
			mux.HandleFunc("/old/", func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, tc.movedTo(port), http.StatusMovedPermanently)
			})
			var newHits atomic.Int32
			mux.HandleFunc("/new/", func(w http.ResponseWriter, r *http.Request) {
				newHits.Add(1)
				serve(rss, simpleFeed("moving", 2))(w, r)
			})
			srv := httptest.NewServer(mux)
			t.Cleanup(srv.Close)
			port = portOf(t, srv.URL)
			lookup := func(ctx context.Context, host string) ([]netip.Addr, error) {
				if strings.EqualFold(host, "rebind.test") && rebound.Load() {
					return []netip.Addr{netip.MustParseAddr("10.0.0.7")}, nil
				}
				if strings.EqualFold(host, "intranet.test") && rebound.Load() && strings.Contains(tc.name, "old name gone") {
					return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
				}
				return hostileLookup(ctx, host)
			}
			f := fetch.New(fetch.Options{Timeout: hostileTimeout, MaxBody: hostileMaxBody, LookupNetIP: lookup, DialContext: hostileDial})
			t.Cleanup(f.CloseIdleConnections)
			env := &roundEnv{t: t, db: openHostileStore(t), clk: newClock(), port: port}
			env.in = ingest.New(env.db, f, ingest.Options{Now: env.clk.Now, Jitter: func() float64 { return 0 }})
			src := feed.Source{ID: "moving", Name: "moving", URL: tc.configured(port)}
			for i := range 3 {
				if r := env.round(ingest.Force, src).Sources[0]; r.Outcome != feed.Fetched {
					t.Fatalf("round %d: %s %q", i+1, r.Outcome, r.Error)
				}
			}
			if st := env.state("moving"); st.URL != tc.movedTo(port) {
				t.Fatalf("not moved: URL %s", st.URL)
			}
			rebound.Store(true)
			// A kept-alive connection goes to the address the name had
			// when it was made (here every dial is 127.0.0.1): a new one.
			f.CloseIdleConnections()
			before := newHits.Load()
			r := env.round(ingest.Force, src).Sources[0]
			switch {
			case tc.wantErr == "" && r.Outcome != feed.Fetched:
				t.Errorf("after the move: %s %q, want fetched", r.Outcome, r.Error)
			case tc.wantErr != "" && (r.Outcome != feed.Failed || !strings.Contains(r.Error, tc.wantErr)):
				t.Errorf("after the name turned private: %s %q, want failed with %q", r.Outcome, r.Error, tc.wantErr)
			case tc.wantErr != "" && newHits.Load() != before:
				t.Error("the moved URL was fetched at its private address")
			}
		})
	}
}
