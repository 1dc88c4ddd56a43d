package metrics

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tributary/tributary/feed"
)

type fakeStore struct {
	count  int
	states []feed.SourceState
}

func (s fakeStore) Count(context.Context) (int, error)                  { return s.count, nil }
func (s fakeStore) Sources(context.Context) ([]feed.SourceState, error) { return s.states, nil }

func TestPipelineGolden(t *testing.T) {
	t0 := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	store := fakeStore{count: 42, states: []feed.SourceState{
		{SourceID: "harbor-light", LastAttempt: t0, LastSuccess: t0, NextFetch: t0.Add(15 * time.Minute), Items: 12},
		{SourceID: "broken", LastAttempt: t0, NextFetch: t0.Add(time.Hour), Failures: 3, LastError: "500"},
		// Removed from the config: not reported.
		{SourceID: "removed", LastAttempt: t0, LastSuccess: t0},
	}}
	configured := []feed.Source{
		{ID: "harbor-light", Name: "Harbor Light", URL: "https://harborlight.example/feed/"},
		{ID: "broken", Name: "Broken \"Blog\"", URL: "https://broken.example/rss"},
		{ID: "new-one", Name: "New One", URL: "https://new.example/atom"}, // never fetched
	}
	r := NewRegistry()
	p := NewPipeline(r, store, func() []feed.Source { return configured })
	p.ObserveRound(feed.RoundReport{Duration: 1500 * time.Millisecond, Sources: []feed.SourceReport{
		{SourceID: "harbor-light", Outcome: feed.Fetched, Status: 200, Items: 12, New: 10, Updated: 1, Merged: 2,
			Bytes: 40960, Duration: 300 * time.Millisecond},
		{SourceID: "broken", Outcome: feed.Failed, Status: 500, Error: "500", Bytes: 120, Duration: 80 * time.Millisecond},
		{SourceID: "new-one", Outcome: feed.Skipped}, // not due: not counted
	}})
	p.ObserveRound(feed.RoundReport{Duration: 200 * time.Millisecond, Sources: []feed.SourceReport{
		{SourceID: "harbor-light", Outcome: feed.NotModified, Status: 304, Bytes: 300, Duration: 40 * time.Millisecond},
		{SourceID: "broken", Outcome: feed.Skipped, Error: "backing off after 1 failures"},
	}})
	p.ObserveMerges(map[string]int{"link": 1, "text": 1, "guid": 0})
	golden(t, "pipeline.golden", text(t, r))
}

// countingStore counts how often the states are read.
type countingStore struct {
	fakeStore
	reads *int
}

func (s countingStore) Sources(ctx context.Context) ([]feed.SourceState, error) {
	*s.reads++
	return s.fakeStore.Sources(ctx)
}

// TestScrapeReadsStatesOnce: the per-source gauges of one scrape share one
// read of the states, which with thousands of sources is most of a scrape.
func TestScrapeReadsStatesOnce(t *testing.T) {
	reads := 0
	store := countingStore{fakeStore{states: []feed.SourceState{{SourceID: "a", LastAttempt: time.Unix(1e9, 0)}}}, &reads}
	r := NewRegistry()
	NewPipeline(r, store, func() []feed.Source { return []feed.Source{{ID: "a"}} })
	var out strings.Builder
	if err := r.WriteText(context.Background(), &out); err != nil {
		t.Fatal(err)
	}
	if reads != 1 || !strings.Contains(out.String(), `tributary_source_last_attempt_timestamp_seconds{source="a"} 1000000000`) {
		t.Errorf("%d reads of the states for one scrape, want 1; output:\n%s", reads, out.String())
	}
}
