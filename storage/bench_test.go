package storage

import (
	"context"
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/tributary/tributary/feed"
)

// BenchmarkNewest reads a 50-entry page from stores of 10,000 and 100,000
// entries: the cost per page should not grow with the store, since only the
// page's entries are read and decoded.
func BenchmarkNewest(b *testing.B) {
	for _, size := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("entries=%d", size), func(b *testing.B) {
			db := benchStore(b, size)
			ctx := context.Background()
			middle := middleCursor(b, db)
			for _, page := range []struct{ name, cursor string }{{"first", ""}, {"middle", middle}} {
				b.Run("page="+page.name, func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						got, _, err := db.Newest(ctx, 50, page.cursor)
						if err != nil || len(got) != 50 {
							b.Fatalf("Newest = %d entries, %v", len(got), err)
						}
					}
				})
			}
		})
	}
}

// middleCursor returns a cursor half-way down the time index, for pages deep
// in the history, without decoding the entries above it.
func middleCursor(b *testing.B, db *DB) string {
	var cursor string
	err := db.bolt.View(func(btx *bbolt.Tx) error {
		times := btx.Bucket([]byte(bucketTime))
		c, half := times.Cursor(), times.Stats().KeyN/2
		k, _ := c.Last()
		for range half {
			k, _ = c.Prev()
		}
		cursor = base64.RawURLEncoding.EncodeToString(k)
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return cursor
}

// benchStore fills a store with n entries of realistic size, in a few large
// transactions (one per fetched feed would take minutes of fsyncs).
func benchStore(b *testing.B, n int) *DB {
	b.Helper()
	db, err := Open(filepath.Join(b.TempDir(), "bench.db"), Options{InitialMmapSize: 256 << 20})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = db.Close() })
	rng := rand.New(rand.NewPCG(7, 7))
	body := "<p>" + strings.Repeat("lorem ipsum dolor sit amet ", 30) + "</p>"
	const batch = 10_000
	for start := 0; start < n; start += batch {
		err := db.Update(context.Background(), func(tx feed.Tx) error {
			for i := start; i < min(start+batch, n); i++ {
				id := fmt.Sprintf("%016x", rng.Uint64())
				published := day0.Add(time.Duration(i)*time.Minute + time.Duration(rng.IntN(60))*time.Second)
				// Ten sources and fifty categories, for the scoped indexes.
				c := cp(fmt.Sprintf("src%d", i%10), rng.Uint64(), "guid:src:"+id, "url:example.org/"+id)
				c.Link, c.Title = "https://example.org/"+id, "Title "+id
				e := entry(id, published, c)
				e.Link, e.Content, e.Summary = c.Link, body, body[:120]
				e.Categories = []string{fmt.Sprintf("Topic %d", i%50)}
				if err := tx.PutEntry(e); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	return db
}

// BenchmarkWindow reads 50-entry pages of selections of a 100,000-entry
// store: every entry, one source's (10,000), one tag's (2,000) and a tag
// joined with two sources (22,000), first and deep pages. One source or
// one tag reads its total from the scope counts; the joined selection
// walks all its keys to count them.
func BenchmarkWindow(b *testing.B) {
	db := benchStore(b, 100_000)
	ctx := context.Background()
	sels := []struct {
		name string
		sel  Selection
	}{
		{"all", Selection{}},
		{"source", Selection{Sources: []string{"src3"}}},
		{"tag", Selection{Tags: []string{"topic-7"}}},
		{"tag+2sources", Selection{Sources: []string{"src1", "src2"}, Tags: []string{"topic-7"}}},
	}
	for _, s := range sels {
		for _, skip := range []int{0, 1000} {
			b.Run(fmt.Sprintf("%s/skip=%d", s.name, skip), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					w, err := db.Window(ctx, Query{Selection: s.sel, Limit: 50, Skip: skip})
					if err != nil || len(w.Entries) != 50 {
						b.Fatalf("Window = %d entries, %v", len(w.Entries), err)
					}
				}
			})
		}
	}
}
