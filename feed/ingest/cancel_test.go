package ingest_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/fetch"
	"github.com/tributary/tributary/feed/ingest"
)

// A round stopped while a source is still answering (the daemon shutting
// down, fetch interrupted): that source is not counted as failing, so it
// neither backs off nor reports a failure next time, and the sources
// fetched before the stop keep their states.
func TestStoppedRoundBlamesNoSource(t *testing.T) {
	arrived := make(chan struct{})
	mux := http.NewServeMux()
	mux.Handle("/quick", serve(rss, simpleFeed("quick", 2)))
	mux.HandleFunc("/stall", func(w http.ResponseWriter, r *http.Request) {
		close(arrived)
		<-r.Context().Done() // until the round gives up on it
	})
	env := newRoundEnv(t, mux, fetch.Options{}, ingest.Options{})
	quick, stall := env.source("quick", "/quick"), env.source("stall", "/stall")

	ctx, stop := context.WithCancel(context.Background())
	go func() {
		<-arrived
		stop()
	}()
	// One at a time, quick first: it is stored before the stall begins.
	// With retention set, as a stopped round must not fail on pruning.
	rep, err := env.in.Round(ctx, []feed.Source{quick, stall}, ingest.All,
		ingest.Politeness{Concurrency: 1, Retention: ingest.Retention{MaxEntries: 1000}})
	if err != nil {
		t.Fatalf("round: %v", err)
	}
	if rep.Sources[0].Outcome != feed.Fetched || rep.Sources[1].Outcome != feed.Failed {
		t.Fatalf("outcomes %q, %q; want fetched, then failed (not fetched)", rep.Sources[0].Outcome, rep.Sources[1].Outcome)
	}
	states, err := env.db.Sources(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]feed.SourceState{}
	for _, st := range states {
		byID[st.SourceID] = st
	}
	if st, ok := byID["quick"]; !ok || st.LastSuccess.IsZero() {
		t.Errorf("quick source's state %+v: want its success stored", st)
	}
	if st, ok := byID["stall"]; ok && (st.Failures != 0 || !st.NextFetch.IsZero()) {
		t.Errorf("stalled source's state %+v: want no failure and no backoff", st)
	}
}
