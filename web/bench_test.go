package web

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/render"
)

// benchEntries are n entries of about 3 KB of HTML, each with two copies.
func benchEntries(n int) []*feed.Entry {
	para := "<p>" + strings.Repeat("The council voted six to three to build the floodwall. ", 10) + "</p>"
	var out []*feed.Entry
	for i := range n {
		e := floodwall()
		e.ID = fmt.Sprintf("%016x", i)
		e.Content = strings.Repeat(para, 5)
		e.Published = t0.Add(-time.Duration(i) * time.Hour)
		out = append(out, e)
	}
	return out
}

func benchmarkPage(b *testing.B, path string, cached bool) {
	var store Store = &memStore{entries: benchEntries(20)}
	if cached {
		store = &versionedStore{memStore: memStore{entries: benchEntries(20)}}
	}
	site := newTestSite(store, Options{
		Share: []render.ShareLink{{Name: "email"}, {Name: "mastodon"}, {Name: "bluesky"}, {Name: "hackernews"}},
	})
	req := httptest.NewRequest("GET", path, nil)
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		site.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatalf("status %d", rec.Code)
		}
	}
}

// BenchmarkRiverPage renders a river page of 20 entries (store reads
// excluded: the store is in memory).
func BenchmarkRiverPage(b *testing.B) { benchmarkPage(b, "/", false) }

// BenchmarkRiverPageCached serves the same page from a store whose version
// does not change: the cost of a request between two fetch rounds.
func BenchmarkRiverPageCached(b *testing.B) { benchmarkPage(b, "/", true) }

// BenchmarkEntryPage renders one entry, sanitising its content again.
func BenchmarkEntryPage(b *testing.B) { benchmarkPage(b, "/entries/0000000000000000", false) }
