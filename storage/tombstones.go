package storage

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"time"
)

// Tombstones keep a pruned article out while some upstream still lists it.
// Each holds the last time that was known to be so: its removal, or the
// last fetch that listed the key again. One no upstream has listed for
// tombstoneMaxAge is forgotten, so the bucket does not grow forever; an
// upstream that listed an item for a year after it was pruned, then went
// quiet for another year and listed it again, would bring it back.
const (
	tombstoneMaxAge = 365 * 24 * time.Hour
	// tombstoneRefresh spaces the rewrites of a tombstone that every fetch
	// meets: a feed re-fetched every few minutes writes it once a day.
	tombstoneRefresh = 24 * time.Hour
	// tombstoneSweep is how many tombstones one Prune examines, so that a
	// round's retention costs the same however many there are: the sweep
	// resumes where the last one stopped and wraps around.
	tombstoneSweep = 4096
)

// metaSweep is the meta key holding the tombstone key the sweep resumes
// after (absent: from the first).
const metaSweep = "tombstone-sweep"

// Tombstoned reports whether key belonged to an entry that retention
// removed; in a write transaction, a tombstone last stamped more than
// tombstoneRefresh before seen is stamped seen.
func (t *tx) Tombstoned(key string, seen time.Time) (bool, error) {
	if key == "" {
		return false, nil
	}
	v := t.tombs.Get([]byte(key))
	if v == nil {
		return false, nil
	}
	if t.btx.Writable() && (len(v) != 8 || seen.Sub(time.Unix(0, int64(binary.BigEndian.Uint64(v)))) > tombstoneRefresh) {
		if err := t.tombs.Put([]byte(key), u64(uint64(clampNanos(seen)))); err != nil {
			return true, fmt.Errorf("tombstone %q: %w", key, err)
		}
	}
	return true, nil
}

// sweepTombstones examines up to budget tombstones after the one the last
// sweep stopped at, removes those stamped before cutoff, and records where
// it stopped. It returns how many it removed.
func (t *tx) sweepTombstones(cutoff time.Time, budget int) (int, error) {
	limit := u64(uint64(clampNanos(cutoff)))
	c := t.tombs.Cursor()
	var k, v []byte
	if after := t.meta.Get([]byte(metaSweep)); after != nil {
		k, v = c.Seek(after)
		if k != nil && bytes.Equal(k, after) {
			k, v = c.Next()
		}
	} else {
		k, v = c.First()
	}
	// Collect first: deleting under a live cursor makes bbolt skip keys.
	var expired [][]byte
	var last []byte
	for n := 0; k != nil && n < budget; k, v = c.Next() {
		if len(v) == 8 && bytes.Compare(v, limit) < 0 {
			expired = append(expired, bytes.Clone(k))
		}
		last = k
		n++
	}
	var err error
	if k == nil {
		err = t.meta.Delete([]byte(metaSweep)) // wrapped: start again from the first
	} else {
		err = t.meta.Put([]byte(metaSweep), bytes.Clone(last))
	}
	if err != nil {
		return 0, fmt.Errorf("sweep tombstones: %w", err)
	}
	for _, k := range expired {
		if err := t.tombs.Delete(k); err != nil {
			return 0, fmt.Errorf("sweep tombstones: %w", err)
		}
	}
	return len(expired), nil
}
