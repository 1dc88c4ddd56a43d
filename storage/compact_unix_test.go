//go:build unix

package storage

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"
)

// QA: a daemon started while compact ran waited for the lock, got it on
// the old file just as compact renamed the new one over it, and stored a
// round of new entries in a deleted file: gone at the next start. A
// writer that was waiting now opens the file at the path again.
func TestWriterWaitingForCompactionOpensTheNewFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "store.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	put(t, db, tagged("before", 1, []string{"a"}))
	db.Close()

	type opened struct {
		db  *DB
		err error
	}
	writer := make(chan opened, 1)
	_, err = CompactFile(ctx, path, func(tmp string, old fs.FileInfo) error {
		// The writer starts while the compaction holds the store and
		// waits for its lock; the rename follows.
		go func() {
			w, err := Open(path, Options{Timeout: 10 * time.Second})
			writer <- opened{w, err}
		}()
		time.Sleep(200 * time.Millisecond)
		select {
		case w := <-writer:
			t.Errorf("the writer opened the store while the compaction held it: %v", w.err)
			writer <- w
		default:
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	w := <-writer
	if w.err != nil {
		t.Fatalf("the waiting writer: %v", w.err)
	}
	put(t, w.db, tagged("after", 2, []string{"a"}))
	w.db.Close()

	db, err = Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got, _, err := db.Newest(ctx, 0, "")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(ids(got), " ") != "after before" {
		t.Errorf("stored after the compaction: %v, want the writer's entry and the one before", ids(got))
	}
}

// A copy left by a compaction that was killed is removed; one another
// compaction holds is not, and this one fails.
func TestCompactFileLeftovers(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "store.db")
	oneEntryStore(t, path)
	tmp := path + ".compact"

	if err := os.WriteFile(tmp, []byte("half a copy"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := CompactFile(ctx, path, nil); err != nil {
		t.Fatalf("over a stale copy: %v", err)
	}
	if _, err := os.Stat(tmp); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the copy is still at %s: %v", tmp, err)
	}

	busy, err := os.OpenFile(tmp, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	if !tryLock(busy) {
		t.Fatal("could not lock the copy")
	}
	if _, err := CompactFile(ctx, path, nil); err == nil || !strings.Contains(err.Error(), "another compaction") {
		t.Errorf("beside another compaction: %v, want it refused", err)
	}
	if _, err := os.Stat(tmp); err != nil {
		t.Errorf("the other compaction's copy was removed: %v", err)
	}
}

// A compaction stopped (compact's Ctrl-C) leaves the store as it was and
// no copy.
func TestCompactFileStopped(t *testing.T) {
	path := filepath.Join(t.TempDir(), "store.db")
	oneEntryStore(t, path)
	before, _ := os.ReadFile(path)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := CompactFile(ctx, path, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("CompactFile stopped: %v, want context.Canceled", err)
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Error("a stopped compaction changed the store")
	}
	if _, err := os.Stat(path + ".compact"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a stopped compaction left its copy: %v", err)
	}
}

// Review: a second compaction took the first one's finished copy, unlocked
// between its last commit and its rename, for a stale one, removed it and
// wrote its own under the name the first then renamed into place. The
// copy's lock is held until it is the store.
func TestTwoCompactionsAtOnce(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "store.db")
	oneEntryStore(t, path)
	var second error
	_, err := CompactFile(ctx, path, func(string, fs.FileInfo) error {
		_, second = CompactFile(ctx, path, nil)
		return nil
	})
	if err != nil {
		t.Fatalf("the first compaction: %v", err)
	}
	if second == nil || !strings.Contains(second.Error(), "another compaction") {
		t.Errorf("the second compaction, beside the first: %v", second)
	}
	db, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got, _, _ := db.Newest(ctx, 0, ""); len(got) != 1 {
		t.Errorf("entries after the compactions: %v", ids(got))
	}
}

// Review: compacting a store whose storage.path is a symbolic link
// replaced the link by the compacted file and left the file it named as it
// was, so that a process using the other name wrote to another store.
func TestCompactFileFollowsALink(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real", "store.db")
	oneEntryStore(t, real)
	link := filepath.Join(dir, "store.db")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	if _, err := CompactFile(context.Background(), link, nil); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("the link is no longer a link: %v, %v", fi, err)
	}
	if _, err := os.Stat(real + ".compact"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the copy was left beside the file: %v", err)
	}
}

// A compaction's copy that a kill cut short carries its unfinished mark:
// every Open refuses it as damaged, and none makes it a store.
func TestUnfinishedCopyIsNoStore(t *testing.T) {
	path := filepath.Join(t.TempDir(), "store.db.compact")
	d, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = d.Update(markUnfinished)
	if err == nil {
		err = d.Update(func(btx *bbolt.Tx) error { _, err := btx.CreateBucket([]byte(bucketEntries)); return err })
	}
	d.Close()
	if err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	for _, readOnly := range []bool{true, false} {
		if db, err := Open(path, Options{ReadOnly: readOnly}); !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), "compaction") {
			if db != nil {
				db.Close()
			}
			t.Errorf("Open (read-only %v) of an unfinished copy: %v", readOnly, err)
		}
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Error("opening the unfinished copy changed it")
	}
}

