package parse

import (
	"bytes"
	"encoding/xml"
	"io"
	"net/url"
	"strings"

	"github.com/mmcdole/gofeed"
	atomfeed "github.com/mmcdole/gofeed/atom"
	ext "github.com/mmcdole/gofeed/extensions"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// fixRSS fills what gofeed leaves out of the items of the RSS document b:
// an xhtml:body as the content of an item without one, an RSS 1.0 item's
// rdf:about as the link of an item without one.
func fixRSS(f *gofeed.Feed, b []byte) {
	xhtml := bytes.Contains(b, []byte(nsXHTML))
	about := bytes.Contains(b, []byte("about"))
	need := false
	for _, it := range f.Items {
		if it != nil && (xhtml && strings.TrimSpace(it.Content) == "" || about && strings.TrimSpace(it.Link) == "") {
			need = true
			break
		}
	}
	if !need {
		return
	}
	o := outlineXML(b, false)
	if len(o.items) != len(f.Items) {
		return // see fixAtom
	}
	for i, it := range f.Items {
		if it == nil {
			continue
		}
		ol := o.items[i]
		if ol.body.present && strings.TrimSpace(it.Content) == "" {
			if s, ok := xhtmlToHTML(b[ol.body.start:ol.body.end], ol.bodyNS); ok {
				it.Content = s
			}
		}
		if strings.TrimSpace(it.Link) == "" && isHTTPURL(ol.about) {
			it.Link = ol.about
			it.Links = append([]string{ol.about}, it.Links...)
		}
	}
}

// isHTTPURL reports whether s is an absolute http(s) URL.
func isHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// dropped are the elements an XHTML body loses with their content: those
// whose text HTML writes out raw, unescaped.
var dropped = map[string]bool{
	"script": true, "style": true, "iframe": true, "noembed": true, "noframes": true,
	"noscript": true, "plaintext": true, "xmp": true,
}

// xhtmlToHTML serialises the content of an XHTML element, inner, as HTML:
// elements lose their prefixes, attributes in a namespace (xmlns, xml:lang)
// are left out, and entities (HTML's too) are decoded. decls are the
// namespace declarations in scope, as attributes.
func xhtmlToHTML(inner []byte, decls []xml.Attr) (string, bool) {
	var w bytes.Buffer
	w.WriteString("<w")
	for _, a := range decls {
		w.WriteByte(' ')
		if a.Name.Space != "" {
			w.WriteString(a.Name.Space + ":")
		}
		w.WriteString(a.Name.Local + `="`)
		_ = xml.EscapeText(&w, []byte(a.Value))
		w.WriteByte('"')
	}
	w.WriteByte('>')
	w.Write(inner)
	w.WriteString("</w>")

	d := xml.NewDecoder(&w)
	d.Strict = false
	d.Entity = xml.HTMLEntity
	root := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	// parents holds, per open element, the node its children go to: a void
	// element's go to its parent, as HTML has them.
	var parents []*html.Node
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", false
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(parents) == 0 {
				parents = append(parents, root) // the wrapper
				continue
			}
			name := strings.ToLower(t.Name.Local)
			if dropped[name] {
				if err := d.Skip(); err != nil {
					return "", false
				}
				continue
			}
			n := &html.Node{Type: html.ElementNode, Data: name, DataAtom: atom.Lookup([]byte(name))}
			for _, a := range t.Attr {
				if a.Name.Space == "" && a.Name.Local != "xmlns" {
					n.Attr = append(n.Attr, html.Attribute{Key: strings.ToLower(a.Name.Local), Val: a.Value})
				}
			}
			parent := parents[len(parents)-1]
			parent.AppendChild(n)
			if isVoid(n.DataAtom) {
				parents = append(parents, parent)
			} else {
				parents = append(parents, n)
			}
		case xml.EndElement:
			if len(parents) > 0 {
				parents = parents[:len(parents)-1]
			}
		case xml.CharData:
			if len(parents) > 0 {
				parents[len(parents)-1].AppendChild(&html.Node{Type: html.TextNode, Data: string(t)})
			}
		}
	}
	var out strings.Builder
	for c := root.FirstChild; c != nil; c = c.NextSibling {
		if err := html.Render(&out, c); err != nil {
			return "", false
		}
	}
	return strings.TrimSpace(out.String()), true
}

// isVoid reports whether an HTML element has no content and no end tag.
func isVoid(a atom.Atom) bool {
	switch a {
	case atom.Area, atom.Base, atom.Br, atom.Col, atom.Embed, atom.Hr, atom.Img, atom.Input,
		atom.Keygen, atom.Link, atom.Meta, atom.Param, atom.Source, atom.Track, atom.Wbr:
		return true
	}
	return false
}

// fillDescriptions gives an item without a description the one its media
// elements or iTunes subtitle carry: a media:description of the item, else
// of its media:group, else of its first media:content that has one, else
// itunes:subtitle. YouTube's feeds carry a video's description only there.
// Plain-text descriptions (all but a media:description type="html") are
// escaped as HTML.
func fillDescriptions(f *gofeed.Feed) {
	for _, it := range f.Items {
		if it == nil || strings.TrimSpace(it.Description) != "" {
			continue
		}
		if d, ok := mediaDescription(it.Extensions); ok {
			it.Description = d
		} else if it.ITunesExt != nil && strings.TrimSpace(it.ITunesExt.Subtitle) != "" {
			it.Description = escapeText(strings.TrimSpace(it.ITunesExt.Subtitle))
		} else {
			it.Description = bareImage(it.Extensions)
		}
	}
}

