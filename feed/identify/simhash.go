package identify

import (
	"math/bits"
	"strings"
)

// shingleWords is the width of the word shingles hashed into a fingerprint.
// Three words keep word order significant (unlike a bag of words) while a
// single changed word disturbs only three shingles.
const shingleWords = 3

// Fingerprint returns the 64-bit SimHash of a text's word shingles, or 0 when
// the text is too short to fingerprint (fewer than MinExactWords words).
func Fingerprint(text string) uint64 {
	words := strings.Fields(strings.ToLower(text))
	if len(words) < MinExactWords {
		return 0
	}
	var weights [64]int32
	for i := 0; i+shingleWords <= len(words); i++ {
		h := shingleHash(words[i : i+shingleWords])
		for b := 0; b < 64; b++ {
			if h&(1<<b) != 0 {
				weights[b]++
			} else {
				weights[b]--
			}
		}
	}
	var fp uint64
	for b, w := range weights {
		if w > 0 {
			fp |= 1 << b
		}
	}
	if fp == 0 {
		fp = 1 // 0 means "no fingerprint"
	}
	return fp
}

// shingleHash is FNV-1a over the shingle's words with a separator, inlined:
// hash/fnv through an interface costs three times as much per shingle.
func shingleHash(words []string) uint64 {
	const (
		offset = 14695981039346656037
		prime  = 1099511628211
	)
	h := uint64(offset)
	for _, w := range words {
		for i := 0; i < len(w); i++ {
			h ^= uint64(w[i])
			h *= prime
		}
		h ^= ' '
		h *= prime
	}
	// FNV's low bits mix poorly for short inputs; a final avalanche step
	// (from SplitMix64) spreads every input bit over all 64.
	h ^= h >> 30
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 27
	h *= 0x94d049bb133111eb
	h ^= h >> 31
	return h
}

// Distance is the number of differing bits between two fingerprints.
func Distance(a, b uint64) int { return bits.OnesCount64(a ^ b) }
