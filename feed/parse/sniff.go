package parse

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"
)

// kind is what a body turned out to be.
type kind int

const (
	kindUnknown kind = iota
	kindRSS          // RSS 0.9x/2.0 or RSS 1.0 (rdf:RDF)
	kindAtom
	kindJSON
	kindHTML
)

// isHTMLRoot reports whether an element is one an HTML page may open with
// when it has no doctype; none of them is a feed root.
func isHTMLRoot(local string) bool {
	switch local {
	case "html", "head", "body", "meta", "title", "link", "script", "style", "div":
		return true
	}
	return false
}

// sniff decides what b is from its first element, reading past any XML
// declaration, processing instructions, comments and doctype. It returns the
// root's name (or a short quote of what was found instead) for messages.
// Unlike gofeed's own detection it is not limited to the first 4 KB.
func sniff(b []byte, contentType string) (kind, string) {
	htmlType := isHTMLType(contentType)
	doctype := ""
	i := skipSpace(b, 0)
	if i == len(b) {
		return kindUnknown, ""
	}
	if b[i] == '{' {
		return kindJSON, ""
	}
	for i < len(b) && b[i] == '<' {
		rest := b[i:]
		switch {
		case bytes.HasPrefix(rest, []byte("<?")):
			i = skipPast(b, i+2, "?>")
		case bytes.HasPrefix(rest, []byte("<!--")):
			i = skipPast(b, i+4, "-->")
		case bytes.HasPrefix(rest, []byte("<!")):
			doctype, i = skipDoctype(b, i)
		default:
			root := string(elementName(b, i+1))
			local := strings.ToLower(root[strings.IndexByte(root, ':')+1:])
			switch {
			case local == "rss" || local == "rdf":
				return kindRSS, root
			case local == "feed":
				return kindAtom, root
			case htmlType || isHTMLRoot(local) || strings.EqualFold(doctype, "html"):
				return kindHTML, root
			}
			return kindUnknown, "<" + escape(root) + ">"
		}
		i = skipSpace(b, i)
	}
	if htmlType || strings.EqualFold(doctype, "html") {
		return kindHTML, ""
	}
	return kindUnknown, quote(b[i:])
}

// isHTMLType reports whether a Content-Type names an HTML document.
func isHTMLType(contentType string) bool {
	mt, _, _ := strings.Cut(strings.ToLower(contentType), ";")
	mt = strings.TrimSpace(mt)
	return mt == "text/html" || mt == "application/xhtml+xml"
}

// skipPast returns the offset just after the first end found from i, or
// len(b) when there is none.
func skipPast(b []byte, i int, end string) int {
	if i > len(b) {
		return len(b)
	}
	j := bytes.Index(b[i:], []byte(end))
	if j < 0 {
		return len(b)
	}
	return i + j + len(end)
}

// skipDoctype skips a <!DOCTYPE …> (or other <!…> markup) starting at i,
// including an internal subset in brackets, and returns the doctype's root
// name.
func skipDoctype(b []byte, i int) (string, int) {
	name := ""
	if len(b)-i > 9 && strings.EqualFold(string(b[i+2:i+9]), "doctype") {
		name = string(elementName(b, skipSpace(b, i+9)))
	}
	gt := bytes.IndexByte(b[i:], '>')
	if gt < 0 {
		return name, len(b)
	}
	if br := bytes.IndexByte(b[i:i+gt], '['); br >= 0 {
		return name, skipPast(b, skipPast(b, i+br, "]"), ">")
	}
	return name, i + gt + 1
}

// elementName returns the name starting at b[i], up to whitespace, '/' or '>'.
func elementName(b []byte, i int) []byte {
	j := i
	for j < len(b) && !isSpace(b[j]) && b[j] != '/' && b[j] != '>' && j-i < 64 {
		j++
	}
	return b[i:j]
}

// quote returns the start of b for an error message, in double quotes as Go
// quotes strings: UTF-8 text that prints stays readable, and invalid bytes,
// control and other unprintable characters are escaped (\xb8, \x00, \n,
// \u202e), so that a body cannot garble the logs or mail that show the
// message. It is cut, with an ellipsis, after 40 characters, escapes
// counted as written.
func quote(b []byte) string {
	const n = 40
	var s strings.Builder
	s.WriteByte('"')
	width := 0
	for i := 0; i < len(b); {
		_, size := utf8.DecodeRune(b[i:])
		q := strconv.Quote(string(b[i : i+size]))
		q = q[1 : len(q)-1]
		if width += utf8.RuneCountInString(q); width > n {
			s.WriteString("…")
			break
		}
		s.WriteString(q)
		i += size
	}
	s.WriteByte('"')
	return s.String()
}

// escape returns s with every invalid byte and unprintable character
// escaped as in quote; printable text, quotes included, is left alone.
func escape(s string) string {
	for i, r := range s {
		if r == utf8.RuneError || !strconv.IsPrint(r) {
			var b strings.Builder
			b.WriteString(s[:i])
			for len(s) > i {
				r, size := utf8.DecodeRuneInString(s[i:])
				if r == utf8.RuneError || !strconv.IsPrint(r) {
					q := strconv.Quote(s[i : i+size])
					b.WriteString(q[1 : len(q)-1])
				} else {
					b.WriteString(s[i : i+size])
				}
				i += size
			}
			return b.String()
		}
	}
	return s
}
