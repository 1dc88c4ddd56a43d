package storage

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"

	berrors "go.etcd.io/bbolt/errors"
)

// The counts bucket lets Window find a page by its number without walking
// the time index down to it. It cuts the time index into blocks of
// consecutive keys and records how many keys each holds, so that page
// 10,000 of a million entries costs a walk over the blocks (about one per
// thousand entries) and then over part of one block.
//
// Builds before this one do not keep the bucket. So that counts a build
// like that left stale are not trusted, the meta key metaCountsTx records
// the bbolt transaction that last kept them and the number of entries then,
// and Open trusts them only when the transaction is the store's last
// committed one, the entry count is unchanged and the blocks add up to it.
// (A transaction id alone can come round again: a copy of the store made by
// an older build's compact starts counting transactions anew.) Trust is
// decided once per Open: while a DB is open no other process writes to the
// file, so from then on only this build's own writes, which keep the
// counts, change it. A writable Open rebuilds counts it does not trust; a
// read-only open walks the time index instead.

// keptSequence is the sequence this build gives the counts and scope-counts
// buckets when it builds them. No build copies a bucket's sequence when it
// compacts (copyStore, and the builds before it): a copy made by an older
// build, whose transaction ids start again, has 0 there, so counts it
// carried are not trusted even when its later writes end on the marker's
// transaction with the entry count held by retention (QA made exactly
// that happen).
const keptSequence = 1

// countsFloor is the first key of the lowest block: shorter than any time
// key, so below all of them.
var countsFloor = []byte{0}

// defaultBlock is the number of keys a block is cut to when counts are
// rebuilt. A block is split in two when it passes twice that, and merged
// into the block below when it falls to an eighth of it or less.
const defaultBlock = 1024

// blockSize is the tx's block size: the store's, or defaultBlock.
func (t *tx) blockSize() int {
	if t.block > 0 {
		return t.block
	}
	return defaultBlock
}

// countsTrusted reports whether the store's counts can be trusted (see
// above). t must be the first transaction of an Open, before any write.
func (t *tx) countsTrusted() bool {
	b := t.btx.Bucket([]byte(bucketCounts))
	v := t.meta.Get([]byte(metaCountsTx))
	if b == nil || len(v) != 16 || b.Sequence() != keptSequence {
		return false
	}
	want := uint64(t.btx.ID())
	if t.btx.Writable() {
		want--
	}
	count := uint64(t.count())
	if binary.BigEndian.Uint64(v) != want || binary.BigEndian.Uint64(v[8:]) != count {
		return false
	}
	var sum uint64
	c := b.Cursor()
	k, n := c.First()
	if !bytes.Equal(k, countsFloor) {
		return false
	}
	for ; k != nil; k, n = c.Next() {
		if len(n) != 8 {
			return false
		}
		sum += binary.BigEndian.Uint64(n)
	}
	return sum == count
}

// sealCounts records, before a write transaction commits, that it kept the
// counts. A transaction that stopped trusting them (see counted) leaves
// the old record, which no longer matches.
func (t *tx) sealCounts() error {
	if t.counts == nil {
		return nil
	}
	v := binary.BigEndian.AppendUint64(u64(uint64(t.btx.ID())), uint64(t.count()))
	if err := t.meta.Put([]byte(metaCountsTx), v); err != nil {
		return fmt.Errorf("counts: %w", err)
	}
	return nil
}

// rebuildCounts cuts the time index into blocks of t's block size and
// trusts the result.
func (t *tx) rebuildCounts() error {
	if err := t.btx.DeleteBucket([]byte(bucketCounts)); err != nil && !errors.Is(err, berrors.ErrBucketNotFound) {
		return fmt.Errorf("rebuild counts: %w", err)
	}
	b, err := t.btx.CreateBucket([]byte(bucketCounts))
	if err != nil {
		return fmt.Errorf("rebuild counts: %w", err)
	}
	// Keys arrive in order and later inserts are rare: full pages.
	b.FillPercent = 1
	if err := b.SetSequence(keptSequence); err != nil {
		return fmt.Errorf("rebuild counts: %w", err)
	}
	start, n := countsFloor, 0
	c := t.times.Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		if n == t.blockSize() {
			if err := b.Put(start, u64(uint64(n))); err != nil {
				return fmt.Errorf("rebuild counts: %w", err)
			}
			start, n = slices.Clone(k), 0
		}
		n++
	}
	if err := b.Put(start, u64(uint64(n))); err != nil {
		return fmt.Errorf("rebuild counts: %w", err)
	}
	t.counts = b
	return t.sealCounts()
}

