package render

import (
	"bufio"
	"encoding/xml"
	"strconv"
	"time"

	"github.com/gorilla/feeds"
)

const (
	nsContent = "http://purl.org/rss/1.0/modules/content/"
	nsDC      = "http://purl.org/dc/elements/1.1/"
)

// rssDoc extends gorilla's <rss> element with the prefixes the extensions
// use; encoding/xml writes prefixed names literally, so they must be
// declared here.
type rssDoc struct {
	*feeds.RssFeedXml
	XMLNSAtom  string      `xml:"xmlns:atom,attr"`
	XMLNSDC    string      `xml:"xmlns:dc,attr"`
	XMLNSMedia string      `xml:"xmlns:media,attr"`
	Channel    *rssChannel `xml:"channel"`
}

// rssChannel adds atom:link (self, hubs, paging) to gorilla's channel.
type rssChannel struct {
	*feeds.RssFeed
	Links []rssAtomLink `xml:"atom:link"`
	Items []*rssItem    `xml:"item"`
}

// rssAtomLink is its own type: gorilla's AtomLink names itself "link", and
// encoding/xml refuses a field tag that contradicts a type's XMLName.
type rssAtomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

// rssItem adds what gorilla cannot write: every category, every enclosure
// (gorilla drops one without both type and length), dc:creator (<author>
// wants an e-mail address), media:thumbnail and <source url>.
type rssItem struct {
	*feeds.RssItem
	Categories []string              `xml:"category"`
	Enclosures []*feeds.RssEnclosure `xml:"enclosure"`
	Creator    string                `xml:"dc:creator,omitempty"`
	Thumbnail  *mediaThumbnail       `xml:"media:thumbnail"`
	Source     *rssSource            `xml:"source"`
}

type rssSource struct {
	URL  string `xml:"url,attr"`
	Name string `xml:",chardata"`
}

func writeRSS(w *bufio.Writer, p Page, items []item) error {
	desc := p.Description
	if desc == "" {
		desc = p.Title // required by RSS 2.0
	}
	ch := &rssChannel{
		RssFeed: &feeds.RssFeed{
			Title:       p.Title,
			Link:        p.AlternateURL,
			Description: desc,
			Language:    p.Language,
			Generator:   "Tributary",
		},
		Items: make([]*rssItem, len(items)),
	}
	if !p.Updated.Equal(epoch()) {
		ch.LastBuildDate = rssTime(p.Updated)
	}
	for _, l := range pageLinks(p, "application/rss+xml", "") {
		ch.Links = append(ch.Links, rssAtomLink{Href: l.Href, Rel: l.Rel, Type: l.Type})
	}
	for i := range items {
		ch.Items[i] = newRSSItem(&items[i])
	}
	doc := rssDoc{
		RssFeedXml: &feeds.RssFeedXml{Version: "2.0", ContentNamespace: nsContent},
		XMLNSAtom:  nsAtom,
		XMLNSDC:    nsDC,
		XMLNSMedia: nsMedia,
		Channel:    ch,
	}
	if _, err := w.WriteString(xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	return w.WriteByte('\n')
}

func newRSSItem(it *item) *rssItem {
	r := &rssItem{
		RssItem: &feeds.RssItem{
			Title:       it.title,
			Link:        it.link,
			Description: it.excerpt,
			// The id is not the article's URL: say so, or readers would
			// open the id instead of the link.
			Guid: &feeds.RssGuid{Id: it.id, IsPermaLink: "false"},
		},
		Categories: it.categories,
		Creator:    it.author,
	}
	if it.content != "" {
		r.Content = &feeds.RssContent{Content: it.content}
	}
	if !it.published.IsZero() {
		r.PubDate = rssTime(it.published)
	} else {
		r.PubDate = rssTime(it.updated)
	}
	for _, enc := range it.enclosures {
		typ := enc.Type
		if typ == "" {
			typ = "application/octet-stream"
		}
		r.Enclosures = append(r.Enclosures, &feeds.RssEnclosure{
			Url: enc.URL, Type: typ, Length: strconv.FormatInt(max(enc.Length, 0), 10),
		})
	}
	if it.image != "" {
		r.Thumbnail = &mediaThumbnail{URL: it.image}
	}
	if o := it.orig; o != nil && o.feedURL != "" {
		r.Source = &rssSource{URL: o.feedURL, Name: o.name}
	}
	return r
}

func rssTime(t time.Time) string { return t.Format(time.RFC1123Z) }
