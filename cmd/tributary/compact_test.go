//go:build unix

package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/tributary/tributary/storage"
)

// QA: "sudo tributary compact" on a store of the daemon's user left it
// root:root 0600, and the daemon could no longer open it. The compacted
// store keeps the old file's owner, group and mode.
func TestCompactKeepsOwnerAndMode(t *testing.T) {
	tests := []struct {
		name     string
		mode     os.FileMode
		uid, gid int // -1: the test's own
	}{
		{name: "the store's own mode", mode: 0o640, uid: -1, gid: -1},
		{name: "another group", mode: 0o660, uid: -1, gid: 1},
		{name: "the daemon's user and group", mode: 0o600, uid: 65534, gid: 65534},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, store := fetchedProject(t)
			if err := os.Chown(store, tc.uid, tc.gid); err != nil {
				t.Skipf("this test may not give the store that owner: %v", err) // not root
			}
			if err := os.Chmod(store, tc.mode); err != nil {
				t.Fatal(err)
			}
			want, err := os.Stat(store)
			if err != nil {
				t.Fatal(err)
			}
			code, out, errOut := tributary(t, context.Background(), "compact", "-config", p.config)
			if code != exitOK || !strings.Contains(out, "compacted "+store) {
				t.Fatalf("compact exited %d: %s%s", code, out, errOut)
			}
			got, err := os.Stat(store)
			if err != nil {
				t.Fatal(err)
			}
			if got.Mode().Perm() != tc.mode {
				t.Errorf("mode %v, want %v kept", got.Mode().Perm(), tc.mode)
			}
			w, g := want.Sys().(*syscall.Stat_t), got.Sys().(*syscall.Stat_t)
			if g.Uid != w.Uid || g.Gid != w.Gid {
				t.Errorf("owner %d:%d, want %d:%d kept", g.Uid, g.Gid, w.Uid, w.Gid)
			}
			if _, err := os.Stat(store + ".compact"); !os.IsNotExist(err) {
				t.Errorf("compact left its temporary file: %v", err)
			}
		})
	}
}

// QA: compact beside a process writing the store said only "store is
// locked by another process"; it says what to do. Stopped by Ctrl-C, it
// leaves the store as it was (it used to finish and swap the file in).
func TestCompactLockedOrStopped(t *testing.T) {
	p, store := fetchedProject(t)
	db, err := storage.Open(store, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	code, _, errOut := tributary(t, context.Background(), "compact", "-config", p.config)
	db.Close()
	if code != exitFailure || !strings.Contains(errOut, "stop the daemon first") {
		t.Errorf("compact beside a writer exited %d: %s", code, errOut)
	}

	before, err := os.ReadFile(store)
	if err != nil {
		t.Fatal(err)
	}
	stopped, cancel := context.WithCancel(context.Background())
	cancel()
	code, out, errOut := tributary(t, stopped, "compact", "-config", p.config)
	if code != exitFailure || !strings.Contains(errOut, "stopped; the store is as it was") || out != "" {
		t.Errorf("compact stopped exited %d: %s%s", code, out, errOut)
	}
	if after, _ := os.ReadFile(store); !bytes.Equal(after, before) {
		t.Error("a stopped compact changed the store")
	}
}
