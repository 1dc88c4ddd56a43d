package server

import (
	"context"
	"fmt"
	"testing"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/render"
	"github.com/tributary/tributary/scripts/benchstore"
	"github.com/tributary/tributary/storage"
)

// BenchmarkFeedSignatures is what the WebSub publisher does after each
// change of the store: a signature of every feed (the unified one, one per
// source of the bench store's 1,000 and one per tag), to find those whose
// subscription document changed (docs/PERFORMANCE.md, "WebSub").
func BenchmarkFeedSignatures(b *testing.B) {
	sizes, err := benchstore.Sizes()
	if err != nil {
		b.Fatal(err)
	}
	var srcs []feed.Source
	for i := range benchstore.Sources {
		srcs = append(srcs, benchstore.Source(i).Source)
	}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
			db, err := benchstore.Open(context.Background(), n, storage.Options{ReadOnly: true}, nil)
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			s := New(db, nil, Options{
				Page:    render.Page{Title: "Tributary", BaseURL: base, Hubs: []string{"http://127.0.0.1:1/"}},
				Sources: srcs, MaxItems: 50,
			})
			var feeds int
			for b.Loop() {
				_, sigs, err := s.feedSignatures(context.Background())
				if err != nil {
					b.Fatal(err)
				}
				feeds = len(sigs)
			}
			b.ReportMetric(float64(feeds), "feeds")
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*max(feeds, 1)), "µs/feed")
		})
	}
}
