package storage

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// A damaged file (cut short, or pages overwritten) is an error that says
// so, from Open or from the transaction that meets the damage, never a
// crash of the whole process.
func TestDamagedStoreIsAnError(t *testing.T) {
	build := func(t *testing.T) (string, int64) {
		path := filepath.Join(t.TempDir(), "tributary.db")
		db, err := Open(path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for i := range 40 {
			e := tagged(fmt.Sprintf("e%03d", i), i, []string{"a"}, "x")
			e.Content = string(make([]byte, 3000+i))
			put(t, db, e)
		}
		_ = db.Close()
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		return path, fi.Size()
	}
	damage := map[string]func(t *testing.T, path string, size int64){
		"cut to half": func(t *testing.T, path string, size int64) {
			if err := os.Truncate(path, size/2); err != nil {
				t.Fatal(err)
			}
		},
		"pages overwritten": func(t *testing.T, path string, size int64) {
			f, err := os.OpenFile(path, os.O_RDWR, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			junk := make([]byte, size-4*4096)
			for i := range junk {
				junk[i] = byte(i*7 + 3)
			}
			if _, err := f.WriteAt(junk, 4*4096); err != nil {
				t.Fatal(err)
			}
		},
	}
	for name, spoil := range damage {
		t.Run(name, func(t *testing.T) {
			path, size := build(t)
			spoil(t, path, size)
			// Compact reads a copy: when bbolt panics inside its own
			// Open, the file lock it took stays with the process, and
			// would keep a second Open of the same file waiting.
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			other := filepath.Join(t.TempDir(), "other.db")
			if err := os.WriteFile(other, b, 0o600); err != nil {
				t.Fatal(err)
			}
			db, err := Open(path, Options{})
			if err == nil {
				_, err = db.Window(context.Background(), Query{Limit: 50})
				if err == nil {
					_, err = db.Window(context.Background(), Query{Limit: 5, Skip: 20})
				}
				_ = db.Close()
			}
			if !errors.Is(err, ErrDamaged) {
				t.Errorf("error %v, want ErrDamaged", err)
			}
			dst := filepath.Join(t.TempDir(), "copy.db")
			if err := Compact(other, dst); !errors.Is(err, ErrDamaged) {
				t.Errorf("compact: error %v, want ErrDamaged", err)
			}
			if _, err := os.Stat(dst); err == nil {
				t.Error("compact left a copy of a damaged store")
			}
		})
	}
}
