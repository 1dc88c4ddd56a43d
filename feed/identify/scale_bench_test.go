package identify_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/identify"
	"github.com/tributary/tributary/scripts/benchstore"
	"github.com/tributary/tributary/storage"
)

// errRollback ends a benchmark's transaction without committing it.
var errRollback = errors.New("rolled back")

// BenchmarkIdentifyScale times Identifier.Apply, the identify step, per
// item in stores of 10,000, 100,000 and 1,000,000 entries: the target is a
// cost at 1,000,000 within 2x of the cost at 10,000. Three kinds of items:
//
//	new       an article the store does not hold (keys, fingerprint, the
//	          near-duplicate search finding nothing, a new entry written)
//	crosspost a retitled, lightly edited copy of a stored entry from another
//	          source (found by the near-duplicate rules and merged)
//	refetch   a stored item fetched again unchanged (found by its GUID)
//
// Items are applied in one write transaction that is rolled back: the store
// is left as it was and no commit is timed (BenchmarkIngest in feed/ingest
// times commits). Articles are made before the timer starts.
func BenchmarkIdentifyScale(b *testing.B) {
	for _, n := range benchstore.SizesOf(b) {
		b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
			db, err := benchstore.Open(context.Background(), n, storage.Options{}, nil)
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			for _, kind := range []string{"new", "crosspost", "refetch"} {
				b.Run(kind, func(b *testing.B) { benchApply(b, db, n, kind) })
			}
		})
	}
}

func benchApply(b *testing.B, db *storage.DB, n int, kind string) {
	type item struct {
		a   feed.Article
		src identify.Source
	}
	items := make([]item, b.N)
	want := map[string]identify.Outcome{"new": identify.Created, "crosspost": identify.Merged, "refetch": identify.Unchanged}[kind]
	for i := range items {
		// Stored entries spread over the whole store; those that are
		// multiples of 20 have a cross-post stored already.
		j := (i*7919 + 1) % n
		if j%20 == 0 {
			j++
		}
		switch kind {
		case "new":
			items[i].a, items[i].src = benchstore.Article(n + i)
		case "crosspost":
			items[i].a, items[i].src = benchstore.CrossPost(j)
		case "refetch":
			items[i].a, items[i].src = benchstore.Article(j)
		}
	}
	id := identify.New(nil)
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	missed := 0
	b.ResetTimer()
	err := db.Update(context.Background(), func(tx feed.Tx) error {
		for i := range items {
			out, _, err := id.Apply(tx, items[i].src, &items[i].a, now)
			if err != nil {
				return err
			}
			if out != want {
				missed++
			}
		}
		b.StopTimer()
		return errRollback
	})
	if !errors.Is(err, errRollback) {
		b.Fatal(err)
	}
	// A few edited copies may differ too much to merge; more than a few
	// means the benchmark no longer measures what it says.
	if missed*20 > b.N {
		b.Fatalf("%d of %d %s items were not %v", missed, b.N, kind, want)
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/item")
}
