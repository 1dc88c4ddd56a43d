package render

import (
	"bufio"
	"encoding/xml"
	"strconv"
	"time"

	"github.com/gorilla/feeds"
)

const (
	nsAtom  = "http://www.w3.org/2005/Atom"
	nsMedia = "http://search.yahoo.com/mrss/"
)

// atomFeed extends gorilla's feed with what it cannot write: several links,
// a generator, xml:lang and the media prefix. Fields whose XML names match
// gorilla's hide them (encoding/xml keeps the shallower field).
type atomFeed struct {
	*feeds.AtomFeed
	XMLNSMedia string       `xml:"xmlns:media,attr"`
	Lang       string       `xml:"xml:lang,attr,omitempty"`
	Generator  string       `xml:"generator,omitempty"`
	Links      []atomLink   `xml:"link"`
	Entries    []*atomEntry `xml:"entry"`
}

// atomEntry adds published, xml:lang, category@term, atom:source, titled
// links and media:thumbnail. It carries its own Links (hiding gorilla's), so
// the alternate and enclosure links are added there too.
type atomEntry struct {
	*feeds.AtomEntry
	Lang       string          `xml:"xml:lang,attr,omitempty"`
	Content    *atomText       `xml:"content"`
	Summary    *atomText       `xml:"summary"`
	Categories []atomCategory  `xml:"category"`
	Links      []atomLink      `xml:"link"`
	Source     *atomSource     `xml:"source"`
	Thumbnail  *mediaThumbnail `xml:"media:thumbnail"`
}

// atomText is HTML carried in CDATA: encoding/xml splits a "]]>" inside it,
// and readers parse CDATA content about twice as fast as escaped text.
type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",cdata"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

// atomLink adds the title attribute gorilla's link lacks.
type atomLink struct {
	feeds.AtomLink
	Title string `xml:"title,attr,omitempty"`
}

type atomSource struct {
	ID      string     `xml:"id,omitempty"`
	Title   string     `xml:"title,omitempty"`
	Links   []atomLink `xml:"link"`
	Updated string     `xml:"updated,omitempty"`
}

type mediaThumbnail struct {
	URL string `xml:"url,attr"`
}

func link(rel, typ, href string) atomLink {
	return atomLink{AtomLink: feeds.AtomLink{Href: href, Rel: rel, Type: typ}}
}

func writeAtom(w *bufio.Writer, p Page, items []item) error {
	id := p.ID
	if id == "" {
		id = p.SelfURL
	}
	if id == "" {
		id = p.BaseURL
	}
	author := p.Author
	if author == "" {
		// Atom wants an author on every entry: the feed's stands in for
		// entries whose author is unknown.
		author = p.Title
	}
	doc := atomFeed{
		AtomFeed: &feeds.AtomFeed{
			Xmlns:    nsAtom,
			Title:    p.Title,
			Id:       id,
			Updated:  atomTime(p.Updated),
			Subtitle: p.Description,
			Author:   &feeds.AtomAuthor{AtomPerson: feeds.AtomPerson{Name: author}},
		},
		XMLNSMedia: nsMedia,
		Lang:       p.Language,
		Generator:  "Tributary",
		Links:      pageLinks(p, "application/atom+xml", "text/html"),
		Entries:    make([]*atomEntry, len(items)),
	}
	for i := range items {
		doc.Entries[i] = newAtomEntry(&items[i])
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

// pageLinks returns the feed-level links, shared by Atom and RSS (there as
// atom:link): self, alternate, hubs and the RFC 5005 paging links.
func pageLinks(p Page, selfType, altType string) []atomLink {
	links := make([]atomLink, 0, 6+len(p.Hubs))
	if p.SelfURL != "" {
		links = append(links, link("self", selfType, p.SelfURL))
	}
	if p.AlternateURL != "" && altType != "" {
		links = append(links, link("alternate", altType, p.AlternateURL))
	}
	for _, h := range p.Hubs {
		links = append(links, link("hub", "", h))
	}
	for _, l := range [...]struct{ rel, href string }{
		{"first", p.First}, {"prev", p.Prev}, {"next", p.Next}, {"last", p.Last},
	} {
		if l.href != "" {
			links = append(links, link(l.rel, selfType, l.href))
		}
	}
	return links
}

func newAtomEntry(it *item) *atomEntry {
	e := &atomEntry{
		AtomEntry: &feeds.AtomEntry{
			Title:   it.title,
			Updated: atomTime(it.updated),
			Id:      it.id,
		},
		Lang:  it.lang,
		Links: make([]atomLink, 0, 1+len(it.enclosures)+len(it.others)),
	}
	if !it.published.IsZero() {
		e.Published = atomTime(it.published)
	}
	if it.author != "" {
		e.Author = &feeds.AtomAuthor{AtomPerson: feeds.AtomPerson{Name: it.author}}
	}
	if it.content != "" {
		e.Content = &atomText{Type: "html", Body: it.content}
	}
	if it.summary != "" {
		e.Summary = &atomText{Type: "html", Body: it.summary}
	}
	for _, c := range it.categories {
		e.Categories = append(e.Categories, atomCategory{Term: c})
	}
	if it.link != "" {
		e.Links = append(e.Links, link("alternate", "text/html", it.link))
	}
	for _, enc := range it.enclosures {
		l := link("enclosure", enc.Type, enc.URL)
		if enc.Length > 0 {
			l.Length = strconv.FormatInt(enc.Length, 10)
		}
		e.Links = append(e.Links, l)
	}
	for _, o := range it.others {
		if o.link != "" {
			l := link("via", "", o.link)
			l.Title = o.name
			e.Links = append(e.Links, l)
		}
	}
	if o := it.orig; o != nil {
		s := &atomSource{ID: o.feedURL, Title: o.name, Updated: atomTime(o.updated)}
		if o.feedURL != "" {
			s.Links = append(s.Links, link("self", "", o.feedURL))
		}
		if o.siteURL != "" {
			s.Links = append(s.Links, link("alternate", "text/html", o.siteURL))
		}
		e.Source = s
	}
	if it.image != "" {
		e.Thumbnail = &mediaThumbnail{URL: it.image}
	}
	return e
}

func atomTime(t time.Time) string { return t.Format(time.RFC3339) }
