package parse

import (
	"bytes"
	"net/url"
	"slices"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// alternates returns the hrefs of an HTML page's <link rel="alternate">
// elements that announce a feed, in document order, resolved against the
// page's <base href> when it has one (the first, as browsers take it);
// relative ones are left relative to the page's own address, which the
// caller knows. The page is tokenised rather than parsed into a tree:
// links are flat elements, and a token stream needs no memory for the
// page's structure however it nests.
func alternates(page []byte) []string {
	var hrefs []string
	var ranks []int
	base, baseSeen := "", false
	z := html.NewTokenizer(bytes.NewReader(page))
	for {
		switch z.Next() {
		case html.ErrorToken:
			if base != "" {
				for i, h := range hrefs {
					hrefs[i] = resolveAgainstBase(base, h)
				}
			}
			return byRank(hrefs, ranks)
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			a := atom.Lookup(name)
			if a != atom.Link && a != atom.Base || !hasAttr {
				continue
			}
			var rel, typ, href, title string
			hasHref := false
			for more := true; more; {
				var k, v []byte
				k, v, more = z.TagAttr()
				switch string(k) {
				case "rel":
					rel = string(v)
				case "type":
					typ = string(v)
				case "href":
					href, hasHref = strings.TrimSpace(string(v)), true
				case "title":
					title = string(v)
				}
			}
			switch {
			case a == atom.Base:
				if hasHref && !baseSeen {
					base, baseSeen = href, true
				}
			case href != "" && isAlternate(rel) && isFeedType(typ) && !isAPILink(typ, href):
				hrefs = append(hrefs, href)
				ranks = append(ranks, rank(typ, href, title))
			}
		}
	}
}

// resolveAgainstBase resolves href against a page's base href, which may
// itself be relative to the page's address: the result is then still
// relative, and resolves against the page's address to what href means.
func resolveAgainstBase(base, href string) string {
	ref, err := url.Parse(href)
	if err != nil || ref.IsAbs() {
		return href
	}
	b, err := url.Parse(base)
	if err != nil {
		return href
	}
	if b.IsAbs() || b.Host != "" || strings.HasPrefix(b.Path, "/") {
		// ResolveReference is exact for a base with a scheme, a host
		// or an absolute path.
		return b.ResolveReference(ref).String()
	}
	// A relative-path base ("blog/"): href's own scheme-relative and
	// absolute-path forms ignore it; a relative path, query or fragment
	// joins it, dot segments left for the final resolution.
	if ref.Host != "" || strings.HasPrefix(ref.Path, "/") {
		return href
	}
	dir := base
	if i := strings.IndexAny(dir, "?#"); i >= 0 {
		dir = dir[:i]
	}
	switch {
	case ref.Path != "":
		return dir[:strings.LastIndexByte(dir, '/')+1] + href
	case ref.RawQuery != "" || ref.ForceQuery:
		return dir + href
	}
	if i := strings.IndexByte(base, '#'); i >= 0 {
		base = base[:i]
	}
	return base + href
}

// isAlternate reports whether a rel attribute holds the token "alternate".
func isAlternate(rel string) bool {
	for _, tok := range strings.Fields(rel) {
		if strings.EqualFold(tok, "alternate") {
			return true
		}
	}
	return false
}

// isFeedType reports whether a link's type names a feed format.
func isFeedType(typ string) bool {
	mt, _, _ := strings.Cut(typ, ";")
	switch strings.ToLower(strings.TrimSpace(mt)) {
	// application/json is JSON Feed 1.0's advice for its links.
	case "application/rss+xml", "application/atom+xml", "application/feed+json", "application/json":
		return true
	}
	return false
}

// isAPILink reports whether an application/json alternate is a WordPress
// REST API resource, which WordPress links from every page, rather than a
// JSON Feed.
func isAPILink(typ, href string) bool {
	mt, _, _ := strings.Cut(typ, ";")
	if !strings.EqualFold(strings.TrimSpace(mt), "application/json") {
		return false
	}
	return strings.Contains(href, "/wp-json/") || strings.Contains(href, "rest_route=")
}

// rank orders a page's feed links by how likely each is the site's own
// feed of posts, the one a reader subscribing to the page means: RSS and
// Atom first, then JSON (an application/json link may be another kind of
// document), then comment feeds, which WordPress lists after the posts'
// feed on posts' own pages but before it on some themes.
func rank(typ, href, title string) int {
	if strings.Contains(strings.ToLower(title), "comment") || strings.Contains(strings.ToLower(href), "comments/feed") {
		return 2
	}
	if mt, _, _ := strings.Cut(typ, ";"); strings.EqualFold(strings.TrimSpace(mt), "application/json") {
		return 1
	}
	return 0
}

// byRank returns hrefs ordered by their ranks, document order kept among
// equals.
func byRank(hrefs []string, ranks []int) []string {
	idx := make([]int, len(hrefs))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return ranks[a] - ranks[b] })
	out := make([]string, len(hrefs))
	for i, j := range idx {
		out[i] = hrefs[j]
	}
	return out
}
