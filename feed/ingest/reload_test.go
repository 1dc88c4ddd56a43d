package ingest_test

import (
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/fetch"
	"github.com/tributary/tributary/feed/ingest"
)

// A reload that lowers the interval takes effect from the source's last
// fetch, not from the next fetch the old interval scheduled: the daemon's
// Due rounds fetch it then, and a skipped source reports the time it falls
// due now, which the daemon sleeps until.
func TestLoweredIntervalTakesEffectAfterReload(t *testing.T) {
	var hits atomic.Int32
	h := func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		serve(rss, simpleFeed("daily", 1))(w, r)
	}
	env := newRoundEnv(t, http.HandlerFunc(h), fetch.Options{}, ingest.Options{Interval: 24 * time.Hour})
	src := env.source("daily", "/feed")
	last := env.clk.Now()
	if r := env.round(ingest.Due, src).Sources[0]; r.Outcome != feed.Fetched || !r.NextFetch.Equal(last.Add(24*time.Hour)) {
		t.Fatalf("first round: %s %q next %s", r.Outcome, r.Error, r.NextFetch)
	}

	// The reload: an Ingester of the new config over the same store.
	env.in = ingest.New(env.db, newHostileFetcher(t, fetch.Options{}),
		ingest.Options{Interval: time.Minute, Now: env.clk.Now, Jitter: func() float64 { return 0 }})
	tests := []struct {
		name    string
		at      time.Duration // after the first fetch
		outcome feed.Outcome
		hits    int32
	}{
		{name: "before the new interval", at: 30 * time.Second, outcome: feed.Skipped, hits: 1},
		{name: "once the new interval is over", at: time.Minute, outcome: feed.Fetched, hits: 2},
	}
	for _, tc := range tests {
		env.clk.Set(last.Add(tc.at))
		r := env.round(ingest.Due, src).Sources[0]
		if r.Outcome != tc.outcome || hits.Load() != tc.hits {
			t.Errorf("%s: %s %q after %d requests; want %s after %d", tc.name, r.Outcome, r.Error, hits.Load(), tc.outcome, tc.hits)
		}
		if r.Outcome == feed.Skipped && !r.NextFetch.Equal(last.Add(time.Minute)) {
			t.Errorf("%s: skipped until %s, want %s", tc.name, r.NextFetch, last.Add(time.Minute))
		}
	}
}
