package storage

import (
	"fmt"
	"path/filepath"
	"testing"

	"go.etcd.io/bbolt"
)

// A stray key in a scoped index (a flipped bit, a foreign write) does not
// keep a writable Open from rebuilding the scope counts: no scope's walk
// reaches it, and the counts ignore it as well. (Review: the rebuild
// failed Open on it.)
func TestScopeCountsRebuildPastAStrayKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tributary.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	put(t, db, tagged("e1", 1, []string{"harbor"}, "News"), tagged("e2", 2, []string{"harbor"}))
	_ = db.Close()
	bdb, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = bdb.Update(func(btx *bbolt.Tx) error {
		if err := btx.Bucket([]byte(bucketByTag)).Put([]byte("stray-key-without-separator"), nil); err != nil {
			return err
		}
		return btx.Bucket([]byte(bucketMeta)).Delete([]byte(metaScopesTx))
	})
	_ = bdb.Close()
	if err != nil {
		t.Fatal(err)
	}
	db, err = Open(path, Options{})
	if err != nil {
		t.Fatalf("Open with a stray index key: %v", err)
	}
	defer db.Close()
	if !db.scopes.Load() {
		t.Fatal("scope counts not rebuilt")
	}
	for _, tt := range []struct {
		sel  Selection
		want int
	}{{Selection{Sources: []string{"harbor"}}, 2}, {Selection{Tags: []string{"news"}}, 1}} {
		if got := window(t, db, Query{Selection: tt.sel, Limit: 10}).Total; got != tt.want {
			t.Errorf("%+v: Total %d, want %d", tt.sel, got, tt.want)
		}
	}
}

// QA: an older build compacted the store (its copy has no bucket
// sequences, and its transaction ids start again), then wrote until its
// last transaction was the one the markers named, with retention holding
// the entry count: this build trusted counts that build had left stale.
// The sequence this build gives the buckets tells its counts from such a
// copy's.
func TestCountsOfAnOlderBuildsCompactAreNotTrusted(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tributary.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 12 {
		put(t, db, tagged(fmt.Sprintf("e%02d", i), i, []string{"harbor"}, "News"))
	}
	_ = db.Close()

	// As the older build leaves it: sequences 0 (not copied), one more
	// entry written uncounted, and by coincidence both markers naming its
	// last transaction and the entry count they recorded.
	bdb, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = bdb.Update(func(btx *bbolt.Tx) error {
		for _, name := range []string{bucketCounts, bucketScopes} {
			if err := btx.Bucket([]byte(name)).SetSequence(0); err != nil {
				return err
			}
		}
		tx, err := wrap(btx)
		if err != nil {
			return err
		}
		meta := btx.Bucket([]byte(bucketMeta))
		old := map[string][]byte{metaCountsTx: meta.Get([]byte(metaCountsTx)), metaScopesTx: meta.Get([]byte(metaScopesTx))}
		if err := tx.PutEntry(tagged("e99", 5, []string{"harbor"}, "News")); err != nil {
			return err
		}
		if err := tx.addCount(-1); err != nil { // retention held the count
			return err
		}
		for key, v := range old {
			if err := meta.Put([]byte(key), append(u64(uint64(btx.ID())), v[8:]...)); err != nil {
				return err
			}
		}
		return nil
	})
	_ = bdb.Close()
	if err != nil {
		t.Fatal(err)
	}

	ro, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if ro.counts.Load() || ro.scopes.Load() {
		t.Errorf("a read-only open trusts counts %v, scope counts %v, of an older build's copy", ro.counts.Load(), ro.scopes.Load())
	}
	if w := window(t, ro, Query{Selection: Selection{Sources: []string{"harbor"}}, Limit: 5}); w.Total != 13 {
		t.Errorf("source total %d, want the 13 records walked", w.Total)
	}
	_ = ro.Close()
}
