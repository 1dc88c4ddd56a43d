package web

import (
	"html/template"
	"strings"
	"time"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/render"
)

// page is what every template receives: the layout's fields and one of the
// page-specific views.
type page struct {
	Site siteView
	// Title is the document title; Description its meta description.
	Title       string
	Description string
	// Root is the relative path from this page to the site's root ("" or
	// "../"), so that links survive a reverse proxy's sub-path.
	Root string
	// Canonical is the page's absolute URL ("" when BaseURL is unknown).
	Canonical string
	// Nav names the navigation item to mark current ("river", "sources").
	Nav string
	OG  *ogView

	River   *riverView
	Entry   *entryView
	Sources *sourcesView
	Error   *errorView

	assets *assets
}

// Asset returns the relative URL of an embedded asset, carrying its hash so
// that it can be cached for good.
func (p *page) Asset(name string) string { return p.Root + p.assets.url(name) }

type siteView struct{ Title, Description, BaseURL string }

// ogView is Open Graph and Twitter card metadata.
type ogView struct {
	Type        string // website or article
	Title       string
	Description string
	URL         string
	Image       string
	Published   time.Time
	Modified    time.Time
}

// Card is the Twitter card type: a large image when there is one.
func (o *ogView) Card() string {
	if o.Image != "" {
		return "summary_large_image"
	}
	return "summary"
}

type riverView struct {
	Entries []entryView
	// Older is the cursor of the next page; Paged is true past the first.
	Older string
	Paged bool
}

// entryView is one entry as the pages show it.
type entryView struct {
	ID, Title, Link, Author, Lang, Image string
	Published                            time.Time
	Updated                              time.Time // zero unless later than Published
	Excerpt                              string
	Content                              template.HTML // sanitised again before display
	Original                             *copyView
	Others                               []copyView // other copies, links deduplicated
	Copies                               []copyView // every copy, for the entry page
	Share                                []shareLink
	Categories                           []string
	Enclosures                           []feed.Enclosure
}

// copyView attributes one upstream copy.
type copyView struct {
	Source, Link, Title, SiteURL string
	Published, FirstSeen         time.Time
	Rule                         string // how it was recognised, in words
	Original                     bool
}

type errorView struct {
	Status  int
	Message string
}

// ruleText says in words how a copy was recognised (the identify rules).
var ruleText = map[string]string{
	"new":     "first seen here",
	"guid":    "same item",
	"id":      "same global id",
	"link":    "same link",
	"text":    "same text",
	"near":    "nearly the same text",
	"edited":  "edited version",
	"excerpt": "excerpt of the same text",
	"item":    "same title and text",
}

// newCopyView names a copy by its source, else the host of its site, feed or
// link, as the feeds do.
func newCopyView(c *feed.Copy) copyView {
	name := render.SourceName(c)
	rule := ruleText[c.Rule]
	if rule == "" {
		rule = c.Rule
	}
	// The site is linked only when it is on the web, as the feeds do with a
	// copy's feed URL: a path would tell the server's file layout.
	return copyView{Source: name, Link: feed.PublicURL(c.Link), Title: c.Title, SiteURL: render.WebURL(c.SiteURL),
		Published: c.Published, FirstSeen: c.FirstSeen, Rule: rule}
}

// newEntryView prepares an entry: attribution, excerpt and share links.
// Content is left for the entry page, which sanitises it.
// newEntryView is the view of e, which its caller has passed through
// Options.Private.
func (s *Site) newEntryView(e *feed.Entry, o *Options) entryView {
	v := entryView{
		ID: e.ID, Title: strings.TrimSpace(e.Title), Link: feed.PublicURL(e.Link), Author: e.Author, Lang: e.Lang,
		Image: feed.PublicURL(e.Image), Published: e.Published.UTC(), Categories: e.Categories,
	}
	for _, enc := range e.Enclosures {
		enc.URL = feed.PublicURL(enc.URL)
		v.Enclosures = append(v.Enclosures, enc)
	}
	if !strings.HasPrefix(v.Image, "https://") && !strings.HasPrefix(v.Image, "http://") {
		v.Image = "" // og:image is a URL a preview fetches: nothing else belongs there
	}
	if !e.Updated.IsZero() && e.Updated.Sub(e.Published) > time.Minute {
		v.Updated = e.Updated.UTC()
	}
	seen := map[string]bool{}
	for i := range e.Copies {
		c := newCopyView(&e.Copies[i])
		c.Original = i == e.Original
		v.Copies = append(v.Copies, c)
	}
	if oc := e.OriginalCopy(); oc != nil {
		orig := v.Copies[e.Original]
		if orig.Link == "" {
			orig.Link = v.Link
		}
		v.Original = &orig
		seen[orig.Link] = true
		for i, c := range v.Copies {
			if i == e.Original || c.Link != "" && seen[c.Link] {
				continue
			}
			seen[c.Link] = true
			v.Others = append(v.Others, c)
		}
	}
	if v.Link == "" && v.Original != nil {
		v.Link = v.Original.Link
	}
	body := e.Summary
	if body == "" {
		body = e.Content
	}
	v.Excerpt = excerpt(feed.PublicText(body), excerptLength)
	if v.Title == "" {
		v.Title = render.Headline(e) // as the feeds title and share it
	}
	v.Share = o.sharer.Links(v.Link, v.Title)
	if v.Title == "" {
		v.Title = "(untitled)" // after the share links, which share no placeholder title
	}
	return v
}

// entryURL is an entry's absolute URL, its id in the feeds.
func entryURL(base, id string) string {
	if base == "" {
		return ""
	}
	return base + "entries/" + id
}

// Home is the relative link to the river.
func (p *page) Home() string {
	if p.Root == "" {
		return "./"
	}
	return p.Root
}
