package parse

import (
	"bytes"
	"fmt"
	"mime"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"
)

// BOMs recognised at the start of a body. The UTF-32LE BOM begins with the
// UTF-16LE one, so it is tested first (a UTF-16 document cannot start with
// U+0000, which XML forbids).
const (
	bomUTF8    = "\xEF\xBB\xBF"
	bomUTF32LE = "\xFF\xFE\x00\x00"
	bomUTF32BE = "\x00\x00\xFE\xFF"
	bomUTF16LE = "\xFF\xFE"
	bomUTF16BE = "\xFE\xFF"
)

// ToUTF8 returns body converted to UTF-8, the form the feed parsers need.
//
// The encoding is taken from, in order: a byte order mark (UTF-8, UTF-16 or
// UTF-32 in either byte order), the charset parameter of contentType, the
// encoding named by the XML declaration or its byte pattern, else UTF-8.
// Labels are resolved as browsers do (the WHATWG Encoding Standard), so
// "iso-8859-1" and "us-ascii" mean windows-1252; UTF-32, which that standard
// leaves out, is known by its XML names.
//
// Four cases override the declarations because the bytes prove them wrong:
//   - nothing is declared and the body is not valid UTF-8 but mostly 8-bit
//     text: it is decoded as windows-1252, the usual undeclared legacy encoding;
//   - the header says UTF-8 but the body is not valid UTF-8 and its XML
//     declaration names another encoding: the declaration is followed (with
//     no such declaration, invalid bytes become U+FFFD);
//   - a Latin-1 family charset is declared but the body is valid UTF-8 holding
//     multi-byte sequences: it is kept as UTF-8 (servers that label everything
//     ISO-8859-1 by default are common; Latin-1 text is practically never
//     valid multi-byte UTF-8);
//   - the header names UTF-16 or UTF-32 but the body opens with markup
//     readable as ASCII: the header is ignored.
//
// Bytes still invalid after decoding become U+FFFD, never an error. The BOM
// is dropped (a repeated one too), and an XML declaration naming another
// encoding (or an XML version other than 1.0) is replaced by a plain
// <?xml version="1.0"?>, so that a parser reading the result does not
// convert it a second time. The result may share memory with body when no
// change was needed; body is never modified.
func ToUTF8(body []byte, contentType string) ([]byte, error) {
	out, _, err := toUTF8(body, contentType)
	return out, err
}

// toUTF8 is ToUTF8 that also reports whether body was transcoded from an
// encoding a BOM or a declaration named (see decode).
func toUTF8(body []byte, contentType string) (out []byte, transcoded bool, err error) {
	out, transcoded, err = decode(body, contentType)
	if err != nil {
		return nil, false, err
	}
	// A BOM repeated (a file saved with one, then served with another
	// prepended) is text in front of the document: it goes too.
	for bytes.HasPrefix(out, []byte(bomUTF8)) {
		out = out[len(bomUTF8):]
	}
	return normaliseXMLDecl(out), transcoded, nil
}

// decode converts body to valid UTF-8 without touching the XML declaration.
// transcoded is true when a BOM or a declaration named the encoding body was
// decoded from, other than UTF-8: only then does out tell better than the
// bytes themselves what the body holds. Bytes read as UTF-8 (invalid ones
// replaced) or decoded by a guess are not transcoded.
func decode(body []byte, contentType string) (out []byte, transcoded bool, err error) {
	switch {
	case bytes.HasPrefix(body, []byte(bomUTF8)):
		return strictUTF8(body[len(bomUTF8):]), false, nil
	case bytes.HasPrefix(body, []byte(bomUTF32LE)):
		return transform(utf32.UTF32(utf32.LittleEndian, utf32.IgnoreBOM), "UTF-32LE", body[4:])
	case bytes.HasPrefix(body, []byte(bomUTF32BE)):
		return transform(utf32.UTF32(utf32.BigEndian, utf32.IgnoreBOM), "UTF-32BE", body[4:])
	case bytes.HasPrefix(body, []byte(bomUTF16LE)):
		return transform(unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), "UTF-16LE", body[2:])
	case bytes.HasPrefix(body, []byte(bomUTF16BE)):
		return transform(unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), "UTF-16BE", body[2:])
	}

	enc, name := lookup(contentTypeCharset(contentType))
	if isWide(name) && asciiStart(body) {
		// A body opening with ASCII markup is not UTF-16 or UTF-32,
		// whatever the header says.
		enc, name = nil, ""
	}
	fromHeader := enc != nil
	if enc == nil {
		enc, name = sniffXMLEncoding(body)
	}
	switch {
	case enc == nil:
		if utf8.Valid(body) {
			return body, false, nil
		}
		if mostlyEightBit(body) {
			out, _, err := transform(charmap.Windows1252, "windows-1252", body)
			return out, false, err // a guess
		}
		return strictUTF8(body), false, nil
	case name == "utf-8":
		if fromHeader && !utf8.Valid(body) {
			// The header's UTF-8 is a server default the bytes disprove;
			// a declaration naming another encoding is the author's word.
			if enc, name := sniffXMLEncoding(body); enc != nil && name != "utf-8" {
				return transform(enc, name, body)
			}
		}
		return strictUTF8(body), false, nil
	case name == "windows-1252" && hasMultiByteUTF8(body):
		return body, false, nil
	}
	return transform(enc, name, body)
}

