package ingest_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/fetch"
	"github.com/tributary/tributary/feed/ingest"
)

// QA: a token used as a URL's user name (https://TOKEN@host/feed) was
// printed whole in the failure of its source, which net/http masks only
// when it is a password; the failure is kept, logged and shown.
func TestAFailureMasksATokenInTheURL(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "down", http.StatusInternalServerError)
	}))
	defer srv.Close()
	db := openHostileStore(t)
	in := ingest.New(db, newHostileFetcher(t, fetch.Options{}), ingest.Options{})
	u := strings.Replace(srv.URL, "http://", "http://tok3nSECRET@", 1) + "/feed"
	rep, err := in.Ingest(context.Background(), feed.Source{ID: "t", Name: "T", URL: u})
	if err != nil {
		t.Fatal(err)
	}
	states, err := db.Sources(context.Background())
	if err != nil || len(states) != 1 {
		t.Fatalf("states %v, %v", states, err)
	}
	for what, text := range map[string]string{"report": rep.Error, "stored state": states[0].LastError} {
		if rep.Outcome != feed.Failed || strings.Contains(text, "tok3nSECRET") || !strings.Contains(text, "xxxxx@") {
			t.Errorf("%s: %q, want the failure with the token masked", what, text)
		}
	}
}

// A source fetched with credentials in its URL stores none: every copy
// records the feed URL that attributes it, which backups would keep.
func TestCopiesStoreNoCredentials(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`<rss version="2.0"><channel><title>M</title><link>/members/</link>
<item><title>Minutes</title><link>/members/minutes/</link><guid>m-1</guid><description>The board met.</description></item>
</channel></rss>`))
	}))
	defer srv.Close()
	db := openHostileStore(t)
	in := ingest.New(db, newHostileFetcher(t, fetch.Options{}), ingest.Options{})
	u := strings.Replace(srv.URL, "http://", "http://reader:s3cret@", 1) + "/feed"
	if rep, err := in.Ingest(context.Background(), feed.Source{ID: "m", Name: "M", URL: u}); err != nil || rep.Outcome != feed.Fetched {
		t.Fatalf("ingest: %v, %s %s", err, rep.Outcome, rep.Error)
	}
	for _, e := range storedBySource(t, db)["m"] {
		for _, c := range e.Copies {
			for what, v := range map[string]string{"feed URL": c.FeedURL, "site URL": c.SiteURL, "link": c.Link} {
				if strings.Contains(v, "s3cret") || strings.Contains(v, "reader@") {
					t.Errorf("copy's %s stored with credentials: %s", what, v)
				}
			}
		}
	}
}
