package render

import (
	"testing"

	"github.com/tributary/tributary/feed"
)

// A copy's feed URL reaches readers only when they could follow it: a
// source read from a local file has a path there, which is no Atom id and
// nobody else's business.
func TestCopyFeedURLIsPublishedOnlyForTheWeb(t *testing.T) {
	tests := []struct{ feedURL, want, name string }{
		{"https://blog.example/feed.xml", "https://blog.example/feed.xml", "Blog"},
		{"HTTP://blog.example/feed", "HTTP://blog.example/feed", "Blog"},
		{"/srv/feeds/field-notes.json", "", "Blog"},
		{"file:///srv/feeds/field-notes.json", "", "Blog"},
		{"feeds/local.xml", "", "Blog"},
		{"https://", "", "Blog"},
		{"", "", "Blog"},
	}
	for _, tt := range tests {
		r := newCopyRef(&feed.Copy{SourceID: "blog", SourceName: "Blog", FeedURL: tt.feedURL})
		if r.feedURL != tt.want || r.name != tt.name {
			t.Errorf("feed URL %q: published %q named %q, want %q named %q", tt.feedURL, r.feedURL, r.name, tt.want, tt.name)
		}
	}
	// A site URL is published on the same terms (a local feed's own
	// <link> may be a path too).
	if r := newCopyRef(&feed.Copy{SourceID: "notes", SiteURL: "/srv/www/"}); r.siteURL != "" {
		t.Errorf("site URL %q published", r.siteURL)
	}
	if r := newCopyRef(&feed.Copy{SourceID: "notes", SiteURL: "https://notes.example/"}); r.siteURL != "https://notes.example/" {
		t.Errorf("site URL %q, want the web one", r.siteURL)
	}
	// Without a name, the host of a web feed URL names the source, and a
	// path does not.
	if r := newCopyRef(&feed.Copy{SourceID: "notes", FeedURL: "/srv/feeds/notes.xml"}); r.name != "notes" {
		t.Errorf("unnamed file source named %q, want its id", r.name)
	}
	if r := newCopyRef(&feed.Copy{SourceID: "notes", FeedURL: "https://notes.example/feed"}); r.name != "notes.example" {
		t.Errorf("unnamed web source named %q, want its host", r.name)
	}
}
