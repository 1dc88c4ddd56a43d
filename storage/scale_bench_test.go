package storage_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/tributary/tributary/feed/render"
	"github.com/tributary/tributary/scripts/benchstore"
	"github.com/tributary/tributary/storage"
)

// BenchmarkRenderScale reads and renders one 50-entry page of the unified
// feed in stores of 10,000, 100,000 and 1,000,000 entries (the target: under
// 5 ms, whatever the size of the store, for the newest page and for a page
// deep in the archive):
//
//	op=window   storage.Window alone
//	op=render   Window, then render.Write of the page as Atom
//	op=gzip     what the server adds once per change: gzip of the Atom bytes
//	op=gzip1    the same at gzip.BestSpeed
//
// Pages: first (the newest 50), cursor (the page at 90% of the archive,
// asked for by the cursor the page before it gave, as the feed's rel="next"
// links do), number (the same page asked for by number: Skip) and middle
// (the page half-way down, by number: farthest from both ends).
func BenchmarkRenderScale(b *testing.B) {
	ctx := context.Background()
	for _, n := range benchstore.SizesOf(b) {
		b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
			db, err := benchstore.Open(ctx, n, storage.Options{ReadOnly: true}, nil)
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			deep := n * 9 / 10
			above, err := db.Window(ctx, storage.Query{Limit: 50, Skip: deep - 50})
			if err != nil {
				b.Fatal(err)
			}
			pages := []struct {
				name string
				q    storage.Query
			}{
				{"first", storage.Query{Limit: 50}},
				{"cursor", storage.Query{Limit: 50, Before: above.Next}},
				{"number", storage.Query{Limit: 50, Skip: deep}},
				{"middle", storage.Query{Limit: 50, Skip: n / 2}},
			}
			page := render.Page{Title: "Tributary", BaseURL: "https://tributary.example/",
				SelfURL: "https://tributary.example/feed.atom", AlternateURL: "https://tributary.example/"}
			opts := render.Options{Share: []render.ShareLink{{Name: "email"}, {Name: "mastodon"}, {Name: "hackernews"}}}
			for _, p := range pages {
				b.Run("op=window/page="+p.name, func(b *testing.B) {
					for b.Loop() {
						w, err := db.Window(ctx, p.q)
						if err != nil || len(w.Entries) != 50 {
							b.Fatalf("%d entries, %v", len(w.Entries), err)
						}
					}
				})
				b.Run("op=render/page="+p.name, func(b *testing.B) {
					var buf bytes.Buffer
					for b.Loop() {
						w, err := db.Window(ctx, p.q)
						if err != nil {
							b.Fatal(err)
						}
						buf.Reset()
						if err := render.Write(&buf, render.Atom, page, w.Entries, opts); err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(float64(buf.Len()), "bytes")
				})
			}
			for _, level := range []struct {
				name  string
				level int
			}{{"gzip", gzip.DefaultCompression}, {"gzip1", gzip.BestSpeed}} {
				b.Run("op="+level.name+"/page=first", func(b *testing.B) {
					w, err := db.Window(ctx, storage.Query{Limit: 50})
					if err != nil {
						b.Fatal(err)
					}
					var atom, out bytes.Buffer
					if err := render.Write(&atom, render.Atom, page, w.Entries, opts); err != nil {
						b.Fatal(err)
					}
					for b.Loop() {
						out.Reset()
						zw, _ := gzip.NewWriterLevel(&out, level.level)
						_, _ = zw.Write(atom.Bytes())
						_ = zw.Close()
					}
					b.ReportMetric(float64(out.Len()), "bytes")
				})
			}
		})
	}
}

// BenchmarkOpenScale is the store's part of start-up: Open (writable, as
// the daemon opens it), the first Count and Window, Close. The target:
// under 2 s at 1,000,000 entries, nothing proportional to the store. It
// also reports the file's size against the raw size of the content it
// holds (target: at most 2x).
func BenchmarkOpenScale(b *testing.B) {
	ctx := context.Background()
	for _, n := range benchstore.SizesOf(b) {
		b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
			if err := benchstore.Ensure(ctx, n, nil); err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				db, err := storage.Open(benchstore.Path(n), storage.Options{Timeout: 10 * time.Minute})
				if err != nil {
					b.Fatal(err)
				}
				if c, err := db.Count(ctx); err != nil || c != n {
					b.Fatalf("count %d, %v", c, err)
				}
				if _, err := db.Window(ctx, storage.Query{Limit: 50}); err != nil {
					b.Fatal(err)
				}
				if err := db.Close(); err != nil {
					b.Fatal(err)
				}
			}
			fi, err := os.Stat(benchstore.Path(n))
			if err != nil {
				b.Fatal(err)
			}
			st, err := benchstore.ReadStats(n)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(fi.Size())/(1<<20), "file-MB")
			b.ReportMetric(float64(fi.Size())/float64(st.RawBytes), "file/raw")
		})
	}
}
