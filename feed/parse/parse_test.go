package parse

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/mmcdole/gofeed"
)

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseFormatsAndEncodings(t *testing.T) {
	tests := []struct {
		file, contentType string
		wantType          string // gofeed FeedType
		wantVersion       string
		wantTitle         string
		wantItem          string // first item's title
		wantItems         int
	}{
		{"rss091.xml", "", "rss", "0.91", "Café 0.91", "Café item one", 2},
		{"rss092.xml", "application/rss+xml", "rss", "0.92", "Café 0.92", "Café item one", 1},
		{"rss10.rdf", "application/rdf+xml", "rss", "1.0", "Café 1.0", "Café item one", 1},
		{"rss20.xml", "application/rss+xml; charset=utf-8", "rss", "2.0", "Café 2.0", "Café item one", 2},
		{"atom10.xml", "application/atom+xml", "atom", "1.0", "Café Atom", "Café item one", 1},
		{"atom03.xml", "", "atom", "0.3", "Café Atom 0.3", "Café item one", 1},
		{"jsonfeed10.json", "application/feed+json", "json", "https://jsonfeed.org/version/1", "Café JSON 1.0", "Café item one", 1},
		{"jsonfeed11.json", "application/json", "json", "https://jsonfeed.org/version/1.1", "Café JSON 1.1", "Café item one", 2},
		{"jsonfeed-bom.json", "", "json", "https://jsonfeed.org/version/1.1", "Café JSON BOM", "Café item one", 1},
		{"iso-8859-1-declared.xml", "", "rss", "2.0", "Café Latin-1", "Café item one", 1},
		// The XML declaration wins over nothing; the header is absent.
		{"iso-8859-1-declared.xml", "text/xml", "rss", "2.0", "Café Latin-1", "Café item one", 1},
		{"windows-1252-undeclared.xml", "", "rss", "2.0", "Café 1252", "Café item one", 1},
		{"windows-1252-undeclared.xml", "application/xml", "rss", "2.0", "Café 1252", "Café item one", 1},
		{"windows-1251-header-only.xml", "text/xml; charset=windows-1251", "rss", "2.0", "Кафе", "Кафе item one", 1},
		{"utf-16le-bom.xml", "", "rss", "2.0", "Café UTF-16", "Café item one", 1},
		{"utf-16be-bom.xml", "", "rss", "2.0", "Café UTF-16", "Café item one", 1},
		// A BOM beats a wrong header.
		{"utf-16le-bom.xml", "text/xml; charset=iso-8859-1", "rss", "2.0", "Café UTF-16", "Café item one", 1},
		{"utf-8-bom.xml", "", "atom", "1.0", "Café UTF-8 BOM", "Café item one", 1},
		{"control-chars.xml", "", "rss", "2.0", "Café controls", "Café item one", 1},
		// A Latin-1 header on a UTF-8 body is a server default, not the truth.
		{"rss20.xml", "text/xml; charset=ISO-8859-1", "rss", "2.0", "Café 2.0", "Café item one", 2},
		// Servers often serve feeds as text/html: the root decides.
		{"rss20.xml", "text/html; charset=utf-8", "rss", "2.0", "Café 2.0", "Café item one", 2},
	}
	p := New()
	for _, tt := range tests {
		t.Run(tt.file+"/"+tt.contentType, func(t *testing.T) {
			f, err := p.Parse(readTestdata(t, tt.file), tt.contentType)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if f.FeedType != tt.wantType || f.FeedVersion != tt.wantVersion {
				t.Errorf("type %s %s, want %s %s", f.FeedType, f.FeedVersion, tt.wantType, tt.wantVersion)
			}
			if f.Title != tt.wantTitle {
				t.Errorf("title %q, want %q", f.Title, tt.wantTitle)
			}
			if len(f.Items) != tt.wantItems {
				t.Fatalf("%d items, want %d", len(f.Items), tt.wantItems)
			}
			if got := f.Items[0].Title; got != tt.wantItem {
				t.Errorf("first item %q, want %q", got, tt.wantItem)
			}
		})
	}
}

