package identify

import (
	"hash/maphash"
	"slices"
	"strings"
	"sync"

	"github.com/tributary/tributary/feed/normalise"
)

// lowerWords is an article's text as identify compares it: lower-cased and
// split on whitespace. The text key, the fingerprint, the lead key and the
// shingles are all made from it; splitting once per article instead of once
// for each of them was a fifth of the cost of identifying an article.
func lowerWords(text string) []string { return strings.Fields(strings.ToLower(text)) }

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
