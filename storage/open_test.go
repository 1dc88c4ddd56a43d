package storage

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// An existing file of size 0 is a store lost (a failed restore, a full
// disk), not a new store: a writable Open refuses it, as a read-only one
// does, and leaves it as it is. A path that names nothing is a new store.
func TestWritableOpenRefusesAnEmptyFile(t *testing.T) {
	for _, opts := range []Options{{}, {ReadOnly: true}} {
		path := filepath.Join(t.TempDir(), "t.db")
		if err := os.WriteFile(path, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		before, _ := os.Stat(path)
		db, err := Open(path, opts)
		if err == nil {
			db.Close()
			t.Fatalf("Open(%+v) of an empty file succeeded", opts)
		}
		if !errors.Is(err, ErrSchema) {
			t.Errorf("Open(%+v): %v, want ErrSchema", opts, err)
		}
		for _, want := range []string{"open " + path + ": ", "the file is empty, not a Tributary store",
			"restore it from a backup, or remove it to start a new store"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("Open(%+v): %q lacks %q", opts, err, want)
			}
		}
		after, err := os.Stat(path)
		if err != nil || after.Size() != 0 || !after.ModTime().Equal(before.ModTime()) || !os.SameFile(before, after) {
			t.Errorf("Open(%+v) changed the empty file: %v, %v", opts, after, err)
		}
		// The same file again: the refusal left no lock behind.
		if _, err := Open(path, opts); !errors.Is(err, ErrSchema) {
			t.Errorf("Open(%+v) again: %v, want ErrSchema", opts, err)
		}
	}

	// Nothing at the path (nor its directory): a new store.
	path := filepath.Join(t.TempDir(), "new", "t.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("Open of a new path: %v", err)
	}
	db.Close()
	if db, err = Open(path, Options{}); err != nil {
		t.Fatalf("Open of the store it created: %v", err)
	}
	db.Close()
}

// A file that is not a valid bbolt file, however it got so, is ErrDamaged
// from Open, read-only or not, with bbolt's words (or the fault's) in
// brackets as a detail; the file is not written to.
func TestOpenOfAnInvalidFileIsErrDamaged(t *testing.T) {
	store, _ := closedStore(t, 3000)
	good, err := os.ReadFile(store)
	if err != nil {
		t.Fatal(err)
	}
	junk := func(n int) []byte {
		b := make([]byte, n)
		r := rand.New(rand.NewPCG(1, uint64(n)))
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		return b
	}
	// meta sets a field of both meta pages (offset within the page).
	meta := func(off int, v uint32) []byte {
		b := bytes.Clone(good)
		for _, page := range []int{0, 4096} {
			binary.LittleEndian.PutUint32(b[page+off:], v)
		}
		return b
	}
	const notBolt = "nothing in it looks like a bbolt file: is storage.path the right file?"
	tests := []struct {
		name string
		file []byte
		want []string // each of them, or one of its |-separated alternatives
		mmap int      // Options.InitialMmapSize
		bolt bool     // a bbolt file: no notBolt hint
	}{
		{"5000 random bytes", junk(5000), []string{"(bbolt: file size too small 5000; " + notBolt + ")"}, 0, false},
		{"200 KB of random bytes", junk(200_000), []string{"(bbolt: invalid database; " + notBolt + ")"}, 0, false},
		{"100 bytes of text", bytes.Repeat([]byte("not a store\n"), 9), []string{"(bbolt: invalid database; " + notBolt + ")"}, 0, false},
		{"cut to 5000 bytes", good[:5000], []string{"(bbolt: file size too small 5000)"}, 0, true},
		// Pages past its end in the 32 KiB mapping fault or read
		// as garbage, depending on where they are.
		{"cut to 8192 bytes", good[:8192], []string{"(bbolt: |(a page it refers to lies outside the file"}, 0, true},
		// Mapped beyond its end, the pages cut off fault when read.
		{"cut to 12388 bytes", good[:3*4096+100], []string{"(a page it refers to lies outside the file"}, 1 << 20, true},
		{"meta pages of another bbolt version", meta(20, 3), []string{"(bbolt: version mismatch)"}, 0, true},
		{"meta pages' checksums wrong", meta(64, 12345), []string{"(bbolt: checksum error)"}, 0, true},
	}
	for _, tt := range tests {
		for _, opts := range []Options{{InitialMmapSize: tt.mmap}, {ReadOnly: true, InitialMmapSize: tt.mmap}} {
			t.Run(tt.name+map[bool]string{false: "", true: " read-only"}[opts.ReadOnly], func(t *testing.T) {
				path := filepath.Join(t.TempDir(), "t.db")
				if err := os.WriteFile(path, tt.file, 0o600); err != nil {
					t.Fatal(err)
				}
				db, err := Open(path, opts)
				if err == nil {
					db.Close()
					t.Fatal("Open succeeded")
				}
				if !errors.Is(err, ErrDamaged) {
					t.Errorf("error %v, want ErrDamaged", err)
				}
				msg := err.Error()
				if !strings.HasPrefix(msg, "open "+path+": store file is damaged: restore it from a backup (") ||
					strings.Count(msg, path) != 1 {
					t.Errorf("error %q, want open PATH: store file is damaged: restore it from a backup (…)", msg)
				}
				for _, want := range tt.want {
					if !slices.ContainsFunc(strings.Split(want, "|"), func(w string) bool { return strings.Contains(msg, w) }) {
						t.Errorf("error %q lacks %q", msg, want)
					}
				}
				if tt.bolt && strings.Contains(msg, notBolt) {
					t.Errorf("error %q says a bbolt file is not one", msg)
				}
				if got, _ := os.ReadFile(path); !bytes.Equal(got, tt.file) {
					t.Error("Open wrote to the file")
				}
			})
		}
	}
}

func TestSameFile(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a")
	if err := os.WriteFile(a, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	wd, _ := os.Getwd()
	rel, err := filepath.Rel(wd, filepath.Join(dir, "missing"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		a, b string
		same bool
	}{
		{a, a, true},
		{a, dir + "/./a", true},
		{a, filepath.Join(dir, "b"), false},
		{filepath.Join(dir, "missing"), rel, true},
		{filepath.Join(dir, "missing"), filepath.Join(dir, "missing2"), false},
		{filepath.Join(dir, "missing"), a, false},
	}
	for _, tt := range tests {
		if got := SameFile(tt.a, tt.b); got != tt.same {
			t.Errorf("SameFile(%s, %s) = %v, want %v", tt.a, tt.b, got, tt.same)
		}
	}
}