// counted adds delta (+1 or -1) to the block holding the time key k, which
// was just put into or deleted from the time index, and splits or merges
// the block when it grew too large or too small. Counts found inconsistent
// are no longer trusted: the transaction stops keeping them and the next
// writable Open rebuilds them.
func (t *tx) counted(k []byte, delta int) error {
	if t.counts == nil {
		return nil
	}
	c := t.counts.Cursor()
	bk, bv := c.Seek(k)
	switch {
	case bk == nil:
		bk, bv = c.Last()
	case !bytes.Equal(bk, k):
		bk, bv = c.Prev()
	}
	if bk == nil || len(bv) != 8 {
		t.counts = nil
		return nil
	}
	n := int(binary.BigEndian.Uint64(bv)) + delta
	if n < 0 {
		t.counts = nil
		return nil
	}
	bk = slices.Clone(bk)
	block := t.blockSize()
	switch {
	case n > 2*block:
		return t.splitBlock(bk, n)
	case n <= block/8 && !bytes.Equal(bk, countsFloor):
		if pk, pv := c.Prev(); pk != nil && len(pv) == 8 {
			if merged := int(binary.BigEndian.Uint64(pv)) + n; merged <= 2*block {
				pk = slices.Clone(pk)
				if err := t.counts.Delete(bk); err != nil {
					return fmt.Errorf("counts: %w", err)
				}
				return t.putCount(pk, merged)
			}
		}
	}
	return t.putCount(bk, n)
}

// splitBlock cuts the block starting at bk, which holds n keys, in two
// halves at the key half-way through it.
func (t *tx) splitBlock(bk []byte, n int) error {
	c := t.times.Cursor()
	k, _ := c.Seek(bk)
	for i := 0; k != nil && i < n/2; i++ {
		k, _ = c.Next()
	}
	if k == nil {
		t.counts = nil // fewer keys than counted
		return nil
	}
	if err := t.putCount(slices.Clone(k), n-n/2); err != nil {
		return err
	}
	return t.putCount(bk, n/2)
}

func (t *tx) putCount(k []byte, n int) error {
	if err := t.counts.Put(k, u64(uint64(n))); err != nil {
		return fmt.Errorf("counts: %w", err)
	}
	return nil
}

// spanByNumber is a page of every entry by number, found through the
// counts: the blocks are walked down from the newest to the one holding
// the page's first entry, and the time index from that block's top. ok is
// false when the page starts past the last entry, or the time index ran
// out before the counts did (which trusted counts never cause): the caller
// walks instead.
func (t *tx) spanByNumber(q Query) (s span, ok bool, err error) {
	total := t.count()
	if t.counts == nil || q.Skip >= total {
		return span{}, false, nil
	}
	// upper is the first key of the block above the one being looked at.
	var (
		upper []byte
		above int
		found bool
	)
	cc := t.counts.Cursor()
	for bk, bv := cc.Last(); bk != nil; bk, bv = cc.Prev() {
		if len(bv) != 8 {
			return span{}, false, nil
		}
		n := int(binary.BigEndian.Uint64(bv))
		if above+n > q.Skip {
			found = true
			break
		}
		above += n
		upper = bk
	}
	if !found {
		return span{}, false, nil
	}
	c := t.times.Cursor()
	var k, v []byte
	if upper == nil {
		k, v = c.Last()
	} else if k, _ = c.Seek(upper); k == nil {
		k, v = c.Last()
	} else {
		k, v = c.Prev()
	}
	for i := above; k != nil && i < q.Skip; i++ {
		k, v = c.Prev()
	}
	if k == nil {
		return span{}, false, nil
	}
	s = span{total: total, offset: q.Skip}
	up := t.times.Cursor()
	up.Seek(k)
	next, _ := up.Next()
	_, s.prev = prevAbove(up, next, q.Limit)
	if err := s.readDown(c, k, v, q.Limit); err != nil {
		return span{}, false, err
	}
	return s, true, nil
}
