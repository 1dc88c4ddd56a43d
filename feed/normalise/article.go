package normalise

import (
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/parse"
)

// DefaultMaxFuture is how far ahead of now an item's date may be before it
// is taken for a clock or time-zone error. Two days covers every time-zone
// mistake and a publisher's clock running a day fast.
const DefaultMaxFuture = 48 * time.Hour

// Options tune Feed.
type Options struct {
	// Now is the first-seen time given to undated items (zero: time.Now).
	Now time.Time
	// MaxItems is how many items to take, the newest (see newest; 0: all).
	MaxItems int
	// MaxFuture is how far past Now a date may lie before it is clamped to
	// Now (0: DefaultMaxFuture).
	MaxFuture time.Duration
	// Sanitize is applied to content and summary HTML after boilerplate is
	// removed (nil: none).
	Sanitize func(html string) string
	// SanitizeFragment, when set, is used instead of Sanitize. It also
	// returns the parsed fragment its result was rendered from (nil when
	// it did not parse one), which the item's Text is then read from
	// instead of parsing the result again: sanitize.Policy.Fragment. The
	// nodes must be what parsing the result as a <body> fragment gives.
	SanitizeFragment func(html string) (string, []*html.Node)
	// Workers is how many items are made into Articles at once (0 or 1:
	// one at a time). Items are independent, so a large feed is normalised
	// in about 1/Workers of the time on that many cores; the result is the
	// same. Sanitize and SanitizeFragment must then be safe for concurrent
	// use.
	Workers int
}

// Meta is the upstream feed's description of itself.
type Meta struct {
	Title string
	// SiteURL is the feed's home page, absolute, or "" when the feed names
	// no http(s) home page.
	SiteURL string
	Lang    string
}

// Feed turns a parsed feed into Articles, one per item in feed order: an
// item is never dropped for lacking a date, a link or a GUID. feedURL is where
// the feed was fetched from; relative URLs are resolved against it when the
// feed names no absolute home page. f may be nil.
func Feed(f *gofeed.Feed, src feed.Source, feedURL string, opts Options) (Meta, []feed.Article) {
	if f == nil {
		return Meta{}, nil
	}
	p := Prepare(f, src, feedURL, opts)
	return p.Meta, p.Articles(nil)
}

// Fetched is a parsed feed about to be made into Articles: Feed in two
// steps, so that a caller can digest each item (Digest) and make Articles
// of only the items it has not seen before.
type Fetched struct {
	Meta  Meta
	b     builder
	items []*gofeed.Item
}

