package normalise

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on what one item may bring. What an item carries is stored,
// indexed and repeated in every document that lists it (a title goes into
// each share link too), so one hostile or broken item could make every
// document of a feed megabytes long; and bbolt refuses keys over 32 KiB,
// so one item with a GUID, link or category that long failed its whole
// feed, every fetch. Real items stay far below these.
const (
	maxTitleRunes    = 1000
	maxAuthorRunes   = 200
	maxCategoryRunes = 100
	maxCategories    = 50
	// A GUID longer than this is kept as its digest (guidDigestPrefix):
	// half bbolt's key limit, so that no GUID an earlier version stored
	// changes its key.
	maxGUIDBytes = 16 << 10
	// A URL longer than this is no permalink, attachment or image: it is
	// left out (browsers and servers commonly stop at 8 KiB as well).
	maxURLBytes = 8 << 10
	// An item's HTML beyond this, once inline data: URIs are emptied
	// (the sanitiser drops them anyway), is cut before it is parsed; the
	// parser closes what the cut leaves open, and an ellipsis marks it.
	maxBodyBytes = 1 << 20
)

// dataURI matches an attribute whose value is an inline data: URI:
// notebooks exported as blog posts inline their figures, megabytes of
// base64 before the text that follows them.
var dataURI = regexp.MustCompile(`(?i)(\s[a-z-]+\s*=\s*)("data:[^"]*"|'data:[^']*')`)

// boundedHTML is an item's HTML within maxBodyBytes: data: URIs emptied
// first, then cut, the cut marked.
func boundedHTML(s string) string {
	if len(s) <= maxBodyBytes {
		return s
	}
	s = dataURI.ReplaceAllString(s, `$1""`)
	if len(s) <= maxBodyBytes {
		return s
	}
	return clipRaw(s, maxBodyBytes) + " …"
}

// guidDigestPrefix starts the digest that stands for an over-long GUID:
// the item keeps one identity from fetch to fetch.
const guidDigestPrefix = "sha256:"

// clipText cuts s to at most n runes, the ellipsis that marks the cut
// included, at a space when one is near the end.
func clipText(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	n-- // the ellipsis
	cut := 0
	for i := range s {
		if n == 0 {
			cut = i
			break
		}
		n--
	}
	s = s[:cut]
	if i := strings.LastIndexFunc(s, unicode.IsSpace); i >= len(s)*3/4 {
		s = s[:i]
	}
	return strings.TrimRightFunc(s, unicode.IsSpace) + "…"
}

// clipRaw cuts markup or text to at most n bytes on a rune boundary, so
// that the work done on it is bounded before it is read as text.
func clipRaw(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// boundedGUID is a GUID as identity keys hold it: a long one by its
// digest.
func boundedGUID(g string) string {
	if len(g) <= maxGUIDBytes {
		return g
	}
	sum := sha256.Sum256([]byte(g))
	return guidDigestPrefix + hex.EncodeToString(sum[:])
}

// boundedText is inline text of at most n runes, read from at most
// enough of the raw value to give them (markup included).
func boundedText(raw string, n int) string {
	return clipText(inlineText(clipRaw(raw, 16*n)), n)
}
