package storage

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// maxTagLen caps a tag in bytes: categories are written by upstream feeds,
// and a paragraph posing as a category must not make a huge index key.
const maxTagLen = 100

// TagOf returns the tag a category or a configured tag is indexed and
// served under: composed (NFC) and lowercased; letters, digits and "_"
// kept; every run of other characters turned into one "-"; "-" trimmed
// from both ends; cut to 100 bytes on a character boundary. "Lower Town"
// and "lower-town" are the same tag; a tag valid in the config ("news",
// "deep_sea") is its own TagOf. A category without a letter or digit gives
// "", which is never indexed.
func TagOf(category string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFC.String(category) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		dash = true
	}
	s := b.String()
	if len(s) > maxTagLen {
		s = s[:maxTagLen]
		for !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
		s = strings.TrimRight(s, "-")
	}
	if strings.Trim(s, "_") == "" {
		return ""
	}
	return s
}
