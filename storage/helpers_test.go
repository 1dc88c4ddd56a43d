package storage

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/tributary/tributary/feed"
)

// day0 is an arbitrary UTC instant: UTC times survive the JSON round trip
// unchanged, so stored and original entries compare with reflect.DeepEqual.
var day0 = time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)

func openTest(t testing.TB) *DB {
	t.Helper()
	db, err := Open(filepath.Join(t.TempDir(), "store", "tributary.db"), Options{Timeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// cp is a copy with the given fingerprint and identity keys.
func cp(source string, fp uint64, keys ...string) feed.Copy {
	return feed.Copy{SourceID: source, Keys: keys, Fingerprint: fp, Rule: "new", Published: day0, FirstSeen: day0}
}

func entry(id string, published time.Time, copies ...feed.Copy) *feed.Entry {
	return &feed.Entry{ID: id, Title: "title " + id, Published: published, Created: day0, Modified: day0, Copies: copies}
}

func put(t testing.TB, db *DB, entries ...*feed.Entry) {
	t.Helper()
	err := db.Update(context.Background(), func(tx feed.Tx) error {
		for _, e := range entries {
			if err := tx.PutEntry(e); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func ids(entries []*feed.Entry) []string {
	out := make([]string, 0, len(entries))
	for _, e := range entries {
		out = append(out, e.ID)
	}
	return out
}

func lookup(t testing.TB, db *DB, key string) string {
	t.Helper()
	var id string
	err := db.View(context.Background(), func(tx feed.Tx) error {
		var err error
		id, err = tx.Lookup(key)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// checkIndexes walks every bucket and reports each index record that does
// not match the stored entries, and each record an entry needs but lacks.
func checkIndexes(t testing.TB, db *DB) {
	t.Helper()
	for _, p := range indexProblems(t, db) {
		t.Error(p)
	}
}

// indexProblems is what Verify finds, and counts this build should keep
// but does not trust (a store open for writing trusts them once Open is
// done).
func indexProblems(t testing.TB, db *DB) []string {
	t.Helper()
	problems, err := db.Verify(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !db.readOnly && !db.counts.Load() {
		problems = append(problems, "counts are not trusted")
	}
	if !db.readOnly && !db.scopes.Load() {
		problems = append(problems, "scope counts are not trusted")
	}
	// Within a test no tombstone is swept: every key an entry lists is
	// some entry's or tombstoned (Verify cannot ask that of a store a
	// year old).
	err = db.view(context.Background(), "test", func(tx *tx) error {
		return tx.entries.ForEach(func(k, v []byte) error {
			e, err := decodeEntry(string(k), v)
			if err != nil {
				return nil // Verify said so
			}
			for _, key := range indexOf(e).keys {
				if tx.keys.Get([]byte(key)) == nil && tx.tombs.Get([]byte(key)) == nil {
					problems = append(problems, fmt.Sprintf("key %q of entry %q is neither indexed nor tombstoned", key, k))
				}
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return problems
}
