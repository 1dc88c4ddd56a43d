package normalise_test

import (
	"testing"
	"time"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/normalise"
	"github.com/tributary/tributary/feed/parse"
	"github.com/tributary/tributary/feed/sanitize"
	"github.com/tributary/tributary/scripts/benchdata"
)

// BenchmarkFeedSanitised is the normalise and sanitise steps of the ingest
// pipeline for one WordPress-like feed of 50 items with about 3 KB of HTML
// each (feed/ingest's BenchmarkIngest runs them with the other steps).
func BenchmarkFeedSanitised(b *testing.B) {
	f, err := parse.New().Parse(benchdata.Feed(1, 50, 3000), "application/rss+xml")
	if err != nil {
		b.Fatal(err)
	}
	p := sanitize.New()
	opts := normalise.Options{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Sanitize: p.HTML}
	b.ReportAllocs()
	for b.Loop() {
		_, arts := normalise.Feed(f, feed.Source{ID: "bench"}, "https://blog1.example/feed/", opts)
		if len(arts) != 50 {
			b.Fatalf("%d articles", len(arts))
		}
	}
	b.ReportMetric(float64(50*b.N)/b.Elapsed().Seconds(), "items/s")
}

// BenchmarkDigest is what recognising an item fetched again unchanged
// costs (Fetched.Digest), against the items/s of BenchmarkFeedSanitised
// for making an Article of it.
func BenchmarkDigest(b *testing.B) {
	f, err := parse.New().Parse(benchdata.Feed(1, 50, 3000), "application/rss+xml")
	if err != nil {
		b.Fatal(err)
	}
	p := normalise.Prepare(f, feed.Source{ID: "bench"}, "https://blog1.example/feed/", normalise.Options{})
	b.ReportAllocs()
	for b.Loop() {
		for i := range p.Len() {
			p.Digest(i)
		}
	}
	b.ReportMetric(float64(p.Len()*b.N)/b.Elapsed().Seconds(), "items/s")
}