// strictUTF8 replaces every invalid byte sequence with U+FFFD.
func strictUTF8(b []byte) []byte {
	if utf8.Valid(b) {
		return b
	}
	return bytes.ToValidUTF8(b, []byte("\uFFFD"))
}

// transform decodes b from enc; transcoded is always true.
func transform(enc encoding.Encoding, name string, b []byte) (out []byte, transcoded bool, err error) {
	out, err = enc.NewDecoder().Bytes(b)
	if err != nil {
		return nil, false, fmt.Errorf("decode %s: %w", name, err)
	}
	// Decoders substitute U+FFFD themselves; this is a guarantee, not a step.
	return strictUTF8(out), true, nil
}

// lookup resolves a charset label to an encoding and its canonical name, nil
// when the label is empty or unknown (the next source of truth is tried then).
func lookup(label string) (encoding.Encoding, string) {
	label = strings.TrimSpace(label)
	if label == "" {
		return nil, ""
	}
	enc, err := htmlindex.Get(label)
	if err != nil {
		switch strings.ToLower(label) {
		case "utf8mb4", "utf8": // MySQL's names for UTF-8 leak into real feeds
			return unicode.UTF8, "utf-8"
		// The Encoding Standard leaves UTF-32 out; XML names it.
		case "utf-32", "utf32", "utf_32", "ucs-4", "iso-10646-ucs-4":
			return utf32.UTF32(utf32.BigEndian, utf32.UseBOM), "utf-32"
		case "utf-32be", "utf_32_be":
			return utf32.UTF32(utf32.BigEndian, utf32.IgnoreBOM), "utf-32be"
		case "utf-32le", "utf_32_le":
			return utf32.UTF32(utf32.LittleEndian, utf32.IgnoreBOM), "utf-32le"
		}
		return nil, ""
	}
	name, err := htmlindex.Name(enc)
	if err != nil {
		return nil, ""
	}
	return enc, name
}

// contentTypeCharset returns the charset parameter of an HTTP Content-Type.
func contentTypeCharset(contentType string) string {
	if contentType == "" {
		return ""
	}
	if _, params, err := mime.ParseMediaType(contentType); err == nil {
		return params["charset"]
	}
	// Malformed headers ("text/xml; charset=utf-8;;") still name a charset.
	lower := strings.ToLower(contentType)
	i := strings.Index(lower, "charset=")
	if i < 0 {
		return ""
	}
	// Index lower, not contentType: lowering invalid UTF-8 changes its
	// length. Charset labels are case-insensitive anyway.
	v := lower[i+len("charset="):]
	if j := strings.IndexAny(v, "; \t"); j >= 0 {
		v = v[:j]
	}
	return strings.Trim(v, `"'`)
}

// sniffXMLEncoding returns the encoding an XML body declares, recognising a
// BOM-less UTF-16 or UTF-32 declaration by its byte pattern as XML 1.0
// Appendix F does.
func sniffXMLEncoding(body []byte) (encoding.Encoding, string) {
	switch {
	case bytes.HasPrefix(body, []byte{'<', 0, 0, 0}):
		return utf32.UTF32(utf32.LittleEndian, utf32.IgnoreBOM), "utf-32le"
	case bytes.HasPrefix(body, []byte{0, 0, 0, '<'}):
		return utf32.UTF32(utf32.BigEndian, utf32.IgnoreBOM), "utf-32be"
	case bytes.HasPrefix(body, []byte{'<', 0, '?', 0}):
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), "utf-16le"
	case bytes.HasPrefix(body, []byte{0, '<', 0, '?'}):
		return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), "utf-16be"
	}
	d, ok := findXMLDecl(body)
	if !ok || d.valStart < 0 {
		return nil, ""
	}
	enc, name := lookup(string(body[d.valStart:d.valEnd]))
	if isWide(name) {
		// A declaration readable as ASCII is not UTF-16 or UTF-32,
		// whatever it says.
		return nil, ""
	}
	return enc, name
}

// isWide reports whether an encoding name is UTF-16 or UTF-32, in which
// ASCII markup cannot be read byte by byte.
func isWide(name string) bool {
	return strings.HasPrefix(name, "utf-16") || strings.HasPrefix(name, "utf-32")
}

// asciiStart reports whether b opens, after ASCII whitespace, with '<' and
// another ASCII byte: markup readable as ASCII.
func asciiStart(b []byte) bool {
	i := skipSpace(b, 0)
	return i+1 < len(b) && b[i] == '<' && b[i+1] != 0 && b[i+1] < utf8.RuneSelf
}

// mostlyEightBit reports whether the non-ASCII bytes of an invalid UTF-8 body
// are mostly not part of valid UTF-8 sequences: a legacy 8-bit text rather
// than UTF-8 with a few damaged bytes.
func mostlyEightBit(b []byte) bool {
	valid, invalid := 0, 0
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			invalid++
		} else {
			valid++
		}
		i += n
	}
	return invalid > valid
}

// hasMultiByteUTF8 reports whether b is valid UTF-8 and not plain ASCII.
func hasMultiByteUTF8(b []byte) bool {
	if !utf8.Valid(b) {
		return false
	}
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return true
		}
	}
	return false
}
