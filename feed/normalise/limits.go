package normalise

import (
	"crypto/sha256"
	"encoding/hex"
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
	// A GUID longer than this is kept as its digest (guidDigestPrefix).
	maxGUIDBytes = 1024
	// A URL longer than this is no permalink, attachment or image: it is
	// left out (browsers and servers commonly stop at 8 KiB as well).
	maxURLBytes = 8 << 10
	// An item's HTML beyond this is cut before it is parsed; the
	// parser closes what the cut leaves open.
	maxBodyBytes = 1 << 20
)

// guidDigestPrefix starts the digest that stands for an over-long GUID:
// the item keeps one identity from fetch to fetch.
const guidDigestPrefix = "sha256:"

// clipText cuts s to at most n runes, at a space when one is near the
// end, and marks the cut with an ellipsis.
func clipText(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
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
