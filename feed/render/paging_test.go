package render

import (
	"encoding/json"
	"testing"
)

// TestJSONPaging: JSON Feed has only next_url; feed_url names the feed (the
// subscription document) on every page, while Atom and RSS say self.
func TestJSONPaging(t *testing.T) {
	const sub = "https://feeds.example.org/feed.json"
	tests := []struct {
		name          string
		self, first   string
		next          string
		wantFeedURL   string
		wantNextInDoc string
	}{
		{"unpaged", sub, "", "", sub, ""},
		{"first page", sub, sub, sub + "?before=abc", sub, sub + "?before=abc"},
		{"later page", sub + "?before=abc", sub, sub + "?before=def", sub, sub + "?before=def"},
		{"last page", sub + "?page=3", sub, "", sub, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := testPage(JSON)
			p.SelfURL, p.First, p.Next = tt.self, tt.first, tt.next
			var doc struct {
				FeedURL string `json:"feed_url"`
				NextURL string `json:"next_url"`
			}
			if err := json.Unmarshal(render(t, JSON, p, unifiedEntries(), Options{}), &doc); err != nil {
				t.Fatal(err)
			}
			if doc.FeedURL != tt.wantFeedURL || doc.NextURL != tt.wantNextInDoc {
				t.Errorf("feed_url %q next_url %q, want %q and %q", doc.FeedURL, doc.NextURL, tt.wantFeedURL, tt.wantNextInDoc)
			}
		})
	}
}
