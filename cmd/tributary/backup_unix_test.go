//go:build unix

package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// QA: each backup killed before its rename left a store-sized temporary
// file beside -o FILE for good. The next backup to FILE removes those no
// backup has written for an hour, and leaves a fresh one (a backup still
// writing it) alone.
func TestBackupRemovesCopiesKilledBackupsLeft(t *testing.T) {
	p, _ := fetchedProject(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "backup.db")
	stale, fresh := filepath.Join(dir, ".backup.db.123"), filepath.Join(dir, ".backup.db.456")
	for _, f := range []string{stale, fresh} {
		if err := os.WriteFile(f, []byte("half a store"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-2 * time.Hour)
	if err := os.Chtimes(stale, old, old); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := tributary(t, context.Background(), "backup", "-config", p.config, "-o", out)
	if code != exitOK || !strings.Contains(errOut, "removed "+stale) {
		t.Fatalf("backup exited %d: %s", code, errOut)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("the stale copy is still there: %v", err)
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Errorf("the fresh copy was removed: %v", err)
	}
}

// Review: Ctrl-C while a backup's copy was being verified said the copy,
// and so the store, was damaged. It says the backup stopped.
func TestBackupStoppedWhileVerifying(t *testing.T) {
	_, store := fetchedProject(t)
	copyOf, err := os.ReadFile(store)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "backup.db")
	if err := os.WriteFile(out, []byte("the last backup"), 0o600); err != nil {
		t.Fatal(err)
	}
	stopped, cancel := context.WithCancel(context.Background())
	cancel()
	var stderr strings.Builder
	err = writeBackup(stopped, out, true, &env{stderr: &stderr}, func(w io.Writer) (int64, error) {
		n, err := w.Write(copyOf) // a copy that ignores the stop, as one nearly done
		return int64(n), err
	})
	if err == nil || !strings.Contains(err.Error(), "stopped while verifying") || strings.Contains(err.Error(), "damaged") {
		t.Errorf("writeBackup stopped while verifying: %v", err)
	}
	if b, _ := os.ReadFile(out); string(b) != "the last backup" {
		t.Error("the last backup was replaced")
	}
}
