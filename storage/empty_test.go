package storage

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.etcd.io/bbolt"
)

// A zero-length file (a copy cut short, a truncation) is not a store: a
// read-only Open and Compact say so instead of failing to write bbolt's
// first pages through a read-only descriptor, and leave the file as it is.
func TestReadOnlyOpenRefusesAnEmptyFile(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "empty.db")
	if err := os.WriteFile(src, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := Open(src, Options{ReadOnly: true})
	if err == nil {
		db.Close()
		t.Fatal("Open(ReadOnly) accepted an empty file")
	}
	if !errors.Is(err, ErrSchema) || !strings.Contains(err.Error(), "empty") || !strings.Contains(err.Error(), src) {
		t.Errorf("Open(ReadOnly): %v, want ErrSchema naming the file as empty", err)
	}
	dst := filepath.Join(dir, "out.db")
	err = Compact(context.Background(), src, dst)
	if !errors.Is(err, ErrSchema) || !strings.Contains(err.Error(), "empty") {
		t.Errorf("Compact: %v, want ErrSchema naming the file as empty", err)
	}
	if _, err := os.Stat(dst); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Compact left %s behind: %v", dst, err)
	}
	if fi, err := os.Stat(src); err != nil || fi.Size() != 0 {
		t.Errorf("the empty file changed: %v, %v", fi, err)
	}

	// Opened for writing, an empty file is refused too
	// (TestWritableOpenRefusesAnEmptyFile).
}

// QA: verify of a compaction's copy cut short (kill -9) told the operator
// to "open it once for writing", which would make the partial copy a store
// with its indexes missing. A store of this layout without all its buckets
// is a copy cut short.
func TestStoreMissingBucketsIsNotWhole(t *testing.T) {
	path := filepath.Join(t.TempDir(), "store.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	b, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = b.Update(func(tx *bbolt.Tx) error { return tx.DeleteBucket([]byte(bucketNames[len(bucketNames)-1])) })
	b.Close()
	if err != nil {
		t.Fatal(err)
	}
	_, err = Open(path, Options{ReadOnly: true})
	if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), "not a whole store") {
		t.Errorf("read-only Open of a store missing a bucket: %v", err)
	}
}
