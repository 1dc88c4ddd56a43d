package server

import (
	"errors"
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"

	"github.com/tributary/tributary/feed/render"
	"github.com/tributary/tributary/storage"
)

// formats are the feed formats, in the order feeds list them.
var formats = [...]render.Format{render.Atom, render.RSS, render.JSON}

type docKind int

const (
	feedDoc     docKind = iota // a page of a feed in one format
	sourcesOPML                // /sources.opml: the upstream feeds
	feedsOPML                  // /feeds.opml: the feeds served here
)

type scopeKind int

const (
	unified scopeKind = iota
	sourceScope
	tagScope
)

// scope is which feed: the unified one, a source's or a tag's.
type scope struct {
	kind scopeKind
	name string // source id or tag
}

// dir is the scope's path below BaseURL, ending with "/" ("" for the
// unified feed).
func (sc scope) dir() string {
	switch sc.kind {
	case sourceScope:
		return "sources/" + url.PathEscape(sc.name) + "/"
	case tagScope:
		return "tags/" + url.PathEscape(sc.name) + "/"
	}
	return ""
}

// position is which page of a feed: by number (1 is the subscription
// document) or after a cursor.
type position struct {
	page   int
	before string
}

func (p position) first() bool { return p.before == "" && p.page <= 1 }

// query is the position's canonical query string, "" for the first page.
func (p position) query() string {
	switch {
	case p.before != "":
		return "?before=" + url.QueryEscape(p.before)
	case p.page > 1:
		return "?page=" + strconv.Itoa(p.page)
	}
	return ""
}

// skip is the number of entries before page p, saturating far past any
// store's size instead of overflowing.
func (p position) skip(limit int) int {
	if p.page <= 1 {
		return 0
	}
	if p.page-1 > math.MaxInt32/limit {
		return math.MaxInt32
	}
	return (p.page - 1) * limit
}

// docSpec names one servable document.
type docSpec struct {
	kind   docKind
	scope  scope
	format render.Format
	pos    position
	// static marks a file for a static web host (Publish): it has no
	// paging links, whose queries such a host would ignore.
	static bool
}

// path is the document's path below BaseURL, without the query.
func (d docSpec) path() string {
	switch d.kind {
	case sourcesOPML:
		return "sources.opml"
	case feedsOPML:
		return "feeds.opml"
	}
	return d.scope.dir() + "feed." + string(d.format)
}

// key identifies the document in the cache and, below BaseURL, is its URL.
func (d docSpec) key() string { return d.path() + d.pos.query() }

// errBadPosition marks a malformed page or cursor: the client's mistake,
// answered 400 with the error's text.
var errBadPosition = errors.New("bad request")

// mentionsPosition reports whether a query that does not parse may have
// been meant to give a position: it names page or before somewhere.
func mentionsPosition(raw string) bool {
	return strings.Contains(raw, "page") || strings.Contains(raw, "before")
}

// positionQuery reads the parameters of a feed's query that say which
// page: every other one is ignored, readable or not (a tracker's
// "utm=a;b", a link shortener's "x=%zz"). A parameter that cannot be
// read and might be one of them is an error: reading around it would
// answer a mangled cursor with the newest page, as if it were right.
func positionQuery(raw string) (url.Values, error) {
	q := url.Values{}
	for pair := range strings.SplitSeq(raw, "&") {
		rawKey, rawValue, _ := strings.Cut(pair, "=")
		key, err := url.QueryUnescape(rawKey)
		if err != nil || strings.Contains(pair, ";") {
			// Some servers split at ";" too: "utm=a;before=…" may be
			// a cursor, and must not be taken for the newest page.
			if mentionsPosition(pair) {
				return nil, fmt.Errorf("%w: the parameter %.60q cannot be read", errBadPosition, pair)
			}
			continue
		}
		if key != "page" && key != "before" {
			continue
		}
		value, err := url.QueryUnescape(rawValue)
		if err != nil {
			return nil, fmt.Errorf("%w: the parameter %.60q cannot be read", errBadPosition, pair)
		}
		q.Add(key, value)
	}
	return q, nil
}

// parsePosition reads ?page=N or ?before=CURSOR. Other parameters are
// ignored (and do not make another document). Page 1 is the first page.
func parsePosition(q url.Values) (position, error) {
	pages, befores := q["page"], q["before"]
	switch {
	case len(pages) > 1 || len(befores) > 1:
		return position{}, fmt.Errorf("%w: give page or before once", errBadPosition)
	case len(pages) == 1 && len(befores) == 1:
		return position{}, fmt.Errorf("%w: give page or before, not both", errBadPosition)
	case len(befores) == 1:
		if err := storage.CheckCursor(befores[0]); err != nil {
			return position{}, fmt.Errorf("%w: before=%.40q is not a cursor of this server's next or prev links", errBadPosition, befores[0])
		}
		return position{before: befores[0]}, nil
	case len(pages) == 1:
		n, err := strconv.Atoi(pages[0])
		if errors.Is(err, strconv.ErrRange) && pages[0][0] != '-' && pages[0][0] != '+' && pages[0][0] != '0' {
			// A number too large for an int is past the end of any
			// feed, which is 404, not a malformed request.
			return position{page: math.MaxInt}, nil
		}
		if err != nil || n < 1 || strconv.Itoa(n) != pages[0] {
			return position{}, fmt.Errorf("%w: page=%.40q is not a page number (1, 2, 3 …)", errBadPosition, pages[0])
		}
		return position{page: n}, nil
	}
	return position{page: 1}, nil
}

// pagingLinks sets the RFC 5005 links of page p of a feed whose first page
// is at sub: first is the subscription document, last a page number, next
// and prev are cursors (following them never skips nor repeats an entry,
// however many arrive meanwhile). A feed that fits one page gets none.
func pagingLinks(p *render.Page, sub string, pos position, w storage.Window, limit int) {
	if w.Total <= limit && pos.first() {
		return
	}
	p.First = sub
	p.Last = sub
	if last := (w.Total + limit - 1) / limit; last > 1 {
		p.Last = sub + "?page=" + strconv.Itoa(last)
	}
	if w.Next != "" {
		p.Next = sub + "?before=" + url.QueryEscape(w.Next)
	}
	switch {
	case w.Offset == 0:
	case w.Offset <= limit || w.Prev == "":
		p.Prev = sub
	default:
		p.Prev = sub + "?before=" + url.QueryEscape(w.Prev)
	}
}
