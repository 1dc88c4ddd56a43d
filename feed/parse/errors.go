package parse

import (
	"errors"
	"strings"
)

// ErrNotFeed is matched (errors.Is) by every error saying that a body is not
// a feed in any format: garbage, an XML or JSON document of another kind, an
// HTML page (see HTMLPageError).
var ErrNotFeed = errors.New("not a feed")

// ErrEmptyBody is matched by the error for a body that is empty or only
// whitespace: usually a server fault worth reporting apart from "not a feed".
var ErrEmptyBody = errors.New("empty body")

// HTMLPageError says a body is an HTML page, typically the site's home page
// configured in place of its feed. Alternates are the feeds the page
// announces, from which an operator can pick the right URL.
type HTMLPageError struct {
	// Alternates holds the href of every <link rel="alternate"> whose type
	// is application/rss+xml, application/atom+xml, application/feed+json
	// or application/json (JSON Feed 1.0's advice; WordPress's REST API
	// links are left out), the posts' RSS and Atom feeds first, then JSON ones,
	// then comment feeds, in document order among equals. Hrefs are resolved against
	// the page's <base href> when it has one; what is still relative then
	// is relative to the page's own address.
	Alternates []string
}

// Error names the alternates with their unprintable characters escaped (an
// href may hold an entity-written ESC, say), as they end up in logs and mail.
func (e *HTMLPageError) Error() string {
	var b strings.Builder
	b.WriteString("not a feed: an HTML page")
	for i, href := range e.Alternates {
		switch {
		case i > 0:
			b.WriteString(", ")
		case len(e.Alternates) == 1:
			b.WriteString(" (it links to feed ")
		default:
			b.WriteString(" (it links to feeds ")
		}
		b.WriteString(escape(href))
	}
	if len(e.Alternates) > 0 {
		b.WriteString(")")
	}
	return b.String()
}

// Is makes an HTMLPageError match ErrNotFeed.
func (e *HTMLPageError) Is(target error) bool { return target == ErrNotFeed }
