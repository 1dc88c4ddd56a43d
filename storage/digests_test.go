package storage

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/tributary/tributary/feed"
)

// pages reads the page q asks for with both Window and WindowDigests.
func pages(t *testing.T, db *DB, q Query) (Window, DigestWindow) {
	t.Helper()
	d, err := db.WindowDigests(context.Background(), q)
	if err != nil {
		t.Fatalf("WindowDigests(%+v): %v", q, err)
	}
	return window(t, db, q), d
}

func digestIDs(w DigestWindow) []string {
	out := make([]string, 0, len(w.Entries))
	for _, d := range w.Entries {
		out = append(out, d.ID)
	}
	return out
}

// sums maps each entry of a page to its checksum.
func sums(w DigestWindow) map[string]uint64 {
	m := map[string]uint64{}
	for _, d := range w.Entries {
		m[d.ID] = d.Sum
	}
	return m
}

// WindowDigests walks the page Window walks, by every one of its paths (the
// merged walk, the cursor seek, the walk up from the oldest end): the same
// ids in the same order and the same Offset, Total, Prev and Next.
func TestWindowDigestsPageIsWindowsPage(t *testing.T) {
	db := sampleStore(t)
	var more []*feed.Entry
	for i := range 9 {
		more = append(more, tagged(fmt.Sprintf("m%d", i), 10+i, []string{"many"}, "Lots"))
	}
	put(t, db, more...)
	top := window(t, db, Query{Limit: 4})
	tests := []struct {
		name string
		q    Query
	}{
		{"every entry, first page", Query{Limit: 4}},
		{"every entry, by cursor", Query{Limit: 4, Before: top.Next}},
		{"every entry, older half", Query{Limit: 4, Skip: 11}},
		{"every entry, past the end", Query{Limit: 4, Skip: 40}},
		{"a source", Query{Selection: Selection{Sources: []string{"harbor"}}, Limit: 2}},
		{"a source, second page", Query{Selection: Selection{Sources: []string{"many"}}, Limit: 4, Skip: 4}},
		{"a tag, any spelling", Query{Selection: Selection{Tags: []string{"lower-town"}}, Limit: 50}},
		{"sources and a tag", Query{Selection: Selection{Sources: []string{"field", "harbor"}, Tags: []string{"lots"}}, Limit: 5}},
		{"unknown source", Query{Selection: Selection{Sources: []string{"nobody"}}, Limit: 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want, got := pages(t, db, tt.q)
			if !slices.Equal(digestIDs(got), ids(want.Entries)) || got.Total != want.Total ||
				got.Offset != want.Offset || got.Prev != want.Prev || got.Next != want.Next {
				t.Errorf("digests %q total %d offset %d prev %q next %q;\nwindow  %q total %d offset %d prev %q next %q",
					digestIDs(got), got.Total, got.Offset, got.Prev, got.Next,
					ids(want.Entries), want.Total, want.Offset, want.Prev, want.Next)
			}
		})
	}
}

// A change of any stored field changes the entry's checksum and no other
// entry's; putting the entry again as it is changes nothing.
func TestWindowDigestsFollowStoredValues(t *testing.T) {
	base := func() *feed.Entry {
		e := tagged("h1", 1, []string{"harbor"}, "Council")
		e.Content = "<p>short</p>"
		e.Enclosures = []feed.Enclosure{{URL: "https://a.example/a.mp3", Type: "audio/mpeg", Length: 1}}
		return e
	}
	tests := []struct {
		name    string
		change  func(e *feed.Entry)
		changed bool
	}{
		{"put again as it is", func(e *feed.Entry) {}, false},
		{"title", func(e *feed.Entry) { e.Title = "another title" }, true},
		{"content", func(e *feed.Entry) { e.Content = "<p>short, and then longer</p>" }, true},
		{"enclosure length", func(e *feed.Entry) { e.Enclosures[0].Length = 2 }, true},
		{"a copy's source name", func(e *feed.Entry) { e.Copies[0].SourceName = "Harbor Light" }, true},
		{"a field no format renders", func(e *feed.Entry) { e.Copies[0].Hash = "another" }, true},
		{"fields shifted", func(e *feed.Entry) { e.Title, e.Link = "", e.Title }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := sampleStore(t)
			put(t, db, base())
			q := Query{Limit: 10}
			_, d := pages(t, db, q)
			before := sums(d)
			e := base()
			tt.change(e)
			put(t, db, e)
			_, after := pages(t, db, q)
			if got := digestIDs(after); !slices.Equal(got, []string{"f2", "f1", "x", "c1", "h2", "h1"}) {
				t.Fatalf("page %q after the change", got)
			}
			for id, sum := range sums(after) {
				if changed := sum != before[id]; changed != (tt.changed && id == "h1") {
					t.Errorf("%s: checksum changed %v", id, changed)
				}
			}
		})
	}
}

