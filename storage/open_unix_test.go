//go:build unix

package storage

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// An empty file that another process has just created and is writing
// bbolt's first pages to, under its exclusive lock, is not refused: a
// writable Open waits for the lock and finds the store; one whose lock is
// held past the timeout is ErrLocked, not an empty file.
func TestWritableOpenWaitsForTheCreatorOfAnEmptyFile(t *testing.T) {
	dir := t.TempDir()
	fresh := filepath.Join(dir, "fresh.db")
	db, err := Open(fresh, Options{})
	if err != nil {
		t.Fatal(err)
	}
	put(t, db, tagged("e1", 1, []string{"a"}))
	db.Close()
	pages, err := os.ReadFile(fresh)
	if err != nil {
		t.Fatal(err)
	}

	// creating is the other process: the file created empty, locked.
	creating := func(t *testing.T, path string) *os.File {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			t.Fatal(err)
		}
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
			t.Fatal(err)
		}
		return f
	}

	t.Run("written", func(t *testing.T) {
		path := filepath.Join(dir, "t.db")
		f := creating(t, path)
		opened := make(chan error, 1)
		go func() {
			db, err := Open(path, Options{Timeout: 10 * time.Second})
			if err == nil {
				var n int
				n, err = db.Count(context.Background())
				if err == nil && n != 1 {
					err = errors.New("the store lost its entry")
				}
				db.Close()
			}
			opened <- err
		}()
		time.Sleep(200 * time.Millisecond)
		if _, err := f.WriteAt(pages, 0); err != nil {
			t.Fatal(err)
		}
		f.Close() // releases the lock
		if err := <-opened; err != nil {
			t.Errorf("Open while the file was being written: %v", err)
		}
	})

	t.Run("locked past the timeout", func(t *testing.T) {
		path := filepath.Join(dir, "u.db")
		f := creating(t, path)
		defer f.Close()
		_, err := Open(path, Options{Timeout: 100 * time.Millisecond})
		if !errors.Is(err, ErrLocked) {
			t.Errorf("Open: %v, want ErrLocked", err)
		}
		if fi, err := os.Stat(path); err != nil || fi.Size() != 0 {
			t.Errorf("the file changed: %v", err)
		}
	})
}

// Errors of the file system name the file once ("open X: is a directory",
// not "open X: open X: …"), and keep their cause for errors.Is.
func TestOpenErrorNamesTheFileOnce(t *testing.T) {
	dir := t.TempDir()
	_, err := Open(dir, Options{})
	if err == nil || err.Error() != "open "+dir+": is a directory" || !errors.Is(err, syscall.EISDIR) {
		t.Errorf("Open of a directory: %v, want open DIR: is a directory", err)
	}
}

// A backup is readable by its owner only, as the store is (it holds the
// sources' URLs, credentials included), whatever the umask; and BackupFile
// refuses the store's own file, which its rename would replace.
func TestBackupFileModeAndDestination(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	put(t, db, tagged("e1", 1, []string{"a"}))
	old := syscall.Umask(0)
	defer syscall.Umask(old)

	dst := filepath.Join(t.TempDir(), "b.db")
	if err := os.WriteFile(dst, []byte("an older backup"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := db.BackupFile(ctx, dst); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(dst); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("backup file mode %v (%v), want 0600", fi.Mode(), err)
	}

	store := db.Path()
	link := filepath.Join(t.TempDir(), "hard.db")
	if err := os.Link(store, link); err != nil {
		t.Fatal(err)
	}
	symlink := filepath.Join(t.TempDir(), "sym.db")
	if err := os.Symlink(store, symlink); err != nil {
		t.Fatal(err)
	}
	before, _ := os.Stat(store)
	content, _ := os.ReadFile(store)
	for _, dst := range []string{store, filepath.Join(filepath.Dir(store), ".", "x", "..", filepath.Base(store)), link, symlink} {
		_, err := db.BackupFile(ctx, dst)
		if err == nil || !strings.Contains(err.Error(), "the store's own file") {
			t.Errorf("BackupFile(%s): %v, want a refusal", dst, err)
		}
	}
	after, _ := os.Stat(store)
	if got, _ := os.ReadFile(store); !os.SameFile(before, after) || !bytes.Equal(got, content) {
		t.Error("the store's file was replaced or changed")
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(store), ".*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
	put(t, db, tagged("e2", 2, []string{"a"}))
}

// QA: a first start on a full disk left the store file empty, and every
// later command refused it as a store lost ("restore it from a backup"),
// even once space was freed. The file that Open created and could not
// write is removed; the next Open creates the store.
func TestFirstOpenThatCannotWriteLeavesNoFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", "store.db")
	// bbolt's first pages cannot be written to a file opened read-only,
	// as to a full disk.
	unwritable := func(name string, _ int, perm os.FileMode) (*os.File, error) {
		return os.OpenFile(name, os.O_RDONLY|os.O_CREATE, perm)
	}
	if db, err := Open(path, Options{openFile: unwritable}); err == nil {
		db.Close()
		t.Fatal("Open wrote to a read-only file")
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the failed first Open left %s: %v", path, err)
	}
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("the next Open: %v", err)
	}
	db.Close()

	// A store that existed is never removed, whatever fails.
	if db, err := Open(path, Options{openFile: unwritable}); err == nil {
		db.Close()
	}
	if fi, err := os.Stat(path); err != nil || fi.Size() == 0 {
		t.Errorf("an existing store after a failed Open: %v, %v", fi, err)
	}
}

// Review: with a few pages of space left, the first Open wrote some of
// bbolt's first pages and the file was then refused as damaged for good.
// A file shorter than those pages is removed unless locked; a longer one,
// or one another process holds, is not.
func TestRemoveUnfinished(t *testing.T) {
	page := os.Getpagesize()
	dir := t.TempDir()
	tests := []struct {
		name   string
		size   int
		locked bool
		gone   bool
	}{
		{"three pages", 3 * page, false, true},
		{"empty", 0, false, true},
		{"four pages", 4 * page, false, false},
		{"three pages, locked", 3 * page, true, false},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, fmt.Sprintf("store%d.db", i))
			if err := os.WriteFile(path, make([]byte, tt.size), 0o600); err != nil {
				t.Fatal(err)
			}
			if tt.locked {
				f, err := os.Open(path)
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
					t.Fatal(err)
				}
			}
			removeUnfinished(path)
			if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) != tt.gone {
				t.Errorf("removed: %v, want %v", errors.Is(err, os.ErrNotExist), tt.gone)
			}
		})
	}
}
