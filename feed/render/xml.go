package render

import "unicode/utf8"

// xmlSafe returns s without the characters XML 1.0 cannot carry (C0
// controls other than tab, newline and carriage return, surrogates, U+FFFE,
// U+FFFF) and without invalid UTF-8. One such byte in a CDATA section makes
// the whole document ill-formed for strict parsers, and escaping cannot help:
// XML 1.0 has no character reference for them either. Strings that are
// already clean, the common case, are returned without copying.
func xmlSafe(s string) string {
	for i := 0; i < len(s); {
		// Eight bytes at a time while they are printable ASCII, which
		// most of an entry's HTML is: a page of 50 entries is about
		// 250 KB to check on every render.
		if i+8 <= len(s) && plainASCII(word(s, i)) {
			i += 8
			continue
		}
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				return stripFrom(s, i)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || !xmlChar(r) {
			return stripFrom(s, i)
		}
		i += size
	}
	return s
}

// word is s[i:i+8] as a little-endian integer; the compiler makes it one
// load.
func word(s string, i int) uint64 {
	return uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
		uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
}

// plainASCII reports whether every byte of w is in 0x20–0x7F: none has its
// high bit set, and none is below 0x20 (subtracting 0x20 from each byte
// borrows into the high bit exactly for those). Tabs and newlines are
// allowed too, but are left to the byte-by-byte check.
func plainASCII(w uint64) bool {
	const high, spaces = 0x8080808080808080, 0x2020202020202020
	return w&high == 0 && (w-spaces)&^w&high == 0
}

// stripFrom copies s, dropping invalid characters from index i on (s[:i] is
// known to be clean).
func stripFrom(s string, i int) string {
	b := make([]byte, 0, len(s))
	b = append(b, s[:i]...)
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !(r == utf8.RuneError && size == 1) && xmlChar(r) {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return string(b)
}

// xmlChar reports whether r matches the Char production of XML 1.0.
func xmlChar(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return true
	case r < 0x20:
		return false
	case r <= 0xD7FF:
		return true
	case r < 0xE000:
		return false
	case r <= 0xFFFD:
		return true
	case r < 0x10000:
		return false
	}
	return r <= utf8.MaxRune
}
