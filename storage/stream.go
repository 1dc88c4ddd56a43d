package storage

import (
	"bytes"
	"fmt"
	"slices"

	"go.etcd.io/bbolt"
)

// stream walks one time index, or the records of one scope in a scoped
// index, from the newest down.
type stream struct {
	c      *bbolt.Cursor
	prefix []byte // scope ‖ 0x00; empty for the time index
	key    []byte // current time key (prefix removed); nil once exhausted
	val    []byte // the current record's value
}

// start positions s on its newest record.
func (s *stream) start() error {
	var k, v []byte
	if len(s.prefix) == 0 {
		k, v = s.c.Last()
	} else {
		// The first key past every key of the scope: the scope, 0x01.
		end := append(slices.Clone(s.prefix[:len(s.prefix)-1]), 1)
		if k, _ = s.c.Seek(end); k == nil {
			k, v = s.c.Last()
		} else {
			k, v = s.c.Prev()
		}
	}
	return s.take(k, v)
}

func (s *stream) advance() error {
	k, v := s.c.Prev()
	return s.take(k, v)
}

func (s *stream) take(k, v []byte) error {
	if k == nil || !bytes.HasPrefix(k, s.prefix) {
		s.key, s.val = nil, nil
		return nil
	}
	if len(k) <= len(s.prefix)+8 {
		return fmt.Errorf("malformed index key %x", k)
	}
	s.key, s.val = k[len(s.prefix):], v
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

// next returns the newest time key not yet returned, nil at the end, with
// the value of its record. The records of one entry in several scopes hold
// the same value, but one written before values were kept holds none: the
// longest is taken.
func (m *merged) next() (key, val []byte, err error) {
	for _, s := range m.streams {
		if s.key != nil && (key == nil || bytes.Compare(s.key, key) > 0) {
			key = s.key
		}
	}
	if key == nil {
		return nil, nil, nil
	}
	for _, s := range m.streams {
		if s.key != nil && bytes.Equal(s.key, key) {
			if len(s.val) > len(val) {
				val = s.val
			}
			if err := s.advance(); err != nil {
				return nil, nil, err
			}
		}
	}
	return key, val, nil
}
