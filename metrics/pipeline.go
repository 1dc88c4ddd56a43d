package metrics

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/tributary/tributary/feed"
)

// Store is what the pipeline's scrape-time gauges read: the number of
// stored entries and every source's remembered state (*storage.DB).
type Store interface {
	Count(ctx context.Context) (int, error)
	Sources(ctx context.Context) ([]feed.SourceState, error)
}

// Pipeline records what fetch rounds did and exposes the store's view of
// each source. Its families are listed in docs/metrics.md.
type Pipeline struct {
	fetches  *Counter
	duration *Histogram
	bytes    *Counter
	created  *Counter
	updated  *Counter
	merged   *Counter
	rules    *Counter
	rounds   *Histogram
	renders  *Histogram
}

// fetchBuckets span a local file (milliseconds) to a slow upstream at the
// default 30 s fetch timeout.
var fetchBuckets = []float64{0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60}

// roundBuckets span a round of a few local files to one of many slow hosts.
var roundBuckets = []float64{0.1, 0.5, 1, 5, 15, 60, 300, 900}

// renderBuckets span a small feed (a millisecond) to a page of large
// entries gzipped at level 6 on a busy machine.
var renderBuckets = []float64{0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1}

// NewPipeline registers the tributary_* pipeline families in r. configured
// returns the sources of the config in effect (it may change on reload);
// the per-source gauges read from store cover exactly those, so a source
// removed from the config stops being reported.
func NewPipeline(r *Registry, store Store, configured func() []feed.Source) *Pipeline {
	p := &Pipeline{
		fetches: r.Counter("tributary_source_fetches_total",
			"Fetch attempts of each source, by outcome: fetched, not-modified (HTTP 304 or an unchanged file), failed, skipped (backing off).",
			"source", "outcome"),
		duration: r.Histogram("tributary_source_fetch_duration_seconds",
			"Time to fetch, parse and store a source (skipped sources excluded).", fetchBuckets, "source"),
		bytes: r.Counter("tributary_source_fetch_bytes_total",
			"Bytes received from each source, headers and compression included.", "source"),
		created: r.Counter("tributary_source_entries_created_total",
			"Entries created from each source's items.", "source"),
		updated: r.Counter("tributary_source_entries_updated_total",
			"Entries whose republished fields changed when one of the source's items was fetched again.", "source"),
		merged: r.Counter("tributary_source_copies_merged_total",
			"Items of each source merged into an existing entry as another copy (duplicates found).", "source"),
		rules: r.Counter("tributary_merges_total",
			"Copies merged into an existing entry, by the identify rule that matched them (guid, id, link, text, near, edited, excerpt, item).",
			"rule"),
		rounds: r.Histogram("tributary_round_duration_seconds",
			"Duration of fetch rounds (scheduled and triggered).", roundBuckets),
		renders: r.Histogram("tributary_render_duration_seconds",
			"Time to render and compress a served document after a change, by kind: feed or opml.", renderBuckets, "document"),
	}
	r.GaugeFunc("tributary_entries", "Entries in the store.", nil,
		func(ctx context.Context) ([]Sample, error) {
			n, err := store.Count(ctx)
			if err != nil {
				return nil, err
			}
			return []Sample{{Value: float64(n)}}, nil
		})
	r.GaugeFunc("tributary_source_info", "Configured sources: id, name and URL (value 1).",
		[]string{"source", "name", "url"},
		func(context.Context) ([]Sample, error) {
			var out []Sample
			for _, s := range configured() {
				// Scrapes are stored and shown on dashboards: the URL
				// shows no password, as in the logs.
				out = append(out, Sample{Labels: []string{s.ID, s.Name, feed.RedactedURL(s.URL)}, Value: 1})
			}
			return out, nil
		})
	read := &stateReader{store: store}
	stateGauge := func(name, help string, value func(sourceGauges) (float64, bool)) {
		r.GaugeFunc(name, help, []string{"source"}, func(ctx context.Context) ([]Sample, error) {
			return sourceSamples(ctx, read, configured(), value)
		})
	}
	stateGauge("tributary_source_last_success_timestamp_seconds",
		"Unix time of each source's last successful fetch (200 or 304); absent before the first.",
		func(s sourceGauges) (float64, bool) { return unix(s.lastSuccess) })
	stateGauge("tributary_source_last_attempt_timestamp_seconds",
		"Unix time of each source's last fetch attempt.",
		func(s sourceGauges) (float64, bool) { return unix(s.lastAttempt) })
	stateGauge("tributary_source_next_fetch_timestamp_seconds",
		"Unix time each source is due again (after backoff when failing).",
		func(s sourceGauges) (float64, bool) { return unix(s.nextFetch) })
	stateGauge("tributary_source_consecutive_failures",
		"Failed fetches of each source in a row; 0 when the last one succeeded.",
		func(s sourceGauges) (float64, bool) { return float64(s.failures), !s.lastAttempt.IsZero() })
	stateGauge("tributary_source_items",
		"Items in each source's last successfully fetched feed.",
		func(s sourceGauges) (float64, bool) { return float64(s.items), !s.lastSuccess.IsZero() })
	return p
}

