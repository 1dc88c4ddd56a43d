package corpus

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// render writes every feed's body for both rounds.
func (g *gen) render(c *Corpus) {
	for r := range 2 {
		c.bodies[r] = map[string][]byte{}
		for _, b := range g.blogs {
			for _, f := range b.feeds {
				var listed []*item
				for _, it := range f.items {
					if it.lab.Rounds[r] {
						listed = append(listed, it)
					}
				}
				slices.SortStableFunc(listed, func(x, y *item) int {
					if c := y.published.Compare(x.published); c != 0 {
						return c
					}
					return strings.Compare(x.guid, y.guid)
				})
				c.bodies[r][f.Path] = renderFeed(f, listed, r)
			}
		}
	}
}

func renderFeed(f *feedDef, items []*item, r int) []byte {
	switch f.Format {
	case "atom":
		return renderAtom(f, items, r)
	case "json":
		return renderJSON(f, items, r)
	}
	return renderRSS(f, items, r)
}

// esc escapes text for XML character data and attribute values.
func esc(s string) string {
	i := strings.IndexAny(s, `&<>"`)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + len(s)/4)
	for ; i >= 0; i = strings.IndexAny(s, `&<>"`) {
		b.WriteString(s[:i])
		switch s[i] {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		default:
			b.WriteString("&quot;")
		}
		s = s[i+1:]
	}
	b.WriteString(s)
	return b.String()
}

// lastUpdate is the newest change among items, for the feed's own date.
func lastUpdate(f *feedDef, items []*item, r int) time.Time {
	var t time.Time
	for _, it := range items {
		if u := it.ver[r].updated; u.After(t) {
			t = u
		}
		if it.published.After(t) {
			t = it.published
		}
	}
	if t.IsZero() {
		t = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return t.In(f.blog.zone)
}

func renderRSS(f *feedDef, items []*item, r int) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom"`)
	if f.blog.feedburner {
		b.WriteString(` xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0"`)
	}
	b.WriteString(">\n<channel>\n")
	fmt.Fprintf(&b, "<title>%s</title>\n<link>%s</link>\n<description>%s</description>\n<language>en</language>\n",
		esc(f.blog.name), esc(f.SiteURL), esc("Posts from "+f.blog.name))
	fmt.Fprintf(&b, "<lastBuildDate>%s</lastBuildDate>\n", lastUpdate(f, items, r).Format(time.RFC1123Z))
	fmt.Fprintf(&b, `<atom:link href="%sfeed/" rel="self" type="application/rss+xml" />`+"\n", esc(f.SiteURL))
	for _, it := range items {
		v := it.ver[r]
		b.WriteString("<item>\n")
		fmt.Fprintf(&b, "<title>%s</title>\n<link>%s</link>\n", esc(v.title), esc(it.link))
		fmt.Fprintf(&b, "<guid isPermaLink=\"%t\">%s</guid>\n", it.permaGUID, esc(it.guid))
		fmt.Fprintf(&b, "<pubDate>%s</pubDate>\n", it.published.In(f.blog.zone).Format(time.RFC1123Z))
		fmt.Fprintf(&b, "<dc:creator><![CDATA[%s]]></dc:creator>\n", it.author)
		for _, t := range it.tags {
			fmt.Fprintf(&b, "<category><![CDATA[%s]]></category>\n", t)
		}
		switch {
		case v.summary != "" && v.content != "":
			fmt.Fprintf(&b, "<description>%s</description>\n", esc(v.summary))
			fmt.Fprintf(&b, "<content:encoded><![CDATA[%s]]></content:encoded>\n", v.content)
		case v.summary != "":
			fmt.Fprintf(&b, "<description>%s</description>\n", esc(v.summary))
		case v.content != "" && f.blog.role != "blog":
			fmt.Fprintf(&b, "<content:encoded><![CDATA[%s]]></content:encoded>\n", v.content)
		case v.content != "":
			fmt.Fprintf(&b, "<description>%s</description>\n", esc(v.content))
		}
		if it.origLink != "" {
			fmt.Fprintf(&b, "<feedburner:origLink>%s</feedburner:origLink>\n", esc(it.origLink))
		}
		b.WriteString("</item>\n")
	}
	b.WriteString("</channel>\n</rss>\n")
	return b.Bytes()
}

