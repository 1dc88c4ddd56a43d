package storage

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"maps"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"go.etcd.io/bbolt"

	"github.com/tributary/tributary/feed"
)

// maxProblems bounds what Verify lists: a store damaged at its root would
// otherwise give one line per record.
const maxProblems = 100

// Verify reads the whole store and returns what is wrong with it: pages
// bbolt finds inconsistent (its Tx.Check), entries that do not decode,
// index records that do not match the stored entries or that an entry
// lacks, and counts that disagree with the indexes they count. It reads
// every page, as a backup does, in one read transaction beside writers;
// its memory does not grow with the store (bbolt's check aside, which
// keeps a set of page ids). No problems and a nil error mean the store is
// sound. The error is for a store that cannot be read (ErrDamaged among
// others) or a cancelled ctx.
//
// Writes to a store can succeed on a file damaged where they do not look
// (they read only the pages on their way), so a damaged store may serve
// and fetch for a while: Verify is how an operator finds out before a
// backup copies the damage.
func (db *DB) Verify(ctx context.Context) (problems []string, err error) {
	var more int
	bad := func(format string, args ...any) {
		if len(problems) < maxProblems {
			problems = append(problems, fmt.Sprintf(format, args...))
		} else {
			more++
		}
	}
	err = db.view(ctx, "verify", func(t *tx) error {
		// Reading every page would map the whole file into the resident
		// set; it is dropped as it grows, as after transactions
		// (release.go), from beside the reads.
		// The releases end before the transaction does: past it, bbolt
		// may move its mapping, and the range released could be
		// anything's.
		done := make(chan struct{})
		var releasing sync.WaitGroup
		defer func() {
			close(done)
			releasing.Wait()
		}()
		releasing.Go(func() {
			tick := time.NewTicker(releaseCheck)
			defer tick.Stop()
			for {
				select {
				case <-done:
					return
				case <-tick.C:
					if mappedResident() > releaseAbove {
						_ = db.releaseIn(t.btx)
					}
				}
			}
		})
		cutShort := false
		if fi, err := os.Stat(db.path); err == nil && fi.Size() < t.btx.Size() {
			bad("the file is %d bytes, its pages reach %d: it was cut short", fi.Size(), t.btx.Size())
			cutShort = true
		}
		// Every page is read here first, where a fault or a panic on a
		// damaged one is recovered (ErrDamaged), before bbolt's check:
		// that runs in a goroutine of its own, where a read past the end
		// of the file (a page id pointing there) would end the process.
		if err := t.verifyEntries(ctx, bad); err != nil {
			return err
		}
		t.verifyCounts(bad)
		t.verifyScopes(bad)
		t.verifyTagsSeen(bad)
		t.readRest()
		if err := ctx.Err(); err != nil || cutShort {
			return err
		}
		for err := range t.btx.Check() {
			// bbolt words a failed assertion of its own as a panic it
			// recovered: a finding, not a crash.
			bad("bbolt: %s", strings.TrimPrefix(err.Error(), "panic: "))
		}
		return nil
	})
	if more > 0 {
		problems = append(problems, fmt.Sprintf("… and %d more", more))
	}
	return problems, err
}

