package sanitize

import (
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// linkRel is the rel every link gets: no ranking credit to the target
// (nofollow), no window.opener for it (noopener), no Referer header telling
// it where readers came from (noreferrer).
const linkRel = "nofollow noopener noreferrer"

// rewrite finishes bluemonday's output on its parsed tree: it drops tracking
// pixels and images without a src, sets every link's rel and writes image
// sizes as plain numbers. Parsing and rendering again also closes what the
// input left open, so that an entry's stray <b> or <table> cannot swallow
// whatever a page shows after it. It fails only on elements nested deeper
// than golang.org/x/net/html parses (512).
//
// It also returns the top-level nodes of the tree it rendered.
func rewrite(s string) (string, []*html.Node, error) {
	body := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(strings.NewReader(s), body)
	if err != nil {
		return "", nil, err
	}
	var b strings.Builder
	b.Grow(len(s) + len(s)/16)
	for _, n := range nodes {
		body.AppendChild(n)
	}
	fix(body)
	nodes = nodes[:0]
	for n := range body.ChildNodes() {
		if err := html.Render(&b, n); err != nil {
			return "", nil, err
		}
		nodes = append(nodes, n)
	}
	return b.String(), nodes, nil
}

// fix applies rewrite's changes to the subtree under n.
func fix(n *html.Node) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type == html.ElementNode {
			switch c.DataAtom {
			case atom.Img:
				if !fixImage(c) {
					n.RemoveChild(c)
				}
			case atom.A, atom.Area:
				setRel(c)
			}
			fix(c)
		}
		c = next
	}
}

// setRel replaces the rel of a link that has one (bluemonday gives one to
// every link with an href).
func setRel(n *html.Node) {
	for i, a := range n.Attr {
		if a.Key == "rel" && a.Namespace == "" {
			n.Attr[i].Val = linkRel
		}
	}
}

// fixImage reports whether an image is kept, and writes its sizes without a
// unit.
func fixImage(n *html.Node) bool {
	var src string
	width, height := -1.0, -1.0
	for i, a := range n.Attr {
		switch a.Key {
		case "src":
			src = strings.TrimSpace(a.Val)
		case "width", "height":
			v := strings.TrimSpace(a.Val)
			if l := len(v); l >= 2 && strings.EqualFold(v[l-2:], "px") {
				v = strings.TrimSpace(v[:l-2])
			}
			n.Attr[i].Val = v
			size, err := strconv.ParseFloat(v, 64)
			if err != nil {
				size = -1
			}
			if a.Key == "width" {
				width = size
			} else {
				height = size
			}
		}
	}
	if src == "" || isTracker(src) {
		return false
	}
	return width < 0 || width > 1 || height < 0 || height > 1
}
