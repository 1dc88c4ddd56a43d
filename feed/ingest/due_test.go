package ingest

import (
	"testing"
	"time"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/fetch"
)

// A reload builds an Ingester with the intervals configured now, over states
// whose NextFetch the old ones computed: a shorter interval (or BackoffMax)
// brings a source forward at once, a longer one waits for the next fetch,
// and a backoff stands whatever the interval.
func TestDueFollowsConfiguredInterval(t *testing.T) {
	last := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	const url = "https://feeds.example/feed"
	// fetched is a source last fetched at last, with the next fetch
	// scheduled after a day (an interval of 24h when it was fetched).
	fetched := feed.SourceState{SourceID: "s", ConfiguredURL: url, URL: url,
		LastAttempt: last, LastSuccess: last, NextFetch: last.Add(24 * time.Hour)}
	// failing is a source backing off until a day after its last attempt.
	failing := feed.SourceState{SourceID: "s", ConfiguredURL: url, URL: url,
		LastAttempt: last, LastSuccess: last.Add(-48 * time.Hour), NextFetch: last.Add(24 * time.Hour),
		Failures: 7, LastStatus: 500, LastError: "GET " + url + ": 500 Internal Server Error"}
	with := func(st feed.SourceState, f func(*feed.SourceState)) feed.SourceState { f(&st); return st }

	tests := []struct {
		name       string
		st         feed.SourceState
		interval   time.Duration // Options.Interval; 0 for the default
		srcEvery   time.Duration // the source's own interval
		backoffMax time.Duration // 0 for the default (24h)
		at         time.Duration // the round's time, after last
		mode       Mode          // Due unless set
		wantSkip   bool
		wantDue    time.Duration // after last; -1 for zero
	}{
		{name: "interval lowered to 1m: due 1m after the last fetch",
			st: fetched, interval: time.Minute, at: time.Minute, wantDue: time.Minute},
		{name: "interval lowered to 1m: not before",
			st: fetched, interval: time.Minute, at: time.Minute - time.Second, wantSkip: true, wantDue: time.Minute},
		{name: "the source's own interval lowered",
			st: fetched, interval: 24 * time.Hour, srcEvery: 5 * time.Minute, at: 5 * time.Minute, wantDue: 5 * time.Minute},
		{name: "unchanged interval: the stored time",
			st: fetched, interval: 24 * time.Hour, at: 23 * time.Hour, wantSkip: true, wantDue: 24 * time.Hour},
		{name: "raised interval: the stored time until the next fetch",
			st: fetched, interval: 48 * time.Hour, at: 24 * time.Hour, wantDue: 24 * time.Hour},
		{name: "raised interval: not before the stored time",
			st: fetched, interval: 48 * time.Hour, at: 24*time.Hour - time.Second, wantSkip: true, wantDue: 24 * time.Hour},
		{name: "state from before LastSuccess was kept: counted from the last attempt",
			st: with(fetched, func(s *feed.SourceState) { s.LastSuccess = time.Time{} }), interval: time.Minute,
			at: time.Minute, wantDue: time.Minute},
		{name: "backing off: a shorter interval does not bring it forward",
			st: failing, interval: time.Minute, at: time.Hour, wantSkip: true, wantDue: 24 * time.Hour},
		{name: "backing off, All round: skipped as well",
			st: failing, interval: time.Minute, at: time.Hour, mode: All, wantSkip: true, wantDue: 24 * time.Hour},
		{name: "backing off: due at its NextFetch",
			st: failing, interval: time.Minute, at: 24 * time.Hour, wantDue: 24 * time.Hour},
		{name: "backoff_max lowered: due backoff_max after the last attempt",
			st: failing, interval: time.Minute, backoffMax: 2 * time.Hour, at: 2 * time.Hour, wantDue: 2 * time.Hour},
		{name: "backoff_max lowered: not before",
			st: failing, interval: time.Minute, backoffMax: 2 * time.Hour, at: 2*time.Hour - time.Second,
			wantSkip: true, wantDue: 2 * time.Hour},
		// A weekly source under the default backoff_max of a day: its
		// backoff is capped at its interval, not at the day.
		{name: "a source's interval above backoff_max caps its backoff",
			st:       with(failing, func(s *feed.SourceState) { s.NextFetch = last.Add(72 * time.Hour) }),
			srcEvery: 7 * 24 * time.Hour, at: 25 * time.Hour, wantSkip: true, wantDue: 72 * time.Hour},
		// A 429 or 503 may have asked for that day (Retry-After).
		{name: "Retry-After of a 429 stands over a lower backoff_max",
			st: with(failing, func(s *feed.SourceState) { s.LastStatus = 429 }), interval: time.Minute,
			backoffMax: 2 * time.Hour, at: 2 * time.Hour, wantSkip: true, wantDue: 24 * time.Hour},
		{name: "Retry-After of a 503 capped as fetch caps it",
			st:       with(failing, func(s *feed.SourceState) { s.LastStatus = 503; s.NextFetch = last.Add(3 * fetch.MaxRetryAfter) }),
			interval: time.Minute, backoffMax: 2 * time.Hour, at: fetch.MaxRetryAfter, wantDue: fetch.MaxRetryAfter},
		{name: "Force fetches a source backing off",
			st: failing, interval: time.Minute, at: time.Minute, mode: Force, wantDue: 24 * time.Hour},
		{name: "never fetched: due",
			st: feed.SourceState{SourceID: "s"}, interval: time.Minute, wantDue: -1},
		{name: "another URL configured: a new subscription, due",
			st:       with(fetched, func(s *feed.SourceState) { s.ConfiguredURL = "https://old.example/feed" }),
			interval: time.Hour, at: time.Minute, wantDue: time.Hour},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			now := last.Add(tc.at)
			in := New(nil, nil, Options{Interval: tc.interval, BackoffMax: tc.backoffMax,
				Now: func() time.Time { return now }})
			src := feed.Source{ID: "s", Name: "s", URL: url, Interval: tc.srcEvery}
			want := last.Add(tc.wantDue)
			if tc.wantDue < 0 {
				want = time.Time{}
			}
			if got := in.Due(tc.st, src); !got.Equal(want) {
				t.Errorf("due %s, want %s", got, want)
			}
			if skip, why := in.skip(tc.st, src, tc.mode); skip != tc.wantSkip {
				t.Errorf("skip = %v (%q) at %s, want %v", skip, why, tc.at, tc.wantSkip)
			}
		})
	}
}

// A failing source is never asked more often than a healthy one: its
// backoff stops at BackoffMax or at its own interval, the longer.
func TestBackoffMaxFollowsLongIntervals(t *testing.T) {
	in := New(nil, nil, Options{Interval: time.Hour, BackoffMax: 24 * time.Hour})
	for _, tc := range []struct{ every, want time.Duration }{
		{0, 24 * time.Hour}, {time.Hour, 24 * time.Hour}, {7 * 24 * time.Hour, 7 * 24 * time.Hour},
	} {
		if got := in.backoffMax(feed.Source{ID: "s", Interval: tc.every}); got != tc.want {
			t.Errorf("interval %s: backoff capped at %s, want %s", tc.every, got, tc.want)
		}
	}
}
