package parse

import (
	"bytes"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// stripInvalidXMLChars removes characters XML 1.0 forbids (C0 controls other
// than tab, LF and CR; U+FFFE and U+FFFF) from valid UTF-8, so that one stray
// backspace in a description does not make the whole document unreadable.
// JSON forbids the same controls unescaped. b is returned as is when clean.
func stripInvalidXMLChars(b []byte) []byte {
	first := -1
	for i, c := range b {
		// The cheap test first: this loop sees every byte of every feed.
		if (c < 0x20 || c == 0xEF) && invalidXMLCharLen(b, i) > 0 {
			first = i
			break
		}
	}
	if first < 0 {
		return b
	}
	out := make([]byte, first, len(b))
	copy(out, b[:first])
	for i := first; i < len(b); {
		if n := invalidXMLCharLen(b, i); n > 0 {
			i += n
			continue
		}
		out = append(out, b[i])
		i++
	}
	return out
}

// invalidXMLCharLen returns the length of the forbidden character at b[i],
// 0 when the byte there starts no forbidden character.
func invalidXMLCharLen(b []byte, i int) int {
	c := b[i]
	switch {
	case c < 0x20:
		if c == '\t' || c == '\n' || c == '\r' {
			return 0
		}
		return 1
	case c == 0xEF && i+2 < len(b) && b[i+1] == 0xBF && (b[i+2] == 0xBE || b[i+2] == 0xBF):
		return 3
	}
	return 0
}

// stripInvalidCharRefs removes character references to characters XML 1.0
// forbids (&#8; &#x1B; &#xFFFE; &#xD800;), which encoding/xml rejects even
// in its lenient mode, failing the whole document over one escaped
// backspace. b is returned as is when it holds none.
func stripInvalidCharRefs(b []byte) []byte {
	i := bytes.Index(b, []byte("&#"))
	if i < 0 {
		return b
	}
	var out []byte
	last := 0 // b[last:i] is not copied yet
	for i >= 0 {
		n, ok := charRefLen(b[i:])
		if ok {
			if out == nil {
				out = make([]byte, 0, len(b))
			}
			out = append(out, b[last:i]...)
			last = i + n
			i = last
		} else {
			i += 2
		}
		j := bytes.Index(b[i:], []byte("&#"))
		if j < 0 {
			break
		}
		i += j
	}
	if out == nil {
		return b
	}
	return append(out, b[last:]...)
}

// charRefLen returns the length of the character reference at the start of
// b and whether it names a character XML forbids.
func charRefLen(b []byte) (int, bool) {
	i, base := 2, 10
	if len(b) > 2 && (b[2] == 'x' || b[2] == 'X') {
		i, base = 3, 16
	}
	v, digits := 0, 0
	for ; i < len(b) && digits < 10; i++ {
		d := hexDigit(b[i])
		if d < 0 || d >= base {
			break
		}
		v = v*base + d
		digits++
	}
	if digits == 0 || digits == 10 || i >= len(b) || b[i] != ';' {
		return 0, false
	}
	forbidden := v < 0x20 && v != '\t' && v != '\n' && v != '\r' ||
		v >= 0xD800 && v <= 0xDFFF || v == 0xFFFE || v == 0xFFFF || v > 0x10FFFF
	return i + 1, forbidden
}

func hexDigit(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c-'a') + 10
	case 'A' <= c && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// mapC1 replaces the C1 control characters (U+0080 to U+009F) of valid
// UTF-8 with the windows-1252 characters of the same byte values, as
// browsers and feedparser do: they are windows-1252 text transcoded as if
// it were Latin-1 ("Don\u0092t" for "Don’t"), never controls meant as such,
// and left alone they showed as a gap or a box. Code points windows-1252
// leaves undefined stay. b is returned as is when it holds none.
func mapC1(b []byte) []byte {
	first := -1
	for i := 0; ; {
		j := bytes.IndexByte(b[i:], 0xC2)
		if j < 0 {
			break
		}
		i += j
		if i+1 < len(b) && b[i+1] >= 0x80 && b[i+1] <= 0x9F {
			first = i
			break
		}
		i++
	}
	if first < 0 {
		return b
	}
	out := make([]byte, first, len(b)+len(b)/8)
	copy(out, b[:first])
	for i := first; i < len(b); {
		if b[i] == 0xC2 && i+1 < len(b) && b[i+1] >= 0x80 && b[i+1] <= 0x9F {
			if r := charmap.Windows1252.DecodeByte(b[i+1]); r != utf8.RuneError {
				out = utf8.AppendRune(out, r)
				i += 2
				continue
			}
		}
		out = append(out, b[i])
		i++
	}
	return out
}
