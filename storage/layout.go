package storage

import (
	"encoding/binary"
	"math"
	"time"
)

// Bucket names and meta keys; doc.go describes what each bucket holds.
const (
	bucketMeta       = "meta"
	bucketEntries    = "entries"
	bucketKeys       = "keys"
	bucketTime       = "time"
	bucketBands      = "bands"
	bucketTombstones = "tombstones"
	bucketSources    = "sources"
	bucketBySource   = "bysource"
	bucketByTag      = "bytag"
	// bucketCounts is not in bucketNames: a store without it is complete,
	// and Open builds it (counts.go).
	bucketCounts = "counts"
	// bucketScopes is not in bucketNames either (scopes.go).
	bucketScopes = "scope-counts"
	// bucketTagsSeen is not in bucketNames: a store without it opens
	// read-only, and a write creates it (tags.go).
	bucketTagsSeen = "tags-seen"

	metaSchema = "schema"
	metaCount  = "entries"
	// metaCountsTx is the bbolt transaction that last kept the counts.
	metaCountsTx = "counts-tx"
	// metaUnfinished marks a compaction's copy until its last transaction
	// (compact.go): a file carrying it is not a whole store.
	metaUnfinished = "unfinished"
	// metaScopesTx is the bbolt transaction that last kept the scope counts.
	metaScopesTx = "scope-counts-tx"
	// metaTagsSwept is when retention last swept the tags seen (tags.go).
	metaTagsSwept = "tags-swept"
)

// bucketNames lists every bucket Open creates.
var bucketNames = [...]string{
	bucketMeta, bucketEntries, bucketKeys, bucketTime, bucketBands, bucketTombstones, bucketSources,
	bucketBySource, bucketByTag,
}

// bands is the number of 16-bit slices a 64-bit fingerprint is indexed
// under: two fingerprints within 3 bits of each other must agree on at least
// one slice (pigeonhole), so a lookup per slice finds every such neighbour.
const bands = 4

// timeKey orders entries by (Published, ID): nanoseconds since 1970 as 8
// big-endian bytes (so byte order is time order), then the id. Dates before
// 1970 sort as 1970; dates past 2262 (beyond int64 nanoseconds) as the end.
func timeKey(published time.Time, id string) []byte {
	k := make([]byte, 8, 8+len(id))
	binary.BigEndian.PutUint64(k, uint64(clampNanos(published)))
	return append(k, id...)
}

func clampNanos(t time.Time) int64 {
	switch {
	case t.Unix() < 0:
		return 0
	case t.Unix() >= math.MaxInt64/int64(time.Second):
		return math.MaxInt64
	}
	return t.UnixNano()
}

// scopedKey is an entry's record in a per-source or per-tag time index: the
// scope (a source id or a tag, neither of which contains 0x00), 0x00, then
// the entry's time key. Within one scope, byte order is time order, and a
// scope's records are contiguous.
func scopedKey(scope string, published time.Time, id string) []byte {
	k := make([]byte, 0, len(scope)+1+8+len(id))
	k = append(k, scope...)
	k = append(k, 0)
	return append(k, timeKey(published, id)...)
}

// bandKey is one fingerprint slice of an entry: band number, the slice's 16
// bits, then the entry id. The first 3 bytes are the prefix Similar scans.
func bandKey(fp uint64, band int, id string) []byte {
	k := make([]byte, 3, 3+len(id))
	k[0] = byte(band)
	binary.BigEndian.PutUint16(k[1:], uint16(fp>>(16*band)))
	return append(k, id...)
}
