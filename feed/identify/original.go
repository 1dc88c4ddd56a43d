package identify

import (
	"net/url"
	"strings"
	"time"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/normalise"
)

// excerptRatio: a copy with fewer than this share of another copy's words is
// an excerpt of it ("first paragraph … Read more »"), so the fuller text is
// republished even when the excerpt is the original. Excerpts seen in planets
// run from one paragraph to about half the article; edits of a full copy rarely
// remove more than a third of it.
const excerptRatio = 0.6

// reconcile chooses the entry's original again after copy i changed or was
// added (a is that copy's article) and takes the republished fields from it.
func (id *Identifier) reconcile(e *feed.Entry, i int, a *feed.Article) {
	e.Original = id.original(e)
	o := e.Copies[e.Original]
	e.Title, e.Link, e.Published, e.Updated = o.Title, o.Link, o.Published, o.Updated
	if e.Title == "" {
		e.Title = firstTitle(e)
	}
	cur := e.ContentCopy
	switch {
	case i == cur:
		adoptContent(e, i, a) // an edit of the republished text
	case fuller(e.Copies[i], e.Copies[cur]):
		adoptContent(e, i, a) // the text republished so far was an excerpt
	case i == e.Original && !fuller(e.Copies[cur], e.Copies[i]):
		adoptContent(e, i, a) // the original's own words, unless only an excerpt
	}
}

// adopt fills a new entry from its first copy.
func adopt(e *feed.Entry, i int, a *feed.Article) {
	e.Original = i
	c := e.Copies[i]
	e.Title, e.Link, e.Published, e.Updated = c.Title, c.Link, c.Published, c.Updated
	adoptContent(e, i, a)
}

func adoptContent(e *feed.Entry, i int, a *feed.Article) {
	e.ContentCopy = i
	e.Author, e.Content, e.Summary = a.Author, a.Content, a.Summary
	e.Categories, e.Enclosures = a.Categories, a.Enclosures
	e.Image, e.Lang = a.Image, a.Lang
}

// fuller reports whether copy a has clearly more text than b, b being an
// excerpt of it.
func fuller(a, b feed.Copy) bool {
	return float64(b.Words) < excerptRatio*float64(a.Words)
}

func firstTitle(e *feed.Entry) string {
	for _, c := range e.Copies {
		if c.Title != "" {
			return c.Title
		}
	}
	return ""
}

// original returns the index of the copy the entry is attributed to.
func (id *Identifier) original(e *feed.Entry) int {
	best := 0
	for j := 1; j < len(e.Copies); j++ {
		if id.better(e, j, best) {
			best = j
		}
	}
	return best
}

// better reports whether copy j has a stronger claim to be the original
// than copy k: configured priority, then a cross-post footer of another copy
// naming it, then a link on its own source's site, then the earlier
// publication.
func (id *Identifier) better(e *feed.Entry, j, k int) bool {
	cj, ck := e.Copies[j], e.Copies[k]
	if pj, pk := id.priority[cj.SourceID], id.priority[ck.SourceID]; pj != pk {
		return pj > pk
	}
	if nj, nk := named(e, j), named(e, k); nj != nk {
		return nj
	}
	if oj, ok := ownLink(cj), ownLink(ck); oj != ok {
		// A planet or aggregator keeps the original's link: the copy whose
		// link is on its own source's site is the one that published it.
		return oj
	}
	if cj.Undated != ck.Undated {
		return !cj.Undated
	}
	if !cj.Published.Equal(ck.Published) {
		return cj.Published.Before(ck.Published)
	}
	if !cj.FirstSeen.Equal(ck.FirstSeen) {
		return cj.FirstSeen.Before(ck.FirstSeen)
	}
	return j < k
}

