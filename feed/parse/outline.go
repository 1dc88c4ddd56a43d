package parse

import (
	"bytes"
	"encoding/xml"
	"strings"
)

// gofeed's format structs drop what some fixes need: the type and mode
// attributes of Atom titles and summaries, an RSS 1.0 item's rdf:about, the
// markup of an RSS item's xhtml:body (kept only as a tree of extension
// elements, its text and child elements no longer in order). outline reads
// them back with a lexical scan of the document, the same kind of scan as
// checkShape: start and end tags are found byte by byte, comments, CDATA
// sections, processing instructions and the doctype skipped, and an end tag
// closes every element up to the one it names, as encoding/xml's lenient
// mode does. Only the start tags of the first few levels are decoded
// (encoding/xml reads their attributes and namespace declarations).

// Namespaces the outline tells apart.
const (
	nsAtom10 = "http://www.w3.org/2005/Atom"
	nsAtom03 = "http://purl.org/atom/ns#"
	nsRDF    = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
	nsRSS10  = "http://purl.org/rss/1.0/"
	nsRSS09  = "http://channel.netscape.com/rdf/simple/0.9/"
	nsRSS09b = "http://my.netscape.com/rdf/simple/0.9/"
	nsXHTML  = "http://www.w3.org/1999/xhtml"
)

// textConstruct is an Atom text construct as written: its attributes and
// where its content lies in the document.
type textConstruct struct {
	present    bool
	typ, mode  string
	start, end int // the content, between the start and end tags
}

// Fields of an Atom feed or entry whose text constructs are read.
const (
	fieldTitle = iota
	fieldSummary
	fieldContent
	numFields
)

// itemOutline is one RSS item or Atom entry, in gofeed's order.
type itemOutline struct {
	text  [numFields]textConstruct // Atom
	about string                   // RSS 1.0 rdf:about
	// body is the span of an RSS item's first xhtml:body content, and
	// bodyNS the namespace declarations in scope there (xmlns attributes,
	// as written).
	body   textConstruct
	bodyNS []xml.Attr
}

// docOutline is what the scan of one document found.
type docOutline struct {
	feed  [numFields]textConstruct // Atom feed title and subtitle
	items []itemOutline
}

// nsDecl is a namespace declaration: prefix "" for the default namespace.
type nsDecl struct{ prefix, uri string }

// frame is an open element of the scan.
type frame struct {
	name  string // as written, for matching end tags
	decls []nsDecl
	attrs []xml.Attr // namespace declarations as written (for xhtml:body)
	// text, when not nil, receives the span of the element's content when
	// it closes.
	text *textConstruct
	// role says what the element is to the feed.
	role int
}

// Roles of open elements.
const (
	roleOther = iota
	roleRoot
	roleChannel
	roleItem
)

// shallowDepth is how deep start tags are read: root, channel, item and
// the item's children.
const shallowDepth = 4

// outlined are the local names of the elements the scan reads below the
// second level.
var outlined = map[string]bool{
	"entry": true, "item": true, "title": true, "summary": true, "content": true,
	"subtitle": true, "tagline": true, "body": true,
}

