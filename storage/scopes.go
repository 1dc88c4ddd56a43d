package storage

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"

	"go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// The scope-counts bucket holds how many records each scope (a source id
// or a tag) has in its scoped time index, so that a feed of one source or
// one tag states its Total without walking all of its records: a tag of
// half a million entries would otherwise cost a walk of half a million
// keys at every render.
//
// Trust works as for the counts (counts.go), with its own marker: a build
// that keeps the counts but not these (the one before) moves the counts'
// marker on, which must not vouch for scope counts it left stale.
// metaScopesTx records the last transaction that kept them and the entry
// count then; Open trusts them when it is the store's last committed one
// and the count is unchanged (a transaction id alone can come round again
// after the older build's compact), and a writable Open
// rebuilds them otherwise, in one walk of both scoped indexes. Until then,
// and in a read-only open of such a store, feeds of a scope count by
// walking, as before.

// Kinds of scope, the first byte of a scope-counts key.
const (
	scopeSource = 's'
	scopeTag    = 't'
)

// scopeCountKey is the scope-counts key of a scope of a kind.
func scopeCountKey(kind byte, scope []byte) []byte {
	return append([]byte{kind}, scope...)
}

// scopesTrusted reports whether the store's scope counts can be trusted.
// t must be the first transaction of an Open, before any write.
func (t *tx) scopesTrusted() bool {
	if b := t.btx.Bucket([]byte(bucketScopes)); b == nil || b.Sequence() != keptSequence {
		return false
	}
	v := t.meta.Get([]byte(metaScopesTx))
	want := uint64(t.btx.ID())
	if t.btx.Writable() {
		want--
	}
	return len(v) == 16 && binary.BigEndian.Uint64(v) == want && binary.BigEndian.Uint64(v[8:]) == uint64(t.count())
}

// sealScopes records, before a write transaction commits, that it kept the
// scope counts.
func (t *tx) sealScopes() error {
	if t.scopes == nil {
		return nil
	}
	v := binary.BigEndian.AppendUint64(u64(uint64(t.btx.ID())), uint64(t.count()))
	if err := t.meta.Put([]byte(metaScopesTx), v); err != nil {
		return fmt.Errorf("scope counts: %w", err)
	}
	return nil
}

// rebuildScopes counts the records of every scope of both scoped indexes
// and trusts the result.
func (t *tx) rebuildScopes() error {
	if err := t.btx.DeleteBucket([]byte(bucketScopes)); err != nil && !errors.Is(err, berrors.ErrBucketNotFound) {
		return fmt.Errorf("rebuild scope counts: %w", err)
	}
	b, err := t.btx.CreateBucket([]byte(bucketScopes))
	if err != nil {
		return fmt.Errorf("rebuild scope counts: %w", err)
	}
	if err := b.SetSequence(keptSequence); err != nil {
		return fmt.Errorf("rebuild scope counts: %w", err)
	}
	t.scopes = b
	for _, ix := range []struct {
		kind byte
		c    *bbolt.Cursor
	}{{scopeSource, t.bySource.Cursor()}, {scopeTag, t.byTag.Cursor()}} {
		var (
			scope []byte
			n     uint64
		)
		flush := func() error {
			if n == 0 {
				return nil
			}
			return b.Put(scopeCountKey(ix.kind, scope), u64(n))
		}
		for k, _ := ix.c.First(); k != nil; k, _ = ix.c.Next() {
			i := bytes.IndexByte(k, 0)
			if i <= 0 {
				// No scope's walk reaches it; failing here would keep
				// the store from opening over one stray key.
				continue
			}
			if !bytes.Equal(k[:i], scope) {
				if err := flush(); err != nil {
					return fmt.Errorf("rebuild scope counts: %w", err)
				}
				scope, n = bytes.Clone(k[:i]), 0
			}
			n++
		}
		if err := flush(); err != nil {
			return fmt.Errorf("rebuild scope counts: %w", err)
		}
	}
	return t.sealScopes()
}

// scoped adds delta (+1 or -1) to the count of the scope of k, a record
// just put into or deleted from the scoped index of kind. Counts found
// inconsistent are no longer trusted, as in counted.
func (t *tx) scoped(kind byte, k []byte, delta int) error {
	if t.scopes == nil {
		return nil
	}
	i := bytes.IndexByte(k, 0)
	if i <= 0 {
		t.scopes = nil
		return nil
	}
	key := scopeCountKey(kind, k[:i])
	var n int
	if v := t.scopes.Get(key); len(v) == 8 {
		n = int(binary.BigEndian.Uint64(v))
	}
	n += delta
	var err error
	switch {
	case n < 0:
		t.scopes = nil
		return nil
	case n == 0:
		err = t.scopes.Delete(key)
	default:
		err = t.scopes.Put(key, u64(uint64(n)))
	}
	if err != nil {
		return fmt.Errorf("scope counts: %w", err)
	}
	return nil
}

// scopeCount returns the number of records of one scope, and whether the
// scope counts are trusted.
func (t *tx) scopeCount(kind byte, scope string) (int, bool) {
	if t.scopes == nil {
		return 0, false
	}
	v := t.scopes.Get(scopeCountKey(kind, []byte(scope)))
	if len(v) != 8 {
		return 0, true
	}
	return int(binary.BigEndian.Uint64(v)), true
}

// hasKey reports whether b holds k. Get cannot tell for the indexes:
// records written by older versions hold empty values, which it returns
// as nil.
func hasKey(b *bbolt.Bucket, k []byte) bool {
	found, _ := b.Cursor().Seek(k)
	return bytes.Equal(found, k)
}
