package feed

import (
	"strings"
	"testing"
)

func TestPrivateRepeats(t *testing.T) {
	srcs := []Source{
		{ID: "pinboard", URL: "https://feeds.pinboard.in/rss/secret:a1b2c3/u:reader/", Private: true},
		{ID: "github", URL: "https://github.com/octocat.private.atom?token=AB12cd34EF", Private: true},
		{ID: "public", URL: "https://blog.example/feed/"},
		{ID: "blog", URL: "https://blog.example/posts/index.xml?section=politics&key=9f8e7d6c5b4a", Private: true},
	}
	f := NewPrivate(srcs, func(id string) string {
		if id == "pinboard" {
			return "https://feeds.pinboard.in/rss/secret:zz99yy88/u:reader/" // moved
		}
		return ""
	})
	tests := []struct {
		source, link string
		want         bool
	}{
		{"pinboard", "https://feeds.pinboard.in/rss/secret:a1b2c3/u:reader/", true},
		{"pinboard", "https://feeds.pinboard.in/rss/secret:a1b2c3/u:reader/item.html", true},
		{"pinboard", "https://FEEDS.pinboard.in/rss/secret:zz99yy88/u:reader/x", true},
		// On another host (a CDN) and escaped otherwise, the path is as secret.
		{"pinboard", "https://cdn.pinboard.example/rss/secret:a1b2c3/u:reader/x", true},
		{"pinboard", "https://feeds.pinboard.in/rss/secret%3Aa1b2c3/u:reader/x", true},
		{"pinboard", "https://pinboard.in/u:reader/", false},
		{"pinboard", "https://papers.example/worth-reading", false},
		// A token in the query, found wherever it is repeated; the user
		// name in the path is no secret, so links about it stay.
		{"github", "https://github.com/octocat/harbour-tools/commit/1", false},
		{"github", "https://github.com/octocat.private.atom?token=AB12cd34EF&page=2", true},
		{"github", "https://elsewhere.example/?t=AB12cd34EF", true},
		{"public", "https://blog.example/feed/item.html", false},
		// An ordinary directory and ordinary values are no secret (review:
		// "politics" was masked in titles, every post link dropped).
		{"blog", "https://blog.example/posts/why-politics-matters", false},
		{"blog", "https://blog.example/posts/?key=9f8e7d6c5b4a", true},
	}
	for _, tt := range tests {
		if got := f.Repeats(tt.source, tt.link); got != tt.want {
			t.Errorf("Repeats(%s, %q) = %v, want %v", tt.source, tt.link, got, tt.want)
		}
	}
	if !f.Is("pinboard") || f.Is("public") || (Private{}).Is("pinboard") {
		t.Error("Is: wrong sources private")
	}
	if got := f.Mask("blog", "Why politics matters"); got != "Why politics matters" {
		t.Errorf("Mask changed an ordinary word: %q", got)
	}
	if got := f.Mask("pinboard", `GET "https://feeds.pinboard.in/rss/secret:a1b2c3/u:reader/": 500`); strings.Contains(got, "a1b2c3") {
		t.Errorf("Mask left the secret: %q", got)
	}
}

// Entry leaves out what a private copy repeats of its source's URL and
// keeps the rest; an entry with no private copy is returned as it is.
func TestPrivateEntry(t *testing.T) {
	f := NewPrivate([]Source{{ID: "pod", URL: "https://pod.example/m/k9x7w5/feed.xml", Private: true}}, nil)
	e := &Entry{
		Link: "https://pod.example/m/k9x7w5/ep1.html", Image: "https://cdn.example/cover.png", Title: "Episode one",
		Content:    `<a href="https://pod.example/m/k9x7w5/notes.html">notes</a> <a href="https://other.example/">other</a>`,
		Enclosures: []Enclosure{{URL: "https://pod.example/m/k9x7w5/ep1.mp3"}, {URL: "https://cdn.example/ep1.mp3"}},
		Copies: []Copy{{SourceID: "pod", FeedURL: "https://pod.example/m/k9x7w5/feed.xml", SiteURL: "https://pod.example/m/k9x7w5/",
			GUID: "https://pod.example/m/k9x7w5/ep1.mp3", Link: "https://pod.example/m/k9x7w5/ep1.html", Keys: []string{"guid:x"}}},
	}
	got := f.Entry(e)
	if got.Link != "" || got.Image != e.Image || len(got.Enclosures) != 1 || got.Enclosures[0].URL != "https://cdn.example/ep1.mp3" {
		t.Errorf("published entry: link %q, image %q, enclosures %v", got.Link, got.Image, got.Enclosures)
	}
	c := got.Copies[0]
	if c.FeedURL != "" || c.SiteURL != "" || c.Link != "" || strings.Contains(c.GUID, "k9x7w5") || strings.Contains(got.Content, "k9x7w5") {
		t.Errorf("published copy %+v, content %q", c, got.Content)
	}
	if !strings.Contains(got.Content, "https://other.example/") || e.Copies[0].FeedURL == "" || e.Link == "" {
		t.Error("Entry changed more than it should, or changed the stored entry")
	}
	public := &Entry{Copies: []Copy{{SourceID: "blog"}}}
	if f.Entry(public) != public {
		t.Error("an entry with no private copy was copied")
	}
}
