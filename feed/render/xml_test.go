package render

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/tributary/tributary/feed"
)

func TestXMLSafe(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"plain ascii", "plain ascii"},
		{"tab\tnewline\ncr\r", "tab\tnewline\ncr\r"},
		{"back\x08space", "backspace"},
		{"\x00nul\x1f", "nul"},
		{"non-ASCII: é 日本 🎉 \u0085 \uFFFD", "non-ASCII: é 日本 🎉 \u0085 \uFFFD"},
		{"noncharacters \uFFFE\uFFFF end", "noncharacters  end"},
		{"bad \xff\xfe utf-8 \xe6\x97", "bad  utf-8 "},
		{"surrogate \xed\xa0\x80 half", "surrogate  half"},
		{"]]> stays", "]]> stays"},
	}
	for _, tt := range tests {
		if got := xmlSafe(tt.in); got != tt.want {
			t.Errorf("xmlSafe(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// Every byte value, at every place of an 8-byte word of otherwise plain
// text, must send the word to the byte-by-byte check unless it is
// printable ASCII.
func TestPlainASCII(t *testing.T) {
	for b := range 256 {
		for at := range 8 {
			w := []byte("abcdefgh")
			w[at] = byte(b)
			want := b >= 0x20 && b < 0x80
			if got := plainASCII(word(string(w), 0)); got != want {
				t.Errorf("byte %#x at %d: plainASCII %v, want %v", b, at, got, want)
			}
		}
	}
}

// FuzzXMLSafe checks that the output holds only XML characters, that clean
// input passes unchanged and that stripping twice changes nothing more.
func FuzzXMLSafe(f *testing.F) {
	for _, s := range []string{"", "hello", "a\x08b", "\xff", "日本\uFFFE", "\xed\xa0\x80"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := xmlSafe(s)
		if !utf8.ValidString(out) {
			t.Fatalf("xmlSafe(%q) = %q: invalid UTF-8", s, out)
		}
		clean := true
		for _, r := range s {
			if r == utf8.RuneError || !xmlChar(r) {
				clean = false
			}
		}
		for _, r := range out {
			if !xmlChar(r) {
				t.Fatalf("xmlSafe(%q) = %q keeps %U", s, out, r)
			}
		}
		if clean && utf8.ValidString(s) && out != s {
			t.Fatalf("xmlSafe(%q) = %q changed clean input", s, out)
		}
		if again := xmlSafe(out); again != out {
			t.Fatalf("xmlSafe not idempotent: %q then %q", out, again)
		}
	})
}

// FuzzWrite renders an entry built from arbitrary strings in every format:
// the XML must stay well-formed and the JSON valid, whatever upstream sent.
func FuzzWrite(f *testing.F) {
	f.Add("Title", "<p>Body</p>", "<p>Sum</p>", "tag", "Author", "Source", "https://a.example/p?x=1")
	f.Add("]]>", "<![CDATA[ ]]> ]]]]>", "", "a&b", "\x08", "\x00", "")
	f.Add("日本語 🎉", "\xff\xfe", "\uFFFE", "", "", "Name \"quoted\"", "mailto:x@example.org")
	f.Fuzz(func(t *testing.T, title, content, summary, category, author, source, link string) {
		e := &feed.Entry{
			ID: "fz", Title: title, Link: link, Author: author, Content: content, Summary: summary,
			Categories: []string{category}, Lang: category, Image: link,
			Enclosures: []feed.Enclosure{{URL: link, Type: category}},
			Copies: []feed.Copy{
				{SourceID: "a", SourceName: source, FeedURL: link, SiteURL: link, Link: link},
				{SourceID: "b", SourceName: title, Link: link + "2"},
			},
		}
		opts := Options{Share: []ShareLink{{Name: "email"}, {Name: source, Template: "https://s.example/?t={title}&u={url}&x={text}"}}, UTM: author}
		p := Page{Title: title, ID: link, Author: author, Description: summary, SelfURL: link, AlternateURL: link, BaseURL: link, Hubs: []string{link}, Next: link}
		for _, format := range formats {
			var buf bytes.Buffer
			if err := Write(&buf, format, p, []*feed.Entry{e}, opts); err != nil {
				t.Fatalf("%s: %v", format, err)
			}
			if format == JSON {
				if !json.Valid(buf.Bytes()) {
					t.Fatalf("JSON not valid:\n%s", buf.Bytes())
				}
				continue
			}
			if err := wellFormed(buf.Bytes()); err != nil {
				t.Fatalf("%s not well-formed: %v\n%s", format, err, buf.Bytes())
			}
			if !strings.Contains(buf.String(), "entries/fz<") {
				t.Fatalf("%s: entry id missing", format)
			}
		}
	})
}
