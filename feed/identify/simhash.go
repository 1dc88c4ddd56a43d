package identify

import "math/bits"

// shingleWords is the width of the word shingles hashed into a fingerprint.
// Three words keep word order significant (unlike a bag of words) while a
// single changed word disturbs only three shingles.
const shingleWords = 3

// Fingerprint returns the 64-bit SimHash of a text's word shingles, or 0 when
// the text is too short to fingerprint (fewer than MinExactWords words).
func Fingerprint(text string) uint64 { return fingerprint(lowerWords(text)) }

// fingerprint is Fingerprint of a text's lowerWords.
func fingerprint(words []string) uint64 {
	if len(words) < MinExactWords {
		return 0
	}
	// Counting each bit's ones without a branch: a bit of a hash is as
	// likely set as not, so a branch on it is mispredicted half the time,
	// which made this loop five times slower. Bit b of the SimHash is set
	// when more shingles have it set than not.
	var ones [64]int32
	n := int32(0)
	for i := 0; i+shingleWords <= len(words); i++ {
		h := shingleHash(words[i : i+shingleWords])
		for b := range ones {
			ones[b] += int32(h >> b & 1)
		}
		n++
	}
	var fp uint64
	for b, c := range ones {
		if 2*c > n {
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
