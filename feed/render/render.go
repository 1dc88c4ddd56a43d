package render

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/normalise"
)

// Format is one of the output formats.
type Format string

const (
	Atom Format = "atom"
	RSS  Format = "rss"
	JSON Format = "json"
)

// ContentType returns the media type a format is served with.
func (f Format) ContentType() string {
	switch f {
	case Atom:
		return "application/atom+xml; charset=utf-8"
	case RSS:
		return "application/rss+xml; charset=utf-8"
	case JSON:
		return "application/feed+json; charset=utf-8"
	}
	return "application/octet-stream"
}

// ShareLink is one share target: a name shown to readers and a URL template
// in which {url}, {title} and {text} are replaced (query-escaped).
type ShareLink struct {
	Name     string
	Template string
}

// Page describes the document being rendered: the feed's own metadata and,
// for paged feeds, the RFC 5005 links.
type Page struct {
	Title       string
	ID          string // feed id; defaults to SelfURL
	Author      string
	Description string
	// Language is the feed's language tag (e.g. "en"); empty omits it.
	Language string
	// SelfURL is the absolute URL of this document; AlternateURL the HTML
	// page it stands for.
	SelfURL      string
	AlternateURL string
	// BaseURL is the absolute root of the service; entry ids and links to
	// entry pages are made from it.
	BaseURL string
	// Updated is the newest entry modification; zero when there are no
	// entries (the render then uses the Unix epoch, never "now", so that
	// the bytes are stable).
	Updated                 time.Time
	Hubs                    []string
	First, Prev, Next, Last string
}

// Options are the rendering choices that come from the config.
type Options struct {
	// Private filters what is published of private sources' entries
	// (feed.Private): whatever was stored with them, their feed URL and
	// every link that repeats it are left out.
	Private feed.Private
	Share   []ShareLink
	// UTM, when set, is appended as utm_source/utm_medium to links in share
	// URLs (never to ids).
	UTM string
}

