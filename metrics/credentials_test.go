package metrics

import (
	"strings"
	"testing"

	"github.com/tributary/tributary/feed"
)

// Scrapes are stored and graphed: a source URL with credentials is labelled
// with its password masked, as the logs show it.
func TestSourceInfoMasksCredentials(t *testing.T) {
	configured := []feed.Source{
		{ID: "secret", Name: "Secret", URL: "http://reader:s3cretpw@127.0.0.1:18101/auth/rss20.xml"},
		{ID: "plain", Name: "Plain", URL: "https://plain.example/feed"},
	}
	r := NewRegistry()
	p := NewPipeline(r, fakeStore{}, func() []feed.Source { return configured })
	p.ObserveRound(feed.RoundReport{Sources: []feed.SourceReport{
		{SourceID: "secret", URL: configured[0].URL, Outcome: feed.Failed, Error: "500"},
	}})
	scrape := text(t, r)
	if strings.Contains(scrape, "s3cretpw") {
		t.Errorf("the scrape shows the password:\n%s", scrape)
	}
	for _, want := range []string{
		`tributary_source_info{source="secret",name="Secret",url="http://reader:xxxxx@127.0.0.1:18101/auth/rss20.xml"} 1`,
		`tributary_source_info{source="plain",name="Plain",url="https://plain.example/feed"} 1`,
	} {
		if !strings.Contains(scrape, want) {
			t.Errorf("scrape lacks %s:\n%s", want, scrape)
		}
	}
}