func TestParseKeepsContent(t *testing.T) {
	p := New()
	tests := []struct {
		file string
		get  func(*testing.T, []byte) string
		want string
	}{
		{"windows-1252-undeclared.xml", func(t *testing.T, b []byte) string { return mustParse(t, p, b).Description }, "“quoted” — dash €"},
		{"windows-1252-undeclared.xml", func(t *testing.T, b []byte) string { return mustParse(t, p, b).Items[0].Description }, "It’s crème brûlée"},
		{"utf-16be-bom.xml", func(t *testing.T, b []byte) string { return mustParse(t, p, b).Items[0].Description }, "emoji 😀"},
		{"control-chars.xml", func(t *testing.T, b []byte) string { return mustParse(t, p, b).Description }, "abcd"},
		{"control-chars.xml", func(t *testing.T, b []byte) string { return mustParse(t, p, b).Items[0].Description }, "backspace"},
		{"rss20.xml", func(t *testing.T, b []byte) string { return mustParse(t, p, b).Items[0].Content }, `<p>Full <em>content</em> with <img src="/a.png"></p>`},
		// No image scan of the content: the image comes from elsewhere.
		{"rss20.xml", func(t *testing.T, b []byte) string {
			if img := mustParse(t, p, b).Items[0].Image; img != nil {
				return img.URL
			}
			return ""
		}, ""},
		{"rss20.xml", func(t *testing.T, b []byte) string { return OrigLink(mustParse(t, p, b).Items[0]) }, "https://example.com/2024/03/cafe"},
		{"rss20.xml", func(t *testing.T, b []byte) string { return OrigLink(mustParse(t, p, b).Items[1]) }, ""},
		// A feed-declared prefix other than "feedburner" is found too.
		{"atom10.xml", func(t *testing.T, b []byte) string { return OrigLink(mustParse(t, p, b).Items[0]) }, "https://example.com/orig/1"},
		{"jsonfeed-bom.json", func(t *testing.T, b []byte) string { return mustParse(t, p, b).Items[0].Content }, "xy"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			if got := strings.TrimSpace(tt.get(t, readTestdata(t, tt.file))); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func mustParse(t *testing.T, p *Parser, b []byte) *gofeed.Feed {
	t.Helper()
	f, err := p.Parse(b, "")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return f
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name        string
		body        []byte
		contentType string
		wantIs      error
		wantMsg     string // the whole message when it starts with "=", else a substring
	}{
		{"empty", readTestdata(t, "empty.xml"), "", ErrEmptyBody, "=parse: empty body"},
		{"whitespace", []byte(" \r\n\t "), "", ErrEmptyBody, "=parse: empty body"},
		{"garbage", readTestdata(t, "garbage.bin"), "", ErrNotFeed, `=parse: not a feed: found "\x00\x01\x02\x03\x04\x05\x06\a\b\t\n\v\f…", not <rss>, <rdf:RDF>, <feed> or a JSON object`},
		// The snippet quotes the bytes that came, not a windows-1252 guess
		// of them: what is not printable UTF-8 shows escaped, never raw.
		{"invalid UTF-8 and control bytes", []byte("\xb8\xc35\xcf\x00\x1b[31mred\x7f\r\n\xff"), "", ErrNotFeed,
			`=parse: not a feed: found "\xb8\xc35\xcf\x00\x1b[31mred\x7f\r\n\xff", not <rss>, <rdf:RDF>, <feed> or a JSON object`},
		{"binary cut short", []byte("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xed\xbd\x07`"), "", ErrNotFeed,
			`=parse: not a feed: found "\x1f\x8b\b\x00\x00\x00\x00\x00\x00\x03…", not <rss>, <rdf:RDF>, <feed> or a JSON object`},
		{"UTF-8 text stays readable", []byte("Überlastet \u2013 bitte später \"erneut\" versuchen, danke!"), "text/plain", ErrNotFeed,
			`=parse: not a feed: found "Überlastet – bitte später \"erneut\" ver…", not <rss>, <rdf:RDF>, <feed> or a JSON object`},
		{"bidi override and C1 control", []byte("abc\u202edef\u0085"), "", ErrNotFeed, `parse: not a feed: found "abc\u202edef\u0085", not`},
		{"declared Latin-1 text", []byte("Caf\xe9 ferm\xe9"), "text/plain; charset=iso-8859-1", ErrNotFeed, `parse: not a feed: found "Café fermé", not`},
		{"undeclared Latin-1 text", []byte("Caf\xe9 ferm\xe9"), "text/plain", ErrNotFeed, `parse: not a feed: found "Caf\xe9 ferm\xe9", not`},
		{"unprintable root", []byte("<\u202egvs\xff/>"), "", ErrNotFeed, `parse: not a feed: found <\u202egvs\xff>, not`},
		{"HTML page linking to an escape", []byte(`<html><link rel="alternate" type="application/rss+xml" href="/rss&#27;[2J&#x202e;"></html>`), "", ErrNotFeed,
			`=parse: not a feed: an HTML page (it links to feed /rss\x1b[2J\u202e)`},
		{"plain text", []byte("Service Unavailable"), "text/plain", ErrNotFeed, `=parse: not a feed: found "Service Unavailable", not <rss>, <rdf:RDF>, <feed> or a JSON object`},
		{"other XML", readTestdata(t, "other-xml.xml"), "application/xml", ErrNotFeed, "found <svg>"},
		{"JSON not a feed", []byte(`{"error": "rate limited"}`), "application/json", ErrNotFeed, "=parse: not a feed: a JSON document that is not a JSON Feed"},
		{"JSON array", []byte(` [1, 2]`), "application/json", ErrNotFeed, "parse: not a feed"},
		// Said in the format's words, not in gofeed's Go types (soak QA).
		{"JSON Feed with wrong types", []byte(`{"version": "https://jsonfeed.org/version/1.1", "items": {}}`), "", nil,
			`=parse: invalid JSON Feed: "items" is an object, not an array`},
		{"JSON Feed item with wrong types", []byte(`{"version": "https://jsonfeed.org/version/1.1", "items": [{"title": 5}]}`), "", nil,
			`=parse: invalid JSON Feed: "items.title" is a number, not a string`},
		{"JSON not a feed, wrong types", []byte(`{"items": "none", "error": "rate limited"}`), "", ErrNotFeed,
			`=parse: not a feed: a JSON document that is not a JSON Feed ("items" is a string, not an array)`},
		// (One that merely ends early keeps what arrived: truncated_json.go.)
		{"JSON broken", []byte(`{"version": "https://jsonfeed.org/version/1.1", "items": [}`), "", nil, "parse: JSON syntax error at byte"},
		{"XML syntax", readTestdata(t, "broken.xml"), "", nil, "=parse: XML syntax error on line 7: expected element name after <"},
		{"HTML page", readTestdata(t, "html-page.html"), "text/html", ErrNotFeed,
			"=parse: not a feed: an HTML page (it links to feeds https://example.com/feed.xml, /atom.xml?a=1&b=2, feed.json)"},
		{"HTML page without type", readTestdata(t, "html-page.html"), "", ErrNotFeed, "an HTML page (it links to feeds"},
		{"HTML without doctype", []byte(`<html><head><link rel="alternate" type="application/rss+xml" href="/rss"></head></html>`), "", ErrNotFeed,
			"=parse: not a feed: an HTML page (it links to feed /rss)"},
		{"HTML fragment served as HTML", []byte(`<p>hello</p>`), "text/html", ErrNotFeed, "=parse: not a feed: an HTML page"},
		{"HTML text served as HTML", []byte(`hello`), "text/html", ErrNotFeed, "=parse: not a feed: an HTML page"},
		{"too deep", nested(maxDepth + 1), "", nil, "=parse: elements nested deeper than 10000 levels"},
	}
	p := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := p.Parse(tt.body, tt.contentType)
			if err == nil {
				t.Fatalf("Parse gave a feed %q and no error", f.Title)
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("error %q does not match %q", err, tt.wantIs)
			}
			if want, ok := strings.CutPrefix(tt.wantMsg, "="); ok {
				if err.Error() != want {
					t.Errorf("error %q, want %q", err, want)
				}
			} else if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %q, want it to contain %q", err, tt.wantMsg)
			}
		})
	}
}

