//go:build unix

package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/tributary/tributary/storage"
)

// fetchedProject is a project whose store holds the entries of one local
// feed, and that store's path.
func fetchedProject(t *testing.T) (project, string) {
	t.Helper()
	feedFile := filepath.Join(t.TempDir(), "harbor.xml")
	if err := os.WriteFile(feedFile, []byte(originalFeed("Council Approves Floodwall Plan")), 0o644); err != nil {
		t.Fatal(err)
	}
	p := newProject(t, "127.0.0.1:1", map[string]string{"Harbor Light": feedFile})
	if code, out, errOut := tributary(t, context.Background(), "fetch", "-config", p.config); code != exitOK {
		t.Fatalf("fetch exited %d: %s%s", code, out, errOut)
	}
	return p, filepath.Join(p.dir, "data", "tributary.db")
}

// An empty store file is refused by every command that opens the store,
// the writers (fetch, serve) too, and left as it is: after a failed restore
// or a full disk, a restart must not throw the archive away.
func TestEveryCommandRefusesAnEmptyStoreFile(t *testing.T) {
	for _, args := range [][]string{
		{"fetch"}, {"serve"}, {"render", "-format", "atom"}, {"render", "-dir", "DIR"},
		{"backup", "-o", "OUT"}, {"explain", "x"}, {"compact"},
		{"verify"}, // QA: exited 2, the code of a usage or config error
	} {
		t.Run(args[0]+" "+strings.Join(args[1:], " "), func(t *testing.T) {
			p := newProject(t, freeAddr(t), map[string]string{"Harbor Light": "http://127.0.0.1:1/feed.xml"})
			store := filepath.Join(p.dir, "data", "tributary.db")
			if err := os.MkdirAll(filepath.Dir(store), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(store, nil, 0o600); err != nil {
				t.Fatal(err)
			}
			for i, a := range args {
				if a == "DIR" || a == "OUT" {
					args[i] = filepath.Join(p.dir, "out")
				}
			}
			code, out, errOut := tributary(t, context.Background(), withConfig(args, p.config)...)
			if code != exitFailure || !strings.Contains(errOut, store) || !strings.Contains(errOut, "empty") ||
				!strings.Contains(errOut, "restore it from a backup, or remove it") {
				t.Errorf("exit %d, %q; want 1, the store file is empty: restore it from a backup, or remove it", code, out+errOut)
			}
			if fi, err := os.Stat(store); err != nil || fi.Size() != 0 {
				t.Errorf("the store file changed: %v", err)
			}
		})
	}
}

// A damaged store is reported in the words the README promises, by a
// command that writes as by one that reads.
func TestCommandsReportADamagedStore(t *testing.T) {
	p := newProject(t, "127.0.0.1:1", map[string]string{"Harbor Light": "http://127.0.0.1:1/feed.xml"})
	store := filepath.Join(p.dir, "data", "tributary.db")
	if err := os.MkdirAll(filepath.Dir(store), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(store, bytes.Repeat([]byte("not a store\n"), 20_000), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"fetch"}, {"render", "-format", "atom"}, {"explain", "x"}} {
		code, out, errOut := tributary(t, context.Background(), withConfig(args, p.config)...)
		if code != exitFailure || !strings.Contains(errOut, "open "+store+": store file is damaged: restore it from a backup (bbolt: invalid database") {
			t.Errorf("%s: exit %d, %q; want 1, store file is damaged", args[0], code, out+errOut)
		}
	}
}

// The commands that only read the store work on a store they cannot open
// for writing (a read-only mount; a store of another user's): they open it
// read-only. fetch, which writes, fails with the file system's error. A
// test running as root cannot make a file unwritable, so the writable open
// fails as on a read-only file system through openStoreWith.
func TestReadCommandsOnAReadOnlyStore(t *testing.T) {
	p, store := fetchedProject(t)
	var readOnly, writable int
	// As a read-only file system would answer the writable open.
	cmd := func(args ...string) (int, string, string) {
		var stdout, stderr bytes.Buffer
		e := &env{stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" },
			open: func(path string, opts storage.Options) (*storage.DB, error) {
				if !opts.ReadOnly {
					writable++
					return nil, &fs.PathError{Op: "open", Path: path, Err: syscall.EROFS}
				}
				readOnly++
				return storage.Open(path, opts)
			}}
		code := run(context.Background(), e, args)
		return code, stdout.String(), stderr.String()
	}
	before, err := os.ReadFile(store)
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	for _, args := range [][]string{
		{"render", "-format", "json"},
		{"render", "-dir", filepath.Join(out, "site")},
		{"backup", "-o", filepath.Join(out, "backup.db")},
		{"explain", "https://harborlight.example/floodwall/"},
	} {
		readOnly, writable = 0, 0
		code, stdout, errOut := cmd(withConfig(args, p.config)...)
		// Not even tried for writing: a writable open may rebuild counts
		// into the store these commands only read (QA: a backup did).
		if code != exitOK || readOnly != 1 || writable != 0 {
			t.Errorf("%s on a read-only store: exit %d, %d read-only and %d writable opens: %s%s", args[0], code, readOnly, writable, stdout, errOut)
		}
		if args[0] != "backup" && !strings.Contains(stdout, "Floodwall") && args[1] != "-dir" {
			t.Errorf("%s: the output lacks the entry:\n%s", args[0], stdout)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "site", "feed.atom")); err != nil {
		t.Errorf("render -dir wrote no feed: %v", err)
	}
	if b, err := os.ReadFile(filepath.Join(out, "backup.db")); err != nil || len(b) == 0 {
		t.Errorf("backup wrote nothing: %v", err)
	}
	if after, _ := os.ReadFile(store); !bytes.Equal(after, before) {
		t.Error("the store changed")
	}

	readOnly = 0
	code, _, errOut := cmd("fetch", "-config", p.config)
	if code != exitFailure || readOnly != 0 || !strings.Contains(errOut, "open "+store+": read-only file system") {
		t.Errorf("fetch on a read-only store: exit %d, %d read-only opens, %q; want 1 and the file system's error", code, readOnly, errOut)
	}
}

// The same without the hook, where the file system says no: only when the
// test does not run as root (root writes a file of mode 0444).
func TestReadCommandsOnAStoreOfMode0444(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root may write any file")
	}
	p, store := fetchedProject(t)
	if err := os.Chmod(store, 0o444); err != nil {
		t.Fatal(err)
	}
	code, stdout, errOut := tributary(t, context.Background(), "render", "-format", "json", "-config", p.config)
	if code != exitOK || !strings.Contains(stdout, "Floodwall") {
		t.Errorf("render of a store of mode 0444: exit %d: %s%s", code, stdout, errOut)
	}
}

