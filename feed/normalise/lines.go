package normalise

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// line is one line of rendered text, as a reader sees it, with what
// Boilerplate needs to judge it: which parts of it are links and where they
// point, and whether it shows media.
type line struct {
	text strings.Builder
	// outside is the text that is not inside any link; unshared the text
	// that is not inside a share link.
	outside  strings.Builder
	unshared strings.Builder
	links    []*lineLink
	// media counts images, videos and the like outside share links.
	media int
}

type lineLink struct {
	href  string
	text  strings.Builder
	share bool
}

func (l *line) empty() bool {
	return strings.TrimSpace(l.text.String()) == "" && len(l.links) == 0 && l.media == 0
}

// lineWalker splits a tree into lines: block elements and <br> end lines,
// inline elements and text continue them.
type lineWalker struct {
	lines []*line
	cur   *line
	link  *lineLink
	pre   int
	// breakNewlines makes newlines in text end lines, as they do in <pre>
	// and in text that carries no markup at all.
	breakNewlines bool
	// textOnly skips what only Boilerplate needs: links and the text
	// outside them.
	textOnly bool
}

func (w *lineWalker) nodes(ns []*html.Node) []*line {
	for _, n := range ns {
		w.walk(n)
	}
	w.newline()
	return w.lines
}

func (w *lineWalker) line() *line {
	if w.cur == nil {
		w.cur = &line{}
	}
	return w.cur
}

func (w *lineWalker) newline() {
	if w.cur != nil && !w.cur.empty() {
		w.lines = append(w.lines, w.cur)
	}
	w.cur = nil
}

func (w *lineWalker) write(s string) {
	l := w.line()
	l.text.WriteString(s)
	if w.textOnly {
		return
	}
	if w.link == nil {
		l.outside.WriteString(s)
	} else {
		w.link.text.WriteString(s)
	}
	if w.link == nil || !w.link.share {
		l.unshared.WriteString(s)
	}
}

func (w *lineWalker) walk(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		w.text(n.Data)
		return
	case html.ElementNode:
	case html.DocumentNode:
		w.children(n)
		return
	default: // comments, doctypes
		return
	}
	if isMedia(n) {
		if w.link == nil || !w.link.share {
			w.line().media++
		}
		return
	}
	if skipped(n) {
		return
	}
	switch {
	case n.DataAtom == atom.Br:
		w.newline()
	case n.DataAtom == atom.A && w.link == nil && !w.textOnly:
		href := strings.TrimSpace(attr(n, "href"))
		w.link = &lineLink{href: href, share: isShareURL(href)}
		l := w.line()
		w.children(n)
		// The line may have ended inside the link (a <br> or a block in
		// it); the link belongs to the line it ends on.
		if w.cur != nil {
			l = w.cur
		}
		l.links = append(l.links, w.link)
		w.link = nil
	case n.DataAtom == atom.Td || n.DataAtom == atom.Th:
		w.write(" ")
		w.children(n)
		w.write(" ")
	case isBlock(n):
		w.newline()
		if n.DataAtom == atom.Pre {
			w.pre++
		}
		w.children(n)
		if n.DataAtom == atom.Pre {
			w.pre--
		}
		w.newline()
	default:
		w.children(n)
	}
}

func (w *lineWalker) children(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.walk(c)
	}
}

func (w *lineWalker) text(s string) {
	if w.pre == 0 && !w.breakNewlines {
		w.write(strings.ReplaceAll(s, "\n", " "))
		return
	}
	for i, part := range strings.Split(s, "\n") {
		if i > 0 {
			w.newline()
		}
		w.write(part)
	}
}

// skipped elements hold no text a reader sees as part of the article.
func skipped(n *html.Node) bool { return skippedAtom(n.DataAtom) }

func skippedAtom(a atom.Atom) bool {
	switch a {
	case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Head, atom.Title,
		atom.Math, atom.Select, atom.Button, atom.Textarea, atom.Input:
		return true
	}
	return false
}

func isMedia(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Img, atom.Video, atom.Audio, atom.Picture, atom.Iframe, atom.Object, atom.Embed, atom.Svg, atom.Canvas:
		return true
	}
	return false
}

// isBlock reports whether an element starts a new line of text.
func isBlock(n *html.Node) bool { return blockAtom(n.DataAtom) }

func blockAtom(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.Li, atom.Ul, atom.Ol, atom.Dl, atom.Dt, atom.Dd,
		atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Blockquote, atom.Pre,
		atom.Tr, atom.Table, atom.Thead, atom.Tbody, atom.Tfoot, atom.Caption,
		atom.Figure, atom.Figcaption, atom.Section, atom.Article, atom.Header, atom.Footer,
		atom.Aside, atom.Nav, atom.Main, atom.Hr, atom.Address, atom.Details, atom.Summary,
		atom.Form, atom.Fieldset, atom.Legend, atom.Center, atom.Hgroup, atom.Body, atom.Html:
		return true
	}
	return false
}

func attr(n *html.Node, name string) string {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == name {
			return a.Val
		}
	}
	return ""
}

// nodeText is the text inside n, as one line.
func nodeText(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch {
		case n.Type == html.TextNode:
			b.WriteString(n.Data)
		case n.Type == html.ElementNode && (skipped(n) || isMedia(n)):
		default:
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
	}
	walk(n)
	return b.String()
}
