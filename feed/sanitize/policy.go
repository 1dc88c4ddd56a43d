package sanitize

import (
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"golang.org/x/net/html"
)

// Policy sanitises HTML. It is built once by New and safe for concurrent
// use.
type Policy struct {
	bm *bluemonday.Policy
	// text keeps only the text (words spaced where tags were), for markup
	// nested too deep to parse.
	text *bluemonday.Policy
}

// New returns the policy described in the package documentation.
func New() *Policy {
	bm := bluemonday.UGCPolicy()
	// UGC accepts only "600" or "50%" as an image size; admitting "1px" here
	// lets the tracking pixel pass below see, and drop, such images
	// instead of keeping them with their size stripped. Kept sizes are
	// rewritten without the unit.
	bm.AllowAttrs("width", "height").
		Matching(regexp.MustCompile(`(?i)^\s*[0-9]+(\.[0-9]+)?\s*(px)?\s*$`)).
		OnElements("img")
	bm.RequireNoReferrerOnLinks(true)
	text := bluemonday.StrictPolicy()
	text.AddSpaceWhenStrippingTag(true)
	return &Policy{bm: bm, text: text}
}

// HTML returns s sanitised.
func (p *Policy) HTML(s string) string {
	out, _ := p.Fragment(s)
	return out
}

// Fragment returns s sanitised, as HTML does, and the parsed fragment that
// result was rendered from (golang.org/x/net/html nodes, children of a
// detached <body>), so that a caller that reads the result's text need not
// parse it again. The nodes are nil when the result holds no markup (or
// markup too deep to parse): parse the string then. Callers must not change
// the nodes.
func (p *Policy) Fragment(s string) (string, []*html.Node) {
	out := p.bm.Sanitize(s)
	if !strings.Contains(out, "<") {
		return out, nil
	}
	safe, nodes, err := rewrite(out)
	if err != nil {
		// Elements nested deeper than the HTML parser accepts (512): no
		// real article does that, but its text is still worth keeping.
		return strings.Join(strings.Fields(p.text.Sanitize(out)), " "), nil
	}
	return safe, nodes
}
