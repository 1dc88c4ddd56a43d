//go:build unix

package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
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
	if err := writeAtomic(linkTarget(link), modeOf(link, 0o644), write); err != nil {
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

// QA: with a config of 0640 root:daemon, an import wrote the new
// subscriptions.opml 0600 root:root, which the daemon reading the config
// as group daemon could not read. A new list takes the config's owner,
// group and mode (closed to others once it holds a password).
func TestImportedListIsReadLikeTheConfig(t *testing.T) {
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "config.yaml")
	os.WriteFile(cfgPath, []byte("sources:\n  - name: A\n    url: https://a.example/feed\n"), 0o644)
	os.Chmod(cfgPath, 0o640)
	group := -1
	if os.Chown(cfgPath, os.Getuid(), 1) == nil {
		group = 1
	}
	opml := filepath.Join(dir, "in.opml")
	os.WriteFile(opml, []byte(`<opml version="2.0"><body><outline text="B" xmlUrl="https://reader:s3cret@b.example/feed"/></body></opml>`), 0o644)
	if code, out, errs := tributary(t, context.Background(), "sources", "import", "-config", cfgPath, "-check=false", opml); code != exitOK {
		t.Fatalf("import exited %d:\n%s%s", code, out, errs)
	}
	fi, err := os.Stat(filepath.Join(dir, "subscriptions.opml"))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o640 {
		t.Errorf("list mode %v, want 0640 (the config's, others closed)", fi.Mode().Perm())
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && group >= 0 && int(st.Gid) != group {
		t.Errorf("list group %d, want the config's %d", st.Gid, group)
	}
}

// Review: a link planted in an output directory others may write to (a
// web root for render -dir) must not aim the write at another file: it is
// replaced, and the file it named is left alone.
func TestWriteAtomicReplacesAPlantedLink(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(dir, "victim")
	if err := os.WriteFile(victim, []byte("secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "site")
	os.Mkdir(out, 0o755)
	planted := filepath.Join(out, "feed.atom")
	if err := os.Symlink(victim, planted); err != nil {
		t.Fatal(err)
	}
	if err := writeAtomic(planted, 0o644, func(w io.Writer) error { _, err := io.WriteString(w, "FEED"); return err }); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(victim); string(b) != "secret\n" {
		t.Errorf("the file the planted link named now holds %q", b)
	}
	if fi, err := os.Lstat(planted); err != nil || !fi.Mode().IsRegular() {
		t.Errorf("the planted link was not replaced by the feed: %v, %v", fi.Mode(), err)
	}
}

// An import into a config that is a symbolic link (a ConfigMap mount)
// keeps the link, and the config, loaded through it, finds the list.
func TestImportThroughALinkedConfig(t *testing.T) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "data"), 0o755)
	real := filepath.Join(dir, "data", "config.yaml")
	os.WriteFile(real, []byte("sources:\n  - name: A\n    url: https://a.example/feed\n"), 0o644)
	link := filepath.Join(dir, "config.yaml")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	opml := filepath.Join(dir, "in.opml")
	os.WriteFile(opml, []byte(`<opml version="2.0"><body><outline text="B" xmlUrl="https://b.example/feed"/></body></opml>`), 0o644)
	if code, out, errs := tributary(t, context.Background(), "sources", "import", "-config", link, "-check=false", opml); code != exitOK {
		t.Fatalf("import exited %d:\n%s%s", code, out, errs)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the config link is no longer one: %v, %v", fi.Mode(), err)
	}
	if code, out, errs := tributary(t, context.Background(), "check", "-config", link); code != exitOK || !strings.Contains(out, "2 sources") {
		t.Errorf("check through the link exited %d:\n%s%s", code, out, errs)
	}
}
