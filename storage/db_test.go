package storage

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/tributary/tributary/feed"
)

func TestOpenCreatesDirectoryAndFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a", "b", "tributary.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if db.Path() != path {
		t.Errorf("Path() = %q, want %q", db.Path(), path)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		t.Errorf("store file mode %v is readable by others", perm)
	}
	if n, err := db.Count(context.Background()); err != nil || n != 0 {
		t.Errorf("Count() = %d, %v; want 0", n, err)
	}
	if v := db.Version(); v != 1 {
		t.Errorf("Version() = %d after Open, want 1", v)
	}
}

func TestOpenLockedReturnsErrLocked(t *testing.T) {
	db := openTest(t)
	for _, opts := range []Options{
		{Timeout: 100 * time.Millisecond},
		{Timeout: 100 * time.Millisecond, ReadOnly: true},
	} {
		second, err := Open(db.Path(), opts)
		if err == nil {
			second.Close()
			t.Fatalf("second Open(%+v) succeeded while the store is open", opts)
		}
		if !errors.Is(err, ErrLocked) {
			t.Errorf("second Open(%+v): %v, want ErrLocked", opts, err)
		}
		if !strings.Contains(err.Error(), db.Path()) {
			t.Errorf("error %q does not name the file", err)
		}
	}
}

