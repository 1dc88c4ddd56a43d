package parse

import (
	"strings"
	"testing"
)

const rssHead = `<?xml version="1.0"?><rss version="2.0"><channel><title>Levee</title>`

func rssItem(n string) string {
	return `<item><title>Item ` + n + `</title><link>https://levee.example/` + n + `</link><description><![CDATA[<p>Text ` + n + `</p>]]></description></item>`
}

const atomHead = `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Levee</title><id>urn:x</id>`

func atomEntry(n string) string {
	return `<entry><title>Entry ` + n + `</title><id>urn:` + n + `</id><content type="html">&lt;p&gt;Text ` + n + `&lt;/p&gt;</content></entry>`
}

// A document cut short gives the items that arrived whole, never the one
// being received; a document malformed before its end stays an error.
func TestParseTruncated(t *testing.T) {
	full := rssHead + rssItem("1") + rssItem("2") + rssItem("3") + `</channel></rss>`
	cut3 := strings.Index(full, rssItem("3"))
	fullAtom := atomHead + atomEntry("1") + atomEntry("2") + `</feed>`
	tests := []struct {
		name    string
		body    string
		want    []string // item titles; nil with wantErr
		wantErr string
	}{
		{"rss cut in the closing tag", full[:len(full)-1], []string{"Item 1", "Item 2", "Item 3"}, ""},
		{"rss cut after the channel's last item", full[:len(full)-len(`</channel></rss>`)], []string{"Item 1", "Item 2", "Item 3"}, ""},
		{"rss cut inside the third item's text", full[:cut3+40], []string{"Item 1", "Item 2"}, ""},
		{"rss cut inside a CDATA section", full[:strings.Index(full, "Text 3")], []string{"Item 1", "Item 2"}, ""},
		{"rss cut inside a tag", full[:cut3+3], []string{"Item 1", "Item 2"}, ""},
		{"rss cut before any item", rssHead[:len(rssHead)-4], nil, ""},
		{"atom cut in the closing tag", fullAtom[:len(fullAtom)-2], []string{"Entry 1", "Entry 2"}, ""},
		{"atom cut inside the second entry", fullAtom[:strings.Index(fullAtom, "Entry 2")], []string{"Entry 1"}, ""},
		{"mismatched end tag is not a truncation", `<rss><channel><item><title>a</item></channel>`, nil, "XML syntax error"},
		{"cut before the root's first child", `<rss version="2.0"><chan`, nil, ""},
		// The text of the channel's last element before the cut is left
		// out, not kept half-written as the feed's description.
		{"cut inside the channel's text", rssHead + `<description>Half a sente`, nil, ""},
	}
	p := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := p.Parse([]byte(tt.body), "application/rss+xml")
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Parse = %v, want an error containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, it := range f.Items {
				got = append(got, it.Title)
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("items %q, want %q", got, tt.want)
			}
			if !Truncated(f) {
				t.Error("not marked Truncated")
			}
			if (strings.Contains(tt.body, "<title>Levee</title>") && f.Title != "Levee") || strings.Contains(f.Description, "Half") {
				t.Errorf("feed title %q, description %q; want the whole title and no cut text", f.Title, f.Description)
			}
		})
	}
}

func TestParseCompleteIsNotTruncated(t *testing.T) {
	f, err := New().Parse([]byte(rssHead+rssItem("1")+`</channel></rss>`), "")
	if err != nil || Truncated(f) {
		t.Errorf("Parse = %v; Truncated %v, want false", err, Truncated(f))
	}
}

func jsonItem(n string) string {
	return `{"id":"urn:` + n + `","title":"Item ` + n + `","url":"https://levee.example/` + n + `","content_html":"<p>Text ` + n + `</p>"}`
}

// QA: a JSON Feed cut short of its Content-Length failed whole, where an
// RSS or Atom one keeps the items that arrived whole. It keeps them too.
func TestParseTruncatedJSON(t *testing.T) {
	head := `{"version":"https://jsonfeed.org/version/1.1","title":"Levee","items":[`
	full := head + jsonItem("1") + "," + jsonItem("2") + "," + jsonItem("3") + `],"home_page_url":"https://levee.example/"}`
	cut3 := strings.Index(full, jsonItem("3"))
	tests := []struct {
		name  string
		body  string
		want  []string
		title string
	}{
		{"cut after the items", full[:len(full)-10], []string{"Item 1", "Item 2", "Item 3"}, "Levee"},
		{"cut inside the third item", full[:cut3+30], []string{"Item 1", "Item 2"}, "Levee"},
		{"cut between items", full[:cut3-1], []string{"Item 1", "Item 2"}, "Levee"},
		{"cut before any item", head[:len(head)-3], nil, "Levee"},
		// A member cut midway is left out, not kept half-written.
		{"cut inside the title", `{"version":"https://jsonfeed.org/version/1.1","title":"Lev`, nil, ""},
	}
	p := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := p.Parse([]byte(tt.body), "application/feed+json")
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, it := range f.Items {
				got = append(got, it.Title)
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") || f.Title != tt.title || !Truncated(f) {
				t.Errorf("items %q title %q truncated %v; want %q, %q, true", got, f.Title, Truncated(f), tt.want, tt.title)
			}
		})
	}
	// Malformed before its end is no truncation, and a whole feed is not
	// marked.
	if _, err := p.Parse([]byte(`{"version":"https://jsonfeed.org/version/1.1","items":[}`), "application/feed+json"); err == nil {
		t.Error("a malformed JSON Feed parsed")
	}
	if f, err := p.Parse([]byte(full), "application/feed+json"); err != nil || Truncated(f) {
		t.Errorf("the whole feed: %v, truncated %v", err, Truncated(f))
	}
}
