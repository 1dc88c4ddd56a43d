package storage

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"slices"

	"go.etcd.io/bbolt"

	"github.com/tributary/tributary/feed"
)

// Selection chooses the entries of a feed. The zero Selection chooses every
// entry; otherwise an entry is chosen when any of its copies comes from one
// of Sources or any of its categories has one of Tags as its feed.TagOf.
type Selection struct {
	Sources []string
	// Tags are compared with feed.TagOf of the entries' categories: pass them
	// as feed.TagOf returns them.
	Tags []string
}

// All reports whether s chooses every entry.
func (s Selection) All() bool { return len(s.Sources) == 0 && len(s.Tags) == 0 }

// Query asks for one page of a selection, newest first: the Limit entries
// after the cursor Before, or, when Before is "", after the newest Skip.
type Query struct {
	Selection
	Limit  int
	Before string
	Skip   int
}

// Window is one page of a selection and where it lies in it.
type Window struct {
	Entries []*feed.Entry
	// Offset is the number of selected entries newer than the page, with
	// one exception: a page of every entry asked for by cursor counts at
	// most Limit+1 of them, all that Prev needs, so that a page deep in a
	// large archive costs what the first does. Total is the number
	// selected.
	Offset, Total int
	// Prev is the cursor of the Limit entries just newer than the page, ""
	// when Offset <= Limit (the newest Limit entries, the first page, are
	// then the previous page, or there is none). Next is the cursor of the
	// entries older than the page, "" when there are none.
	Prev, Next string
}

// Window returns one page of a selection. Only the page's entries are
// decoded; the others are at most counted in the indexes, whose keys are
// small. What a page costs:
//
//   - every entry, by cursor: a seek, the page and Limit+1 keys above it,
//     whatever its depth;
//   - every entry, by page number: a walk over the counts' blocks (one per
//     about a thousand entries) and part of one block (counts.go); without
//     trusted counts (a read-only open of a store that no writable Open of
//     this build has had), a walk of the keys from the nearer end of the
//     time index;
//   - a selection of sources or tags: a walk of all of its keys, to count
//     them.
func (db *DB) Window(ctx context.Context, q Query) (Window, error) {
	entries, s, err := readPage(ctx, db, "window", q, decodeIndexed)
	return Window{Entries: entries, Offset: s.offset, Total: s.total, Prev: s.prev, Next: s.next}, err
}

// EntryDigest is an entry of a page as WindowDigests reads it: its id and
// a checksum of its stored value.
type EntryDigest struct {
	ID string
	// Sum is the CRC-32C of the stored value in its high half and the
	// CRC-32 (IEEE) in its low half: it changes with any change of the
	// value, and also when Compact re-encodes the entry, which changes
	// nothing decoded.
	Sum uint64
}

// DigestWindow is one page of a selection as Window would return it, with
// each entry's id and digest in place of the entry.
type DigestWindow struct {
	Entries       []EntryDigest
	Offset, Total int
	Prev, Next    string
}

// WindowDigests returns the page that Window would, its entries' ids and
// checksums of their stored values in place of the entries, for a caller
// that only needs to tell whether a page changed. Nothing is decoded, and
// the entries are not even read: PutEntry keeps each entry's checksum in
// the values of its time index records. Records written before it did
// have no value; their entries' stored bytes are checksummed instead.
func (db *DB) WindowDigests(ctx context.Context, q Query) (DigestWindow, error) {
	entries, s, err := readPage(ctx, db, "window digests", q, digestIndexed)
	return DigestWindow{Entries: entries, Offset: s.offset, Total: s.total, Prev: s.prev, Next: s.next}, err
}

// checksum is an entry's Sum, as its time index records hold it.
func checksum(v []byte) []byte {
	// MakeTable returns the package's own Castagnoli table, built once.
	c := crc32.Checksum(v, crc32.MakeTable(crc32.Castagnoli))
	return binary.BigEndian.AppendUint64(nil, uint64(c)<<32|uint64(crc32.ChecksumIEEE(v)))
}

// digestIndexed reads the checksum of a page entry from its index record,
// or computes it from the stored entry when the record has none.
func digestIndexed(t *tx, id, sum []byte) (EntryDigest, error) {
	if len(sum) != 8 {
		v, err := t.indexedValue(id)
		if err != nil {
			return EntryDigest{}, err
		}
		sum = checksum(v)
	}
	return EntryDigest{ID: string(id), Sum: binary.BigEndian.Uint64(sum)}, nil
}

