package storage

import (
	"context"
	"encoding/binary"
	"fmt"
	"testing"
	"time"

	"github.com/tributary/tributary/feed"
)

// A tombstone an upstream keeps listing stays; one no upstream has listed
// for a year is forgotten by a later Prune, so the article could return.
func TestTombstonesExpireUnlessSeen(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	put(t, db, entry("listed", day0, cp("s", 0, "k:listed")), entry("gone", day0, cp("s", 0, "k:gone")),
		entry("new", day0.Add(time.Hour), cp("s", 0, "k:new")))
	if n, err := db.Prune(ctx, 0, 1, day0); err != nil || n != 2 {
		t.Fatalf("Prune = %d, %v; want the two older entries", n, err)
	}
	dead := func(key string) bool {
		var d bool
		_ = db.View(ctx, func(ftx feed.Tx) error { d, _ = ftx.Tombstoned(key, day0); return nil })
		return d
	}
	// An upstream lists k:listed again 300 days later, inside a fetch's
	// write transaction: the tombstone is stamped then.
	seen := day0.Add(300 * 24 * time.Hour)
	if err := db.Update(ctx, func(ftx feed.Tx) error {
		d, err := ftx.Tombstoned("k:listed", seen)
		if !d {
			t.Error("k:listed not tombstoned")
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	// A year and a day after the removal: k:gone expires, k:listed (seen
	// 66 days ago) stays.
	later := day0.Add(tombstoneMaxAge + 24*time.Hour)
	if _, err := db.Prune(ctx, 0, 1, later); err != nil {
		t.Fatal(err)
	}
	if dead("k:gone") || !dead("k:listed") {
		t.Errorf("after a year: k:gone tombstoned %v (want false), k:listed %v (want true)", dead("k:gone"), dead("k:listed"))
	}
}

// Reading a tombstone in a read transaction changes nothing, and a write
// transaction rewrites it at most once a day.
func TestTombstoneRefreshIsSpaced(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	put(t, db, entry("a", day0, cp("s", 0, "k:a")), entry("b", day0.Add(time.Hour), cp("s", 0, "k:b")))
	if _, err := db.Prune(ctx, 0, 1, day0); err != nil {
		t.Fatal(err)
	}
	stamp := func() time.Time {
		var ts time.Time
		_ = db.view(ctx, "test", func(t *tx) error {
			ts = time.Unix(0, int64(binary.BigEndian.Uint64(t.tombs.Get([]byte("k:a")))))
			return nil
		})
		return ts
	}
	tests := []struct {
		name  string
		write bool
		seen  time.Time
		want  time.Time
	}{
		{"read transaction", false, day0.Add(48 * time.Hour), day0},
		{"within a day", true, day0.Add(23 * time.Hour), day0},
		{"after a day", true, day0.Add(25 * time.Hour), day0.Add(25 * time.Hour)},
	}
	for _, tt := range tests {
		run := db.View
		if tt.write {
			run = db.Update
		}
		if err := run(ctx, func(ftx feed.Tx) error { _, err := ftx.Tombstoned("k:a", tt.seen); return err }); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if got := stamp(); !got.Equal(tt.want) {
			t.Errorf("%s: stamp %v, want %v", tt.name, got, tt.want)
		}
	}
}

// The sweep examines a bounded number of tombstones per call, resumes
// where it stopped and wraps around, so every expired one goes in turn.
func TestTombstoneSweepResumes(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	old, fresh := u64(uint64(day0.UnixNano())), u64(uint64(day0.Add(1000*time.Hour).UnixNano()))
	_, err := db.update(ctx, "test", func(t *tx) error {
		for i := range 10 {
			v := fresh
			if i%2 == 0 {
				v = old
			}
			if err := t.tombs.Put([]byte(fmt.Sprintf("k:%02d", i)), v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var removed []int
	for range 5 {
		_, err := db.update(ctx, "test", func(t *tx) error {
			n, err := t.sweepTombstones(day0.Add(time.Hour), 3)
			removed = append(removed, n)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	// Keys 00-02 (two old), 03-05 (one), 06-08 (two), 09 (none, wraps),
	// then from the start again: only fresh ones are left.
	want := []int{2, 1, 2, 0, 0}
	if fmt.Sprint(removed) != fmt.Sprint(want) {
		t.Errorf("removed per sweep %v, want %v", removed, want)
	}
	var left int
	_ = db.view(ctx, "test", func(t *tx) error { left = t.tombs.Stats().KeyN; return nil })
	if left != 5 {
		t.Errorf("%d tombstones left, want the 5 fresh ones", left)
	}
}

// With retention turned off since, Prune still forgets old tombstones.
func TestTombstonesExpireWithRetentionOff(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	put(t, db, entry("a", day0, cp("s", 0, "k:a")), entry("b", day0.Add(time.Hour), cp("s", 0, "k:b")))
	if _, err := db.Prune(ctx, 0, 1, day0); err != nil {
		t.Fatal(err)
	}
	if n, err := db.Prune(ctx, 0, 0, day0.Add(tombstoneMaxAge+time.Hour)); err != nil || n != 0 {
		t.Fatalf("Prune without limits = %d, %v", n, err)
	}
	var dead bool
	_ = db.View(ctx, func(ftx feed.Tx) error { dead, _ = ftx.Tombstoned("k:a", day0); return nil })
	if dead {
		t.Error("k:a still tombstoned a year after its removal, with retention off")
	}
}
