package storage

import (
	"context"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"
)

// A sound store verifies clean.
func TestVerifySoundStore(t *testing.T) {
	path, _ := closedStore(t, 3000)
	db, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if problems, err := db.Verify(context.Background()); err != nil || len(problems) > 0 {
		t.Errorf("Verify = %q, %v; want nothing", problems, err)
	}
}

// QA: a store damaged where fetching and serving do not look went on
// working, and a backup would have copied the damage. Verify reads every
// page: each page of the file overwritten in turn, after the meta pages,
// is found, either as problems or as a store it cannot read, while the
// newest page of entries still reads for most of them.
func TestVerifyFindsDamageElsewhere(t *testing.T) {
	path, size := closedStore(t, 3000)
	sound, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// The pages in use: a free page holds nothing anyone reads, and an
	// overflow page belongs to the page before it.
	used := map[int64]bool{}
	bdb, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true, PreLoadFreelist: true})
	if err != nil {
		t.Fatal(err)
	}
	_ = bdb.View(func(btx *bbolt.Tx) error {
		for id := 0; ; id++ {
			info, err := btx.Page(id)
			if err != nil || info == nil {
				return err
			}
			if info.Type != "free" {
				for i := 0; i <= info.OverflowCount; i++ {
					used[int64(id+i)] = true
				}
			}
		}
	})
	_ = bdb.Close()
	junk := []byte(strings.Repeat("\xde\xad\xbe\xef", 1024))
	var servedAnyway, pages int
	for off := int64(4 * 4096); off+4096 <= size; off += 4096 {
		if !used[off/4096] {
			continue
		}
		pages++
		spoilt := append([]byte(nil), sound...)
		copy(spoilt[off:], junk)
		if err := os.WriteFile(path, spoilt, 0o600); err != nil {
			t.Fatal(err)
		}
		db, err := Open(path, Options{ReadOnly: true})
		if err != nil {
			continue // found at Open already
		}
		if _, werr := db.Window(context.Background(), Query{Limit: 5}); werr == nil {
			servedAnyway++
		}
		problems, err := db.Verify(context.Background())
		_ = db.Close()
		if err == nil && len(problems) == 0 {
			t.Errorf("page %d, in use: damage not found", off/4096)
			continue
		}
		if err != nil && !errors.Is(err, ErrDamaged) {
			t.Errorf("page at %d: Verify error %v, want ErrDamaged or problems", off, err)
		}
	}
	if servedAnyway == 0 || pages < 10 {
		t.Errorf("%d pages in use, %d damaged ones left the newest entries readable: the test shows nothing", pages, servedAnyway)
	}
}

// A file cut short is reported, not read past its end: bbolt's check runs
// where a fault could not be recovered.
func TestVerifyFileCutShort(t *testing.T) {
	path, _ := closedStore(t, 3000)
	// Where the pages in use end: the file is longer, grown ahead.
	var size int64
	bdb, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	_ = bdb.View(func(btx *bbolt.Tx) error { size = btx.Size(); return nil })
	_ = bdb.Close()
	opened := 0
	for _, cut := range []int64{size - 4096, size * 3 / 4} {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		short := filepath.Join(t.TempDir(), "short.db")
		if err := os.WriteFile(short, b[:cut], 0o600); err != nil {
			t.Fatal(err)
		}
		db, err := Open(short, Options{ReadOnly: true})
		if err != nil {
			continue // Open found it
		}
		opened++
		problems, err := db.Verify(context.Background())
		_ = db.Close()
		if err == nil && (len(problems) == 0 || !strings.Contains(problems[0], "cut short")) {
			t.Errorf("cut at %d of %d: Verify = %q, %v; want the cut reported", cut, size, problems, err)
		}
	}
	if opened == 0 {
		t.Error("Open refused every cut: the test shows nothing")
	}
}

// Review: a branch page pointing past the end of a file otherwise whole
// ended the process inside bbolt's check, whose goroutine cannot recover
// a fault. Every page is read first where it can.
func TestVerifyBranchPointingPastTheEnd(t *testing.T) {
	path, _ := closedStore(t, 3000)
	var hw int64
	branch := -1
	bdb, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true, PreLoadFreelist: true})
	if err != nil {
		t.Fatal(err)
	}
	_ = bdb.View(func(btx *bbolt.Tx) error {
		hw = btx.Size()
		for id := 2; int64(id)*4096 < hw; id++ {
			if info, err := btx.Page(id); err == nil && info != nil && info.Type == "branch" {
				branch = id
				break
			}
		}
		return nil
	})
	_ = bdb.Close()
	if branch < 0 {
		t.Fatal("the store has no branch page: the test shows nothing")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b = b[:hw] // the file ends where its pages do
	// The first element of a branch page (after the 16-byte page header:
	// pos, ksize, then the child's page id) now names a page past the end.
	binary.LittleEndian.PutUint64(b[int64(branch)*4096+16+8:], uint64(hw/4096+3))
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		return // found at Open
	}
	defer db.Close()
	problems, err := db.Verify(context.Background())
	if err == nil && len(problems) == 0 {
		t.Error("Verify found nothing")
	}
	if err != nil && !errors.Is(err, ErrDamaged) {
		t.Errorf("Verify error %v, want ErrDamaged or problems", err)
	}
}

// Review: one record missing and one stale in the same index balanced
// each other's count, and the stale one went unreported.
func TestVerifyStaleBesideMissing(t *testing.T) {
	db := openTest(t)
	put(t, db, tagged("e1", 1, []string{"harbor"}), tagged("e2", 2, []string{"harbor"}))
	err := db.bolt.Update(func(btx *bbolt.Tx) error {
		times := btx.Bucket([]byte(bucketTime))
		if err := times.Delete(timeKey(day0.Add(time.Hour), "e1")); err != nil {
			return err
		}
		return times.Put(timeKey(day0.Add(9*time.Hour), "gone"), nil)
	})
	if err != nil {
		t.Fatal(err)
	}
	problems, err := db.Verify(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var missing, stale bool
	for _, p := range problems {
		missing = missing || strings.Contains(p, `entry "e1" lacks its time record`)
		stale = stale || strings.Contains(p, `stale time record`) && strings.Contains(p, `no entry "gone"`)
	}
	if !missing || !stale {
		t.Errorf("Verify = %q; want the missing record and the stale one", problems)
	}
}