// verifyEntries decodes every entry and looks up each index record it
// needs; then, since every record names its entry, an index holding more
// records than the entries need holds stale ones, which a second walk of
// that index finds. Identity keys are counted the same way: only the
// records naming an entry that lists them are sound.
func (t *tx) verifyEntries(ctx context.Context, bad func(string, ...any)) error {
	indexOf := t.indexRule()
	need, missing := map[string]int{}, map[string]int{}
	var n, owned int
	c := t.entries.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if n++; n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		e, err := decodeEntry(string(k), v)
		if err != nil {
			bad("entry %q: %v", k, err)
			continue
		}
		if e.ID != string(k) {
			bad("entry stored under %q has id %q", k, e.ID)
		}
		ix := indexOf(e)
		sum := checksum(v)
		for _, r := range []struct {
			name string
			b    *bbolt.Bucket
			keys []string
		}{
			{bucketTime, t.times, []string{ix.time}}, {bucketBands, t.bands, ix.bands},
			{bucketBySource, t.bySource, ix.sources}, {bucketByTag, t.byTag, ix.tags},
		} {
			need[r.name] += len(r.keys)
			for _, key := range r.keys {
				found, rv := r.b.Cursor().Seek([]byte(key))
				switch {
				case !bytes.Equal(found, []byte(key)):
					bad("entry %q lacks its %s record %x", k, r.name, key)
					missing[r.name]++
				case indexedID(r.name, found) != nil && len(rv) > 0 && !bytes.Equal(rv, sum):
					// A time index record holds nothing (written before
					// records held checksums) or its entry's.
					bad("%s record %x: checksum %x is not of its entry's value", r.name, found, rv)
				}
			}
		}
		// A key the entry lists may be another entry's, or nobody's
		// once that one was pruned and its tombstone swept a year on:
		// only the records naming this entry are counted.
		for _, key := range ix.keys {
			if bytes.Equal(t.keys.Get([]byte(key)), k) {
				owned++
			}
		}
	}
	// Every identity key record must name an entry that lists it: those
	// were counted above, each once (a key has one owner).
	if got := t.keys.Stats().KeyN; got != owned {
		bad("keys index has %d records, %d name an entry that lists them", got, owned)
		t.findStaleKeys(bad)
	}
	if c := t.count(); c != n {
		bad("count is %d, %d entries stored", c, n)
	}
	for _, name := range slices.Sorted(maps.Keys(need)) {
		b := t.btx.Bucket([]byte(name))
		// A missing record and a stale one balance in the count: the
		// stale are looked for whenever one is missing too.
		if got := b.Stats().KeyN; got != need[name]-missing[name] || missing[name] > 0 {
			if got != need[name] {
				bad("%s index has %d records, the entries need %d", name, got, need[name])
			}
			t.findStale(name, b, bad)
		}
	}
	return nil
}

// readRest reads every page of the buckets the checks above do not walk,
// so that a damaged one faults here, recoverably.
func (t *tx) readRest() {
	for _, name := range []string{bucketMeta, bucketTombstones, bucketSources, bucketCounts, bucketScopes} {
		if b := t.btx.Bucket([]byte(name)); b != nil {
			var sum uint32
			_ = b.ForEach(func(k, v []byte) error {
				sum = crc32.Update(crc32.Update(sum, crc32.IEEETable, k), crc32.IEEETable, v)
				return nil
			})
		}
	}
}

// findStale reports the records of an index that no stored entry needs.
func (t *tx) findStale(name string, b *bbolt.Bucket, bad func(string, ...any)) {
	indexOf := t.indexRule()
	_ = b.ForEach(func(k, _ []byte) error {
		id := indexedID(name, k)
		if name == bucketBands && len(k) > 3 {
			id = k[3:]
		}
		v := t.entries.Get(id)
		if v == nil {
			bad("stale %s record %x: no entry %q", name, k, id)
			return nil
		}
		e, err := decodeEntry(string(id), v)
		if err != nil {
			return nil // reported with the entries
		}
		ix := indexOf(e)
		needed := map[string][]string{bucketTime: {ix.time}, bucketBands: ix.bands, bucketBySource: ix.sources, bucketByTag: ix.tags}[name]
		if !slices.Contains(needed, string(k)) {
			bad("stale %s record %x: entry %q does not need it", name, k, id)
		}
		return nil
	})
}

