package normalise

import (
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/tributary/tributary/feed"
)

// Boilerplate removes cross-post notices, share prompts and buttons,
// "Continue reading" links, "Related posts" lists, "Posted in … | Tagged …"
// rows and tracking pixels from an HTML fragment, and returns what is left
// with the attribution a cross-post notice gave, if any.
//
// Only whole blocks (or lines between <br>s) made entirely of boilerplate
// are removed, at the top level of the fragment and inside the generic
// wrappers (div, section, footer, p…) it is made of; a "Continue reading"
// link is cut from the end of the paragraph it closes. A sentence that only
// mentions sharing or an original publication is prose, and stays.
//
// The attribution's Name is the notice's link text, or its trailing name
// without the final period; its URL is the link's href as written (absolute
// when the href was). When nothing is removed, the input is returned
// unchanged; otherwise it is re-serialised.
func Boilerplate(s string) (clean string, from *feed.Attribution) {
	root := fragmentRoot(s)
	from, changed := stripBoilerplate(root)
	if !changed {
		return s, from
	}
	return render(root), from
}

// maxWrapperDepth bounds how deep Boilerplate looks through nested wrappers:
// real footers sit a few levels down at most.
const maxWrapperDepth = 24

type stripper struct {
	from, appeared *feed.Attribution
	changed        bool
}

// stripBoilerplate removes boilerplate from a tree in place.
func stripBoilerplate(root *html.Node) (*feed.Attribution, bool) {
	var s stripper
	s.pixels(root)
	s.container(root, 0)
	if s.changed {
		tidy(root)
	}
	// An explicit cross-post notice names the original more surely than
	// the SEO plugin footer, which names whichever site rendered the feed.
	if s.from == nil {
		s.from = s.appeared
	}
	return s.from, s.changed
}

func (s *stripper) remove(nodes []*html.Node) {
	for _, n := range nodes {
		if n.Parent != nil {
			n.Parent.RemoveChild(n)
		}
	}
	s.changed = true
}

// container removes the boilerplate blocks among n's children and looks
// inside the wrappers that remain.
func (s *stripper) container(n *html.Node, depth int) {
	segs := segments(n)
	verdicts := make([]verdict, len(segs))
	for i, seg := range segs {
		w := lineWalker{}
		verdicts[i] = judge(w.nodes(seg))
	}
	for i := 0; i < len(segs); i++ {
		v := verdicts[i]
		switch {
		case v.kind == lineRelated:
			// A lone "Related posts" heading goes with the lists of links
			// that follow it, and only if such lists (or nothing) follow.
			j, lists := i+1, 0
			for j < len(segs) && (verdicts[j].kind == lineEmpty || verdicts[j].links) {
				if verdicts[j].links {
					lists++
				}
				j++
			}
			if lists == 0 && j < len(segs) && verdicts[j].kind != lineFooter {
				continue // a heading over prose: an article section
			}
			for k := i; k < j; k++ {
				s.remove(segs[k])
			}
			i = j - 1
		case v.kind == lineFooter:
			s.remove(segs[i])
			s.attribute(v)
		case v.kind == lineContent:
			// A block of one line holds no footer of its own; only a
			// read-more link can end it.
			if v.lines > 1 && len(segs[i]) == 1 && isWrapper(segs[i][0]) && depth < maxWrapperDepth {
				s.container(segs[i][0], depth+1)
			} else {
				s.trimReadMore(segs[i])
			}
		}
	}
}

func (s *stripper) attribute(v verdict) {
	switch {
	case v.from == nil:
	case v.appeared && s.appeared == nil:
		s.appeared = v.from
	case !v.appeared && s.from == nil:
		s.from = v.from
	}
}

// segments splits n's children into blocks: each block-level child on its
// own, and the runs of inline content between them and <br>s.
func segments(n *html.Node) [][]*html.Node {
	var segs [][]*html.Node
	var run []*html.Node
	flush := func() {
		if len(run) > 0 {
			segs = append(segs, run)
			run = nil
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case c.Type == html.CommentNode:
		case c.Type == html.ElementNode && c.DataAtom == atom.Br:
			flush()
		case c.Type == html.ElementNode && isBlock(c):
			flush()
			segs = append(segs, []*html.Node{c})
		default:
			run = append(run, c)
		}
	}
	flush()
	return segs
}

// verdict is the judgement of one block.
type verdict struct {
	kind     lineKind
	from     *feed.Attribution
	appeared bool
	// links is true for a block of link lists, such as follow a "Related
	// posts" heading.
	links bool
	// lines counts the visible lines.
	lines int
}

// judge decides what a block is from its lines: boilerplate when every
// visible line is, a "Related posts" block when a heading of that kind is
// followed only by lines of links.
func judge(lines []*line) verdict {
	var v verdict
	var related, content, footers, linkLines int
	seen := 0
	for _, l := range lines {
		kind, from, appeared := classify(l)
		if kind == lineEmpty {
			continue
		}
		seen++
		switch {
		case kind == lineRelated && seen == 1:
			related++
		case kind == lineFooter:
			footers++
			if from != nil && v.from == nil || from != nil && v.appeared && !appeared {
				v.from, v.appeared = from, appeared
			}
		case linkList(l):
			linkLines++
			content++
		default:
			content++
		}
	}
	v.lines = seen
	switch {
	case seen == 0:
		v.kind = lineEmpty
	case related > 0 && seen == 1:
		v.kind = lineRelated
	case related > 0 && content == linkLines:
		v.kind = lineFooter
	case content == 0:
		v.kind = lineFooter
	default:
		v.kind = lineContent
		v.from, v.appeared = nil, false
		v.links = content == linkLines && footers == 0
	}
	return v
}

