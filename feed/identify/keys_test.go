package identify

import (
	"strings"
	"testing"

	"github.com/tributary/tributary/feed"
)

func TestKeys(t *testing.T) {
	long := strings.Repeat("word ", MinExactWords)
	tests := []struct {
		name string
		a    feed.Article
		want []string // prefixes of the keys, in order
	}{
		{"guid, link and text", feed.Article{SourceID: "s", GUID: "42", Link: "https://b.example/p", Text: long},
			[]string{"guid:s:42", "url:https://b.example/p", "text:"}},
		{"tag: guid is global", feed.Article{SourceID: "s", GUID: "tag:b.example,2026:42"},
			[]string{"guid:s:tag:b.example,2026:42", "id:tag:b.example,2026:42"}},
		{"URL guid is a link key", feed.Article{SourceID: "s", GUID: "http://b.example/?p=42"},
			[]string{"guid:s:http://b.example/?p=42", "url:https://b.example/?p=42"}},
		{"home-page link is no identity", feed.Article{SourceID: "s", Link: "https://b.example/", Title: "T"},
			[]string{"item:"}},
		{"short text is no identity", feed.Article{SourceID: "s", Link: "https://b.example/x", Text: "too short"},
			[]string{"url:https://b.example/x"}},
		{"nothing but a title", feed.Article{SourceID: "s", Title: "Open Thread"}, []string{"item:"}},
		// The item key stays beside a text key: how texts split into words
		// changes (CJK), and the item key finds what an earlier build stored.
		{"no GUID, no permalink, a long text", feed.Article{SourceID: "s", Link: "https://b.example/", Text: long},
			[]string{"text:", "item:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Keys(&tt.a)
			if len(got) != len(tt.want) {
				t.Fatalf("Keys = %q, want keys starting %q", got, tt.want)
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tt.want[i]) {
					t.Errorf("key %d = %q, want prefix %q", i, got[i], tt.want[i])
				}
			}
		})
	}
}

// FuzzKeys: every article, however odd, gets at least one key, the same keys
// every time, and a key of its own source when it has no global identity.
func FuzzKeys(f *testing.F) {
	f.Add("src", "guid-1", "https://example.org/a?utm_source=x", "Title", "some text")
	f.Add("src", "", "", "", "")
	f.Add("s", "tag:example.org,2026:1", "javascript:alert(1)", "T", strings.Repeat("w ", 30))
	f.Add("s", "http://[::1", "//example.org", "\x00", "\u00a0\u2014")
	f.Add("s", "", "https://example.jp/a", "防潮堤", "港の新しい防潮堤は嵐を耐え抜いた。 floodwall 2026年 กำแพง\xff")
	f.Fuzz(func(t *testing.T, source, guid, link, title, text string) {
		a := feed.Article{SourceID: source, GUID: guid, Link: link, Title: title, Text: text}
		k1, k2 := Keys(&a), Keys(&a)
		if len(k1) == 0 {
			t.Fatalf("no keys for %+v", a)
		}
		if strings.Join(k1, "\n") != strings.Join(k2, "\n") {
			t.Fatalf("keys differ between calls: %q vs %q", k1, k2)
		}
		if EntryID(&a) == "" {
			t.Fatal("empty entry id")
		}
		// Splitting loses nothing but the spaces.
		words := lowerWords(text)
		if got, want := strings.Join(words, ""), strings.Join(strings.Fields(strings.ToLower(text)), ""); got != want {
			t.Fatalf("words %q lose text of %q", words, text)
		}
		for _, w := range words {
			if w == "" {
				t.Fatalf("an empty word in %q", words)
			}
		}
	})
}