// findStaleKeys reports the identity key records that name no stored
// entry, or one that does not list them.
func (t *tx) findStaleKeys(bad func(string, ...any)) {
	_ = t.keys.ForEach(func(k, id []byte) error {
		v := t.entries.Get(id)
		if v == nil {
			bad("key %q points at missing entry %q", k, id)
			return nil
		}
		if e, err := decodeEntry(string(id), v); err == nil && !slices.Contains(e.Keys(), string(k)) {
			bad("key %q points at entry %q, which does not list it", k, id)
		}
		return nil
	})
}

// verifyCounts checks trusted counts (counts.go): each block holds as many
// time keys as it says, no more than twice the block size.
func (t *tx) verifyCounts(bad func(string, ...any)) {
	if t.counts == nil {
		return // not kept: nothing reads them
	}
	var starts [][]byte
	var counts []int
	_ = t.counts.ForEach(func(k, v []byte) error {
		starts, counts = append(starts, k), append(counts, int(binary.BigEndian.Uint64(v)))
		return nil
	})
	if len(starts) == 0 || !bytes.Equal(starts[0], countsFloor) {
		bad("counts: no floor block")
		return
	}
	seen := make([]int, len(starts))
	i := 0
	_ = t.times.ForEach(func(k, _ []byte) error {
		for i+1 < len(starts) && bytes.Compare(k, starts[i+1]) >= 0 {
			i++
		}
		seen[i]++
		return nil
	})
	for i := range starts {
		if seen[i] != counts[i] {
			bad("counts: block %x says %d keys, holds %d", starts[i], counts[i], seen[i])
		}
		if counts[i] > 2*t.blockSize() {
			bad("counts: block %x holds %d keys, more than twice %d", starts[i], counts[i], t.blockSize())
		}
	}
}

// verifyScopes checks trusted scope counts (scopes.go): each scope's count
// is the number of its records, and a scope without records has none.
func (t *tx) verifyScopes(bad func(string, ...any)) {
	if t.scopes == nil {
		return
	}
	want := map[string]uint64{}
	for _, ix := range []struct {
		kind byte
		b    *bbolt.Bucket
	}{{scopeSource, t.bySource}, {scopeTag, t.byTag}} {
		_ = ix.b.ForEach(func(k, _ []byte) error {
			if i := bytes.IndexByte(k, 0); i > 0 {
				want[string(scopeCountKey(ix.kind, k[:i]))]++
			}
			return nil
		})
	}
	got := map[string]uint64{}
	_ = t.scopes.ForEach(func(k, v []byte) error {
		if len(v) == 8 {
			got[string(k)] = binary.BigEndian.Uint64(v)
		}
		return nil
	})
	for _, k := range slices.Sorted(maps.Keys(want)) {
		if got[k] != want[k] {
			bad("scope counts: %q says %d records, has %d", k, got[k], want[k])
		}
	}
	for _, k := range slices.Sorted(maps.Keys(got)) {
		if _, ok := want[k]; !ok {
			bad("scope counts: %q says %d records, has none", k, got[k])
		}
	}
}

// indexRule returns how the store's entries were indexed: as indexOf does,
// or, in a store of schema 2 or 3 opened read-only (not migrated), with
// the tags of its schema, so that verify does not call its tag records
// missing.
func (t *tx) indexRule() func(*feed.Entry) index {
	if v, err := storedSchema(t.meta); err != nil || v >= 4 {
		return indexOf
	}
	return func(e *feed.Entry) index {
		ix := indexOf(e)
		ix.tags = tagKeys(e, schema3TagOf)
		return ix
	}
}

// verifyTagsSeen reports a tag of the tag index that the tags seen do not
// record: once its last entry went, its feed would be 404. A store without
// the bucket (an older build's, opened read-only) has nothing to check.
func (t *tx) verifyTagsSeen(bad func(string, ...any)) {
	if t.tagsSeen == nil {
		return
	}
	_ = t.indexedTags(func(tag []byte) error {
		if t.tagsSeen.Get(tag) == nil {
			bad("tag %q is indexed but not among the tags seen", tag)
		}
		return nil
	})
}