// isWrapper reports whether an element is a generic container whose
// children may be article blocks or footers, rather than one unit of prose.
func isWrapper(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Div, atom.Section, atom.Article, atom.Footer, atom.Aside, atom.Main,
		atom.Header, atom.Center, atom.P:
		return true
	}
	return false
}

// trimReadMore cuts a "Continue reading →" link that ends a block, keeping
// the text before it, with the arrows and brackets around the link.
func (s *stripper) trimReadMore(seg []*html.Node) {
	var trail []*html.Node
	for i := len(seg) - 1; i >= 0; i-- {
		n := seg[i]
		if n.Type == html.TextNode && decoration(n.Data) {
			trail = append(trail, n)
			continue
		}
		a, more := lastLink(n, decorated(trail))
		if a == nil {
			return
		}
		if prev := a.PrevSibling; prev != nil && prev.Type == html.TextNode {
			prev.Data = strings.TrimRight(prev.Data, " \u00a0[(")
		}
		s.remove(append(append(trail, more...), a))
		return
	}
}

// lastLink returns the <a> that n ends with, when it is a read-more link,
// and the decoration (spaces, arrows, brackets) after it. Anything else
// after the link, such as the full stop of a sentence, means n does not end
// with one.
func lastLink(n *html.Node, decor bool) (*html.Node, []*html.Node) {
	switch {
	case n.Type == html.ElementNode && n.DataAtom == atom.A:
		t := fold(nodeText(n), true)
		core := trimArrows(t)
		// A bare "more" is a read-more link only when decorated ("more »",
		// "[more]"); otherwise it is likely the last word of a sentence.
		if readMoreRe.MatchString(core) && (!strings.EqualFold(core, "more") || core != t || decor) {
			return n, nil
		}
	case n.Type == html.ElementNode && !isMedia(n) && !skipped(n):
		var trail []*html.Node
		for c := n.LastChild; c != nil; c = c.PrevSibling {
			if c.Type == html.CommentNode {
				continue
			}
			if c.Type == html.TextNode && decoration(c.Data) {
				trail = append(trail, c)
				continue
			}
			a, more := lastLink(c, decor || decorated(trail))
			return a, append(trail, more...)
		}
	}
	return nil, nil
}

func decorated(trail []*html.Node) bool {
	for _, n := range trail {
		if strings.TrimSpace(n.Data) != "" {
			return true
		}
	}
	return false
}

// decoration reports whether a text is only spaces, arrows and brackets.
func decoration(s string) bool {
	return strings.Trim(s, " \t\r\n\u00a0»›→⟶…[]()|·") == ""
}

// pixels removes tracking images: 1×1 or hidden images and the known
// beacons of feed services.
func (s *stripper) pixels(n *html.Node) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type == html.ElementNode {
			if c.DataAtom == atom.Img && isPixel(c) {
				n.RemoveChild(c)
				s.changed = true
			} else {
				s.pixels(c)
			}
		}
		c = next
	}
}

// pixelSources are addresses of well-known tracking beacons.
var beacons = []string{"feeds.feedburner.com/~r/", "feedproxy.google.com/~r/", "pixel.wp.com/",
	"stats.wordpress.com/", "feeds.feedblitz.com/~/i/", "feedsportal.com/c/", "/~r/"}

func isPixel(n *html.Node) bool {
	w, wok := pixels(attr(n, "width"))
	h, hok := pixels(attr(n, "height"))
	if wok && hok && w <= 1 && h <= 1 {
		return true
	}
	style := strings.ToLower(strings.ReplaceAll(attr(n, "style"), " ", ""))
	if strings.Contains(style, "display:none") || strings.Contains(style, "visibility:hidden") {
		return true
	}
	src := strings.ToLower(attr(n, "src"))
	for _, p := range beacons {
		if strings.Contains(src, p) {
			return true
		}
	}
	return false
}

func pixels(s string) (int, bool) {
	n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(s), "px"))
	return n, err == nil
}

// tidy removes the wrappers left empty and the trailing line breaks left
// dangling once boilerplate is gone.
func tidy(n *html.Node) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type == html.ElementNode {
			tidy(c)
			if emptyWrapper(c) {
				n.RemoveChild(c)
			}
		}
		c = next
	}
	if n.Type == html.ElementNode && (isBlock(n) || n.Parent == nil) && n.DataAtom != atom.Pre {
		for c := n.LastChild; c != nil; c = n.LastChild {
			if c.Type == html.TextNode && strings.TrimSpace(c.Data) == "" ||
				c.Type == html.ElementNode && c.DataAtom == atom.Br {
				n.RemoveChild(c)
				continue
			}
			break
		}
	}
}

// emptyWrapper reports whether an element shows nothing and means nothing
// by itself. Inline elements holding only a space keep it: removing them
// would join two words.
func emptyWrapper(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Div, atom.P, atom.Span, atom.Section, atom.Footer, atom.Aside, atom.Article,
		atom.Header, atom.Nav, atom.Ul, atom.Ol, atom.Li, atom.Blockquote, atom.Figure,
		atom.Figcaption, atom.Center, atom.Font, atom.Small, atom.Strong, atom.Em, atom.B,
		atom.I, atom.A, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
	default:
		return false
	}
	block := isBlock(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			if !block || strings.TrimSpace(c.Data) != "" {
				return false
			}
		case html.ElementNode:
			if c.DataAtom != atom.Br {
				return false
			}
		}
	}
	return true
}
