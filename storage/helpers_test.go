package storage

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/tributary/tributary/feed"
)

// day0 is an arbitrary UTC instant: UTC times survive the JSON round trip
// unchanged, so stored and original entries compare with reflect.DeepEqual.
var day0 = time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)

func openTest(t testing.TB) *DB {
	t.Helper()
	db, err := Open(filepath.Join(t.TempDir(), "store", "tributary.db"), Options{Timeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// cp is a copy with the given fingerprint and identity keys.
func cp(source string, fp uint64, keys ...string) feed.Copy {
	return feed.Copy{SourceID: source, Keys: keys, Fingerprint: fp, Rule: "new", Published: day0, FirstSeen: day0}
}

func entry(id string, published time.Time, copies ...feed.Copy) *feed.Entry {
	return &feed.Entry{ID: id, Title: "title " + id, Published: published, Created: day0, Modified: day0, Copies: copies}
}

func put(t testing.TB, db *DB, entries ...*feed.Entry) {
	t.Helper()
	err := db.Update(context.Background(), func(tx feed.Tx) error {
		for _, e := range entries {
			if err := tx.PutEntry(e); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func ids(entries []*feed.Entry) []string {
	out := make([]string, 0, len(entries))
	for _, e := range entries {
		out = append(out, e.ID)
	}
	return out
}

func lookup(t testing.TB, db *DB, key string) string {
	t.Helper()
	var id string
	err := db.View(context.Background(), func(tx feed.Tx) error {
		var err error
		id, err = tx.Lookup(key)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// checkIndexes walks every bucket and reports each index record that does
// not match the stored entries, and each record an entry needs but lacks.
func checkIndexes(t testing.TB, db *DB) {
	t.Helper()
	for _, p := range indexProblems(t, db) {
		t.Error(p)
	}
}

func indexProblems(t testing.TB, db *DB) []string {
	t.Helper()
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	err := db.bolt.View(func(btx *bbolt.Tx) error {
		tx, err := db.wrap(btx)
		if err != nil {
			return err
		}
		stored := map[string]*feed.Entry{}
		if err := tx.entries.ForEach(func(k, v []byte) error {
			e, err := decodeEntry(string(k), v)
			if err != nil {
				return err
			}
			if e.ID != string(k) {
				bad("entry stored under %q has id %q", k, e.ID)
			}
			stored[string(k)] = e
			return nil
		}); err != nil {
			return err
		}
		if n := tx.count(); n != len(stored) {
			bad("count is %d, %d entries stored", n, len(stored))
		}
		wantTime, wantBands := map[string]bool{}, map[string]bool{}
		wantSources, wantTags := map[string]bool{}, map[string]bool{}
		for _, e := range stored {
			ix := indexOf(e)
			wantTime[ix.time] = true
			for _, b := range ix.bands {
				wantBands[b] = true
			}
			for _, k := range ix.sources {
				wantSources[k] = true
			}
			for _, k := range ix.tags {
				wantTags[k] = true
			}
			for _, k := range ix.keys {
				owner := tx.keys.Get([]byte(k))
				if owner == nil && tx.tombs.Get([]byte(k)) == nil {
					bad("key %q of entry %q is neither indexed nor tombstoned", k, e.ID)
				}
			}
		}
		_ = tx.keys.ForEach(func(k, v []byte) error {
			e := stored[string(v)]
			if e == nil {
				bad("key %q points at missing entry %q", k, v)
			} else if !slices.Contains(e.Keys(), string(k)) {
				bad("key %q points at entry %q, which does not list it", k, v)
			}
			return nil
		})
		for _, b := range []struct {
			name string
			got  *bbolt.Bucket
			want map[string]bool
		}{
			{bucketTime, tx.times, wantTime}, {bucketBands, tx.bands, wantBands},
			{bucketBySource, tx.bySource, wantSources}, {bucketByTag, tx.byTag, wantTags},
		} {
			seen := 0
			_ = b.got.ForEach(func(k, v []byte) error {
				if !b.want[string(k)] {
					bad("stale %s record %x", b.name, k)
				} else {
					seen++
				}
				// A time index record holds nothing or the checksum
				// of its entry's stored value.
				if id := indexedID(b.name, k); id != nil && len(v) > 0 && !bytes.Equal(v, checksum(tx.entries.Get(id))) {
					bad("%s record %x: checksum %x is not of its entry's value", b.name, k, v)
				}
				return nil
			})
			if seen != len(b.want) {
				bad("%s index has %d of %d records", b.name, seen, len(b.want))
			}
		}
		countProblems(tx, db.readOnly, bad)
		scopeProblems(tx, db.readOnly, bad)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return problems
}

// countProblems checks the counts (counts.go): trusted, unless the store is
// read-only, and each block holding as many time keys as it says, no more
// than twice the block size.
func countProblems(tx *tx, readOnly bool, bad func(string, ...any)) {
	if tx.counts == nil {
		if !readOnly {
			bad("counts are not trusted")
		}
		return
	}
	var starts [][]byte
	var counts []int
	_ = tx.counts.ForEach(func(k, v []byte) error {
		starts, counts = append(starts, k), append(counts, int(binary.BigEndian.Uint64(v)))
		return nil
	})
	if len(starts) == 0 || !bytes.Equal(starts[0], countsFloor) {
		bad("counts: no floor block")
		return
	}
	seen := make([]int, len(starts))
	i := 0
	_ = tx.times.ForEach(func(k, _ []byte) error {
		for i+1 < len(starts) && bytes.Compare(k, starts[i+1]) >= 0 {
			i++
		}
		seen[i]++
		return nil
	})
	for i := range starts {
		if seen[i] != counts[i] {
			bad("counts: block %x says %d keys, holds %d", starts[i], counts[i], seen[i])
		}
		if counts[i] > 2*tx.blockSize() {
			bad("counts: block %x holds %d keys, more than twice %d", starts[i], counts[i], tx.blockSize())
		}
	}
}

// scopeProblems checks the scope counts (scopes.go): trusted, unless the
// store is read-only, and each scope's count the number of its records,
// with no count for a scope that has none.
func scopeProblems(tx *tx, readOnly bool, bad func(string, ...any)) {
	if tx.scopes == nil {
		if !readOnly {
			bad("scope counts are not trusted")
		}
		return
	}
	want := map[string]uint64{}
	for _, ix := range []struct {
		kind byte
		b    *bbolt.Bucket
	}{{scopeSource, tx.bySource}, {scopeTag, tx.byTag}} {
		_ = ix.b.ForEach(func(k, _ []byte) error {
			if i := bytes.IndexByte(k, 0); i > 0 {
				want[string(scopeCountKey(ix.kind, k[:i]))]++
			}
			return nil
		})
	}
	got := map[string]uint64{}
	_ = tx.scopes.ForEach(func(k, v []byte) error {
		got[string(k)] = binary.BigEndian.Uint64(v)
		return nil
	})
	if !maps.Equal(got, want) {
		bad("scope counts %v, records %v", got, want)
	}
}