func TestHTMLPageErrorAlternates(t *testing.T) {
	_, err := New().Parse(readTestdata(t, "html-page.html"), "text/html; charset=utf-8")
	var page *HTMLPageError
	if !errors.As(err, &page) {
		t.Fatalf("error %v is not an *HTMLPageError", err)
	}
	want := []string{"https://example.com/feed.xml", "/atom.xml?a=1&b=2", "feed.json"}
	if !reflect.DeepEqual(page.Alternates, want) {
		t.Errorf("alternates %q, want %q", page.Alternates, want)
	}
}

func TestParseDepth(t *testing.T) {
	tests := []struct {
		name    string
		body    []byte
		wantErr bool
	}{
		{"at the limit", nested(maxDepth), false},
		{"over the limit", nested(maxDepth + 1), true},
		{"far over the limit", nested(100_000), true},
		// Unclosed raw HTML nests until its parent ends, and many such
		// runs in a row do not add up.
		{"unclosed tags", unclosed(maxDepth/2, 4), false},
		// Tags in CDATA, comments or quoted attribute values do not count.
		{"markup in CDATA", cdataTags(2 * maxDepth), false},
		// Stray end tags close nothing.
		{"stray end tags", stray(2 * maxDepth), false},
	}
	p := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := p.Parse(tt.body, "")
			if (err != nil) != tt.wantErr {
				t.Errorf("error %v, want error %v", err, tt.wantErr)
			}
		})
	}
}

