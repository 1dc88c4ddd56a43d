package ingest_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/fetch"
	"github.com/tributary/tributary/feed/ingest"
)

// A feed that arrives cut short stores the items that arrived whole and
// keeps no validators, so the next fetch is unconditional and brings the
// rest, instead of a 304 that would hide it until the feed changes.
func TestTruncatedFeedIsFetchedInFullNextTime(t *testing.T) {
	full := simpleFeed("cut", 3)
	third := strings.Index(full, "<item><guid>cut-2</guid>")
	if third < 0 {
		t.Fatalf("no third item in %s", full)
	}
	var mu sync.Mutex
	body, conditional := full[:third+30], []string{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		conditional = append(conditional, r.Header.Get("If-None-Match"))
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", rss)
		w.Header().Set("ETag", `"v1"`)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	src := feed.Source{ID: "cut", Name: "cut", URL: "http://cut.test:" + portOf(t, srv.URL) + "/feed"}
	db := openHostileStore(t)
	clk := newClock()
	in := ingest.New(db, newHostileFetcher(t, fetch.Options{}), ingest.Options{Now: clk.Now, Jitter: func() float64 { return 0 }})

	rep, err := in.Ingest(context.Background(), src)
	if err != nil || rep.Outcome != feed.Fetched || rep.New != 2 || !rep.Truncated {
		t.Fatalf("cut feed: %+v, %v; want fetched with the 2 whole items, reported truncated", rep, err)
	}
	mu.Lock()
	body = full
	mu.Unlock()
	rep, err = in.Ingest(context.Background(), src)
	if err != nil || rep.Outcome != feed.Fetched || rep.New != 1 || rep.Truncated {
		t.Fatalf("next fetch: %+v, %v; want the third item fetched, whole", rep, err)
	}
	rep, err = in.Ingest(context.Background(), src)
	if err != nil || rep.Outcome != feed.NotModified {
		t.Fatalf("third fetch: %+v, %v; want not modified, with the validators of the whole feed", rep, err)
	}
	if got := strings.Join(conditional, ","); got != `,,"v1"` {
		t.Errorf("If-None-Match sent: %q, want none, none, then the whole feed's tag", got)
	}
}