func TestReopenKeepsEverything(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	path := db.Path()
	put(t, db,
		entry("e1", day0, cp("s1", 0xAAAA_BBBB_CCCC_DDDD, "guid:1", "url:1")),
		entry("e2", day0.Add(time.Hour), cp("s2", 0, "guid:2")),
	)
	state := feed.SourceState{SourceID: "s1", ETag: `"v1"`, LastSuccess: day0, Failures: 2}
	if err := db.Update(ctx, func(tx feed.Tx) error { return tx.PutSourceState(state) }); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Prune(ctx, 0, 1, day0); err != nil { // tombstones e1's keys
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got, _, err := db.Newest(ctx, 0, "")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ids(got), []string{"e2"}) {
		t.Errorf("after reopen Newest = %v, want [e2]", ids(got))
	}
	if e, err := db.EntryByKey(ctx, "guid:2"); err != nil || e.ID != "e2" {
		t.Errorf("EntryByKey(guid:2) = %v, %v", e, err)
	}
	sources, err := db.Sources(ctx)
	if err != nil || len(sources) != 1 || sources[0].ETag != state.ETag || !sources[0].LastSuccess.Equal(day0) {
		t.Errorf("Sources() = %+v, %v; want [%+v]", sources, err, state)
	}
	err = db.View(ctx, func(tx feed.Tx) error {
		dead, err := tx.Tombstoned("url:1", day0)
		if !dead {
			t.Error("tombstone of url:1 lost on reopen")
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	checkIndexes(t, db)
}

func TestOpenRefusesNewerOrForeignFiles(t *testing.T) {
	tests := []struct {
		name  string
		setup func(btx *bbolt.Tx) error
	}{
		{"newer schema", func(btx *bbolt.Tx) error {
			return btx.Bucket([]byte(bucketMeta)).Put([]byte(metaSchema), u64(schemaVersion+1))
		}},
		{"foreign bucket", func(btx *bbolt.Tx) error {
			if err := btx.DeleteBucket([]byte(bucketMeta)); err != nil {
				return err
			}
			_, err := btx.CreateBucket([]byte("someone-else"))
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := openTest(t)
			if err := db.bolt.Update(tt.setup); err != nil {
				t.Fatal(err)
			}
			db.Close()
			for _, ro := range []bool{false, true} {
				again, err := Open(db.Path(), Options{ReadOnly: ro})
				if err == nil {
					again.Close()
					t.Fatalf("Open(ReadOnly=%v) accepted the file", ro)
				}
				if !errors.Is(err, ErrSchema) {
					t.Errorf("Open(ReadOnly=%v): %v, want ErrSchema", ro, err)
				}
			}
		})
	}
}

func TestVersionCountsEntryWrites(t *testing.T) {
	ctx := context.Background()
	errBoom := errors.New("boom")
	tests := []struct {
		name string
		op   func(db *DB) error
		bump bool
	}{
		{"put entry", func(db *DB) error {
			return db.Update(ctx, func(tx feed.Tx) error { return tx.PutEntry(entry("n", day0, cp("s", 0, "k:n"))) })
		}, true},
		{"source state only", func(db *DB) error {
			return db.Update(ctx, func(tx feed.Tx) error { return tx.PutSourceState(feed.SourceState{SourceID: "s"}) })
		}, false},
		{"rolled back put", func(db *DB) error {
			err := db.Update(ctx, func(tx feed.Tx) error {
				if err := tx.PutEntry(entry("n", day0, cp("s", 0, "k:n"))); err != nil {
					return err
				}
				return errBoom
			})
			if errors.Is(err, errBoom) {
				return nil
			}
			return err
		}, false},
		{"view", func(db *DB) error {
			return db.View(ctx, func(tx feed.Tx) error { _, err := tx.Entry("e0"); return err })
		}, false},
		{"prune removing", func(db *DB) error { _, err := db.Prune(ctx, 0, 1, day0); return err }, true},
		{"prune removing nothing", func(db *DB) error { _, err := db.Prune(ctx, 0, 5, day0); return err }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := openTest(t)
			put(t, db, entry("e0", day0, cp("s", 0, "k:0")), entry("e1", day0.Add(time.Hour), cp("s", 0, "k:1")))
			before := db.Version()
			if err := tt.op(db); err != nil {
				t.Fatal(err)
			}
			if got := db.Version() > before; got != tt.bump {
				t.Errorf("version %d → %d; want bump %v", before, db.Version(), tt.bump)
			}
		})
	}
}

func TestUpdateErrorKeepsNothing(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	put(t, db, entry("keep", day0, cp("s", 0xFFFF_0000_FFFF_0000, "k:keep")))
	errBoom := errors.New("boom")
	err := db.Update(ctx, func(tx feed.Tx) error {
		changed := entry("keep", day0.Add(time.Hour), cp("s", 0x1234_5678_9ABC_DEF0, "k:other"))
		if err := tx.PutEntry(changed); err != nil {
			return err
		}
		if err := tx.PutEntry(entry("new", day0, cp("s", 0, "k:new"))); err != nil {
			return err
		}
		if err := tx.PutSourceState(feed.SourceState{SourceID: "s", ETag: "x"}); err != nil {
			return err
		}
		return errBoom
	})
	if !errors.Is(err, errBoom) {
		t.Fatalf("Update returned %v, want fn's error", err)
	}
	if _, err := db.Entry(ctx, "new"); !errors.Is(err, feed.ErrNotFound) {
		t.Errorf("rolled back entry: %v, want ErrNotFound", err)
	}
	if id := lookup(t, db, "k:keep"); id != "keep" {
		t.Errorf("Lookup(k:keep) = %q after rollback, want keep", id)
	}
	if id := lookup(t, db, "k:other"); id != "" {
		t.Errorf("Lookup(k:other) = %q after rollback, want none", id)
	}
	if n, _ := db.Count(ctx); n != 1 {
		t.Errorf("Count() = %d after rollback, want 1", n)
	}
	if s, _ := db.Sources(ctx); len(s) != 0 {
		t.Errorf("Sources() = %+v after rollback, want none", s)
	}
	checkIndexes(t, db)
}

func TestUpdatePanicReleasesWriter(t *testing.T) {
	db := openTest(t)
	func() {
		defer func() { _ = recover() }()
		_ = db.Update(context.Background(), func(tx feed.Tx) error {
			_ = tx.PutEntry(entry("p", day0, cp("s", 0, "k:p")))
			panic("fn failed")
		})
	}()
	put(t, db, entry("after", day0, cp("s", 0, "k:after"))) // would hang if the writer lock were held
	if _, err := db.Entry(context.Background(), "p"); !errors.Is(err, feed.ErrNotFound) {
		t.Errorf("entry written before a panic: %v, want ErrNotFound", err)
	}
}

func TestCancelledContextStartsNoTransaction(t *testing.T) {
	db := openTest(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	called := false
	fn := func(feed.Tx) error { called = true; return nil }
	for name, err := range map[string]error{
		"Update": db.Update(ctx, fn),
		"View":   db.View(ctx, fn),
	} {
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s: %v, want context.Canceled", name, err)
		}
	}
	if called {
		t.Error("fn ran under a cancelled context")
	}
	if _, err := db.Prune(ctx, time.Hour, 0, day0); !errors.Is(err, context.Canceled) {
		t.Errorf("Prune: %v, want context.Canceled", err)
	}
	if _, _, err := db.Newest(ctx, 1, ""); !errors.Is(err, context.Canceled) {
		t.Errorf("Newest: %v, want context.Canceled", err)
	}
}

func TestWritesOutsideWriteTransactionsFail(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	put(t, db, entry("e", day0, cp("s", 0, "k:e")))
	err := db.View(ctx, func(tx feed.Tx) error {
		if err := tx.PutEntry(entry("v", day0, cp("s", 0, "k:v"))); !errors.Is(err, ErrReadOnly) {
			t.Errorf("PutEntry in View: %v, want ErrReadOnly", err)
		}
		if err := tx.PutSourceState(feed.SourceState{SourceID: "s"}); !errors.Is(err, ErrReadOnly) {
			t.Errorf("PutSourceState in View: %v, want ErrReadOnly", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	// Read-only openers share the file with each other.
	ro1, err := Open(db.Path(), Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro1.Close()
	ro2, err := Open(db.Path(), Options{ReadOnly: true, Timeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer ro2.Close()
	if e, err := ro2.Entry(ctx, "e"); err != nil || e.ID != "e" {
		t.Errorf("read-only Entry(e) = %v, %v", e, err)
	}
	if err := ro1.Update(ctx, func(feed.Tx) error { return nil }); !errors.Is(err, ErrReadOnly) {
		t.Errorf("Update on a read-only store: %v, want ErrReadOnly", err)
	}
	if _, err := ro1.Prune(ctx, 0, 1, day0); !errors.Is(err, ErrReadOnly) {
		t.Errorf("Prune on a read-only store: %v, want ErrReadOnly", err)
	}
}

func TestOpenReadOnlyMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "none", "tributary.db")
	if db, err := Open(path, Options{ReadOnly: true}); err == nil {
		db.Close()
		t.Fatal("read-only Open of a missing file succeeded")
	}
	if _, err := os.Stat(filepath.Dir(path)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("read-only Open created %s", filepath.Dir(path))
	}
}

// A store of schema 2 (JSON entries) reads without migrating when opened
// read-only, and is stamped with the current schema at its first writable
// open, after which builds that read only JSON refuse it.
func TestSchema2ReadsAndUpgrades(t *testing.T) {
	db := openTest(t)
	put(t, db, entry("old", day0, cp("s", 0, "k:old")))
	if err := db.bolt.Update(func(btx *bbolt.Tx) error {
		return btx.Bucket([]byte(bucketMeta)).Put([]byte(metaSchema), u64(2))
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	schema := func(db *DB) uint64 {
		var v uint64
		_ = db.bolt.View(func(btx *bbolt.Tx) error {
			v, _ = storedSchema(btx.Bucket([]byte(bucketMeta)))
			return nil
		})
		return v
	}
	ro, err := Open(db.Path(), Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("read-only open of a schema 2 store: %v", err)
	}
	if e, err := ro.Entry(context.Background(), "old"); err != nil || e.ID != "old" {
		t.Errorf("Entry(old) = %v, %v", e, err)
	}
	if v := schema(ro); v != 2 {
		t.Errorf("read-only open changed the schema to %d", v)
	}
	ro.Close()
	rw, err := Open(db.Path(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer rw.Close()
	if v := schema(rw); v != schemaVersion {
		t.Errorf("schema %d after a writable open, want %d", v, schemaVersion)
	}
}
