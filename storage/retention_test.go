package storage

import (
	"context"
	"encoding/binary"
	"fmt"
	"slices"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/tributary/tributary/feed"
)

func TestPrune(t *testing.T) {
	const day = 24 * time.Hour
	now := day0.Add(9*day + 12*time.Hour)
	tests := []struct {
		name       string
		maxAge     time.Duration
		maxEntries int
		keep       []string // newest first
	}{
		{"no limits", 0, 0, []string{"r9", "r8", "r7", "r6", "r5", "r4", "r3", "r2", "r1", "r0"}},
		{"by age", 3 * day, 0, []string{"r9", "r8", "r7"}},
		{"by count", 0, 4, []string{"r9", "r8", "r7", "r6"}},
		{"count stricter than age", 3 * day, 2, []string{"r9", "r8"}},
		{"age stricter than count", 1 * day, 5, []string{"r9"}},
		{"exactly maxAge old is kept", 4*day + 12*time.Hour, 0, []string{"r9", "r8", "r7", "r6", "r5"}},
		{"count above the store size", 0, 50, []string{"r9", "r8", "r7", "r6", "r5", "r4", "r3", "r2", "r1", "r0"}},
		{"everything too old", time.Hour, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			db := openTest(t)
			var all []string
			for i := range 10 {
				id := fmt.Sprintf("r%d", i)
				all = append(all, id)
				put(t, db, entry(id, day0.Add(time.Duration(i)*day),
					cp("s", uint64(i+1)*0x0001_0001_0001_0001, "k:"+id, "k:"+id+":b"), cp("t", 0, "k:"+id+":t")))
			}
			removed, err := db.Prune(ctx, tt.maxAge, tt.maxEntries, now)
			if err != nil {
				t.Fatal(err)
			}
			if want := len(all) - len(tt.keep); removed != want {
				t.Errorf("Prune removed %d, want %d", removed, want)
			}
			got, _, err := db.Newest(ctx, 0, "")
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(ids(got), tt.keep) {
				t.Errorf("after Prune Newest = %v, want %v", ids(got), tt.keep)
			}
			if n, _ := db.Count(ctx); n != len(tt.keep) {
				t.Errorf("Count() = %d, want %d", n, len(tt.keep))
			}
			checkIndexes(t, db)
			err = db.View(ctx, func(ftx feed.Tx) error {
				tx := ftx.(*tx)
				for i, id := range all {
					kept := slices.Contains(tt.keep, id)
					for _, k := range []string{"k:" + id, "k:" + id + ":b", "k:" + id + ":t"} {
						dead, _ := tx.Tombstoned(k, day0)
						owner, _ := tx.Lookup(k)
						if kept && (dead || owner != id) {
							t.Errorf("kept %s: key %s tombstoned %v, points at %q", id, k, dead, owner)
						}
						if !kept && (!dead || owner != "") {
							t.Errorf("pruned %s: key %s tombstoned %v, points at %q", id, k, dead, owner)
						}
						if v := tx.tombs.Get([]byte(k)); v != nil && int64(binary.BigEndian.Uint64(v)) != now.UnixNano() {
							t.Errorf("tombstone of %s stamped %x, want the prune time", k, v)
						}
					}
					similar, _ := tx.Similar(uint64(i+1)*0x0001_0001_0001_0001, 3)
					if slices.Contains(similar, id) != kept {
						t.Errorf("Similar finds %s: %v, want %v", id, !kept, kept)
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestPruneLeavesKeysOfOtherEntries(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	// "new" owns k:shared; "old" lists it too (first writer wins).
	put(t, db, entry("new", day0.Add(time.Hour), cp("s", 0, "k:new", "k:shared")))
	put(t, db, entry("old", day0, cp("t", 0, "k:old", "k:shared")))
	if removed, err := db.Prune(ctx, 0, 1, day0); err != nil || removed != 1 {
		t.Fatalf("Prune = %d, %v; want 1 removed", removed, err)
	}
	err := db.View(ctx, func(tx feed.Tx) error {
		for key, want := range map[string]bool{"k:old": true, "k:shared": false, "k:new": false} {
			if dead, _ := tx.Tombstoned(key, day0); dead != want {
				t.Errorf("Tombstoned(%s) = %v, want %v", key, dead, want)
			}
		}
		if owner, _ := tx.Lookup("k:shared"); owner != "new" {
			t.Errorf("Lookup(k:shared) = %q after pruning old, want new", owner)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	checkIndexes(t, db)
}

func TestPruneRejectsNegativeLimits(t *testing.T) {
	db := openTest(t)
	for _, tt := range []struct {
		age time.Duration
		n   int
	}{{-time.Hour, 0}, {0, -1}} {
		if _, err := db.Prune(context.Background(), tt.age, tt.n, day0); err == nil {
			t.Errorf("Prune(%s, %d) succeeded", tt.age, tt.n)
		}
	}
}

// TestPruneRemovesManyInOneTransaction covers removals past the cursor page
// size, where deleting while iterating would skip keys.
func TestPruneRemovesManyInOneTransaction(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	var entries []*feed.Entry
	for i := range 3000 {
		entries = append(entries, entry(fmt.Sprintf("m%04d", i), day0.Add(time.Duration(i)*time.Second),
			cp("s", uint64(i+1), fmt.Sprintf("k:m%d", i))))
	}
	put(t, db, entries...)
	removed, err := db.Prune(ctx, 0, 10, day0)
	if err != nil || removed != 2990 {
		t.Fatalf("Prune = %d, %v; want 2990", removed, err)
	}
	checkIndexes(t, db)
	err = db.bolt.View(func(btx *bbolt.Tx) error {
		if n := btx.Bucket([]byte(bucketTombstones)).Stats().KeyN; n != 2990 {
			t.Errorf("%d tombstones, want 2990", n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
