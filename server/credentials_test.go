package server

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/render"
)

const (
	credPassword = "s3cretpw"
	credURL      = "http://reader:" + credPassword + "@127.0.0.1:18101/auth/rss20.xml"
	credPublic   = "http://127.0.0.1:18101/auth/rss20.xml"
)

// credTrigger answers a round that reports a source fetched with
// credentials.
type credTrigger struct{ rep feed.RoundReport }

func (c *credTrigger) Round(context.Context, bool) (feed.RoundReport, error) { return c.rep, nil }

// credServer serves the corpus plus a source configured with credentials in
// its URL, with copies stored under that URL.
func credServer(t *testing.T, trig Trigger) *Server {
	t.Helper()
	db := openCorpus(t)
	src := feed.Source{ID: "secret", Name: "Secret", URL: credURL, Tags: []string{"members"}}
	secret := feed.Copy{SourceID: "secret", SourceName: "Secret", FeedURL: credURL,
		SiteURL:   "http://reader:" + credPassword + "@127.0.0.1:18101/members/",
		Link:      "http://reader:" + credPassword + "@127.0.0.1:18101/members/minutes/",
		Published: at(21, 8), FirstSeen: at(21, 8), Rule: "new"}
	putEntries(t, db, &feed.Entry{ID: "minutes", Title: "Minutes", Link: secret.Link, Content: "<p>The board met.</p>",
		Published: at(21, 8), Updated: at(21, 8), Created: at(21, 8), Modified: at(21, 9), Copies: []feed.Copy{secret}})
	err := db.Update(context.Background(), func(tx feed.Tx) error {
		return tx.PutSourceState(feed.SourceState{SourceID: "secret", Title: "Members", SiteURL: secret.SiteURL,
			ConfiguredURL: credURL, URL: credURL})
	})
	if err != nil {
		t.Fatal(err)
	}
	s := New(db, trig, Options{
		Page:          render.Page{Title: "Tributary", BaseURL: base},
		Render:        render.Options{Share: []render.ShareLink{{Name: "email"}}},
		Sources:       append(append([]feed.Source(nil), corpusSources...), src),
		TrustLoopback: true, // the trigger is asked from loopback
		MaxItems:      50,
		Now:           func() time.Time { return at(28, 0) },
	})
	return s
}

// TestNothingServedCarriesSourceCredentials: the feeds and the OPML lists
// leave the userinfo out; the fetch trigger's report, for the operator,
// shows the URL masked as the logs do.
func TestNothingServedCarriesSourceCredentials(t *testing.T) {
	trig := &credTrigger{rep: feed.RoundReport{Sources: []feed.SourceReport{
		{SourceID: "secret", Name: "Secret", URL: credURL, Outcome: feed.Failed,
			Error: "GET http://reader:xxxxx@127.0.0.1:18101/auth/rss20.xml: 500 Internal Server Error"},
	}}}
	h := credServer(t, trig).Handler()
	tests := []struct {
		method, path string
		want         string // what the document must still say
	}{
		{"GET", "/feed.atom", "<id>" + credPublic + "</id>"},
		{"GET", "/feed.rss", `<source url="` + credPublic + `">Secret</source>`},
		{"GET", "/feed.json", `"feed_url":"` + credPublic + `"`},
		{"GET", "/sources/secret/feed.atom", `<link href="http://127.0.0.1:18101/members/" rel="alternate"`},
		{"GET", "/sources/secret/feed.rss", "<link>http://127.0.0.1:18101/members/</link>"},
		{"GET", "/sources/secret/feed.json", `"home_page_url":"http://127.0.0.1:18101/members/"`},
		{"GET", "/tags/members/feed.json", `"feed_url":"` + credPublic + `"`},
		{"GET", "/sources.opml", `xmlUrl="` + credPublic + `" htmlUrl="http://127.0.0.1:18101/members/"`},
		{"GET", "/feeds.opml", `htmlUrl="http://127.0.0.1:18101/members/"`},
		{"POST", "/-/fetch", `"url":"http://reader:xxxxx@127.0.0.1:18101/auth/rss20.xml"`},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			w := do(h, tt.method, tt.path)
			body := w.Body.String()
			if w.Code != http.StatusOK {
				t.Fatalf("status %d: %s", w.Code, body)
			}
			if i := strings.Index(body, credPassword); i >= 0 {
				t.Errorf("the source's password is published: …%s…", body[max(0, i-100):min(len(body), i+40)])
			}
			if !strings.Contains(body, tt.want) {
				t.Errorf("lacks %s:\n%s", tt.want, body)
			}
		})
	}
	if trig.rep.Sources[0].URL != credURL {
		t.Errorf("the trigger's report was modified: %q", trig.rep.Sources[0].URL)
	}
}

// render -dir writes what Publish gives it: the same documents.
func TestPublishCarriesNoSourceCredentials(t *testing.T) {
	var n int
	err := credServer(t, nil).Publish(context.Background(), func(p string, body []byte) error {
		n++
		if strings.Contains(string(body), credPassword) {
			t.Errorf("%s publishes the source's password", p)
		}
		return nil
	})
	if err != nil || n == 0 {
		t.Fatalf("Publish wrote %d documents: %v", n, err)
	}
}