// A document of more elements (XML) or values (JSON) than any feed holds is
// refused before gofeed builds them: a 10 MB body of empty items took
// 750 MB (XML) and 1.7 GB (JSON) to parse. (Documents within the limits
// are checked without being parsed: gofeed takes seconds on them.)
func TestParseSize(t *testing.T) {
	items := func(n int) []byte { // rss, channel, title and n items
		return []byte(`<rss version="2.0"><channel><title>t</title>` + strings.Repeat("<item/>", n) + `</channel></rss>`)
	}
	jsonItems := func(n int, item string) []byte { // the object, the items array, n-1 commas
		return []byte(`{"version":"https://jsonfeed.org/version/1.1","items":[` + strings.TrimSuffix(strings.Repeat(item+",", n), ",") + `]}`)
	}
	tests := []struct {
		name    string
		body    []byte
		wantErr string
	}{
		{"elements at the limit", items(maxElements - 3), ""},
		// A larger body may hold as many elements as real feeds' text
		// allows (review: fetch.max_body raised for a big archive).
		{"a large body of real items", []byte(`<rss version="2.0"><channel><title>t</title>` +
			strings.Repeat("<item><title>Episode 123: the harbour, the wall and the vote</title><guid>https://podcast.example/episodes/123</guid>"+
				"<description>Show notes: the council, the engineers and the residents of the low streets on what the floodwall will cost.</description></item>",
				maxElements/3+1000) + `</channel></rss>`), ""},
		{"elements over the limit", items(maxElements - 2), "parse: more than 250000 elements"},
		{"markup in CDATA does not count", []byte(`<rss version="2.0"><channel><item><description><![CDATA[` +
			strings.Repeat("<p>x</p>", maxElements) + `]]></description></item></channel></rss>`), ""},
		{"JSON values at the limit", jsonItems((maxJSONValues-2)/2, `{}`), ""},
		{"JSON values over the limit", jsonItems(maxJSONValues/2, `{}`), "parse: more than 500000 JSON values"},
		{"commas in strings do not count", jsonItems(1, `{"title":"`+strings.Repeat(",[{", maxJSONValues)+`"}`), ""},
		{"escaped quotes do not end a string", jsonItems(1, `{"title":"\"`+strings.Repeat(",", maxJSONValues)+`"}`), ""},
	}
	p := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.wantErr == "" {
				check := checkShape
				if tt.body[0] == '{' {
					check = checkJSONShape
				}
				if err := check(tt.body); err != nil {
					t.Errorf("error %v", err)
				}
				return
			}
			if _, err := p.Parse(tt.body, ""); err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) {
				t.Errorf("error %v, want %q", err, tt.wantErr)
			}
		})
	}
}

// nested returns an RSS feed whose item holds depth elements in all, counting
// rss, channel and item.
func nested(depth int) []byte {
	var b strings.Builder
	b.WriteString(`<rss version="2.0" xmlns:x="urn:x"><channel><title>t</title><item><title>deep</title>`)
	n := depth - 3
	b.WriteString(strings.Repeat("<x:a>", n))
	b.WriteString(strings.Repeat("</x:a>", n))
	b.WriteString(`</item></channel></rss>`)
	return []byte(b.String())
}

// unclosed returns an RSS feed with items items whose descriptions hold n
// unclosed tags each.
func unclosed(n, items int) []byte {
	item := `<item><title>u</title><description>` + strings.Repeat("<p>line<br>", n/2) + `</description></item>`
	return []byte(`<rss version="2.0"><channel><title>t</title>` + strings.Repeat(item, items) + `</channel></rss>`)
}

func stray(n int) []byte {
	return []byte(`<rss version="2.0"><channel><title>t</title><item><title>s</title>` +
		strings.Repeat("</x></y>", n) + `</item></channel></rss>`)
}

func cdataTags(n int) []byte {
	return []byte(`<rss version="2.0"><channel><title>t</title><!-- ` + strings.Repeat("<c>", n) + ` -->` +
		`<item><title a="x>y" b='>'>c</title><description><![CDATA[` +
		strings.Repeat("<div>", n) + `]]></description></item></channel></rss>`)
}

// TestParseConcurrent runs one Parser from several goroutines; run with
// -race it proves the Parser keeps no per-parse state.
func TestParseConcurrent(t *testing.T) {
	p := New()
	files := []string{"rss20.xml", "atom10.xml", "jsonfeed11.json", "utf-16le-bom.xml", "windows-1252-undeclared.xml"}
	var wg sync.WaitGroup
	for _, name := range files {
		body := readTestdata(t, name)
		for range 4 {
			wg.Go(func() {
				if _, err := p.Parse(body, ""); err != nil {
					t.Errorf("%s: %v", name, err)
				}
			})
		}
	}
	wg.Wait()
}

// A declaration that only reads as one once control characters are dropped
// must not hand encoding/xml an encoding it would act on.
func TestParseDeclarationBehindControls(t *testing.T) {
	body := "<?xml\x00 version=\"1.0\" encoding=\"utf-32\"?><rss version=\"2.0\"><channel><title>T</title>" +
		"<item><title>I</title></item></channel></rss>"
	f, err := New().Parse([]byte(body), "")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if f.Title != "T" || len(f.Items) != 1 {
		t.Errorf("title %q, %d items", f.Title, len(f.Items))
	}
}
