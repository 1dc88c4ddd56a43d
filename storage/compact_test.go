package storage

import (
	"context"
	"encoding/json"
	"path/filepath"
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
	// Replace the first entry's value by the JSON an older version wrote.
	js, err := json.Marshal(old)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.bolt.Update(func(btx *bbolt.Tx) error {
		return btx.Bucket([]byte(bucketEntries)).Put([]byte(old.ID), js)
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
	if err := Compact(src, dst); err != nil {
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
