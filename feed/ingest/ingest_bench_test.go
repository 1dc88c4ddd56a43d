package ingest_test

import (
	"cmp"
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/fetch"
	"github.com/tributary/tributary/feed/ingest"
	"github.com/tributary/tributary/feed/parse"
	"github.com/tributary/tributary/feed/sanitize"
	"github.com/tributary/tributary/scripts/benchdata"
	"github.com/tributary/tributary/storage"
)

// The ingest target (docs/PERFORMANCE.md): the whole pipeline for one
// fetched feed processes at least half as many items per second as parsing
// the same bytes alone. Both benchmarks read the same sequence of feeds of
// benchItems items with about benchItemBytes of HTML each, every item a new
// article, and report items/s; compare the two figures of one run.
const (
	benchItems     = 50
	benchItemBytes = 3000
	benchType      = "application/rss+xml; charset=UTF-8"
)

// benchFeeds yields the bytes of feed i, generated outside the timer.
func benchFeed(b *testing.B, i int) []byte {
	b.StopTimer()
	body := benchdata.Feed(uint64(i+1), benchItems, benchItemBytes)
	b.StartTimer()
	return body
}

// BenchmarkParseOnly is the reference: the parse step alone (gofeed behind
// Tributary's charset and sanity checks), as the pipeline runs it.
func BenchmarkParseOnly(b *testing.B) {
	p := parse.New()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		body := benchFeed(b, i)
		f, err := p.Parse(body, benchType)
		if err != nil || len(f.Items) != benchItems {
			b.Fatalf("parse: %v (%d items)", err, len(f.Items))
		}
	}
	b.ReportMetric(float64(benchItems*b.N)/b.Elapsed().Seconds(), "items/s")
}

// BenchmarkIngest runs Ingester.Ingest on a fetched feed: state read,
// parse, normalise, sanitise, fingerprint, identify and one committed bbolt
// transaction (fsync included) per feed. Beside items/s it reports, measured
// interleaved with it on the same bytes so that load from other processes
// hits both alike, parse-items/s (the parse step alone, as in
// BenchmarkParseOnly) and their ratio, the figure of the target; and, for
// the planners' question whether to restate that target against the two
// libraries every item must pass, libs-items/s (parse, then sanitise each
// item's HTML alone: gofeed and bluemonday with the sanitiser's own pass)
// and libs-ratio.
//
// new=50 is a feed of 50 articles never seen; new=1 is how a blog's feed
// changes: each fetch brings one new post above the 49 of the last one.
func BenchmarkIngest(b *testing.B) {
	for _, fresh := range []int{benchItems, 1} {
		for _, workers := range []int{1, 2} {
			b.Run(fmt.Sprintf("new=%d/workers=%d", fresh, workers), func(b *testing.B) {
				benchIngest(b, workers, fresh)
			})
		}
	}
}

func benchIngest(b *testing.B, workers, fresh int) {
	db, err := storage.Open(filepath.Join(b.TempDir(), "ingest.db"), storage.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	f := &bytesFetcher{}
	in := ingest.New(db, f, ingest.Options{Workers: workers})
	p := parse.New()
	src := feed.Source{ID: "blog", Name: "Blog", URL: "https://blog.example/feed/"}
	ctx := context.Background()
	// body is feed i: a feed of its own, or the one before it with one
	// more post on top.
	body := func(i int) []byte {
		if fresh == benchItems {
			return benchFeed(b, i)
		}
		b.StopTimer()
		defer b.StartTimer()
		return benchdata.FeedRange(1, b.N-i, benchItems, benchItemBytes)
	}
	if fresh != benchItems {
		f.body = body(-1)
		if _, err := in.Ingest(ctx, src); err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
	}
	var parsing, libs time.Duration
	policy := sanitize.New()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		f.body = body(i)
		b.StopTimer()
		start := time.Now()
		parsed, err := p.Parse(f.body, benchType)
		if err != nil {
			b.Fatal(err)
		}
		parsing += time.Since(start)
		for _, it := range parsed.Items {
			_ = policy.HTML(cmp.Or(it.Content, it.Description))
		}
		libs += time.Since(start)
		b.StartTimer()
		rep, err := in.Ingest(ctx, src)
		if err != nil || rep.New != fresh || rep.Known != benchItems-fresh {
			b.Fatalf("ingest: %v; report %+v", err, rep)
		}
	}
	items := float64(benchItems * b.N)
	b.ReportMetric(items/b.Elapsed().Seconds(), "items/s")
	b.ReportMetric(items/parsing.Seconds(), "parse-items/s")
	b.ReportMetric(parsing.Seconds()/b.Elapsed().Seconds(), "ratio")
	b.ReportMetric(items/libs.Seconds(), "libs-items/s")
	b.ReportMetric(libs.Seconds()/b.Elapsed().Seconds(), "libs-ratio")
}

// bytesFetcher answers every fetch with body, as an upstream would.
type bytesFetcher struct{ body []byte }

func (f *bytesFetcher) Fetch(_ context.Context, req fetch.Request) (*fetch.Response, error) {
	return &fetch.Response{URL: req.URL, Status: 200, Body: f.body, ContentType: benchType,
		ETag: `"v1"`, Bytes: int64(len(f.body))}, nil
}
