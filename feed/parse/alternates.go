package parse

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// alternates returns the hrefs of an HTML page's <link rel="alternate">
// elements that announce a feed, raw and in document order. The page is
// tokenised rather than parsed into a tree: links are flat elements, and a
// token stream needs no memory for the page's structure however it nests.
func alternates(page []byte) []string {
	var hrefs []string
	z := html.NewTokenizer(bytes.NewReader(page))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return hrefs
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			if atom.Lookup(name) != atom.Link || !hasAttr {
				continue
			}
			var rel, typ, href string
			for more := true; more; {
				var k, v []byte
				k, v, more = z.TagAttr()
				switch string(k) {
				case "rel":
					rel = string(v)
				case "type":
					typ = string(v)
				case "href":
					href = strings.TrimSpace(string(v))
				}
			}
			if href != "" && isAlternate(rel) && isFeedType(typ) {
				hrefs = append(hrefs, href)
			}
		}
	}
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
	case "application/rss+xml", "application/atom+xml", "application/feed+json":
		return true
	}
	return false
}
