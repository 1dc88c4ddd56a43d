package web

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// excerptLength is the longest excerpt shown on the river, in characters:
// about three lines on a desktop, six on a phone.
const excerptLength = 280

// excerpt returns the text of an HTML fragment, whitespace folded, cut at a
// word boundary to at most max characters (an ellipsis added when cut).
// Text inside script, style and template elements is not text a reader
// sees, so it is skipped.
func excerpt(fragment string, max int) string {
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(fragment))
	skip := 0
	space := false
	for b.Len() < 4*max { // enough text; stop reading
		switch z.Next() {
		case html.ErrorToken:
			return truncateWords(strings.TrimSpace(b.String()), max)
		case html.StartTagToken:
			name, _ := z.TagName()
			if hidden(string(name)) {
				skip++
			}
			space = space || blockish(string(name))
		case html.EndTagToken:
			name, _ := z.TagName()
			if hidden(string(name)) && skip > 0 {
				skip--
			}
			space = space || blockish(string(name))
		case html.SelfClosingTagToken:
			name, _ := z.TagName()
			space = space || blockish(string(name))
		case html.TextToken:
			if skip > 0 {
				continue
			}
			for _, r := range string(z.Text()) {
				if unicode.IsSpace(r) {
					space = true
					continue
				}
				if space && b.Len() > 0 {
					b.WriteByte(' ')
				}
				space = false
				b.WriteRune(r)
			}
		}
	}
	return truncateWords(strings.TrimSpace(b.String()), max)
}

func hidden(tag string) bool {
	return tag == "script" || tag == "style" || tag == "template" || tag == "noscript"
}

// blockish tags separate words even when the markup has no space between
// them ("<p>one</p><p>two</p>" reads "one two").
func blockish(tag string) bool {
	switch tag {
	case "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
		"pre", "table", "tr", "td", "th", "figure", "figcaption", "section", "article", "hr", "img":
		return true
	}
	return false
}

// truncateWords cuts s to at most max characters at the last space before
// the limit and adds an ellipsis; a single word longer than max is cut
// where the limit falls.
func truncateWords(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	cut, n := 0, 0
	for i := range s { // i is the byte offset of each rune
		if n == max {
			cut = i
			break
		}
		n++
	}
	if sp := strings.LastIndexByte(s[:cut], ' '); sp > 0 {
		cut = sp
	}
	return strings.TrimRightFunc(s[:cut], func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsPunct(r) && r != ')' && r != '"'
	}) + "…"
}
