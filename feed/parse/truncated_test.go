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