// Review: a compaction whose copy's name another compaction had just
// renamed over the store opened that file, the live store, and wrote its
// copy into it. A copy is only ever a new file.
func TestCompactionCopyIsANewFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "store.db")
	oneEntryStore(t, path)
	s, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// The live store: a store another compaction renamed into place.
	live := filepath.Join(dir, "live.db")
	whole, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(live, whole, 0o600); err != nil {
		t.Fatal(err)
	}
	if d, err := compactInto(context.Background(), s, live); err == nil {
		d.Close()
		t.Error("compactInto wrote into an existing file")
	}
	if b, _ := os.ReadFile(live); !bytes.Equal(b, whole) {
		t.Error("the existing store changed")
	}
}

// Review: a compaction that began just before another renamed its copy
// into place renamed a copy of the file before over it, undoing what was
// stored in between. The store must still be the file it compacted.
func TestCompactionOfAReplacedStoreIsNotRenamed(t *testing.T) {
	path := filepath.Join(t.TempDir(), "store.db")
	oneEntryStore(t, path)
	var newer []byte
	_, err := CompactFile(context.Background(), path, func(string, fs.FileInfo) error {
		// Another compaction's result, with a write since, takes the path.
		whole, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		newer = append(whole, 0) // another file, other bytes
		other := path + ".other"
		if err := os.WriteFile(other, newer, 0o600); err != nil {
			return err
		}
		return os.Rename(other, path)
	})
	if err == nil || !strings.Contains(err.Error(), "replaced while it was compacted") {
		t.Errorf("CompactFile over a store replaced meanwhile: %v", err)
	}
	if b, _ := os.ReadFile(path); !bytes.Equal(b, newer) {
		t.Error("the store that replaced the compacted one was replaced")
	}
	if _, err := os.Stat(path + ".compact"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the copy was left: %v", err)
	}
}

// Review: CompactFile described the store by its path after Open, and a
// compaction beside it could rename its result there in between; the
// check before the rename then passed, and a copy of the file before was
// renamed over the newer one. The description comes from the handle.
func TestOpenDescribesTheFileItOpened(t *testing.T) {
	path := filepath.Join(t.TempDir(), "store.db")
	oneEntryStore(t, path)
	before, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	other := path + ".other"
	if err := os.WriteFile(other, []byte("another store"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(other, path); err != nil {
		t.Fatal(err)
	}
	now, _ := os.Stat(path)
	if s.file == nil || !os.SameFile(s.file, before) || os.SameFile(s.file, now) {
		t.Errorf("the open store's file %v is not the file it opened", s.file)
	}
}

// oneEntryStore makes a store at path holding one entry, closed.
func oneEntryStore(t *testing.T, path string) {
	t.Helper()
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	put(t, db, tagged("e1", 1, []string{"a"}))
	db.Close()
}
