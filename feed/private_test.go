package feed

import (
	"slices"
	"testing"
)

func TestPrivateParts(t *testing.T) {
	tests := []struct {
		url  string
		want []string
	}{
		{"https://feeds.pinboard.in/rss/secret:a1b2c3d4e5f6/u:reader/", []string{"a1b2c3d4e5f6"}},
		{"https://example.org/feed.xml?t=9f8e7d6c5b4a&format=rss2", []string{"9f8e7d6c5b4a"}},
		// Percent-encoded runs are taken as the URL has them and decoded.
		{"https://example.org/p/tok%2Dzz99yy88xx77/", []string{"2Dzz99yy88xx77", "zz99yy88xx77"}},
		{"https://example.org/private/averyveryverylongpassphrase/feed", []string{"averyveryverylongpassphrase"}},
		// Words of a path and the host are no secret.
		{"https://bookmarks2024example.org/feeds/category/news/rss20.xml", nil},
		{"/srv/feeds/a1b2c3d4e5f6.xml", []string{"a1b2c3d4e5f6"}},
	}
	for _, tt := range tests {
		if got := PrivateParts(tt.url); !slices.Equal(got, tt.want) {
			t.Errorf("PrivateParts(%q) = %q, want %q", tt.url, got, tt.want)
		}
	}
}

func TestScrub(t *testing.T) {
	parts := PrivateParts("https://feeds.example/secret:a1b2c3d4e5f6/u:me/")
	in := `<a href="https://feeds.example/secret:a1b2c3d4e5f6/u:me/ep1.html">one</a> and https%3A%2F%2Ffeeds.example%2Fsecret%3Aa1b2c3d4e5f6`
	got := Scrub(in, parts)
	if HasPrivatePart(got, parts) || got != `<a href="https://feeds.example/secret:xxxxx/u:me/ep1.html">one</a> and https%3A%2F%2Ffeeds.example%2Fsecret%3Axxxxx` {
		t.Errorf("Scrub = %q", got)
	}
	if s := "nothing secret here"; Scrub(s, parts) != s || HasPrivatePart(s, parts) {
		t.Errorf("Scrub changed %q", s)
	}
}
