package identify

import (
	"hash/maphash"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/tributary/tributary/feed/normalise"
)

// lowerWords is an article's text as identify compares it: lower-cased and
// split on whitespace, each character of a script written without spaces
// (Chinese, Japanese, Thai…) a word of its own. The text key, the
// fingerprint, the lead key and the shingles are all made from it; splitting
// once per article instead of once for each of them was a fifth of the cost
// of identifying an article.
func lowerWords(text string) []string {
	words := strings.Fields(strings.ToLower(text))
	if !hasWideRunes(text) {
		return words
	}
	for i, w := range words {
		if unspaced(w) {
			return splitUnspaced(words, i)
		}
	}
	return words
}

// unspacedScripts are the scripts whose words are not separated by spaces:
// a paragraph of them is one "word" to strings.Fields, so an article had no
// text key and nothing to compare. Characters stand in for their words, as
// character n-grams do in search engines for these languages.
var unspacedScripts = []*unicode.RangeTable{
	unicode.Han, unicode.Hiragana, unicode.Katakana,
	unicode.Thai, unicode.Lao, unicode.Khmer, unicode.Myanmar,
}

// hasWideRunes reports whether s holds a character at or above U+0800
// (three bytes or more in UTF-8), where every unspaced script lies: most
// texts have none, and need no closer look.
func hasWideRunes(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0xe0 {
			return true
		}
	}
	return false
}

// unspaced reports whether w holds a character of unspacedScripts.
func unspaced(w string) bool {
	for _, r := range w {
		if r >= 0x0e00 && unicode.IsOneOf(unspacedScripts, r) {
			return true
		}
	}
	return false
}

// splitUnspaced returns words with every character of unspacedScripts in
// words[from:] a word of its own, runs of other characters kept together.
func splitUnspaced(words []string, from int) []string {
	out := slices.Clone(words[:from])
	for _, w := range words[from:] {
		start := 0
		for i, r := range w {
			if r < 0x0e00 || !unicode.IsOneOf(unspacedScripts, r) {
				continue
			}
			if start < i {
				out = append(out, w[start:i])
			}
			end := i + utf8.RuneLen(r)
			out = append(out, w[i:end])
			start = end
		}
		if start < len(w) {
			out = append(out, w[start:])
		}
	}
	return out
}

// shingleSet returns the distinct hashed word shingles of words, sorted, so
// that two sets intersect by a merge (see overlap).
func shingleSet(words []string) []uint64 {
	if len(words) < shingleWords {
		if len(words) == 0 {
			return nil
		}
		return []uint64{shingleHash(words)}
	}
	set := make([]uint64, 0, len(words)-shingleWords+1)
	for i := 0; i+shingleWords <= len(words); i++ {
		set = append(set, shingleHash(words[i:i+shingleWords]))
	}
	slices.Sort(set)
	return slices.Compact(set)
}

// overlap counts the hashes two sorted sets share.
func overlap(a, b []uint64) int {
	n := 0
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			n++
			i++
			j++
		}
	}
	return n
}

// shingleCache keeps the shingle sets of the stored texts that near-duplicate
// candidates were last compared by. Copies of one article arrive one after
// the other (the original, then each planet's and group blog's copy), each
// compared with the same stored entry; deriving its text again from its HTML
// cost more than the rest of identifying the copy. Keyed by a hash of the
// HTML itself, an entry whose text changed is simply not found.
type shingleCache struct {
	mu   sync.Mutex
	seed maphash.Seed
	sets map[uint64][]uint64
	// order is the keys, oldest first, to evict beyond shingleCacheSize.
	order []uint64
}

// shingleCacheSize bounds the cache: about 4 KB per article of 500 words,
// so a few megabytes.
const shingleCacheSize = 1024

func newShingleCache() *shingleCache {
	return &shingleCache{seed: maphash.MakeSeed(), sets: map[uint64][]uint64{}}
}

// of returns the shingle set of the text of html (normalise.Text).
func (c *shingleCache) of(html string) []uint64 {
	key := maphash.String(c.seed, html)
	c.mu.Lock()
	set, ok := c.sets[key]
	c.mu.Unlock()
	if ok {
		return set
	}
	set = shingleSet(lowerWords(normalise.Text(html)))
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.sets[key]; !ok {
		if len(c.order) >= shingleCacheSize {
			delete(c.sets, c.order[0])
			c.order = c.order[1:]
		}
		c.sets[key] = set
		c.order = append(c.order, key)
	}
	return set
}
