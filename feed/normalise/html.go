package normalise

import (
	"net/url"
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/tributary/tributary/feed"
)

// fragmentRoot parses an HTML fragment under a detached <body> node, so that
// the fragment's top-level nodes are siblings that can be removed one by one.
func fragmentRoot(s string) *html.Node {
	root := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	for _, n := range parseFragment(s) {
		root.AppendChild(n)
	}
	return root
}

// render serialises the children of root.
func render(root *html.Node) string {
	var b strings.Builder
	for c := root.FirstChild; c != nil; c = c.NextSibling {
		// Writing to a strings.Builder cannot fail.
		_ = html.Render(&b, c)
	}
	return b.String()
}

// prepared is an item's content or summary made ready to sanitise.
type prepared struct {
	html  string
	from  *feed.Attribution
	image string
	// pixels are the addresses of the tracking images removed.
	pixels map[string]bool
}

// prepare makes one item HTML field absolute against base, removes its
// boilerplate and finds its first image, parsing it once for all three.
func prepare(s, base string) prepared {
	if strings.TrimSpace(s) == "" {
		return prepared{}
	}
	root := fragmentRoot(s)
	paragraphs(root)
	lazyImages(root)
	absolutise(root, base)
	pixels := map[string]bool{}
	for _, src := range pixelSources(root) {
		pixels[src] = true
	}
	from, _ := stripBoilerplate(root)
	return prepared{html: render(root), from: from, image: firstImage(root), pixels: pixels}
}

// paragraphs turns a fragment that is plain text with line breaks, as some
// RSS descriptions are, into paragraphs, so that its lines survive being
// read as HTML.
func paragraphs(root *html.Node) {
	n := root.FirstChild
	if n == nil || n.NextSibling != nil || n.Type != html.TextNode || !strings.Contains(strings.TrimSpace(n.Data), "\n") {
		return
	}
	root.RemoveChild(n)
	text := strings.ReplaceAll(n.Data, "\r\n", "\n")
	for _, para := range strings.Split(text, "\n\n") {
		para = strings.TrimSpace(para)
		if para == "" {
			continue
		}
		p := &html.Node{Type: html.ElementNode, Data: "p", DataAtom: atom.P}
		for i, ln := range strings.Split(para, "\n") {
			if i > 0 {
				p.AppendChild(&html.Node{Type: html.ElementNode, Data: "br", DataAtom: atom.Br})
			}
			p.AppendChild(&html.Node{Type: html.TextNode, Data: ln})
		}
		root.AppendChild(p)
	}
}

// lazyImages gives every image loaded by a page's script its real address:
// blogs write <img src="lazy.gif" data-src="photo.jpg"> (WordPress lazy-load
// plugins, Medium, many themes) and swap them when the image scrolls into
// view, which no feed reader does. The sanitiser drops data-* attributes,
// so each such image was published as its placeholder. The address given
// in data-src, data-lazy-src or data-original, else the first candidate of
// data-srcset or data-lazy-srcset, becomes src.
func lazyImages(n *html.Node) {
	if n.Type == html.ElementNode && n.DataAtom == atom.Img {
		if real := lazySource(n); real != "" {
			setAttr(n, "src", real)
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		lazyImages(c)
	}
}

// lazySource returns the address a lazy-loaded image is swapped to, or "".
func lazySource(n *html.Node) string {
	var set string
	for _, a := range n.Attr {
		if a.Namespace != "" {
			continue
		}
		v := strings.TrimSpace(a.Val)
		switch strings.ToLower(a.Key) {
		case "data-src", "data-lazy-src", "data-original":
			if v != "" && !strings.HasPrefix(strings.ToLower(v), "data:") {
				return v
			}
		case "data-srcset", "data-lazy-srcset":
			if set == "" {
				set = v
			}
		}
	}
	// A candidate's URL runs to the first space, and may hold commas
	// (Cloudinary's ".../w_400,c_fill/photo.jpg 400w"); a comma ending
	// it separates candidates written without descriptors.
	addr := strings.TrimSpace(set)
	if i := strings.IndexFunc(addr, unicode.IsSpace); i >= 0 {
		addr = addr[:i]
	}
	addr = strings.TrimRight(addr, ",")
	if strings.HasPrefix(strings.ToLower(addr), "data:") {
		return ""
	}
	return addr
}

// setAttr sets n's attribute key (without a namespace) to val, adding it
// when n has none.
func setAttr(n *html.Node, key, val string) {
	for i, a := range n.Attr {
		if a.Namespace == "" && strings.EqualFold(a.Key, key) {
			n.Attr[i].Val = val
			return
		}
	}
	n.Attr = append(n.Attr, html.Attribute{Key: key, Val: val})
}

// urlAttrs are the HTML attributes holding one URL.
var urlAttrs = map[string]bool{
	"href": true, "src": true, "poster": true, "cite": true, "action": true, "formaction": true,
	"background": true, "longdesc": true, "usemap": true, "data": true, "manifest": true, "icon": true,
}

// absolutise rewrites every relative URL in the tree against base. Absolute
// URLs are left exactly as written; URLs that cannot be resolved (base is
// not absolute, the reference is malformed) are left too, for the sanitiser
// to judge.
func absolutise(n *html.Node, base string) {
	if n.Type == html.ElementNode {
		for i, a := range n.Attr {
			key := strings.ToLower(a.Key)
			switch {
			case a.Namespace != "":
			case urlAttrs[key]:
				n.Attr[i].Val = absolute(base, a.Val)
			case key == "srcset":
				n.Attr[i].Val = absoluteSrcset(base, a.Val)
			}
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		absolutise(c, base)
	}
}

func absolute(base, ref string) string {
	if u, err := url.Parse(strings.TrimSpace(ref)); err == nil && u.IsAbs() {
		return ref
	}
	if r := Resolve(base, ref); r != "" {
		return r
	}
	return ref
}

// absoluteSrcset resolves each candidate of a srcset ("a.jpg 1x, b.jpg 2x").
func absoluteSrcset(base, set string) string {
	cands := strings.Split(set, ",")
	for i, c := range cands {
		f := strings.Fields(c)
		if len(f) == 0 {
			continue
		}
		f[0] = absolute(base, f[0])
		cands[i] = strings.Join(f, " ")
	}
	return strings.Join(cands, ", ")
}

// firstImage returns the src of the first image in the tree with an http(s)
// address.
func firstImage(n *html.Node) string {
	if n.Type == html.ElementNode && n.DataAtom == atom.Img {
		if src := httpURL(attr(n, "src")); src != "" {
			return src
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if src := firstImage(c); src != "" {
			return src
		}
	}
	return ""
}

// httpURL returns s when it is an absolute http(s) URL no longer than
// maxURLBytes, else "".
func httpURL(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > maxURLBytes {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.Scheme != "http" && u.Scheme != "https" {
		return ""
	}
	return s
}

// pixelSources lists the addresses of the tracking images in a tree.
func pixelSources(n *html.Node) []string {
	var out []string
	if n.Type == html.ElementNode && n.DataAtom == atom.Img && isPixel(n) {
		out = append(out, strings.TrimSpace(attr(n, "src")))
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		out = append(out, pixelSources(c)...)
	}
	return out
}