// outlineXML scans an Atom (atom true) or RSS document. Items are listed in
// gofeed's order: for RSS, the items of the last channel and then those at
// the root, as gofeed's RSS parser collects them.
func outlineXML(b []byte, atom bool) docOutline {
	var (
		out          docOutline
		stack        []frame
		channelItems []itemOutline
		rootItems    []itemOutline
		cur          *itemOutline // the item or entry open, if any
		curInChannel bool
		rootSeen     bool
	)
	open := map[string]int{}
	// flushItem files the item or entry that closes.
	flushItem := func() {
		if cur == nil {
			return
		}
		if curInChannel {
			channelItems = append(channelItems, *cur)
		} else {
			rootItems = append(rootItems, *cur)
		}
		cur = nil
	}
	for t, ok := nextTag(b, 0); ok; t, ok = nextTag(b, t.next) {
		switch {
		case t.end:
			name := string(t.name)
			if open[name] > 0 {
				for {
					top := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					open[top.name]--
					if top.text != nil {
						top.text.end = t.at
					}
					if top.role == roleItem {
						flushItem()
					}
					if top.name == name {
						break
					}
				}
			}
		case len(t.name) > 0:
			start, end, selfClosing := t.at, t.next, t.selfClosing
			name := string(t.name)
			depth := len(stack) + 1
			f := frame{name: name}
			if depth == 1 && !rootSeen {
				f.role, rootSeen = roleRoot, true
			}
			prefix, local := splitName(name)
			local = strings.ToLower(local)
			// Attributes are decoded where they matter: namespace
			// declarations in scope at the elements read, and theirs.
			if depth <= 2 || depth <= shallowDepth && outlined[local] {
				f.attrs, f.decls = startTagAttrs(b[start:end])
			}
			if depth <= shallowDepth {
				ns := resolve(stack, f.decls, prefix)
				parent := roleOther
				if len(stack) > 0 {
					parent = stack[len(stack)-1].role
				}
				switch {
				case atom && parent == roleRoot && local == "entry" && isAtomNS(ns):
					f.role = roleItem
					cur, curInChannel = &itemOutline{}, false
				case atom && (parent == roleRoot || parent == roleItem) && isAtomNS(ns):
					field := -1
					switch local {
					case "title":
						field = fieldTitle
					case "summary", "subtitle", "tagline":
						if (local == "summary") == (parent == roleItem) {
							field = fieldSummary
						}
					case "content":
						if parent == roleItem {
							field = fieldContent
						}
					}
					if field >= 0 {
						tc := &out.feed[field]
						if parent == roleItem {
							tc = &cur.text[field]
						}
						*tc = textConstruct{present: true, typ: attrValue(f.attrs, "type"),
							mode: attrValue(f.attrs, "mode"), start: end, end: end}
						if !selfClosing {
							f.text = tc
						}
					}
				case !atom && parent == roleRoot && local == "channel" && isRSSNS(ns, stack):
					f.role = roleChannel
					channelItems = nil // gofeed keeps the last channel's
				case !atom && (parent == roleRoot || parent == roleChannel) && local == "item" && isRSSNS(ns, stack):
					f.role = roleItem
					cur, curInChannel = &itemOutline{about: rdfAbout(stack, f.attrs)}, parent == roleChannel
				case !atom && parent == roleItem && local == "body" && ns == nsXHTML && !cur.body.present:
					cur.body = textConstruct{present: true, start: end, end: end}
					cur.bodyNS = scopeDecls(stack, f.attrs)
					if !selfClosing {
						f.text = &cur.body
					}
				}
			}
			if selfClosing {
				if f.role == roleItem {
					flushItem()
				}
				continue
			}
			stack = append(stack, f)
			open[name]++
		}
	}
	// Elements still open at the end: gofeed parsed the document, so the
	// caller has closed them (truncated.go), or the document is refused.
	for len(stack) > 0 {
		top := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if top.text != nil {
			top.text.end = len(b)
		}
		if top.role == roleItem {
			flushItem()
		}
	}
	out.items = append(channelItems, rootItems...)
	return out
}

// startTagAttrs decodes the attributes of one start tag, tag, with
// encoding/xml in its lenient mode (entities decoded, prefixes as written),
// and returns them with the namespace declarations among them.
func startTagAttrs(tag []byte) ([]xml.Attr, []nsDecl) {
	if bytes.IndexByte(tag, '=') < 0 {
		return nil, nil
	}
	d := xml.NewDecoder(bytes.NewReader(tag))
	d.Strict = false
	tok, err := d.RawToken()
	if err != nil {
		return nil, nil
	}
	se, ok := tok.(xml.StartElement)
	if !ok {
		return nil, nil
	}
	var decls []nsDecl
	for _, a := range se.Attr {
		switch {
		case a.Name.Space == "" && a.Name.Local == "xmlns":
			decls = append(decls, nsDecl{"", a.Value})
		case a.Name.Space == "xmlns":
			decls = append(decls, nsDecl{a.Name.Local, a.Value})
		}
	}
	return se.Attr, decls
}