// named reports whether another copy's cross-post footer names copy j, by its
// source's name or by a link to its site.
func named(e *feed.Entry, j int) bool {
	c := e.Copies[j]
	for k, other := range e.Copies {
		from := other.CrossPostedFrom
		if k == j || from == nil || other.SourceID == c.SourceID {
			continue
		}
		// By name: the source's as configured or the feed's own title
		// ("Cross-posted from American Power", a source named for its
		// writer).
		if f := foldName(from.Name); f != "" && (f == foldName(c.SourceName) || f == foldName(c.FeedTitle)) {
			return true
		}
		// By link: the copy's own permalink, or a site, and then the copy
		// published on that site, not a copy elsewhere that merely links
		// to it.
		if from.URL != "" && c.Link != "" && normalise.URL(from.URL) == normalise.URL(c.Link) {
			return true
		}
		if h := host(from.URL); h != "" && (sameSite(h, host(siteOf(c))) || ownLink(c) && h == host(c.Link)) {
			return true
		}
	}
	return false
}

func foldName(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.TrimPrefix(s, "the ")
	return strings.Join(strings.Fields(strings.Trim(s, ".:!")), " ")
}

// host is a URL's host without "www.", for comparing sites.
func host(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
}

// republished digests the fields of an entry that appear in the output, to
// tell whether applying an article changed what readers see.
// view is what a reader shows of an entry, and its date of update.
type view struct {
	text    string
	updated time.Time
}

// readerView is the view of e before a change.
func readerView(e *feed.Entry) view {
	// The link and the author are what a reader follows and credits: the
	// original arriving after its copy changes them, and readers that
	// keep the copy's until the date moves would never show the original.
	return view{text: e.Title + "\x00" + e.Content + "\x00" + e.Summary + "\x00" + e.Link + "\x00" + e.Author, updated: e.Updated}
}

// advance keeps an entry's Updated a date of its last change, as Atom's
// updated and JSON Feed's date_modified are read: readers refresh an
// entry they have only when that date moves on. It never goes back (a
// copy published later taken for the original, then the original itself
// arriving, moved it back), and when the title or text readers see changed
// but the upstream's date did not move (an edit nobody dated, another copy's
// text adopted) it becomes now.
//
// An upstream date ahead of now (within normalise's allowance) is not
// kept as Updated, unless the entry is published then: an entry "updated"
// tomorrow could not move on for an edit today, nor for any until
// tomorrow.
func advance(e *feed.Entry, before view, now time.Time) {
	if e.Updated.Before(before.updated) {
		e.Updated = before.updated
	}
	if e.Updated.Before(e.Published) {
		e.Updated = e.Published
	}
	if e.Updated.After(now) {
		e.Updated = later(now, e.Published)
	}
	if !e.Updated.After(before.updated) && readerView(e).text != before.text && now.After(e.Updated) {
		e.Updated = now
	}
}

func republished(e *feed.Entry) string {
	var d digester
	w := d.add
	w(e.Title)
	w(e.Link)
	w(e.Author)
	w(e.Content)
	w(e.Summary)
	w(e.Image)
	w(e.Lang)
	w(e.Published.String())
	w(e.Updated.String())
	for _, c := range e.Categories {
		w(c)
	}
	for _, x := range e.Enclosures {
		w(x.URL + " " + x.Type)
	}
	w(string(rune(e.Original)))
	for _, c := range e.Copies {
		w(c.SourceID + " " + c.SourceName + " " + c.Link + " " + c.FeedURL + " " + c.SiteURL)
	}
	return d.sum()
}

// ownLink reports whether a copy's link is on its own source's site (a
// subdomain of it included: a blog at blog.example.org whose feed names
// example.org).
func ownLink(c feed.Copy) bool {
	return sameSite(host(c.Link), host(siteOf(c)))
}

// siteOf is a copy's site: its home page, else where its feed is (a JSON
// Feed need not name a home page).
func siteOf(c feed.Copy) string {
	if c.SiteURL != "" {
		return c.SiteURL
	}
	return c.FeedURL
}

// sameSite reports whether hosts a and b (as host gives them) are one site:
// equal, or one a subdomain of the other.
func sameSite(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	return a == b || strings.HasSuffix(a, "."+b) || strings.HasSuffix(b, "."+a)
}

// later returns the later of a and b.
func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