func TestWindowDigestsRefusesBadInput(t *testing.T) {
	db := sampleStore(t)
	if _, err := db.WindowDigests(context.Background(), Query{Limit: 3, Before: "AAAA"}); !errors.Is(err, ErrBadCursor) {
		t.Errorf("bad cursor: %v, want ErrBadCursor", err)
	}
	for _, q := range []Query{{Limit: 0}, {Limit: 3, Skip: -1}} {
		if _, err := db.WindowDigests(context.Background(), q); err == nil {
			t.Errorf("WindowDigests(%+v) accepted", q)
		}
	}
	// An index record whose entry is missing is an error for Window.
	// WindowDigests reads the checksum the record holds and no entry, so
	// it finds the missing entry only behind a record without a checksum
	// (written before records held them).
	_, err := db.update(context.Background(), "test", func(t *tx) error { return t.entries.Delete([]byte("f2")) })
	if err != nil {
		t.Fatal(err)
	}
	window := func() error { _, err := db.Window(context.Background(), Query{Limit: 3}); return err }
	digests := func() error { _, err := db.WindowDigests(context.Background(), Query{Limit: 3}); return err }
	if err := window(); err == nil || !strings.Contains(err.Error(), `missing entry "f2"`) {
		t.Errorf("Window with a dangling index record: %v", err)
	}
	if err := digests(); err != nil {
		t.Errorf("WindowDigests with a dangling index record that holds a checksum: %v", err)
	}
	clearIndexValues(t, db)
	if err := digests(); err == nil || !strings.Contains(err.Error(), `missing entry "f2"`) {
		t.Errorf("WindowDigests with a dangling index record without a checksum: %v", err)
	}
}

// Index records written before they held checksums give the same digests:
// the entries' stored bytes are checksummed in their place.
func TestWindowDigestsOfOldIndexRecords(t *testing.T) {
	db := sampleStore(t)
	queries := []Query{
		{Limit: 50},
		{Limit: 3, Skip: 2},
		{Selection: Selection{Sources: []string{"field", "harbor"}, Tags: []string{"lots"}}, Limit: 5},
	}
	var before []DigestWindow
	for _, q := range queries {
		w, err := db.WindowDigests(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		before = append(before, w)
	}
	clearIndexValues(t, db)
	for i, q := range queries {
		w, err := db.WindowDigests(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(w, before[i]) || len(w.Entries) == 0 {
			t.Errorf("%+v: %v from old records, %v from new", q, w.Entries, before[i].Entries)
		}
	}
}

// clearIndexValues makes db's time index records look as earlier versions
// wrote them: without values.
func clearIndexValues(t *testing.T, db *DB) {
	t.Helper()
	_, err := db.update(context.Background(), "test", func(t *tx) error {
		for _, b := range []*bbolt.Bucket{t.times, t.bySource, t.byTag} {
			var keys [][]byte
			if err := b.ForEach(func(k, _ []byte) error { keys = append(keys, slices.Clone(k)); return nil }); err != nil {
				return err
			}
			for _, k := range keys {
				if err := b.Put(k, nil); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestIndexChecksumsFollowEveryWrite: whatever the writes — entries put
// with other content, times, sources and tags, put by an earlier version
// (records without checksums), deleted, pruned — every time index record
// holds nothing or its entry's checksum, and WindowDigests gives each
// entry of every kind of feed the checksum of what is stored. A stale
// checksum would leave a changed feed unannounced.
func TestIndexChecksumsFollowEveryWrite(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	db := openTest(t)
	ctx := context.Background()
	pick := func(from []string, oneIn int) []string {
		var out []string
		for _, s := range from {
			if rng.IntN(oneIn) == 0 {
				out = append(out, s)
			}
		}
		return out
	}
	selections := []Selection{{}, {Sources: []string{"a"}}, {Tags: []string{"y"}},
		{Sources: []string{"a", "b"}, Tags: []string{"x", "z"}}}
	for step := range 600 {
		id := fmt.Sprintf("e%d", rng.IntN(12))
		switch op := rng.IntN(10); {
		case op < 6:
			e := tagged(id, rng.IntN(4), pick([]string{"a", "b", "c"}, 2), pick([]string{"X", "x ", "Y", "z"}, 3)...)
			e.Title = fmt.Sprint("title ", rng.IntN(3))
			if op == 0 {
				putAsEarlierVersions(t, db, e)
			} else {
				put(t, db, e)
			}
		case op < 8:
			err := db.Update(ctx, func(tx feed.Tx) error { return tx.DeleteEntry(id) })
			if err != nil && !errors.Is(err, feed.ErrNotFound) {
				t.Fatal(err)
			}
		default:
			if _, err := db.Prune(ctx, 0, 8, day0.Add(1000*time.Hour)); err != nil {
				t.Fatal(err)
			}
		}
		if p := indexProblems(t, db); len(p) > 0 {
			t.Fatalf("step %d: %q", step, p)
		}
		for _, sel := range selections {
			w, err := db.WindowDigests(ctx, Query{Selection: sel, Limit: 50})
			if err != nil {
				t.Fatal(err)
			}
			_ = db.bolt.View(func(btx *bbolt.Tx) error {
				for _, d := range w.Entries {
					want := binary.BigEndian.Uint64(checksum(btx.Bucket([]byte(bucketEntries)).Get([]byte(d.ID))))
					if d.Sum != want {
						t.Fatalf("step %d, %+v: %s has checksum %x, its value %x", step, sel, d.ID, d.Sum, want)
					}
				}
				return nil
			})
		}
	}
}

// putAsEarlierVersions puts e as versions before index records held
// checksums did: with the records' values empty.
func putAsEarlierVersions(t *testing.T, db *DB, e *feed.Entry) {
	t.Helper()
	_, err := db.update(context.Background(), "test", func(tx *tx) error {
		if err := tx.PutEntry(e); err != nil {
			return err
		}
		ix := indexOf(e)
		if err := tx.times.Put([]byte(ix.time), nil); err != nil {
			return err
		}
		return tx.putScoped(ix, nil)
	})
	if err != nil {
		t.Fatal(err)
	}
}