// decodeIndexed reads and decodes a page entry.
func decodeIndexed(t *tx, id, _ []byte) (*feed.Entry, error) {
	v, err := t.indexedValue(id)
	if err != nil {
		return nil, err
	}
	return decodeEntry(string(id), v)
}

// indexedValue is the stored value of an entry an index record names; a
// record naming no stored entry is an error.
func (t *tx) indexedValue(id []byte) ([]byte, error) {
	v := t.entries.Get(id)
	if v == nil {
		return nil, fmt.Errorf("index names missing entry %q", id)
	}
	return v, nil
}

// span is a page of a selection before its entries are read: their ids,
// newest first, the values of their index records (sums, each empty or a
// checksum), and where the page lies (the fields of Window). Both belong
// to the transaction's memory map.
type span struct {
	ids, sums     [][]byte
	offset, total int
	prev, next    string
}

// readPage checks q, walks the indexes for its page in one read
// transaction and reads each of the page's entries with read, given its id
// and the value of its index record, in the same transaction. The span is
// zero when err is not nil.
func readPage[T any](ctx context.Context, db *DB, op string, q Query, read func(t *tx, id, sum []byte) (T, error)) ([]T, span, error) {
	if q.Limit <= 0 || q.Skip < 0 {
		return nil, span{}, fmt.Errorf("%s: limit %d, skip %d: limit must be positive and skip not negative", op, q.Limit, q.Skip)
	}
	var from []byte
	if q.Before != "" {
		var err error
		if from, err = decodeCursor(q.Before); err != nil {
			return nil, span{}, fmt.Errorf("%s before %q: %w", op, q.Before, err)
		}
	}
	var (
		s   span
		out []T
	)
	err := db.view(ctx, op, func(t *tx) error {
		var err error
		if s, err = t.span(q, from); err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		if len(s.ids) > 0 {
			out = make([]T, 0, len(s.ids))
		}
		for i, id := range s.ids {
			x, err := read(t, id, s.sums[i])
			if err != nil {
				return fmt.Errorf("%s: %w", op, err)
			}
			out = append(out, x)
		}
		return nil
	})
	if err != nil {
		return nil, span{}, err
	}
	return out, s, nil
}

// CheckCursor reports whether s is a cursor that Newest or Window could
// have issued, so that a caller can refuse a bad one before doing any work.
func CheckCursor(s string) error {
	if _, err := decodeCursor(s); err != nil {
		return fmt.Errorf("cursor %q: %w", s, err)
	}
	return nil
}

// span walks the indexes for the page q asks for, from the cursor from
// when it is not nil.
func (t *tx) span(q Query, from []byte) (span, error) {
	all := q.Selection.All()
	if all && from != nil {
		return t.spanBefore(q, from)
	}
	if all && q.Skip > 0 {
		if s, ok, err := t.spanByNumber(q); ok || err != nil {
			return s, err
		}
	}
	if all && q.Skip > 0 && 2*q.Skip > t.count() {
		if s, ok, err := t.spanFromOldest(q); ok || err != nil {
			return s, err
		}
		// The time index holds fewer keys than the stored count: walk it
		// from the top, which does not rely on the count.
	}
	m, err := t.merge(q.Selection)
	if err != nil {
		return span{}, err
	}
	scopeTotal, counted := t.selectionCount(q.Selection)
	var s span
	// ring keeps the last Limit+1 keys walked over, so that the key
	// Limit+1 places above the page (the Prev cursor) is at hand.
	ring := make([][]byte, q.Limit+1)
	k, v, err := m.next()
	for ; err == nil && k != nil; k, v, err = m.next() {
		if (from != nil && bytes.Compare(k, from) < 0) || (from == nil && s.offset >= q.Skip) {
			break
		}
		ring[s.offset%len(ring)] = k
		s.offset++
	}
	if s.offset > q.Limit {
		s.prev = encodeCursor(ring[(s.offset-q.Limit-1)%len(ring)])
	}
	var last []byte
	for ; err == nil && k != nil; k, v, err = m.next() {
		if len(s.ids) == q.Limit {
			s.next = encodeCursor(last)
			break
		}
		s.ids = append(s.ids, k[8:]) // merged keys are longer than 8 bytes
		s.sums = append(s.sums, v)
		last = k
	}
	s.total = s.offset + len(s.ids)
	switch {
	case err != nil:
	case all:
		s.total = t.count()
	case counted:
		s.total = max(scopeTotal, s.total)
	case k != nil:
		for ; err == nil && k != nil; k, _, err = m.next() {
			s.total++
		}
	}
	if err != nil {
		return span{}, err
	}
	return s, nil
}

