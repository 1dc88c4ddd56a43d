package storage

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math/bits"
	"slices"
	"strings"
	"time"

	"go.etcd.io/bbolt"

	"github.com/tributary/tributary/feed"
)

// maxIDLen keeps entry ids well inside bbolt's key limit once prefixed by
// the time and band indexes; real ids are 16 hex digits.
const maxIDLen = 1024

// tx implements feed.Tx over one bbolt transaction. It is valid only inside
// the Update or View callback that received it.
type tx struct {
	btx                                               *bbolt.Tx
	meta, entries, keys, times, bands, tombs, sources *bbolt.Bucket
	bySource, byTag                                   *bbolt.Bucket
	// counts is the counts bucket when the DB trusts it, else nil
	// (counts.go); block is the size its blocks are cut to, 0 for the
	// default. DB.wrap sets both.
	counts *bbolt.Bucket
	block  int
	// scopes is the scope-counts bucket when the DB trusts it, else nil
	// (scopes.go).
	scopes *bbolt.Bucket
	// tagsSeen records every tag ever indexed (tags.go); nil in a read
	// transaction of a store that has none yet.
	tagsSeen *bbolt.Bucket
	// now is the transaction's clock for the tags seen: Prune's, else
	// the wall clock (zero).
	now time.Time
	// wrote records that an entry was put, for DB.Version.
	wrote bool
}

var _ feed.Tx = (*tx)(nil)

func wrap(btx *bbolt.Tx) (*tx, error) {
	t := &tx{btx: btx}
	for _, b := range []struct {
		name string
		dst  **bbolt.Bucket
	}{
		{bucketMeta, &t.meta}, {bucketEntries, &t.entries}, {bucketKeys, &t.keys},
		{bucketTime, &t.times}, {bucketBands, &t.bands}, {bucketTombstones, &t.tombs},
		{bucketSources, &t.sources}, {bucketBySource, &t.bySource}, {bucketByTag, &t.byTag},
	} {
		if *b.dst = btx.Bucket([]byte(b.name)); *b.dst == nil {
			return nil, fmt.Errorf("bucket %s: missing", b.name)
		}
	}
	if err := t.openTagsSeen(); err != nil {
		return nil, err
	}
	return t, nil
}

// Lookup returns the id of the entry indexed under key, or "".
func (t *tx) Lookup(key string) (string, error) {
	if key == "" {
		return "", nil
	}
	return string(t.keys.Get([]byte(key))), nil
}

// Entry returns a decoded copy of a stored entry, safe to keep after the
// transaction ends.
func (t *tx) Entry(id string) (*feed.Entry, error) {
	v := t.entries.Get([]byte(id))
	if v == nil {
		return nil, fmt.Errorf("entry %q: %w", id, feed.ErrNotFound)
	}
	return decodeEntry(id, v)
}

// index is every index record an entry version owns.
type index struct {
	keys  []string // distinct identity keys, in copy order
	time  string
	bands []string // distinct band keys
	// sources and tags are the entry's records in the per-source and
	// per-tag time indexes: one per distinct source of its copies, one
	// per distinct feed.TagOf of its categories.
	sources []string
	tags    []string
}

func indexOf(e *feed.Entry) index {
	ix := index{time: string(timeKey(e.Published, e.ID))}
	for _, c := range e.Copies {
		if !validScope(c.SourceID) {
			continue
		}
		if k := string(scopedKey(c.SourceID, e.Published, e.ID)); !slices.Contains(ix.sources, k) {
			ix.sources = append(ix.sources, k)
		}
	}
	ix.tags = tagKeys(e, feed.TagOf)
	for _, k := range e.Keys() {
		if k != "" && !slices.Contains(ix.keys, k) {
			ix.keys = append(ix.keys, k)
		}
	}
	for _, c := range e.Copies {
		if c.Fingerprint == 0 {
			continue
		}
		for b := range bands {
			if k := string(bandKey(c.Fingerprint, b, e.ID)); !slices.Contains(ix.bands, k) {
				ix.bands = append(ix.bands, k)
			}
		}
	}
	return ix
}

