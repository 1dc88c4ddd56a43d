package storage

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tributary/tributary/feed"
)

// A damaged file (cut short, or pages overwritten) is an error that says
// so, from Open or from the transaction that meets the damage, never a
// crash of the whole process.
// closedStore writes a closed store of 40 entries of about size bytes of
// content each, and returns its file and the file's size.
func closedStore(t *testing.T, size int) (string, int64) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "tributary.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 40 {
		e := tagged(fmt.Sprintf("e%03d", i), i, []string{"a"}, "x")
		e.Content = string(make([]byte, size+i))
		put(t, db, e)
	}
	_ = db.Close()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return path, fi.Size()
}

func TestDamagedStoreIsAnError(t *testing.T) {
	build := func(t *testing.T) (string, int64) { return closedStore(t, 3000) }
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
			// The same file again: a panic inside bbolt's own Open
			// must not leave its file lock held, which would keep this
			// Open waiting (ErrLocked) instead of finding the damage.
			dst := filepath.Join(t.TempDir(), "copy.db")
			if err := Compact(context.Background(), path, dst); !errors.Is(err, ErrDamaged) {
				t.Errorf("compact: error %v, want ErrDamaged", err)
			}
			if _, err := os.Stat(dst); err == nil {
				t.Error("compact left a copy of a damaged store")
			}
		})
	}
}

// Compact of a store whose damage Open does not see (one leaf page's type
// overwritten) meets it while copying: it must end with ErrDamaged, not
// wait forever on the copy's own open transaction. Every leaf page of a
// small store is tried in turn.
func TestCompactOfADamagedStoreEnds(t *testing.T) {
	path, _ := closedStore(t, 500)
	clean, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const pageSize, leafFlag = 4096, 0x02
	copied := 0
	for p := 2; (p+1)*pageSize <= len(clean); p++ {
		if binary.LittleEndian.Uint16(clean[p*pageSize+8:]) != leafFlag {
			continue
		}
		spoilt := slices.Clone(clean)
		binary.LittleEndian.PutUint16(spoilt[p*pageSize+8:], 0x7f)
		src := filepath.Join(t.TempDir(), "src.db")
		if err := os.WriteFile(src, spoilt, 0o600); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- Compact(context.Background(), src, filepath.Join(filepath.Dir(src), "dst.db")) }()
		select {
		case err := <-done:
			if err != nil && !errors.Is(err, ErrDamaged) {
				t.Errorf("leaf page %d overwritten: compact: %v, want ErrDamaged or success", p, err)
			}
			if errors.Is(err, ErrDamaged) && !strings.Contains(err.Error(), "open") {
				copied++ // met while copying, not at Open
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("leaf page %d overwritten: compact has not ended after 20 s", p)
		}
	}
	if copied == 0 {
		t.Error("no damage was met while copying: the test did not reach the copy")
	}
}

// A panic in the caller's own code inside a transaction is a bug, not a
// damaged file: it goes on, rather than become "restore a backup", and
// the store stays usable after it.
func TestBugIsNotDamage(t *testing.T) {
	db := openTest(t)
	put(t, db, tagged("e1", 1, []string{"a"}))
	for _, tx := range []struct {
		name string
		run  func(fn func(feed.Tx) error) error
	}{
		{"update", func(fn func(feed.Tx) error) error { return db.Update(context.Background(), fn) }},
		{"view", func(fn func(feed.Tx) error) error { return db.View(context.Background(), fn) }},
	} {
		var recovered any
		func() {
			defer func() { recovered = recover() }()
			_ = tx.run(func(feed.Tx) error {
				var e *feed.Entry
				_ = e.ID // nil dereference: a bug
				return nil
			})
		}()
		if err, ok := recovered.(error); !ok || errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), "nil pointer") {
			t.Errorf("%s: the bug's panic came out as %v", tx.name, recovered)
		}
	}
	// The writer lock was released: the store takes writes again.
	put(t, db, tagged("e2", 2, []string{"a"}))
}
