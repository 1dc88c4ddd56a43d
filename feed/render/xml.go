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
