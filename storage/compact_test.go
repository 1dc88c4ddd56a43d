package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"
)

// A store written before the CBOR codec holds JSON entries: they read as
// before, and Compact rewrites them in the current encoding.
func TestCompactRewritesOldEncodings(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "old.db")
	db, err := Open(src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	old := entry("json1", day0, cp("s", 7, "k:json"))
	old.Content = "<p>stored by an older version</p>"
	fresh := entry("cbor1", day0.Add(time.Hour), cp("s", 9, "k:cbor"))
	put(t, db, old, fresh)
	// Replace the first entry's value by the JSON an older version wrote,
	// its index records holding that value's checksum, as a migrated
	// store's do: compacting re-encodes the entry, and must not keep a
	// checksum of bytes it no longer stores.
	js, err := json.Marshal(old)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.update(context.Background(), "test", func(t *tx) error {
		if err := t.entries.Put([]byte(old.ID), js); err != nil {
			return err
		}
		ix := indexOf(old)
		if err := t.times.Put([]byte(ix.time), checksum(js)); err != nil {
			return err
		}
		return t.putScoped(ix, checksum(js))
	}); err != nil {
		t.Fatal(err)
	}
	got, _, err := db.Newest(context.Background(), 0, "")
	if err != nil || len(got) != 2 {
		t.Fatalf("before compacting: %d entries, %v", len(got), err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	dst := filepath.Join(dir, "new.db")
	if err := Compact(context.Background(), src, dst); err != nil {
		t.Fatal(err)
	}
	out, err := Open(dst, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	if err := out.bolt.View(func(btx *bbolt.Tx) error {
		return btx.Bucket([]byte(bucketEntries)).ForEach(func(k, v []byte) error {
			if !currentEncoding(v) {
				t.Errorf("entry %s still encoded as 0x%02x", k, v[0])
			}
			return nil
		})
	}); err != nil {
		t.Fatal(err)
	}
	got, _, err = out.Newest(context.Background(), 0, "")
	if err != nil || len(got) != 2 {
		t.Fatalf("after compacting: %d entries, %v", len(got), err)
	}
	assertSameEntry(t, got[1], old)
	assertSameEntry(t, got[0], fresh)
	checkIndexes(t, out)
}

// copyStore in many small transactions copies every bucket's records; an
// entry that does not decode is copied as it is, not dropped.
func TestCopyStoreInSmallTransactions(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(filepath.Join(dir, "src.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for i := range 300 {
		e := entry(fmt.Sprintf("e%03d", i), day0.Add(time.Duration(i)*time.Minute), cp("s", uint64(i+1), fmt.Sprintf("k:%d", i)))
		e.Content = strings.Repeat("words ", 50)
		put(t, db, e)
	}
	broken := []byte(`{"id": "broken", "title":`)
	if err := db.bolt.Update(func(btx *bbolt.Tx) error {
		return btx.Bucket([]byte(bucketEntries)).Put([]byte("broken"), broken)
	}); err != nil {
		t.Fatal(err)
	}
	out, err := bbolt.Open(filepath.Join(dir, "dst.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	if err := copyStore(context.Background(), out, db.bolt, 4096); err != nil {
		t.Fatal(err)
	}
	records := func(b *bbolt.DB) map[string]int {
		n := map[string]int{}
		_ = b.View(func(btx *bbolt.Tx) error {
			return btx.ForEach(func(name []byte, bk *bbolt.Bucket) error {
				n[string(name)] = bk.Stats().KeyN
				return nil
			})
		})
		return n
	}
	if got, want := records(out), records(db.bolt); !maps.Equal(got, want) {
		t.Errorf("records per bucket %v, want %v", got, want)
	}
	_ = out.View(func(btx *bbolt.Tx) error {
		if v := btx.Bucket([]byte(bucketEntries)).Get([]byte("broken")); string(v) != string(broken) {
			t.Errorf("undecodable entry copied as %q", v)
		}
		return nil
	})
}
