package storage

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"

	"go.etcd.io/bbolt"

	"github.com/tributary/tributary/feed"
)

// Selection chooses the entries of a feed. The zero Selection chooses every
// entry; otherwise an entry is chosen when any of its copies comes from one
// of Sources or any of its categories has one of Tags as its TagOf.
type Selection struct {
	Sources []string
	// Tags are compared with TagOf of the entries' categories: pass them
	// as TagOf returns them.
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
//   - every entry, by page number: a walk of the keys from the nearer end
//     of the time index (the count of entries is stored);
//   - a selection of sources or tags: a walk of all of its keys, to count
//     them.
func (db *DB) Window(ctx context.Context, q Query) (Window, error) {
	if q.Limit <= 0 || q.Skip < 0 {
		return Window{}, fmt.Errorf("window: limit %d, skip %d: limit must be positive and skip not negative", q.Limit, q.Skip)
	}
	var from []byte
	if q.Before != "" {
		var err error
		if from, err = decodeCursor(q.Before); err != nil {
			return Window{}, fmt.Errorf("window before %q: %w", q.Before, err)
		}
	}
	var w Window
	err := db.view(ctx, "window", func(t *tx) error {
		var err error
		w, err = t.window(q, from)
		return err
	})
	return w, err
}

// CheckCursor reports whether s is a cursor that Newest or Window could
// have issued, so that a caller can refuse a bad one before doing any work.
func CheckCursor(s string) error {
	if _, err := decodeCursor(s); err != nil {
		return fmt.Errorf("cursor %q: %w", s, err)
	}
	return nil
}

func (t *tx) window(q Query, from []byte) (Window, error) {
	all := q.Selection.All()
	switch {
	case all && from != nil:
		return t.windowBefore(q, from)
	case all && q.Skip > 0 && 2*q.Skip > t.count():
		if w, ok, err := t.windowFromOldest(q); ok || err != nil {
			return w, err
		}
		// The time index holds fewer keys than the stored count: walk it
		// from the top, which does not rely on the count.
	}
	m, err := t.merge(q.Selection)
	if err != nil {
		return Window{}, err
	}
	var w Window
	// ring keeps the last Limit+1 keys walked over, so that the key
	// Limit+1 places above the page (the Prev cursor) is at hand.
	ring := make([][]byte, q.Limit+1)
	k, err := m.next()
	for ; err == nil && k != nil; k, err = m.next() {
		if (from != nil && bytes.Compare(k, from) < 0) || (from == nil && w.Offset >= q.Skip) {
			break
		}
		ring[w.Offset%len(ring)] = k
		w.Offset++
	}
	if w.Offset > q.Limit {
		w.Prev = encodeCursor(ring[(w.Offset-q.Limit-1)%len(ring)])
	}
	var last []byte
	for ; err == nil && k != nil; k, err = m.next() {
		if len(w.Entries) == q.Limit {
			w.Next = encodeCursor(last)
			break
		}
		e, derr := t.indexed(k[8:])
		if derr != nil {
			return Window{}, fmt.Errorf("window: %w", derr)
		}
		w.Entries = append(w.Entries, e)
		last = k
	}
	w.Total = w.Offset + len(w.Entries)
	switch {
	case err != nil:
	case all:
		w.Total = t.count()
	case k != nil:
		for ; err == nil && k != nil; k, err = m.next() {
			w.Total++
		}
	}
	if err != nil {
		return Window{}, fmt.Errorf("window: %w", err)
	}
	return w, nil
}

// windowBefore is a page of every entry by cursor: the time index is
// seeked to the cursor, the page read downwards from there and Prev found
// by reading Limit+1 keys upwards.
func (t *tx) windowBefore(q Query, from []byte) (Window, error) {
	w := Window{Total: t.count()}
	c := t.times.Cursor()
	k, _ := c.Seek(from)
	w.Offset, w.Prev = prevAbove(c, k, q.Limit)
	// The page starts at the newest key older than the cursor.
	if k, _ = c.Seek(from); k == nil {
		k, _ = c.Last()
	} else {
		k, _ = c.Prev()
	}
	var last []byte
	for ; k != nil; k, _ = c.Prev() {
		if len(w.Entries) == q.Limit {
			w.Next = encodeCursor(last)
			break
		}
		if err := t.appendIndexed(&w, k); err != nil {
			return Window{}, err
		}
		last = k
	}
	return w, nil
}

// windowFromOldest is a page of every entry by number in the older half of
// the store: the time index is walked up from its oldest key, so that the
// last page (the RFC 5005 "last" link) costs what the first does. It places
// the page by the stored count of entries; ok is false when the index ran
// out before the page was complete, which a count agreeing with the index
// never causes.
func (t *tx) windowFromOldest(q Query) (w Window, ok bool, err error) {
	total := t.count()
	w = Window{Total: total, Offset: min(q.Skip, total)}
	older := total - q.Skip - q.Limit // entries below the page
	size := min(q.Limit, max(total-q.Skip, 0))
	c := t.times.Cursor()
	k, _ := c.First()
	for i := 0; k != nil && i < older; i++ {
		k, _ = c.Next()
	}
	page := make([][]byte, 0, size)
	for ; k != nil && len(page) < size; k, _ = c.Next() {
		page = append(page, k)
	}
	if len(page) < size {
		return Window{}, false, nil
	}
	_, w.Prev = prevAbove(c, k, q.Limit)
	if older > 0 && len(page) > 0 {
		w.Next = encodeCursor(page[0])
	}
	for i := len(page) - 1; i >= 0; i-- {
		if err := t.appendIndexed(&w, page[i]); err != nil {
			return Window{}, false, err
		}
	}
	return w, true, nil
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

func (t *tx) appendIndexed(w *Window, timeKey []byte) error {
	if len(timeKey) <= 8 {
		return fmt.Errorf("window: malformed index key %x", timeKey)
	}
	e, err := t.indexed(timeKey[8:])
	if err != nil {
		return fmt.Errorf("window: %w", err)
	}
	w.Entries = append(w.Entries, e)
	return nil
}

// indexed decodes the entry an index record names.
func (t *tx) indexed(id []byte) (*feed.Entry, error) {
	v := t.entries.Get(id)
	if v == nil {
		return nil, fmt.Errorf("index names missing entry %q", id)
	}
	return decodeEntry(string(id), v)
}

func encodeCursor(k []byte) string { return base64.RawURLEncoding.EncodeToString(k) }

// stream walks one time index, or the records of one scope in a scoped
// index, from the newest down.
type stream struct {
	c      *bbolt.Cursor
	prefix []byte // scope ‖ 0x00; empty for the time index
	key    []byte // current time key (prefix removed); nil once exhausted
}

// start positions s on its newest record.
func (s *stream) start() error {
	var k []byte
	if len(s.prefix) == 0 {
		k, _ = s.c.Last()
	} else {
		// The first key past every key of the scope: the scope, 0x01.
		end := append(slices.Clone(s.prefix[:len(s.prefix)-1]), 1)
		if k, _ = s.c.Seek(end); k == nil {
			k, _ = s.c.Last()
		} else {
			k, _ = s.c.Prev()
		}
	}
	return s.take(k)
}

func (s *stream) advance() error {
	k, _ := s.c.Prev()
	return s.take(k)
}

func (s *stream) take(k []byte) error {
	if k == nil || !bytes.HasPrefix(k, s.prefix) {
		s.key = nil
		return nil
	}
	if len(k) <= len(s.prefix)+8 {
		return fmt.Errorf("malformed index key %x", k)
	}
	s.key = k[len(s.prefix):]
	return nil
}

// merged walks the union of several streams newest first, each entry once
// (an entry in two scopes has the same time key in both).
type merged struct{ streams []*stream }

func (t *tx) merge(sel Selection) (*merged, error) {
	m := &merged{}
	if sel.All() {
		m.streams = append(m.streams, &stream{c: t.times.Cursor()})
	}
	add := func(b *bbolt.Bucket, scopes []string) {
		var seen []string
		for _, sc := range scopes {
			if !validScope(sc) || slices.Contains(seen, sc) {
				continue // matches nothing, or already walked
			}
			seen = append(seen, sc)
			m.streams = append(m.streams, &stream{c: b.Cursor(), prefix: append([]byte(sc), 0)})
		}
	}
	add(t.bySource, sel.Sources)
	add(t.byTag, sel.Tags)
	for _, s := range m.streams {
		if err := s.start(); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// next returns the newest time key not yet returned, nil at the end.
func (m *merged) next() ([]byte, error) {
	var top []byte
	for _, s := range m.streams {
		if s.key != nil && (top == nil || bytes.Compare(s.key, top) > 0) {
			top = s.key
		}
	}
	if top == nil {
		return nil, nil
	}
	for _, s := range m.streams {
		if s.key != nil && bytes.Equal(s.key, top) {
			if err := s.advance(); err != nil {
				return nil, err
			}
		}
	}
	return top, nil
}

// Tags returns every tag that some stored entry's categories give, in
// byte order. It reads one key per tag, however many entries each has.
func (db *DB) Tags(ctx context.Context) ([]string, error) {
	var tags []string
	err := db.view(ctx, "tags", func(t *tx) error {
		c := t.byTag.Cursor()
		for k, _ := c.First(); k != nil; {
			i := bytes.IndexByte(k, 0)
			if i <= 0 {
				return errors.New("tags: malformed tag index key")
			}
			tags = append(tags, string(k[:i]))
			k, _ = c.Seek(append(slices.Clone(k[:i]), 1))
		}
		return nil
	})
	return tags, err
}