// splitName splits a name as written into its prefix and local part.
func splitName(name string) (prefix, local string) {
	if i := strings.IndexByte(name, ':'); i >= 0 {
		return name[:i], name[i+1:]
	}
	return "", name
}

// resolve returns the namespace of prefix where an element declaring decls
// opens inside stack, as encoding/xml resolves it: an undeclared prefix
// stands for itself, no prefix and no default namespace is "".
func resolve(stack []frame, decls []nsDecl, prefix string) string {
	if prefix == "xmlns" {
		return ""
	}
	for k := len(decls) - 1; k >= 0; k-- {
		if decls[k].prefix == prefix {
			return strings.TrimSpace(decls[k].uri)
		}
	}
	for s := len(stack) - 1; s >= 0; s-- {
		for k := len(stack[s].decls) - 1; k >= 0; k-- {
			if stack[s].decls[k].prefix == prefix {
				return strings.TrimSpace(stack[s].decls[k].uri)
			}
		}
	}
	return prefix
}

// attrValue returns the value of the attribute with no prefix named local,
// "" when there is none.
func attrValue(attrs []xml.Attr, local string) string {
	for _, a := range attrs {
		if a.Name.Space == "" && strings.EqualFold(a.Name.Local, local) {
			return strings.TrimSpace(a.Value)
		}
	}
	return ""
}

// rdfAbout returns an item's rdf:about attribute.
func rdfAbout(stack []frame, attrs []xml.Attr) string {
	for _, a := range attrs {
		if a.Name.Local != "about" || a.Name.Space == "" {
			continue
		}
		if ns := resolve(stack, nil, a.Name.Space); ns == nsRDF || ns == "rdf" {
			return strings.TrimSpace(a.Value)
		}
	}
	return ""
}

// scopeDecls returns the namespace declarations in scope at an element
// with attributes attrs inside stack, outermost first, as attributes.
func scopeDecls(stack []frame, attrs []xml.Attr) []xml.Attr {
	var out []xml.Attr
	isDecl := func(a xml.Attr) bool {
		return a.Name.Space == "xmlns" || a.Name.Space == "" && a.Name.Local == "xmlns"
	}
	for _, f := range stack {
		for _, a := range f.attrs {
			if isDecl(a) {
				out = append(out, a)
			}
		}
	}
	for _, a := range attrs {
		if isDecl(a) {
			out = append(out, a)
		}
	}
	return out
}

func isAtomNS(ns string) bool { return ns == "" || ns == nsAtom10 || ns == nsAtom03 }

// isRSSNS reports whether an element in namespace ns is one gofeed's RSS
// parser reads as its own: no namespace, the RSS and RDF namespaces, an
// undeclared rss or rdf prefix, or the root's own namespace when it is not
// a known extension's.
func isRSSNS(ns string, stack []frame) bool {
	switch ns {
	case "", "rss", "rdf", nsRDF, nsRSS10, nsRSS09, nsRSS09b:
		return true
	}
	if len(stack) == 0 {
		return false
	}
	root := stack[0]
	prefix, _ := splitName(root.name)
	rootNS := resolve(stack[:0], root.decls, prefix)
	return rootNS == ns && !knownExtensionNS(ns)
}

// knownExtensionNS reports whether gofeed files elements of namespace ns
// under a canonical prefix as an extension (the ones a feed's root could
// plausibly be put in by mistake).
func knownExtensionNS(ns string) bool {
	switch ns {
	case nsAtom10, nsAtom03, nsXHTML,
		"http://purl.org/rss/1.0/modules/content/",
		"http://purl.org/dc/elements/1.1/",
		"http://purl.org/dc/terms/",
		"http://www.itunes.com/dtds/podcast-1.0.dtd",
		"http://search.yahoo.com/mrss/",
		"http://search.yahoo.com/mrss":
		return true
	}
	return false
}
