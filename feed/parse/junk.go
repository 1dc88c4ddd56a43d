package parse

import (
	"bytes"
	"strings"
)

// junkWindow is how far into a body the start of a document is looked for
// behind leading junk.
const junkWindow = 4096

// skipJunk returns body from its XML declaration, or else its feed root
// (<rss, <rdf:RDF, <feed), when that starts within the first junkWindow
// bytes behind junk: what a server wrote before the document, typically
// PHP's warnings ("<br />\n<b>Warning</b>: Cannot modify header
// information…") or blank lines. ok is false when nothing precedes the
// document, when none is found, or when what precedes it is a document
// itself (an HTML page, another XML document): an HTML page that happens
// to show a feed's markup stays an HTML page. UTF-8 BOMs in front are kept
// in front. The body is read as ASCII: junk is a server's own output.
func skipJunk(body []byte) (cut []byte, ok bool) {
	rest := body
	for bytes.HasPrefix(rest, []byte(bomUTF8)) {
		rest = rest[len(bomUTF8):]
	}
	bom := body[:len(body)-len(rest)]
	window := rest[:min(len(rest), junkWindow)]
	at := docStart(window)
	if at <= 0 || !isJunk(rest[:at]) {
		return nil, false
	}
	cut = make([]byte, 0, len(bom)+len(rest)-at)
	cut = append(cut, bom...)
	return append(cut, rest[at:]...), true
}

// docStart returns the offset of the first XML declaration in w, else of
// the first feed root element, -1 when there is neither.
func docStart(w []byte) int {
	for i := 0; ; {
		j := bytes.Index(w[i:], []byte("<?xml"))
		if j < 0 {
			break
		}
		i += j
		if i+5 < len(w) && isSpace(w[i+5]) {
			return i
		}
		i += 5
	}
	best := -1
	for _, root := range []string{"<rss", "<rdf:RDF", "<feed"} {
		for i := 0; ; {
			j := bytes.Index(w[i:], []byte(root))
			if j < 0 {
				break
			}
			i += j
			if k := i + len(root); k < len(w) && (isSpace(w[k]) || w[k] == '>') {
				if best < 0 || i < best {
					best = i
				}
				break
			}
			i += len(root)
		}
	}
	return best
}

// documentTags are the elements that make what precedes a feed a document
// of its own rather than junk: an HTML page's (those isHTMLRoot takes for
// a page's start among them). PHP's warnings use <br>, <b>, <font> and
// <table>.
var documentTags = map[string]bool{
	"html": true, "head": true, "body": true, "title": true, "meta": true, "link": true,
	"script": true, "style": true, "div": true, "frameset": true, "iframe": true,
}

// isJunk reports whether what precedes a feed is junk rather than a
// document: no doctype, XML declaration, HTML page element or feed root.
func isJunk(prefix []byte) bool {
	for i := 0; ; {
		j := bytes.IndexByte(prefix[i:], '<')
		if j < 0 {
			return true
		}
		i += j + 1
		if i < len(prefix) && (prefix[i] == '!' || prefix[i] == '?') {
			if !bytes.HasPrefix(prefix[i:], []byte("!--")) {
				return false // a doctype, a declaration, CDATA
			}
			i = skipPast(prefix, i+3, "-->")
			continue
		}
		name := strings.ToLower(string(elementName(prefix, i)))
		if documentTags[name] || name == "rss" || name == "rdf:rdf" || name == "feed" {
			return false
		}
	}
}