// backup -o naming the store itself is refused (its rename would put the
// copy in place of the file a running daemon writes to), however it is
// named, and the store is left as it was.
func TestBackupOntoTheStoreIsRefused(t *testing.T) {
	p, store := fetchedProject(t)
	link := filepath.Join(t.TempDir(), "hard.db")
	if err := os.Link(store, link); err != nil {
		t.Fatal(err)
	}
	before, _ := os.Stat(store)
	content, _ := os.ReadFile(store)
	for _, out := range []string{store, filepath.Join(p.dir, "data", ".", "x", "..", "tributary.db"), link} {
		code, stdout, errOut := tributary(t, context.Background(), "backup", "-config", p.config, "-o", out)
		if code != exitUsage || !strings.Contains(errOut, "-o "+out+" is the store itself (storage.path)") {
			t.Errorf("backup -o %s: exit %d, %q; want 2, is the store itself", out, code, stdout+errOut)
		}
	}
	after, _ := os.Stat(store)
	if got, _ := os.ReadFile(store); !os.SameFile(before, after) || !bytes.Equal(got, content) {
		t.Error("the store file was replaced or changed")
	}
	if left, _ := filepath.Glob(filepath.Join(p.dir, "data", ".*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// A backup file is readable by its owner only, as the store is: it holds
// the sources' URLs, credentials included. An older backup it replaces
// may have been readable by all.
func TestBackupFileIsPrivate(t *testing.T) {
	p, _ := fetchedProject(t)
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	out := filepath.Join(t.TempDir(), "backup.db")
	if err := os.WriteFile(out, []byte("an older backup"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(out, 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, errOut := tributary(t, context.Background(), "backup", "-config", p.config, "-o", out)
	if code != exitOK {
		t.Fatalf("backup exited %d: %s%s", code, stdout, errOut)
	}
	fi, err := os.Stat(out)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("backup file mode %v (%v), want 0600", fi.Mode(), err)
	}
	db, err := storage.Open(out, storage.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("the backup does not open: %v", err)
	}
	defer db.Close()
	if n, err := db.Count(context.Background()); err != nil || n != 2 {
		t.Errorf("the backup holds %d entries (%v), want 2", n, err)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// writeBackup removes its temporary file when the copy fails, and leaves
// the file it would have replaced.
func TestBackupThatFailsLeavesNothing(t *testing.T) {
	out := filepath.Join(t.TempDir(), "backup.db")
	if err := os.WriteFile(out, []byte("an older backup"), 0o600); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	err := writeBackup(context.Background(), out, true, &env{stderr: &stderr}, func(w io.Writer) (int64, error) {
		_, _ = w.Write([]byte("half a store"))
		return 12, errors.New("daemon went away")
	})
	if err == nil || !strings.Contains(err.Error(), "daemon went away") {
		t.Errorf("writeBackup: %v", err)
	}
	if b, _ := os.ReadFile(out); string(b) != "an older backup" {
		t.Errorf("the older backup was replaced: %q", b)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// withConfig is the command line args with -config file after the command
// (flags before an argument such as explain's ENTRY).
func withConfig(args []string, file string) []string {
	return append([]string{args[0], "-config", file}, args[1:]...)
}