// spanBefore is a page of every entry by cursor: the time index is
// seeked to the cursor, the page read downwards from there and Prev found
// by reading Limit+1 keys upwards.
func (t *tx) spanBefore(q Query, from []byte) (span, error) {
	s := span{total: t.count()}
	c := t.times.Cursor()
	k, _ := c.Seek(from)
	s.offset, s.prev = prevAbove(c, k, q.Limit)
	// The page starts at the newest key older than the cursor.
	var v []byte
	if k, _ = c.Seek(from); k == nil {
		k, v = c.Last()
	} else {
		k, v = c.Prev()
	}
	if err := s.readDown(c, k, v, q.Limit); err != nil {
		return span{}, err
	}
	return s, nil
}

// readDown adds to the page the time-index record k, v that c is on and
// the ones below it, up to limit, and sets Next when more remain.
func (s *span) readDown(c *bbolt.Cursor, k, v []byte, limit int) error {
	var last []byte
	for ; k != nil; k, v = c.Prev() {
		if len(s.ids) == limit {
			s.next = encodeCursor(last)
			break
		}
		if err := s.add(k, v); err != nil {
			return err
		}
		last = k
	}
	return nil
}

// spanFromOldest is a page of every entry by number in the older half of
// the store: the time index is walked up from its oldest key, so that the
// last page (the RFC 5005 "last" link) costs what the first does. It places
// the page by the stored count of entries; ok is false when the index ran
// out before the page was complete, which a count agreeing with the index
// never causes.
func (t *tx) spanFromOldest(q Query) (s span, ok bool, err error) {
	total := t.count()
	s = span{total: total, offset: min(q.Skip, total)}
	older := total - q.Skip - q.Limit // entries below the page
	size := min(q.Limit, max(total-q.Skip, 0))
	c := t.times.Cursor()
	k, v := c.First()
	for i := 0; k != nil && i < older; i++ {
		k, v = c.Next()
	}
	page, sums := make([][]byte, 0, size), make([][]byte, 0, size)
	for ; k != nil && len(page) < size; k, v = c.Next() {
		page, sums = append(page, k), append(sums, v)
	}
	if len(page) < size {
		return span{}, false, nil
	}
	_, s.prev = prevAbove(c, k, q.Limit)
	if older > 0 && len(page) > 0 {
		s.next = encodeCursor(page[0])
	}
	for i := len(page) - 1; i >= 0; i-- {
		if err := s.add(page[i], sums[i]); err != nil {
			return span{}, false, err
		}
	}
	return s, true, nil
}

// prevAbove walks c up from k, the nearest key above a page, over at most
// limit+1 keys. It returns how many it saw and the cursor of the
// (limit+1)-th, which is the previous page's ("" when there are not that
// many: the previous page, if any, is the first).
func prevAbove(c *bbolt.Cursor, k []byte, limit int) (seen int, prev string) {
	for ; k != nil && seen <= limit; k, _ = c.Next() {
		if seen == limit {
			prev = encodeCursor(k)
		}
		seen++
	}
	return seen, prev
}

// add appends the entry id of a time-index key, and the record's value,
// to the page.
func (s *span) add(timeKey, sum []byte) error {
	if len(timeKey) <= 8 {
		return fmt.Errorf("malformed index key %x", timeKey)
	}
	s.ids = append(s.ids, timeKey[8:])
	s.sums = append(s.sums, sum)
	return nil
}

func encodeCursor(k []byte) string { return base64.RawURLEncoding.EncodeToString(k) }

// selectionCount is the number of entries sel chooses when the scope
// counts know it: sel names exactly one scope (several may share entries,
// which their counts cannot tell).
func (t *tx) selectionCount(sel Selection) (int, bool) {
	distinct := func(scopes []string) (out []string) {
		for _, sc := range scopes {
			if validScope(sc) && !slices.Contains(out, sc) {
				out = append(out, sc)
			}
		}
		return out
	}
	sources, tags := distinct(sel.Sources), distinct(sel.Tags)
	switch {
	case len(sources) == 1 && len(tags) == 0:
		return t.scopeCount(scopeSource, sources[0])
	case len(sources) == 0 && len(tags) == 1:
		return t.scopeCount(scopeTag, tags[0])
	}
	return 0, false
}
