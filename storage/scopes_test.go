package storage

import (
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
