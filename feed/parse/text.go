package parse

import (
	"bytes"
	"encoding/base64"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"
	jsonfeed "github.com/mmcdole/gofeed/json"
)

// Parse's output is uniform: an item's Title, Description and Content and a
// feed's Title and Description are HTML, whatever the format said they
// were. gofeed hands out plain-text constructs (an Atom type="text" title,
// a JSON Feed content_text) decoded, so that "&lt;template&gt;" arrives as
// "<template>", which a reader of HTML takes for an element. They are
// escaped here.

// escapeText returns plain text as HTML: '&', '<' and '>' escaped. Line
// breaks are kept; a reader of the HTML that finds nothing but text may
// take them for paragraph and line breaks (normalise does).
func escapeText(s string) string {
	if !strings.ContainsAny(s, "&<>") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// fixAtom makes the text constructs of an Atom feed translated from the
// document b HTML, decodes those in Atom 0.3's mode="base64" that gofeed
// leaves encoded, and drops those of a binary type that gofeed decodes.
func fixAtom(f *gofeed.Feed, b []byte) {
	if !atomNeedsOutline(f, b) {
		return
	}
	o := outlineXML(b, true)
	fixAtomText(&f.Title, o.feed[fieldTitle], b)
	fixAtomText(&f.Description, o.feed[fieldSummary], b)
	if len(o.items) != len(f.Items) {
		// The scan and gofeed disagree on the document's structure (it
		// cannot happen to a document encoding/xml reads as written):
		// better no fix than one applied to the wrong entry.
		return
	}
	for i, it := range f.Items {
		if it == nil {
			continue
		}
		fixAtomText(&it.Title, o.items[i].text[fieldTitle], b)
		fixAtomText(&it.Description, o.items[i].text[fieldSummary], b)
		fixAtomText(&it.Content, o.items[i].text[fieldContent], b)
	}
}

// atomNeedsOutline reports whether any text construct could need a fix:
// text that escaping changes, a base64 mode, or bytes that are not text
// (gofeed decodes the base64 of a binary type, mode or not).
func atomNeedsOutline(f *gofeed.Feed, b []byte) bool {
	if bytes.Contains(b, []byte("base64")) {
		return true
	}
	suspect := func(s string) bool { return strings.ContainsAny(s, "&<>") || !isText(s) }
	if suspect(f.Title) || suspect(f.Description) {
		return true
	}
	for _, it := range f.Items {
		if it != nil && (suspect(it.Title) || suspect(it.Description) || suspect(it.Content)) {
			return true
		}
	}
	return false
}

// fixAtomText makes *dst, gofeed's reading of the text construct tc, HTML.
//
// Plain text (Atom 1.0's type="text", the default, or Atom 0.3's
// text/plain) is escaped, except where the document shows it is not plain:
// a text construct holding child elements ("<title>Example <b>Atom</b>
// </title>") is taken for the markup its author wrote, as feedparser takes
// it. Atom 0.3's mode="base64", which gofeed leaves encoded under a type,
// is decoded; without a type, decoded text holding HTML tags is taken for
// HTML (Atom 0.3 producers left the type out of HTML, feedparser reads it
// so too). Content of a binary type (RFC 4287 has it base64, and gofeed
// decodes it for the types it knows as binary) is kept as gofeed gives it
// when that is text, as feedparser shows it; raw bytes (an image) are no
// text at all and are dropped: they would reach readers as invalid UTF-8.
func fixAtomText(dst *string, tc textConstruct, b []byte) {
	if !tc.present {
		return
	}
	typ, mode := strings.ToLower(tc.typ), strings.ToLower(tc.mode)
	raw := b[tc.start:tc.end]
	if isBinaryType(typ) {
		if !isText(*dst) {
			*dst = ""
		}
		return
	}
	if mode == "base64" {
		s, ok := decodeBase64(raw)
		if !ok {
			return
		}
		if isPlainType(typ) && (typ != "" || !hasTags([]byte(s))) {
			s = escapeText(s)
		}
		*dst = s
		return
	}
	if !isPlainType(typ) || hasTags(raw) {
		// HTML or XHTML (gofeed gives it as HTML), or markup.
		return
	}
	if typ == "" && mode != "" && !bytes.Contains(raw, []byte("<![CDATA[")) {
		// Content gofeed leaves as written: an Atom 0.3 mode="escaped"
		// without a type is escaped text already.
		return
	}
	*dst = escapeText(*dst)
}

// hasTags reports whether XML or HTML text holds a start or end tag outside
// CDATA sections and comments.
func hasTags(b []byte) bool {
	for i := 0; ; {
		j := bytes.IndexByte(b[i:], '<')
		if j < 0 || i+j+1 >= len(b) {
			return false
		}
		i += j
		switch rest := b[i:]; {
		case bytes.HasPrefix(rest, []byte("<![CDATA[")):
			i = skipPast(b, i+9, "]]>")
		case bytes.HasPrefix(rest, []byte("<!--")):
			i = skipPast(b, i+4, "-->")
		default:
			c := rest[1]
			if c == '/' && len(rest) > 2 {
				c = rest[2]
			}
			if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' {
				return true
			}
			i++
		}
	}
}

