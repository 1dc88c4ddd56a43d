package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