func renderAtom(f *feedDef, items []*item, r int) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n")
	b.WriteString(`<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">` + "\n")
	fmt.Fprintf(&b, "<title>%s</title>\n<id>%s</id>\n", esc(f.blog.name), esc(f.SiteURL))
	fmt.Fprintf(&b, `<link rel="alternate" type="text/html" href="%s" />`+"\n", esc(f.SiteURL))
	fmt.Fprintf(&b, `<link rel="self" type="application/atom+xml" href="%satom.xml" />`+"\n", esc(f.SiteURL))
	fmt.Fprintf(&b, "<updated>%s</updated>\n", lastUpdate(f, items, r).Format(time.RFC3339))
	for _, it := range items {
		v := it.ver[r]
		updated := v.updated
		if updated.Before(it.published) {
			updated = it.published
		}
		b.WriteString("<entry>\n")
		fmt.Fprintf(&b, "<title type=\"html\">%s</title>\n", esc(esc(v.title)))
		fmt.Fprintf(&b, `<link rel="alternate" type="text/html" href="%s" />`+"\n", esc(it.link))
		fmt.Fprintf(&b, "<id>%s</id>\n", esc(it.guid))
		fmt.Fprintf(&b, "<published>%s</published>\n", it.published.In(f.blog.zone).Format(time.RFC3339))
		fmt.Fprintf(&b, "<updated>%s</updated>\n", updated.In(f.blog.zone).Format(time.RFC3339))
		fmt.Fprintf(&b, "<author><name>%s</name></author>\n", esc(it.author))
		for _, t := range it.tags {
			fmt.Fprintf(&b, "<category term=\"%s\" />\n", esc(t))
		}
		if v.summary != "" {
			fmt.Fprintf(&b, "<summary type=\"html\">%s</summary>\n", esc(v.summary))
		}
		if v.content != "" {
			fmt.Fprintf(&b, "<content type=\"html\">%s</content>\n", esc(v.content))
		}
		b.WriteString("</entry>\n")
	}
	b.WriteString("</feed>\n")
	return b.Bytes()
}

type jsonFeed struct {
	Version     string       `json:"version"`
	Title       string       `json:"title"`
	HomePageURL string       `json:"home_page_url"`
	FeedURL     string       `json:"feed_url"`
	Language    string       `json:"language,omitempty"`
	Items       []jsonItem   `json:"items"`
	Authors     []jsonAuthor `json:"authors,omitempty"`
}

type jsonItem struct {
	ID            string       `json:"id"`
	URL           string       `json:"url,omitempty"`
	Title         string       `json:"title,omitempty"`
	ContentHTML   string       `json:"content_html,omitempty"`
	Summary       string       `json:"summary,omitempty"`
	DatePublished string       `json:"date_published,omitempty"`
	DateModified  string       `json:"date_modified,omitempty"`
	Authors       []jsonAuthor `json:"authors,omitempty"`
	Tags          []string     `json:"tags,omitempty"`
}

type jsonAuthor struct {
	Name string `json:"name"`
}

func renderJSON(f *feedDef, items []*item, r int) []byte {
	doc := jsonFeed{Version: "https://jsonfeed.org/version/1.1", Title: f.blog.name, HomePageURL: f.SiteURL,
		FeedURL: f.SiteURL + "feed.json", Language: "en", Items: []jsonItem{}}
	for _, it := range items {
		v := it.ver[r]
		ji := jsonItem{ID: it.guid, URL: it.link, Title: v.title, ContentHTML: v.content,
			DatePublished: it.published.In(f.blog.zone).Format(time.RFC3339), Tags: it.tags,
			Authors: []jsonAuthor{{Name: it.author}}}
		if v.content == "" {
			ji.ContentHTML = v.summary
		} else if v.summary != "" {
			ji.Summary = plain(v.summary)
		}
		if v.updated.After(it.published) {
			ji.DateModified = v.updated.In(f.blog.zone).Format(time.RFC3339)
		}
		doc.Items = append(doc.Items, ji)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	// Encoding plain strings and slices cannot fail.
	_ = enc.Encode(doc)
	return b.Bytes()
}