// tagKeys is an entry's records in the tag index, its categories made tags
// by tagOf: feed.TagOf, or the rule of an older schema (migrate.go).
func tagKeys(e *feed.Entry, tagOf func(string) string) []string {
	var keys []string
	for _, cat := range e.Categories {
		tag := tagOf(cat)
		if tag == "" {
			continue
		}
		if k := string(scopedKey(tag, e.Published, e.ID)); !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	return keys
}

// PutEntry inserts or replaces e. The index records of the version it
// replaces that e no longer has are removed first, so that no index points
// at a key, time or fingerprint the entry dropped. An identity key already
// indexed to another entry stays with that entry.
func (t *tx) PutEntry(e *feed.Entry) error {
	if e == nil || e.ID == "" {
		return errors.New("put entry: no id")
	}
	if len(e.ID) > maxIDLen {
		return fmt.Errorf("put entry %.32q…: id longer than %d bytes", e.ID, maxIDLen)
	}
	if !t.btx.Writable() {
		return fmt.Errorf("put entry %q: %w", e.ID, ErrReadOnly)
	}
	val, err := encodeEntry(e)
	if err != nil {
		return fmt.Errorf("encode entry %q: %w", e.ID, err)
	}
	id := []byte(e.ID)
	next := indexOf(e)
	if old := t.entries.Get(id); old != nil {
		prev, err := decodeEntry(e.ID, old)
		if err != nil {
			return fmt.Errorf("put entry %q: previous version: %w", e.ID, err)
		}
		if err := t.unindex(e.ID, indexOf(prev), next); err != nil {
			return fmt.Errorf("put entry %q: %w", e.ID, err)
		}
	} else if err := t.addCount(1); err != nil {
		return fmt.Errorf("put entry %q: %w", e.ID, err)
	}
	if err := t.entries.Put(id, val); err != nil {
		return fmt.Errorf("put entry %q: %w", e.ID, err)
	}
	for _, k := range next.keys {
		if t.keys.Get([]byte(k)) != nil {
			continue // ours already, or another entry's: never steal
		}
		if err := t.keys.Put([]byte(k), id); err != nil {
			return fmt.Errorf("put entry %q: key %q: %w", e.ID, k, err)
		}
	}
	// The time index records carry the entry's checksum, so that telling
	// whether a page changed reads no entry (WindowDigests).
	sum := checksum(val)
	// Counted by whether the key is new to the index, not by what the
	// previous version says, so that the counts follow the index itself.
	newTime := !t.hasTime(next.time)
	if err := t.times.Put([]byte(next.time), sum); err != nil {
		return fmt.Errorf("put entry %q: time index: %w", e.ID, err)
	}
	if newTime {
		if err := t.counted([]byte(next.time), 1); err != nil {
			return fmt.Errorf("put entry %q: %w", e.ID, err)
		}
	}
	for _, k := range next.bands {
		if err := t.bands.Put([]byte(k), bandValue(e, k)); err != nil {
			return fmt.Errorf("put entry %q: fingerprint index: %w", e.ID, err)
		}
	}
	if err := t.putScoped(next, sum); err != nil {
		return fmt.Errorf("put entry %q: %w", e.ID, err)
	}
	t.wrote = true
	return nil
}

// putScoped writes an entry's per-source and per-tag time index records,
// with sum, its checksum, as their value (nil for none).
func (t *tx) putScoped(ix index, sum []byte) error {
	for _, k := range ix.sources {
		if err := t.putScopedKey(t.bySource, scopeSource, []byte(k), sum); err != nil {
			return fmt.Errorf("source index: %w", err)
		}
	}
	for _, k := range ix.tags {
		if err := t.putScopedKey(t.byTag, scopeTag, []byte(k), sum); err != nil {
			return fmt.Errorf("tag index: %w", err)
		}
		if err := t.sawTag([]byte(k)); err != nil {
			return err
		}
	}
	return nil
}

// putScopedKey puts one record into the scoped index b of kind, counting
// it when it is new.
func (t *tx) putScopedKey(b *bbolt.Bucket, kind byte, k, sum []byte) error {
	isNew := t.scopes != nil && !hasKey(b, k)
	if err := b.Put(k, sum); err != nil {
		return err
	}
	if isNew {
		return t.scoped(kind, k, 1)
	}
	return nil
}

// deleteScopedKey deletes one record from the scoped index b of kind,
// counting it when it was there.
func (t *tx) deleteScopedKey(b *bbolt.Bucket, kind byte, k []byte) error {
	if t.scopes != nil && !hasKey(b, k) {
		return nil
	}
	if err := b.Delete(k); err != nil {
		return err
	}
	return t.scoped(kind, k, -1)
}

// validScope reports whether a source id or tag can prefix a scoped index
// key: it must not be empty nor contain the 0x00 that ends the prefix.
func validScope(s string) bool {
	return s != "" && len(s) <= maxIDLen && !strings.ContainsRune(s, 0)
}

// unindex deletes the index records of prev that keep does not have.
// Identity keys are deleted only where they point at id: a key shared with
// another entry belongs to that entry.
func (t *tx) unindex(id string, prev, keep index) error {
	for _, k := range prev.keys {
		if slices.Contains(keep.keys, k) || string(t.keys.Get([]byte(k))) != id {
			continue
		}
		if err := t.keys.Delete([]byte(k)); err != nil {
			return fmt.Errorf("unindex key %q: %w", k, err)
		}
	}
	if prev.time != keep.time && t.hasTime(prev.time) {
		if err := t.times.Delete([]byte(prev.time)); err != nil {
			return fmt.Errorf("unindex time: %w", err)
		}
		if err := t.counted([]byte(prev.time), -1); err != nil {
			return fmt.Errorf("unindex time: %w", err)
		}
	}
	for _, k := range prev.bands {
		if slices.Contains(keep.bands, k) {
			continue
		}
		if err := t.bands.Delete([]byte(k)); err != nil {
			return fmt.Errorf("unindex fingerprint: %w", err)
		}
	}
	for _, k := range prev.sources {
		if slices.Contains(keep.sources, k) {
			continue
		}
		if err := t.deleteScopedKey(t.bySource, scopeSource, []byte(k)); err != nil {
			return fmt.Errorf("unindex source: %w", err)
		}
	}
	for _, k := range prev.tags {
		if slices.Contains(keep.tags, k) {
			continue
		}
		if err := t.deleteScopedKey(t.byTag, scopeTag, []byte(k)); err != nil {
			return fmt.Errorf("unindex tag: %w", err)
		}
		// The tag's last entry may have just gone: its feed is answered
		// for tagRetirement from now.
		if err := t.sawTag([]byte(k)); err != nil {
			return err
		}
	}
	return nil
}

// hasTime reports whether the time index holds k. Get cannot tell: it
// gives nil for the empty values that records of older versions hold.
func (t *tx) hasTime(k string) bool {
	found, _ := t.times.Cursor().Seek([]byte(k))
	return string(found) == k
}

// removeEntry deletes an entry and every index record pointing at it. It
// returns the identity keys that pointed at it (or at nothing): the ones a
// tombstone must now claim.
func (t *tx) removeEntry(id string) (freed []string, err error) {
	v := t.entries.Get([]byte(id))
	if v == nil {
		return nil, fmt.Errorf("remove entry %q: %w", id, feed.ErrNotFound)
	}
	e, err := decodeEntry(id, v)
	if err != nil {
		return nil, fmt.Errorf("remove entry %q: %w", id, err)
	}
	ix := indexOf(e)
	for _, k := range ix.keys {
		if owner := t.keys.Get([]byte(k)); owner == nil || string(owner) == id {
			freed = append(freed, k)
		}
	}
	if err := t.unindex(id, ix, index{}); err != nil {
		return nil, fmt.Errorf("remove entry %q: %w", id, err)
	}
	if err := t.entries.Delete([]byte(id)); err != nil {
		return nil, fmt.Errorf("remove entry %q: %w", id, err)
	}
	if err := t.addCount(-1); err != nil {
		return nil, fmt.Errorf("remove entry %q: %w", id, err)
	}
	return freed, nil
}

// count returns the number of stored entries, kept in the meta bucket so
// that counting never walks the entries.
func (t *tx) count() int {
	v := t.meta.Get([]byte(metaCount))
	if len(v) != 8 {
		return 0
	}
	return int(binary.BigEndian.Uint64(v))
}

func (t *tx) addCount(delta int) error {
	n := max(t.count()+delta, 0)
	if err := t.meta.Put([]byte(metaCount), u64(uint64(n))); err != nil {
		return fmt.Errorf("entry count: %w", err)
	}
	return nil
}

// Similar returns, sorted, the ids of entries with a copy whose fingerprint
// agrees with fp on at least one 16-bit band and is within maxBits of fp.
// That finds every fingerprint within 3 bits of fp; maxBits beyond 3 finds
// only some (those that also share a band).
func (t *tx) Similar(fp uint64, maxBits int) ([]string, error) {
	if fp == 0 {
		return nil, nil // 0 means "no fingerprint"; such copies are not indexed
	}
	var ids []string
	c := t.bands.Cursor()
	for b := range bands {
		prefix := bandKey(fp, b, "")
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			// The value is the copy's whole fingerprint: candidates that
			// share a band by chance are dropped here, without decoding
			// their entries, which keeps the cost flat as the store grows.
			if len(v) == 8 && bits.OnesCount64(binary.BigEndian.Uint64(v)^fp) > maxBits {
				continue
			}
			if id := string(k[len(prefix):]); !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
	}
	slices.Sort(ids)
	return ids, nil
}

// SourceState returns the stored state of a source, or a zero state naming it.
func (t *tx) SourceState(sourceID string) (feed.SourceState, error) {
	s := feed.SourceState{SourceID: sourceID}
	if sourceID == "" {
		return s, nil
	}
	v := t.sources.Get([]byte(sourceID))
	if v == nil {
		return s, nil
	}
	if err := json.Unmarshal(v, &s); err != nil {
		return feed.SourceState{SourceID: sourceID}, fmt.Errorf("decode source state %q: %w", sourceID, err)
	}
	s.SourceID = sourceID
	return s, nil
}

// PutSourceState stores s under s.SourceID, replacing what was there.
func (t *tx) PutSourceState(s feed.SourceState) error {
	if s.SourceID == "" {
		return errors.New("put source state: no source id")
	}
	if !t.btx.Writable() {
		return fmt.Errorf("put source state %q: %w", s.SourceID, ErrReadOnly)
	}
	v, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("encode source state %q: %w", s.SourceID, err)
	}
	if err := t.sources.Put([]byte(s.SourceID), v); err != nil {
		return fmt.Errorf("put source state %q: %w", s.SourceID, err)
	}
	return nil
}

// bandValue is the value of a band record: the fingerprint of the copy the
// band key was made from, so that Similar can check the distance.
func bandValue(e *feed.Entry, key string) []byte {
	for _, c := range e.Copies {
		if c.Fingerprint == 0 {
			continue
		}
		for b := range bands {
			if string(bandKey(c.Fingerprint, b, e.ID)) == key {
				v := make([]byte, 8)
				binary.BigEndian.PutUint64(v, c.Fingerprint)
				return v
			}
		}
	}
	return nil
}