// mediaDescription finds an item's Media RSS description as HTML.
func mediaDescription(exts ext.Extensions) (string, bool) {
	media := exts["media"]
	if media == nil {
		return "", false
	}
	from := func(es []ext.Extension) (string, bool) {
		for _, e := range es {
			v := strings.TrimSpace(e.Value)
			if v == "" {
				continue
			}
			if strings.EqualFold(strings.TrimSpace(e.Attrs["type"]), "html") {
				return v, true
			}
			return escapeText(v), true
		}
		return "", false
	}
	if d, ok := from(media["description"]); ok {
		return d, true
	}
	for _, g := range media["group"] {
		if d, ok := from(g.Children["description"]); ok {
			return d, true
		}
	}
	contents := media["content"]
	for _, g := range media["group"] {
		contents = append(contents, g.Children["content"]...)
	}
	for _, c := range contents {
		if img := mediaImage(c, true, from); img != "" {
			return img, true
		}
		if d, ok := from(c.Children["description"]); ok {
			return d, true
		}
	}
	return "", false
}

// bareImage is an item's first Media RSS image as HTML, or "": a photo
// posted without words or alt text.
func bareImage(exts ext.Extensions) string {
	media := exts["media"]
	if media == nil {
		return ""
	}
	contents := media["content"]
	for _, g := range media["group"] {
		contents = append(contents, g.Children["content"]...)
	}
	for _, c := range contents {
		if img := mediaImage(c, false, nil); img != "" {
			return img
		}
	}
	return ""
}

// mediaImage is a Media RSS image as HTML, its description as the image's
// alt text (or after it, when HTML), or "" when c is not an image. A
// Mastodon post that is only a photo has nothing else: its alt text alone
// read as the post, the photo left out.
//
// With described, only an image with a description is one: an item's
// artwork does not hide its iTunes subtitle.
func mediaImage(c ext.Extension, described bool, from func([]ext.Extension) (string, bool)) string {
	src := strings.TrimSpace(c.Attrs["url"])
	medium, typ := strings.ToLower(strings.TrimSpace(c.Attrs["medium"])), strings.ToLower(strings.TrimSpace(c.Attrs["type"]))
	if src == "" || medium != "image" && !strings.HasPrefix(typ, "image/") {
		return ""
	}
	var alt, after string
	for _, d := range c.Children["description"] {
		if v := strings.TrimSpace(d.Value); v != "" {
			if strings.EqualFold(strings.TrimSpace(d.Attrs["type"]), "html") {
				after, _ = from([]ext.Extension{d})
			} else {
				alt = v
			}
			break
		}
	}
	if alt == "" && after == "" && described {
		return ""
	}
	return `<p><img src="` + html.EscapeString(src) + `" alt="` + html.EscapeString(alt) + `"></p>` + after
}

// canonicalKey keys an Atom entry's rel="canonical" link in Item.Custom
// (with a colon: an RSS item's own <canonical> element is kept there as
// "canonical").
const canonicalKey = "tributary:canonical"

// fromAtom restores on each item what gofeed's translation of an Atom
// entry loses, reading the Atom structs that Parse keeps (gofeed keeps
// them only when its own Parser, which Parse does not use, is told to):
//   - the rel="canonical" link, in Item.Custom where Canonical finds it
//     (the translation lists an entry's links without their rel);
//   - the categories' terms: the translation gives a category's label
//     when it has one, so <category term="C++" label="C plus plus"/> was
//     the tag "c-plus-plus", and the entry missing from the feed of the
//     tag its source meant. A category without a term keeps its label.
func fromAtom(f *gofeed.Feed, af *atomfeed.Feed) {
	if f == nil || af == nil || len(af.Entries) != len(f.Items) {
		return
	}
	for i, e := range af.Entries {
		it := f.Items[i]
		if e == nil || it == nil {
			continue
		}
		for _, l := range e.Links {
			if l != nil && strings.EqualFold(strings.TrimSpace(l.Rel), "canonical") && strings.TrimSpace(l.Href) != "" {
				if it.Custom == nil {
					it.Custom = map[string]string{}
				}
				it.Custom[canonicalKey] = strings.TrimSpace(l.Href)
				break
			}
		}
		if len(e.Categories) > 0 {
			it.Categories = atomTerms(e.Categories)
		}
	}
}

// atomTerms is each category's term, else its label.
func atomTerms(cs []*atomfeed.Category) []string {
	cats := make([]string, 0, len(cs))
	for _, c := range cs {
		if c == nil {
			continue
		}
		if t := strings.TrimSpace(c.Term); t != "" {
			cats = append(cats, t)
		} else if l := strings.TrimSpace(c.Label); l != "" {
			cats = append(cats, l)
		}
	}
	return cats
}

// Canonical returns an Atom entry's rel="canonical" link as written, ""
// when it has none.
func Canonical(item *gofeed.Item) string {
	if item == nil {
		return ""
	}
	return item.Custom[canonicalKey]
}