// Write renders entries (newest first) in format f to w.
func Write(w io.Writer, f Format, p Page, entries []*feed.Entry, opts Options) error {
	var render func(*bufio.Writer, Page, []item) error
	switch f {
	case Atom:
		render = writeAtom
	case RSS:
		render = writeRSS
	case JSON:
		render = writeJSON
	default:
		return fmt.Errorf("render: unknown format %q", f)
	}
	sharer, err := NewSharer(opts.Share, opts.UTM)
	if err != nil {
		return fmt.Errorf("render %s: %w", f, err)
	}
	p = cleanPage(p)
	items := make([]item, 0, len(entries))
	for _, e := range entries {
		if e != nil {
			items = append(items, newItem(p, opts.Private.Entry(e), sharer))
		}
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	if err := render(bw, p, items); err != nil {
		return fmt.Errorf("render %s: %w", f, err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("render %s: write: %w", f, err)
	}
	return nil
}

// headlineWords is how many words of its text an untitled item's title
// takes (normalise.Headline).
const headlineWords = 10

// Headline is the title the feeds give an entry its upstream left
// untitled (a microblog's note): the first words of its text. Atom
// requires a title and RSS readers list items by theirs: such a post was a
// blank row, shared with an empty subject. JSON Feed, whose title is
// optional, leaves it out. The web pages title and share it the same way.
func Headline(e *feed.Entry) string {
	body := e.Content
	if body == "" {
		body = e.Summary
	}
	// The headline is read before PublicText, which would copy the
	// whole body; only the words taken need it.
	return xmlSafe(feed.PublicText(normalise.Headline(body, headlineWords)))
}

// item is an entry prepared once for every format: strings stripped of what
// XML cannot carry, ids and dates settled, footer and share URLs built.
type item struct {
	id, title, link, author, lang, image string
	// untitled marks a title made of the item's text, for a format that
	// has no title to give (JSON Feed's is optional).
	untitled bool
	// content is the republished HTML with the footer; summary is set only
	// when it says something the content does not; excerpt is the summary,
	// or the content without the footer when there is no summary.
	content, summary, excerpt string
	categories                []string
	enclosures                []feed.Enclosure
	published                 time.Time // zero when unknown
	updated                   time.Time // never zero
	orig                      *copyRef  // nil when the entry has no copies
	others                    []copyRef
	share                     []Shared
}

// copyRef attributes one upstream copy.
type copyRef struct {
	name, feedURL, siteURL, link string
	updated                      time.Time
}

// epoch stands in for unknown required dates: "now" would make two renders
// of the same entries differ.
func epoch() time.Time { return time.Unix(0, 0).UTC() }

func newItem(p Page, e *feed.Entry, sharer *Sharer) item {
	it := item{
		id:        p.BaseURL + "entries/" + xmlSafe(e.ID),
		title:     strings.TrimSpace(xmlSafe(e.Title)),
		link:      feed.PublicURL(xmlSafe(e.Link)),
		author:    xmlSafe(e.Author),
		lang:      xmlSafe(e.Lang),
		image:     feed.PublicURL(xmlSafe(e.Image)),
		published: utc(e.Published),
		updated:   firstTime(e.Updated, e.Published),
	}
	if len(e.Categories) > 0 {
		it.categories = make([]string, 0, len(e.Categories))
		for _, c := range e.Categories {
			if c = xmlSafe(c); c != "" {
				it.categories = append(it.categories, c)
			}
		}
	}
	for _, enc := range e.Enclosures {
		if enc.URL = feed.PublicURL(xmlSafe(enc.URL)); enc.URL != "" {
			enc.Type = xmlSafe(enc.Type)
			it.enclosures = append(it.enclosures, enc)
		}
	}
	it.attribute(e)
	if it.link == "" && it.orig != nil {
		it.link = it.orig.link
	}

	// Entries stored before links were resolved without a source's
	// credentials may hold them in their HTML (feed.PublicText).
	body := feed.PublicText(e.Content)
	if body == "" {
		body = feed.PublicText(e.Summary)
	} else if e.Summary != "" && e.Summary != e.Content {
		it.summary = xmlSafe(feed.PublicText(e.Summary))
	}
	if it.title == "" {
		it.title, it.untitled = Headline(e), true
	}
	// Without a link there is nothing to share: readers would be offered a
	// share of the title alone.
	it.share = sharer.Links(it.link, it.title)
	var b strings.Builder
	body = xmlSafe(body)
	it.excerpt = body
	if it.summary != "" {
		it.excerpt = it.summary
	}
	b.Grow(len(body) + footerSize(&it))
	b.WriteString(body)
	writeFooter(&b, &it)
	it.content = b.String()
	return it
}

// attribute fills the original and the other copies, leaving out copies
// whose link is already attributed (the same item seen twice).
func (it *item) attribute(e *feed.Entry) {
	oc := e.OriginalCopy()
	if oc == nil {
		return
	}
	orig := newCopyRef(oc)
	if orig.link == "" {
		orig.link = it.link
	}
	it.orig = &orig
	for i := range e.Copies {
		if i == e.Original {
			continue
		}
		c := newCopyRef(&e.Copies[i])
		if c.link == "" && c.name == "" {
			continue
		}
		if c.link != "" && (c.link == orig.link || it.attributed(c.link)) {
			continue
		}
		it.others = append(it.others, c)
	}
}

func (it *item) attributed(link string) bool {
	for _, o := range it.others {
		if o.link == link {
			return true
		}
	}
	return false
}

func newCopyRef(c *feed.Copy) copyRef {
	r := copyRef{
		name:    xmlSafe(c.SourceName),
		feedURL: WebURL(xmlSafe(c.FeedURL)),
		siteURL: WebURL(xmlSafe(c.SiteURL)),
		link:    feed.PublicURL(xmlSafe(c.Link)),
		updated: firstTime(c.Updated, c.Published),
	}
	if r.name == "" {
		r.name = hostOf(r.siteURL, r.feedURL, r.link)
	}
	if r.name == "" {
		r.name = xmlSafe(c.SourceID)
	}
	return r
}

// WebURL returns a source's feed or site URL u, without its credentials
// (feed.PublicSourceURL: the userinfo and the query's secrets), when it is
// an absolute http or https URL, else "". A source read from a local file
// has a path as its feed URL: readers could not follow it, Atom wants an
// absolute IRI as a source's id, and the server's file system is nobody
// else's business. A source fetched with credentials in its URL
// (http://user:password@host/feed, ?token=…) keeps them in every copy
// stored before this rule: they are the operator's, not the readers'. The web pages and the
// server's OPML list use it too, so that a URL is shown to readers by the
// same rule everywhere.
func WebURL(u string) string {
	scheme, rest, ok := strings.Cut(u, "://")
	if !ok || rest == "" || !(strings.EqualFold(scheme, "http") || strings.EqualFold(scheme, "https")) {
		return ""
	}
	u = feed.PublicSourceURL(u)
	if _, host, _ := strings.Cut(u, "://"); host == "" {
		return "" // "https://user@" names no host once the userinfo is gone
	}
	return u
}

// hostOf returns the host of the first URL that has one: a readable name for
// a source that never named itself.
func hostOf(urls ...string) string {
	for _, u := range urls {
		_, rest, ok := strings.Cut(u, "://")
		if !ok {
			continue
		}
		if i := strings.IndexAny(rest, "/?#"); i >= 0 {
			rest = rest[:i]
		}
		if rest != "" {
			return rest
		}
	}
	return ""
}

func cleanPage(p Page) Page {
	p.Title = xmlSafe(p.Title)
	p.ID = xmlSafe(p.ID)
	p.Author = xmlSafe(p.Author)
	p.Description = xmlSafe(p.Description)
	p.Language = xmlSafe(p.Language)
	p.SelfURL = xmlSafe(p.SelfURL)
	p.AlternateURL = xmlSafe(p.AlternateURL)
	p.BaseURL = xmlSafe(p.BaseURL)
	if p.BaseURL != "" && !strings.HasSuffix(p.BaseURL, "/") {
		// Entry ids are BaseURL + "entries/" + id: a missing slash would
		// glue the path onto the host.
		p.BaseURL += "/"
	}
	p.First, p.Prev, p.Next, p.Last = xmlSafe(p.First), xmlSafe(p.Prev), xmlSafe(p.Next), xmlSafe(p.Last)
	if len(p.Hubs) > 0 {
		hubs := make([]string, 0, len(p.Hubs))
		for _, h := range p.Hubs {
			if h = xmlSafe(h); h != "" {
				hubs = append(hubs, h)
			}
		}
		p.Hubs = hubs
	}
	p.Updated = firstTime(p.Updated)
	return p
}

// utc drops sub-second precision and the zone so that every format states
// the same instant the same way, whatever location the store decoded.
func utc(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC().Truncate(time.Second)
}

// firstTime returns the first non-zero time, or the epoch.
func firstTime(ts ...time.Time) time.Time {
	for _, t := range ts {
		if !t.IsZero() {
			return utc(t)
		}
	}
	return epoch()
}
