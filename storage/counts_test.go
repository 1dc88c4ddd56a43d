package storage

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/tributary/tributary/feed"
)

// byNumberAndByWalk returns the page q asks for as the counts find it and
// as the time index walked from its ends does, in one transaction.
func byNumberAndByWalk(t *testing.T, db *DB, q Query) (counted, walked span, ok bool) {
	t.Helper()
	err := db.view(context.Background(), "test", func(tx *tx) error {
		var err error
		if counted, ok, err = tx.spanByNumber(q); err != nil {
			return err
		}
		tx.counts = nil
		walked, err = tx.span(q, nil)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return counted, walked, ok
}

// scopedAndWalked returns the page q asks for as the scope counts total
// it and as a walk of the whole selection does, in one transaction.
func scopedAndWalked(t *testing.T, db *DB, q Query) (counted, walked span) {
	t.Helper()
	err := db.view(context.Background(), "test", func(tx *tx) error {
		if tx.scopes == nil {
			return errors.New("scope counts not trusted")
		}
		var err error
		if counted, err = tx.span(q, nil); err != nil {
			return err
		}
		tx.scopes = nil
		walked, err = tx.span(q, nil)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return counted, walked
}

func sameSpan(a, b span) bool {
	if a.offset != b.offset || a.total != b.total || a.prev != b.prev || a.next != b.next || len(a.ids) != len(b.ids) {
		return false
	}
	for i := range a.ids {
		if string(a.ids[i]) != string(b.ids[i]) {
			return false
		}
	}
	return true
}

// Entries arrive out of order, are re-dated, deleted and pruned; after
// every write the blocks still count the time index exactly, and every page
// by number is the page the walk finds.
func TestCountsFollowEveryWrite(t *testing.T) {
	for _, block := range []int{1, 4, 16} {
		t.Run(fmt.Sprint("block ", block), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(3, uint64(block)))
			db := openTest(t)
			db.block = block
			ctx := context.Background()
			for step := range 400 {
				switch op := rng.IntN(20); {
				case op < 14:
					var batch []*feed.Entry
					for range 1 + rng.IntN(6) {
						id := fmt.Sprintf("e%03d", rng.IntN(150))
						// Sources and tags change between versions, so that
						// the scope counts (scopes.go) follow them too.
						srcs := []string{"a", "b", "c"}[:1+rng.IntN(3)]
						cats := []string{"x", "y", "z"}[rng.IntN(3):]
						batch = append(batch, tagged(id, rng.IntN(60), srcs, cats...))
					}
					put(t, db, batch...)
				case op < 19:
					id := fmt.Sprintf("e%03d", rng.IntN(150))
					err := db.Update(ctx, func(tx feed.Tx) error { return tx.DeleteEntry(id) })
					if err != nil && !errors.Is(err, feed.ErrNotFound) {
						t.Fatal(err)
					}
				default:
					if _, err := db.Prune(ctx, 0, 40+rng.IntN(40), day0.Add(1000*time.Hour)); err != nil {
						t.Fatal(err)
					}
				}
				if p := indexProblems(t, db); len(p) > 0 {
					t.Fatalf("step %d: %q", step, p)
				}
				if step%20 != 0 {
					continue
				}
				n := db.count(t)
				for _, sel := range []Selection{{Sources: []string{"b"}}, {Tags: []string{"x"}}, {Tags: []string{"z", "z"}}} {
					for _, skip := range []int{0, 2, n / 2} {
						q := Query{Selection: sel, Limit: 3, Skip: skip}
						got, want := scopedAndWalked(t, db, q)
						if !sameSpan(got, want) {
							t.Fatalf("step %d, %+v: with scope counts %+v, walk %+v", step, q, got, want)
						}
					}
				}
				for _, limit := range []int{1, 3, 10} {
					for skip := 1; skip < n; skip++ {
						q := Query{Limit: limit, Skip: skip}
						got, want, ok := byNumberAndByWalk(t, db, q)
						if !ok || !sameSpan(got, want) {
							t.Fatalf("step %d, %+v: ok %v, counts found %+v, walk %+v", step, q, ok, got, want)
						}
					}
				}
			}
		})
	}
}

// count is the number of entries stored.
func (db *DB) count(t *testing.T) (n int) {
	t.Helper()
	if err := db.view(context.Background(), "test", func(tx *tx) error {
		n = tx.count()
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return n
}

// trusted reports whether the counts are trusted now.
func (db *DB) trusted(t *testing.T) (ok bool) {
	t.Helper()
	if err := db.view(context.Background(), "test", func(tx *tx) error {
		ok = tx.counts != nil
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return ok
}

// olderBuildPut puts e as a build that does not keep the counts would:
// indexed, not counted, the marker left as it was. When lastTx is set it
// then makes the marker name this transaction, as a copy made by such a
// build's compact can come to (its transaction ids start again).
func olderBuildPut(t *testing.T, path string, e *feed.Entry, lastTx bool) {
	t.Helper()
	bdb, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer bdb.Close()
	err = bdb.Update(func(btx *bbolt.Tx) error {
		tx, err := wrap(btx)
		if err != nil {
			return err
		}
		if err := tx.PutEntry(e); err != nil {
			return err
		}
		if !lastTx {
			return nil
		}
		old := tx.meta.Get([]byte(metaCountsTx))
		return tx.meta.Put([]byte(metaCountsTx), append(u64(uint64(btx.ID())), old[8:]...))
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A build that does not keep the counts writes to the store between two
// opens: the next Open does not trust them, a read-only one finds pages by
// number by walking, and a writable one rebuilds them. That holds even
// when the marker names the last transaction by coincidence.
func TestCountsOfAnOlderBuildAreRebuilt(t *testing.T) {
	for _, coincidence := range []bool{false, true} {
		path := filepath.Join(t.TempDir(), "tributary.db")
		db, err := Open(path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		db.block = 2
		for i := range 30 {
			put(t, db, tagged(fmt.Sprintf("e%02d", i), i, []string{"a"}))
		}
		if !db.trusted(t) {
			t.Fatal("counts not trusted after writes of this build")
		}
		_ = db.Close()
		olderBuildPut(t, path, tagged("e99", 15, []string{"a"}), coincidence)

		const want = "[e99 e15 e14 e13 e12]"
		ro, err := Open(path, Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		if ro.trusted(t) {
			t.Errorf("coincidence %v: a read-only open trusts stale counts", coincidence)
		}
		if got := fmt.Sprint(ids(window(t, ro, Query{Limit: 5, Skip: 14}).Entries)); got != want {
			t.Errorf("coincidence %v: page by number with stale counts = %v, want %v", coincidence, got, want)
		}
		_ = ro.Close()

		db, err = Open(path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !db.trusted(t) {
			t.Fatalf("coincidence %v: counts not rebuilt by a writable open", coincidence)
		}
		if p := indexProblems(t, db); len(p) > 0 {
			t.Fatalf("coincidence %v: %q", coincidence, p)
		}
		if got := fmt.Sprint(ids(window(t, db, Query{Limit: 5, Skip: 14}).Entries)); got != want {
			t.Errorf("coincidence %v: page by number after the rebuild = %v, want %v", coincidence, got, want)
		}
		_ = db.Close()
	}
}

// A compacted copy keeps trusted counts and scope counts trusted, and does
// not trust those its source did not.
func TestCompactCarriesCounts(t *testing.T) {
	for _, stale := range []bool{false, true} {
		dir := t.TempDir()
		src := filepath.Join(dir, "src.db")
		db, err := Open(src, Options{})
		if err != nil {
			t.Fatal(err)
		}
		db.block = 3
		for i := range 20 {
			put(t, db, tagged(fmt.Sprintf("e%02d", i), i, []string{"a"}))
		}
		if stale {
			if err := db.bolt.Update(func(btx *bbolt.Tx) error {
				meta := btx.Bucket([]byte(bucketMeta))
				if err := meta.Delete([]byte(metaScopesTx)); err != nil {
					return err
				}
				return meta.Delete([]byte(metaCountsTx))
			}); err != nil {
				t.Fatal(err)
			}
		}
		_ = db.Close()
		dst := filepath.Join(dir, "dst.db")
		if err := Compact(context.Background(), src, dst); err != nil {
			t.Fatal(err)
		}
		ro, err := Open(dst, Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		if got := ro.trusted(t); got == stale {
			t.Errorf("source's counts stale %v: copy's trusted %v", stale, got)
		}
		if got := ro.scopes.Load(); got == stale {
			t.Errorf("source's scope counts stale %v: copy's trusted %v", stale, got)
		}
		if p := indexProblems(t, ro); len(p) > 0 {
			t.Errorf("stale %v: %q", stale, p)
		}
		_ = ro.Close()
	}
}