// Prepare reads what every item of f is built with: the first step of
// Feed. f may be nil.
func Prepare(f *gofeed.Feed, src feed.Source, feedURL string, opts Options) *Fetched {
	if f == nil {
		return &Fetched{}
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	if opts.MaxFuture <= 0 {
		opts.MaxFuture = DefaultMaxFuture
	}
	if opts.SanitizeFragment == nil {
		sanitize := opts.Sanitize
		if sanitize == nil {
			sanitize = func(s string) string { return s }
		}
		opts.SanitizeFragment = func(s string) (string, []*html.Node) { return sanitize(s), nil }
	}
	// Links are resolved against the feed's URL without the credentials
	// a source may be fetched with: what is stored is republished.
	feedURL = feed.PublicSourceURL(feedURL)
	meta := Meta{
		Title:   boundedText(f.Title, maxTitleRunes),
		SiteURL: httpURL(Resolve(feedURL, f.Link)),
		Lang:    strings.TrimSpace(f.Language),
	}
	b := builder{
		feed:           f,
		src:            src,
		opts:           opts,
		base:           meta.SiteURL,
		lang:           meta.Lang,
		canon:          atomCanonicals(f),
		fallbackAuthor: feedAuthor(f),
	}
	if b.base == "" {
		b.base = feedURL
	}
	items := newest(f.Items, opts.MaxItems)
	b.sharedGUIDs = sharedGUIDs(items)
	return &Fetched{Meta: meta, b: b, items: items}
}

// GUID is item i's GUID as published, spaces trimmed; "" for a nil item,
// and for a GUID that several items carry with different links
// (sharedGUIDs).
func (p *Fetched) GUID(i int) string {
	if it := p.items[i]; it != nil {
		return p.b.guid(it)
	}
	return ""
}

// Link is item i's link as published, spaces trimmed ("" for a nil item).
func (p *Fetched) Link(i int) string {
	if it := p.items[i]; it != nil {
		return strings.TrimSpace(it.Link)
	}
	return ""
}

// Items is the number of items taken that are not nil: the number of
// Articles that Articles(nil) makes.
func (p *Fetched) Items() int {
	n := 0
	for _, it := range p.items {
		if it != nil {
			n++
		}
	}
	return n
}

// Articles makes the Articles of the items that want reports true for (nil:
// every item), in feed order, nil items left out: the second step of Feed.
// want is called once per item, from the calling goroutine.
func (p *Fetched) Articles(want func(i int) bool) []feed.Article {
	items := p.items
	if want != nil {
		items = make([]*gofeed.Item, len(p.items))
		for i, it := range p.items {
			if it != nil && want(i) {
				items[i] = it
			}
		}
	}
	return p.b.articles(items)
}

// builder holds what every item of one feed is built with.
type builder struct {
	feed *gofeed.Feed
	src  feed.Source
	opts Options
	// base is what item links are resolved against: the feed's home page,
	// else the address it was fetched from.
	base           string
	lang           string
	canon          []string
	fallbackAuthor string
	sharedGUIDs    map[string]bool
}

func (b *builder) article(i int, it *gofeed.Item) feed.Article {
	a := feed.Article{
		SourceID:   b.src.ID,
		GUID:       b.guid(it),
		Link:       b.link(i, it),
		Title:      boundedText(it.Title, maxTitleRunes),
		Author:     itemAuthor(it),
		Categories: categories(it.Categories),
		Lang:       b.lang,
	}
	if a.Author == "" {
		a.Author = b.fallbackAuthor
	}
	// Relative URLs inside an item are relative to the page the item was
	// published on, when there is one. On a planet (an aggregator) that is
	// the original blog, whose relative links the copied content carries.
	base := a.Link
	if base == "" {
		base = b.base
	}
	a.Published, a.Updated, a.Undated = b.dates(it)
	if a.Undated {
		// Items dated when first seen keep their feed order (the first
		// listed is the newest) rather than the order of their ids: a
		// nanosecond apart, which no feed format shows.
		a.Published = a.Published.Add(-time.Duration(i))
		a.Updated = a.Published
	}
	a.Enclosures = enclosures(it.Enclosures, base)

	body, fromContent := it.Content, true
	if strings.TrimSpace(body) == "" {
		body, fromContent = it.Description, false
	}
	content := prepare(boundedHTML(body), base)
	a.Content, a.Text = b.sanitize(content.html)
	a.CrossPostedFrom = content.from
	image := content.image
	var summaryPixels map[string]bool
	if fromContent && strings.TrimSpace(it.Description) != "" {
		summary := prepare(boundedHTML(it.Description), base)
		var st string
		a.Summary, st = b.sanitize(summary.html)
		// A summary that says what the content says adds nothing.
		if st == a.Text {
			a.Summary = ""
		} else if a.Text == "" {
			a.Text = st
		}
		if a.CrossPostedFrom == nil {
			a.CrossPostedFrom = summary.from
		}
		if image == "" {
			image = summary.image
		}
		summaryPixels = summary.pixels
	}
	a.Image = itemImage(it, base)
	// gofeed fills an RSS item's image from the first <img> of its HTML,
	// which may be the tracking pixel that Boilerplate removed.
	if a.Image == "" || content.pixels[a.Image] || summaryPixels[a.Image] {
		a.Image = image
	}
	return a
}

// sanitize sanitises prepared HTML and returns it with its Text.
func (b *builder) sanitize(prepared string) (safe, text string) {
	safe, nodes := b.opts.SanitizeFragment(prepared)
	if nodes == nil {
		return safe, Text(safe)
	}
	return safe, strings.Join(textLinesOf(nodes, true), "\n")
}

// link picks the item's permalink: FeedBurner's origLink (the publisher's
// address behind FeedBurner's redirecting proxy), then a rel="canonical"
// link, then the item's own link, then a GUID that is an http(s) URL (an
// RSS guid is a permalink unless marked otherwise).
func (b *builder) link(i int, it *gofeed.Item) string {
	cands := []string{extValue(it.Extensions, "feedburner", "origLink")}
	if i < len(b.canon) {
		cands = append(cands, b.canon[i])
	}
	cands = append(cands, rssCanonical(it), it.Link)
	cands = append(cands, it.Links...)
	// An RSS item whose only link is an atom:link (a feed written by an
	// Atom library).
	cands = append(cands, rssAtomLink(it, "alternate"))
	// A JSON Feed item's external_url (gofeed lists it among Links) is the
	// page the item is about, another site's: taken for the item's own
	// link, it credited that site and based relative links on it.
	external := parse.ExternalURL(it)
	for _, c := range cands {
		if external != "" && c == external && c != it.Link {
			continue
		}
		if l := httpURL(Resolve(b.base, c)); l != "" {
			return StripTracking(Unwrap(l))
		}
	}
	// A GUID is a link only when it is spelled as one: "2" is an id, not a
	// path relative to the site; and not when several posts share it
	// (sharedGUIDs), which would make them one post again.
	if b.guid(it) == "" {
		return ""
	}
	return httpURL(it.GUID)
}

// dates returns an item's publication and update times in UTC. Dates before
// 1990 are taken as missing: they are zero values and epoch defaults, not
// publication dates. So are dates too far in the future (a clock or zone
// error): the item is dated when first seen, like an undated one, rather
// than at every fetch, which made it change, and the feed with it, at every
// round; once the date comes within reach it is used.
func (b *builder) dates(it *gofeed.Item) (published, updated time.Time, undated bool) {
	now := b.opts.Now.UTC()
	limit := now.Add(b.opts.MaxFuture)
	valid := func(t *time.Time) (time.Time, bool) {
		if t == nil || t.Year() < 1990 || t.After(limit) {
			return time.Time{}, false
		}
		return t.UTC(), true
	}
	published, ok := valid(it.PublishedParsed)
	if !ok {
		published, ok = valid(it.UpdatedParsed)
	}
	if !ok {
		published, undated = now, true
	}
	updated, ok = valid(it.UpdatedParsed)
	// An update cannot precede the publication; feeds that say so have
	// one of the two wrong, and the later one is the safer guess.
	if !ok || updated.Before(published) {
		updated = published
	}
	return published, updated, undated
}

// itemAuthor names the item's authors, else its Dublin Core creators.
func itemAuthor(it *gofeed.Item) string {
	var names []string
	add := func(s string) {
		s = boundedText(s, maxAuthorRunes)
		for _, n := range names {
			if n == s {
				return
			}
		}
		if s != "" {
			names = append(names, s)
		}
	}
	for _, p := range it.Authors {
		if p != nil {
			add(p.Name)
		}
	}
	if len(names) == 0 && it.Author != nil {
		add(it.Author.Name)
	}
	if len(names) == 0 && it.DublinCoreExt != nil {
		for _, c := range it.DublinCoreExt.Creator {
			add(c)
		}
	}
	return clipText(strings.Join(names, ", "), maxAuthorRunes)
}

func feedAuthor(f *gofeed.Feed) string {
	for _, p := range f.Authors {
		if p != nil {
			if name := boundedText(p.Name, maxAuthorRunes); name != "" {
				return name
			}
		}
	}
	if f.Author != nil {
		return boundedText(f.Author.Name, maxAuthorRunes)
	}
	return ""
}

// categories trims and deduplicates categories, ignoring case; the first
// spelling wins.
func categories(cats []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range cats {
		if len(out) == maxCategories {
			break
		}
		c = boundedText(c, maxCategoryRunes)
		k := strings.ToLower(c)
		if c == "" || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, c)
	}
	return out
}
