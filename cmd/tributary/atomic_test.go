package main

import (
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// Review: a config rewritten by "sudo tributary sources import" became
// root:root, which a daemon reading it as group tributary could no longer
// read; and a config that is a symbolic link became a plain file.
func TestWriteAtomicKeepsOwnerAndLinks(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real.yaml")
	link := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(real, []byte("old\n"), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	// Another group, where the test may give one (root may).
	group := -1
	if os.Chown(real, os.Getuid(), 1) == nil {
		group = 1
	}
	write := func(w io.Writer) error { _, err := io.WriteString(w, "new\n"); return err }
	if err := writeAtomic(link, modeOf(link, 0o644), write); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link is no longer one: %v, %v", fi.Mode(), err)
	}
	if b, _ := os.ReadFile(real); string(b) != "new\n" {
		t.Errorf("the file the link names holds %q", b)
	}
	fi, err := os.Stat(real)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want 0640 kept", fi.Mode().Perm())
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && group >= 0 && int(st.Gid) != group {
		t.Errorf("group %d, want %d kept", st.Gid, group)
	}
}