// stateReader reads every source's state for the per-source gauges. The
// gauges of one scrape run one after another and share one read: with
// ten thousand sources each read decodes ten thousand states. A read is
// made again once the last is stateFresh old, so every scrape reads anew.
// Only what the gauges show is kept between scrapes, not the states.
type stateReader struct {
	store   Store
	mu      sync.Mutex
	at      time.Time
	sources []sourceGauges
}

// sourceGauges is what the gauges show of a source's state.
type sourceGauges struct {
	id                                  string
	lastSuccess, lastAttempt, nextFetch time.Time
	failures, items                     int
}

const stateFresh = time.Second

func (r *stateReader) read(ctx context.Context) ([]sourceGauges, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.sources != nil && time.Since(r.at) < stateFresh {
		return r.sources, nil
	}
	states, err := r.store.Sources(ctx)
	if err != nil {
		return nil, fmt.Errorf("read source states: %w", err)
	}
	sources := make([]sourceGauges, len(states))
	for i, st := range states {
		sources[i] = sourceGauges{id: st.SourceID, lastSuccess: st.LastSuccess, lastAttempt: st.LastAttempt,
			nextFetch: st.NextFetch, failures: st.Failures, items: st.Items}
	}
	r.sources, r.at = sources, time.Now()
	return sources, nil
}

// sourceSamples reads every stored state and keeps the configured ones.
func sourceSamples(ctx context.Context, r *stateReader, configured []feed.Source, value func(sourceGauges) (float64, bool)) ([]Sample, error) {
	sources, err := r.read(ctx)
	if err != nil {
		return nil, err
	}
	want := make(map[string]bool, len(configured))
	for _, s := range configured {
		want[s.ID] = true
	}
	var out []Sample
	for _, st := range sources {
		if !want[st.id] {
			continue
		}
		if v, ok := value(st); ok {
			out = append(out, Sample{Labels: []string{st.id}, Value: v})
		}
	}
	return out, nil
}

func unix(t time.Time) (float64, bool) {
	if t.IsZero() {
		return 0, false
	}
	return float64(t.UnixNano()) / 1e9, true
}

// ObserveRender records one document rendered (the server's
// Options.Rendered): kind is "feed" or "opml".
func (p *Pipeline) ObserveRender(kind string, took time.Duration) {
	p.renders.Observe(took.Seconds(), kind)
}

// ObserveRound records a fetch round's report.
func (p *Pipeline) ObserveRound(rep feed.RoundReport) {
	p.rounds.Observe(rep.Duration.Seconds())
	for _, s := range rep.Sources {
		id := s.SourceID
		if s.Outcome == feed.Skipped {
			// A source that is merely not due is skipped at every wake-up
			// of the scheduler: only backing off is worth counting.
			if s.Error != "" {
				p.fetches.Inc(id, string(s.Outcome))
			}
			continue
		}
		p.fetches.Inc(id, string(s.Outcome))
		p.duration.Observe(s.Duration.Seconds(), id)
		p.bytes.Add(float64(max(s.Bytes, 0)), id)
		p.created.Add(float64(s.New), id)
		p.updated.Add(float64(s.Updated), id)
		p.merged.Add(float64(s.Merged), id)
		p.ObserveMerges(s.MergedBy)
	}
}

// ObserveMerges records copies merged into existing entries, counted by the
// identify rule that matched each.
func (p *Pipeline) ObserveMerges(byRule map[string]int) {
	for rule, n := range byRule {
		if n > 0 {
			p.rules.Add(float64(n), rule)
		}
	}
}