// isPlainType reports whether an Atom type attribute (lower case) names
// plain text: Atom 1.0's "text" (the default) or Atom 0.3's text/plain.
func isPlainType(typ string) bool {
	return typ == "" || typ == "text" || typ == "text/plain"
}

// isBinaryType reports whether an Atom content type is neither text, HTML
// nor XML: base64 content of such a type is not text.
func isBinaryType(typ string) bool {
	switch {
	case typ == "" || typ == "text" || typ == "html" || typ == "xhtml":
		return false
	case strings.HasPrefix(typ, "text/") || strings.Contains(typ, "xml"):
		return false
	}
	return true
}

// decodeBase64 decodes the content of a mode="base64" element as written
// (whitespace and line breaks are common in it; a CDATA section is
// unwrapped) into valid UTF-8.
func decodeBase64(raw []byte) (string, bool) {
	s := string(raw)
	if i := strings.Index(s, "<![CDATA["); i >= 0 {
		s = s[i+len("<![CDATA["):]
		if j := strings.Index(s, "]]>"); j >= 0 {
			s = s[:j]
		}
	}
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, s)
	out, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		if out, err = base64.RawStdEncoding.DecodeString(s); err != nil {
			return "", false
		}
	}
	return string(strictUTF8(out)), true
}

// isText reports whether s is text: valid UTF-8 without control
// characters other than white space.
func isText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f {
			return false
		}
	}
	return true
}

// fixJSON makes a JSON Feed's plain-text members HTML (title, summary,
// content_text when there is no content_html, the feed's title and
// description), keeps authors' names as written and records external_url.
func fixJSON(f *gofeed.Feed, jf *jsonfeed.Feed) {
	f.Title = jsonText(jf.Title)
	f.Description = jsonText(jf.Description)
	f.Author, f.Authors = jsonPersons(jf.Author, jf.Authors, f.Author, f.Authors)
	if len(jf.Items) != len(f.Items) {
		return
	}
	for i, ji := range jf.Items {
		it := f.Items[i]
		if ji == nil || it == nil {
			continue
		}
		it.Title = jsonText(ji.Title)
		it.Description = jsonText(ji.Summary)
		if ji.ContentHTML == "" {
			it.Content = jsonText(ji.ContentText)
		}
		it.Author, it.Authors = jsonPersons(ji.Author, ji.Authors, it.Author, it.Authors)
		if u := strings.TrimSpace(ji.ExternalURL); u != "" {
			if it.Custom == nil {
				it.Custom = map[string]string{}
			}
			it.Custom[externalURLKey] = u
		}
	}
}

// entityRe matches an HTML character reference: "&amp;", "&#8217;",
// "&#x2019;".
var entityRe = regexp.MustCompile(`&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});`)

// jsonText is a JSON Feed plain-text member as HTML. The spec says plain
// text, but generators often write their HTML-escaped titles there (a
// WordPress plugin gives "Don&#8217;t"): text holding a character
// reference is taken as HTML already, as it was before plain text was
// escaped; other text is escaped.
func jsonText(s string) string {
	if strings.Contains(s, "&") && entityRe.MatchString(s) {
		return s
	}
	return escapeText(s)
}

// jsonPersons returns the Persons of a JSON Feed's author (1.0) and
// authors (1.1; the author when there are none), one each and named as
// written: gofeed reads a name as "Name (e-mail)" and loses one in
// parentheses ("Ann (guest)") or holding an @ ("@ann"). Authors without a
// name are left out; gofeed's author and authors stay when none is left.
func jsonPersons(legacy *jsonfeed.Author, authors []*jsonfeed.Author, author *gofeed.Person, persons []*gofeed.Person) (*gofeed.Person, []*gofeed.Person) {
	if legacy != nil {
		if name := strings.TrimSpace(legacy.Name); name != "" {
			author = &gofeed.Person{Name: name}
		}
	}
	if len(authors) == 0 {
		authors = []*jsonfeed.Author{legacy}
	}
	var out []*gofeed.Person
	for _, a := range authors {
		if a == nil {
			continue
		}
		if name := strings.TrimSpace(a.Name); name != "" {
			out = append(out, &gofeed.Person{Name: name})
		}
	}
	if len(out) == 0 {
		out = persons
	}
	return author, out
}

// externalURLKey keys a JSON Feed item's external_url in Item.Custom
// (with a colon, which no element name gofeed keeps there can hold).
const externalURLKey = "tributary:external_url"

// ExternalURL returns a JSON Feed item's external_url, the page elsewhere
// that the item is about (a link blog's linked article), "" when it has
// none. gofeed also lists it in Item.Links, after the item's own url.
func ExternalURL(item *gofeed.Item) string {
	if item == nil {
		return ""
	}
	return item.Custom[externalURLKey]
}
