package storage

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/tributary/tributary/feed"
)

// hookWriter runs hook before the first write: a writer standing in for a
// slow backup destination.
type hookWriter struct {
	w    io.Writer
	hook func()
}

func (h *hookWriter) Write(p []byte) (int, error) {
	if h.hook != nil {
		h.hook()
		h.hook = nil
	}
	return h.w.Write(p)
}

func TestBackupIsAConsistentSnapshot(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	// The map is large enough that a write during the backup's read
	// transaction never has to grow it (which would wait for the backup).
	db, err := Open(filepath.Join(dir, "live.db"), Options{InitialMmapSize: 8 << 20})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for i := range 20 {
		put(t, db, entry(fmt.Sprintf("b%02d", i), day0.Add(time.Duration(i)*time.Minute), cp("s", uint64(i+1), fmt.Sprintf("k:%d", i))))
	}
	before, _, _ := db.Newest(ctx, 0, "")

	var buf bytes.Buffer
	n, err := db.Backup(ctx, &hookWriter{w: &buf, hook: func() {
		// The store stays writable while the backup runs.
		put(t, db, entry("during", day0.Add(time.Hour), cp("s", 0, "k:during")))
	}})
	if err != nil {
		t.Fatal(err)
	}
	if n != int64(buf.Len()) {
		t.Errorf("Backup reported %d bytes, wrote %d", n, buf.Len())
	}
	path := filepath.Join(dir, "copy.db")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	restored, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	got, _, err := restored.Newest(ctx, 0, "")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ids(got), ids(before)) {
		t.Errorf("backup holds %v, want the snapshot %v", ids(got), ids(before))
	}
	checkIndexes(t, restored)
	if _, err := db.Entry(ctx, "during"); err != nil {
		t.Errorf("write during the backup lost: %v", err)
	}
}

func TestBackupFile(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	dst := filepath.Join(t.TempDir(), "backups", "tributary.db")
	for i, id := range []string{"first", "second"} {
		put(t, db, entry(id, day0.Add(time.Duration(i)*time.Hour), cp("s", 0, "k:"+id)))
		if _, err := db.BackupFile(ctx, dst); err != nil { // the second replaces the first
			t.Fatal(err)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(dst), ".*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
	restored, err := Open(dst, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	if n, _ := restored.Count(ctx); n != 2 {
		t.Errorf("backup holds %d entries, want 2", n)
	}

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := db.Backup(cancelled, io.Discard); !errors.Is(err, context.Canceled) {
		t.Errorf("Backup with a cancelled context: %v", err)
	}
}

func TestCompact(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	src := filepath.Join(dir, "src.db")
	db, err := Open(src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var entries []*feed.Entry
	for i := range 2000 {
		e := entry(fmt.Sprintf("c%04d", i), day0.Add(time.Duration(i)*time.Minute), cp("s", uint64(i+1), fmt.Sprintf("k:%d", i)))
		e.Content = string(bytes.Repeat([]byte("words "), 200))
		entries = append(entries, e)
	}
	put(t, db, entries...)
	if _, err := db.Prune(ctx, 0, 100, day0); err != nil {
		t.Fatal(err)
	}
	want, _, _ := db.Newest(ctx, 0, "")

	dst := filepath.Join(dir, "out", "compact.db")
	if err := Compact(context.Background(), src, dst); !errors.Is(err, ErrLocked) {
		t.Errorf("Compact of a store open for writing: %v, want ErrLocked", err)
	}
	if _, err := os.Stat(dst); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("failed Compact left %s", dst)
	}
	db.Close()

	if err := Compact(context.Background(), src, dst); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ name, src, dst string }{
		{"destination exists", src, dst},
		{"destination is the source", src, src},
		{"missing source", filepath.Join(dir, "none.db"), filepath.Join(dir, "none-out.db")},
	} {
		if err := Compact(context.Background(), tt.src, tt.dst); err == nil {
			t.Errorf("Compact with %s succeeded", tt.name)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "none.db")); !errors.Is(err, os.ErrNotExist) {
		t.Error("Compact created its missing source")
	}

	srcInfo, _ := os.Stat(src)
	dstInfo, _ := os.Stat(dst)
	if dstInfo.Size() >= srcInfo.Size() {
		t.Errorf("compacted file %d bytes, source %d", dstInfo.Size(), srcInfo.Size())
	}
	out, err := Open(dst, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	got, _, err := out.Newest(ctx, 0, "")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ids(got), ids(want)) {
		t.Errorf("compacted store holds %d entries, want %d", len(got), len(want))
	}
	checkIndexes(t, out)
	if dead := lookup(t, out, "k:0"); dead != "" {
		t.Errorf("pruned key k:0 points at %q in the copy", dead)
	}
}
