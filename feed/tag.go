package feed

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
// kept, and "+" and "#" right after them, so that "C++", "C#" and "C" are
// three tags (the names of languages and versions: "Notepad++", "F#");
// every run of other characters turned into one "-"; "-" trimmed from both
// ends; cut to 100 bytes on a character boundary. "Lower Town" and
// "lower-town" are the same tag, and so are "#golang" and "golang"; a tag
// valid in the config ("news", "deep_sea", "c++") is its own TagOf. A
// category without a letter or digit gives "", which is never indexed.
func TagOf(category string) string {
	var b strings.Builder
	dash, word := false, false
	for _, r := range norm.NFC.String(category) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash, word = false, true
			b.WriteRune(unicode.ToLower(r))
		case word && (r == '+' || r == '#'):
			b.WriteRune(r)
		default:
			dash, word = true, false
		}
	}
	s := b.String()
	if len(s) > maxTagLen {
		s = s[:maxTagLen]
		for !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
		s = strings.TrimRight(s, "-")
	}
	if strings.IndexFunc(s, isLetterOrDigit) < 0 {
		return ""
	}
	return s
}

func isLetterOrDigit(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
