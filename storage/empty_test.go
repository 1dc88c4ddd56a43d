package storage

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
