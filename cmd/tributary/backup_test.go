package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/storage"
)

// TestHotBackupAndRestore takes a backup from a running daemon, then
// restores it as the README says (stop, copy over storage.path, start) after
// the store was lost, and finds every entry again.
func TestHotBackupAndRestore(t *testing.T) {
	up := newUpstream(t)
	up.set("/harbor.xml", originalFeed("Council Approves Floodwall Plan"))
	up.set("/commonplace.atom", crossPostFeed)
	addr := freeAddr(t)
	p := newProject(t, addr, map[string]string{"Harbor Light": up.URL + "/harbor.xml", "Commonplace": up.URL + "/commonplace.atom"})
	want := serveAndRender(t, p, addr, func() {
		// While the daemon holds the store, backup asks it for the copy.
		code, _, errOut := tributary(t, context.Background(), "backup", "-config", p.config, "-o", filepath.Join(p.dir, "backup.db"))
		if code != 0 {
			t.Fatalf("backup while serving exited %d: %s", code, errOut)
		}
	})

	store := filepath.Join(p.dir, "data", "tributary.db")
	if err := os.Remove(store); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(p.dir, "backup.db"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(store, b, 0o600); err != nil {
		t.Fatal(err)
	}
	up.fail("/harbor.xml", 500) // the restored entries must come from the backup
	up.fail("/commonplace.atom", 500)
	code, got, errOut := tributary(t, context.Background(), "render", "-config", p.config, "-format", "json")
	if code != 0 {
		t.Fatalf("render after restore exited %d: %s", code, errOut)
	}
	if got != want {
		t.Errorf("the restored store renders differently:\n%s\nwant\n%s", got, want)
	}
	if !strings.Contains(got, "Floodwall") {
		t.Errorf("restored feed lacks the entries:\n%s", got)
	}
}

// serveAndRender runs the daemon until its first round is done, calls during
// while it runs, stops it, and returns the unified JSON feed it left.
func serveAndRender(t *testing.T, p project, addr string, during func()) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	go func() {
		code, _, _ := tributary(t, ctx, "serve", "-config", p.config)
		done <- code
	}()
	waitHealthy(t, "http://"+addr+"/readyz")
	during()
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("serve exited %d", code)
	}
	code, out, errOut := tributary(t, context.Background(), "render", "-config", p.config, "-format", "json")
	if code != 0 {
		t.Fatalf("render exited %d: %s", code, errOut)
	}
	return out
}

// compact on a zero-length store file says it is not a store (exit 1)
// instead of failing to write through a read-only descriptor, and changes
// nothing.
func TestCompactEmptyStoreFile(t *testing.T) {
	p := newProject(t, "127.0.0.1:1", map[string]string{"Harbor Light": "http://127.0.0.1:1/feed.xml"})
	store := filepath.Join(p.dir, "data", "tributary.db")
	if err := os.MkdirAll(filepath.Dir(store), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(store, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := tributary(t, context.Background(), "compact", "-config", p.config)
	if code != exitFailure || !strings.Contains(errOut, store) || !strings.Contains(errOut, "the file is empty, not a Tributary store") ||
		strings.Contains(errOut, "bad file descriptor") {
		t.Errorf("compact of an empty file: exit %d, %q; want 1, the file is empty, not a Tributary store", code, out+errOut)
	}
	if fi, err := os.Stat(store); err != nil || fi.Size() != 0 {
		t.Errorf("the store file changed: %v", err)
	}
	if _, err := os.Stat(store + ".compact"); !os.IsNotExist(err) {
		t.Errorf("compact left its temporary file: %v", err)
	}
}

// QA: a backup of a store damaged where the daemon does not look exited 0
// and replaced the last good backup with a damaged copy. A copy that would
// replace a file is verified first; -verify=false writes it regardless.
func TestBackupOfADamagedStoreKeepsTheOldBackup(t *testing.T) {
	p := newProject(t, "127.0.0.1:1", map[string]string{"Harbor Light": "http://127.0.0.1:1/feed.xml"})
	store := filepath.Join(p.dir, "data", "tributary.db")
	db, err := storage.Open(store, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(context.Background(), func(tx feed.Tx) error {
		for i := range 400 {
			at := time.Date(2026, 3, 1, 0, i, 0, 0, time.UTC)
			e := &feed.Entry{ID: fmt.Sprintf("e%04d", i), Title: "post", Content: strings.Repeat("words of a post ", 120),
				Published: at, Created: at, Modified: at,
				Copies: []feed.Copy{{SourceID: "s", Rule: "new", Published: at, FirstSeen: at, Keys: []string{fmt.Sprintf("guid:s:%d", i)}}}}
			if err := tx.PutEntry(e); err != nil {
				return err
			}
		}
		return nil
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "backup.db")
	if code, _, errOut := tributary(t, context.Background(), "backup", "-config", p.config, "-o", out); code != exitOK {
		t.Fatalf("backup of the sound store exited %d: %s", code, errOut)
	}
	good, _ := os.ReadFile(out)

	// Garbage over pages in the middle of the file: entries' leaf pages,
	// which opening the store and copying it do not read.
	f, err := os.OpenFile(store, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	fi, _ := f.Stat()
	if _, err := f.WriteAt(bytes.Repeat([]byte{0xA5}, 16<<10), fi.Size()/2/4096*4096); err != nil {
		t.Fatal(err)
	}
	f.Close()

	code, _, errOut := tributary(t, context.Background(), "backup", "-config", p.config, "-o", out)
	if code != exitFailure || !strings.Contains(errOut, "kept as it was") {
		t.Errorf("backup of the damaged store exited %d: %s", code, errOut)
	}
	if now, _ := os.ReadFile(out); !bytes.Equal(now, good) {
		t.Error("the good backup was replaced")
	}
	if code, _, errOut := tributary(t, context.Background(), "backup", "-config", p.config, "-o", out, "-verify=false"); code != exitOK {
		t.Errorf("backup -verify=false exited %d: %s", code, errOut)
	}
}
