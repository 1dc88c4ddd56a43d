package render

import (
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/tributary/tributary/feed"
)

// benchEntries returns n entries of about 3 KB of HTML each, two copies
// apiece, like a busy unified feed page.
func benchEntries(n int) []*feed.Entry {
	para := "<p>" + strings.Repeat("Lorem ipsum dolor sit amet, consectetur adipiscing elit &amp; more. ", 6) + "</p>\n"
	content := strings.Repeat(para, 3072/len(para)+1)[:3072]
	entries := make([]*feed.Entry, n)
	for i := range entries {
		pub := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC).Add(-time.Duration(i) * time.Hour)
		entries[i] = &feed.Entry{
			ID: fmt.Sprintf("e%03d", i), Title: fmt.Sprintf("Article number %d about things", i),
			Link: fmt.Sprintf("https://blog.example/posts/%d", i), Author: "Ada Lovelace",
			Content: content, Summary: "<p>A short summary.</p>",
			Categories: []string{"go", "feeds"}, Published: pub, Updated: pub,
			Copies: []feed.Copy{
				{SourceID: "blog", SourceName: "Blog", FeedURL: "https://blog.example/feed", SiteURL: "https://blog.example/", Link: fmt.Sprintf("https://blog.example/posts/%d", i)},
				{SourceID: "mirror", SourceName: "Mirror", Link: fmt.Sprintf("https://mirror.example/%d", i)},
			},
		}
	}
	return entries
}

func BenchmarkWrite(b *testing.B) {
	entries := benchEntries(50)
	opts := Options{Share: []ShareLink{{Name: "email"}, {Name: "mastodon"}, {Name: "hackernews"}}, UTM: "tributary"}
	for _, f := range formats {
		b.Run(string(f), func(b *testing.B) {
			p := testPage(f)
			var n countingWriter
			if err := Write(&n, f, p, entries, opts); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for b.Loop() {
				if err := Write(io.Discard, f, p, entries, opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

type countingWriter int

func (c *countingWriter) Write(p []byte) (int, error) {
	*c += countingWriter(len(p))
	return len(p), nil
}
