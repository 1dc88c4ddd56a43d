package storage

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/tributary/tributary/feed"
)

// tagged is an entry published h hours after day0 with copies from sources
// and the given categories.
func tagged(id string, h int, sources []string, cats ...string) *feed.Entry {
	e := entry(id, day0.Add(time.Duration(h)*time.Hour))
	for _, s := range sources {
		e.Copies = append(e.Copies, cp(s, 0, "k:"+id+":"+s))
	}
	e.Categories = cats
	return e
}

// sampleStore holds entries of three sources; "x" was cross-posted from
// harbor to commonplace, and categories differ only in case and spacing.
func sampleStore(t *testing.T) *DB {
	db := openTest(t)
	put(t, db,
		tagged("h1", 1, []string{"harbor"}, "Council", "Climate"),
		tagged("h2", 2, []string{"harbor"}, "Transport"),
		tagged("c1", 3, []string{"commonplace"}, "climate"),
		tagged("x", 4, []string{"harbor", "commonplace"}, "Lower Town"),
		tagged("f1", 5, []string{"field"}),
		tagged("f2", 6, []string{"field"}, "lower-town", "Birds"),
	)
	return db
}

func window(t *testing.T, db *DB, q Query) Window {
	t.Helper()
	w, err := db.Window(context.Background(), q)
	if err != nil {
		t.Fatalf("Window(%+v): %v", q, err)
	}
	return w
}

func TestWindowSelections(t *testing.T) {
	db := sampleStore(t)
	tests := []struct {
		name string
		sel  Selection
		want []string
	}{
		{"all", Selection{}, []string{"f2", "f1", "x", "c1", "h2", "h1"}},
		{"a source, copies included", Selection{Sources: []string{"harbor"}}, []string{"x", "h2", "h1"}},
		{"another source", Selection{Sources: []string{"commonplace"}}, []string{"x", "c1"}},
		{"two sources, the shared entry once", Selection{Sources: []string{"harbor", "commonplace", "harbor"}}, []string{"x", "c1", "h2", "h1"}},
		{"a tag, any spelling of it", Selection{Tags: []string{"lower-town"}}, []string{"f2", "x"}},
		{"tag in two cases", Selection{Tags: []string{"climate"}}, []string{"c1", "h1"}},
		{"source or tag", Selection{Sources: []string{"field"}, Tags: []string{"climate"}}, []string{"f2", "f1", "c1", "h1"}},
		{"unknown source", Selection{Sources: []string{"nobody"}}, nil},
		{"unusable scope", Selection{Tags: []string{"a\x00b"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := window(t, db, Query{Selection: tt.sel, Limit: 10})
			if got := ids(w.Entries); !slices.Equal(got, tt.want) {
				t.Errorf("entries %q, want %q", got, tt.want)
			}
			if w.Total != len(tt.want) || w.Offset != 0 || w.Next != "" || w.Prev != "" {
				t.Errorf("total %d offset %d next %q prev %q; want total %d and no links", w.Total, w.Offset, w.Next, w.Prev, len(tt.want))
			}
		})
	}
}

func TestWindowPaging(t *testing.T) {
	db := openTest(t)
	var all []*feed.Entry
	for i := range 11 {
		src := []string{"even"}
		if i%2 == 1 {
			src = []string{"odd"}
		}
		all = append(all, tagged(fmt.Sprintf("e%02d", i), i, src))
	}
	put(t, db, all...)
	for _, sel := range []Selection{{}, {Sources: []string{"even", "odd"}}} {
		t.Run(fmt.Sprint(sel), func(t *testing.T) {
			// Following Next from the top visits every entry once, and each
			// page's Prev leads back to the page before it.
			var seen []string
			var pages []Window
			q := Query{Selection: sel, Limit: 3}
			for {
				w := window(t, db, q)
				wantOffset := len(seen)
				if sel.All() && q.Before != "" {
					wantOffset = min(wantOffset, q.Limit+1) // all Prev needs
				}
				if w.Total != 11 || w.Offset != wantOffset {
					t.Fatalf("page %d: total %d offset %d, want 11 and %d", len(pages)+1, w.Total, w.Offset, wantOffset)
				}
				seen = append(seen, ids(w.Entries)...)
				pages = append(pages, w)
				if w.Next == "" {
					break
				}
				q.Before = w.Next
			}
			want := []string{"e10", "e09", "e08", "e07", "e06", "e05", "e04", "e03", "e02", "e01", "e00"}
			if !slices.Equal(seen, want) {
				t.Fatalf("pages gave %q, want %q", seen, want)
			}
			for i, w := range pages {
				if i <= 1 {
					if w.Prev != "" {
						t.Errorf("page %d: Prev %q, want none (the first page is its previous)", i+1, w.Prev)
					}
					continue
				}
				back := window(t, db, Query{Selection: sel, Limit: 3, Before: w.Prev})
				if got, want := ids(back.Entries), ids(pages[i-1].Entries); !slices.Equal(got, want) {
					t.Errorf("page %d: Prev leads to %q, want %q", i+1, got, want)
				}
			}
			// Skip addresses the same pages by number.
			for i, w := range pages {
				byNumber := window(t, db, Query{Selection: sel, Limit: 3, Skip: 3 * i})
				if !slices.Equal(ids(byNumber.Entries), ids(w.Entries)) || byNumber.Next != w.Next || byNumber.Prev != w.Prev {
					t.Errorf("page %d by Skip = %+v, by cursor %+v", i+1, byNumber, w)
				}
			}
			past := window(t, db, Query{Selection: sel, Limit: 3, Skip: 12})
			if len(past.Entries) != 0 || past.Offset != 11 || past.Total != 11 {
				t.Errorf("past the end: %+v", past)
			}
		})
	}
}

func TestWindowCursorOutlivesItsEntry(t *testing.T) {
	db := sampleStore(t)
	first := window(t, db, Query{Selection: Selection{Sources: []string{"harbor"}}, Limit: 1})
	// The cursor names x's position; x is pruned (it is not the oldest,
	// so remove it directly) and the cursor still pages on.
	_, err := db.update(context.Background(), "test", func(tx *tx) error {
		_, err := tx.removeEntry("x")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	w := window(t, db, Query{Selection: Selection{Sources: []string{"harbor"}}, Limit: 5, Before: first.Next})
	if got := ids(w.Entries); !slices.Equal(got, []string{"h2", "h1"}) {
		t.Errorf("after the cursor's entry left: %q, want [h2 h1]", got)
	}
	checkIndexes(t, db)
}

func TestWindowRefusesBadInput(t *testing.T) {
	db := sampleStore(t)
	for _, q := range []Query{
		{Limit: 3, Before: "not a cursor!"},
		{Limit: 3, Before: "AAAA"},
	} {
		if _, err := db.Window(context.Background(), q); !errors.Is(err, ErrBadCursor) {
			t.Errorf("Window(%+v): %v, want ErrBadCursor", q, err)
		}
		if err := CheckCursor(q.Before); !errors.Is(err, ErrBadCursor) {
			t.Errorf("CheckCursor(%q): %v, want ErrBadCursor", q.Before, err)
		}
	}
	for _, q := range []Query{{Limit: 0}, {Limit: 3, Skip: -1}} {
		if _, err := db.Window(context.Background(), q); err == nil {
			t.Errorf("Window(%+v) accepted", q)
		}
	}
}

func TestScopedIndexesFollowEntries(t *testing.T) {
	db := sampleStore(t)
	// Re-dated, recategorised and copied elsewhere: every scoped record
	// moves with the entry.
	h1 := tagged("h1", 9, []string{"harbor", "field"}, "Floods")
	put(t, db, h1)
	checkIndexes(t, db)
	tests := []struct {
		sel  Selection
		want []string
	}{
		{Selection{Sources: []string{"field"}}, []string{"h1", "f2", "f1"}},
		{Selection{Tags: []string{"council"}}, nil},
		{Selection{Tags: []string{"floods"}}, []string{"h1"}},
	}
	for _, tt := range tests {
		if got := ids(window(t, db, Query{Selection: tt.sel, Limit: 10}).Entries); !slices.Equal(got, tt.want) {
			t.Errorf("%+v: %q, want %q", tt.sel, got, tt.want)
		}
	}
	if _, err := db.Prune(context.Background(), 0, 2, day0); err != nil {
		t.Fatal(err)
	}
	checkIndexes(t, db)
	tags, err := db.Tags(context.Background())
	if err != nil || !slices.Equal(tags, []string{"birds", "floods", "lower-town"}) {
		t.Errorf("Tags after prune = %q, %v", tags, err)
	}
	// The tags no entry has any more are still known: their feeds are
	// subscriptions, answered empty.
	known, err := db.KnownTags(context.Background())
	if want := []string{"birds", "climate", "council", "floods", "lower-town", "transport"}; err != nil || !slices.Equal(known, want) {
		t.Errorf("KnownTags after prune = %q, %v; want %q", known, err, want)
	}
	// Retention forgets them once no entry has had them for 90 days.
	if _, err := db.Prune(context.Background(), 0, 1000, time.Now().Add(tagRetirement+time.Hour)); err != nil {
		t.Fatal(err)
	}
	known, err = db.KnownTags(context.Background())
	if want := []string{"birds", "floods", "lower-town"}; err != nil || !slices.Equal(known, want) {
		t.Errorf("KnownTags %s later = %q, %v; want %q", tagRetirement, known, err, want)
	}
}

func TestTags(t *testing.T) {
	db := sampleStore(t)
	tags, err := db.Tags(context.Background())
	want := []string{"birds", "climate", "council", "lower-town", "transport"}
	if err != nil || !slices.Equal(tags, want) {
		t.Errorf("Tags() = %q, %v; want %q", tags, err, want)
	}
}

// TestMigrateSchema1 opens a store written in layout 1 (no scoped indexes,
// band records without values) and finds it migrated with nothing lost.
func TestMigrateSchema1(t *testing.T) {
	db := sampleStore(t)
	put(t, db, func() *feed.Entry {
		e := tagged("fp", 7, []string{"harbor"})
		e.Copies[0].Fingerprint = 0xfeed
		return e
	}())
	path := db.Path()
	err := db.bolt.Update(func(btx *bbolt.Tx) error {
		for _, name := range []string{bucketBySource, bucketByTag} {
			if err := btx.DeleteBucket([]byte(name)); err != nil {
				return err
			}
		}
		b := btx.Bucket([]byte(bucketBands))
		var keys [][]byte
		_ = b.ForEach(func(k, _ []byte) error { keys = append(keys, slices.Clone(k)); return nil })
		for _, k := range keys {
			if err := b.Put(k, nil); err != nil {
				return err
			}
		}
		return btx.Bucket([]byte(bucketMeta)).Put([]byte(metaSchema), u64(1))
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	if ro, err := Open(path, Options{ReadOnly: true}); !errors.Is(err, ErrSchema) {
		if err == nil {
			ro.Close()
		}
		t.Errorf("read-only Open of a layout-1 store: %v, want ErrSchema", err)
	}
	db, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	checkIndexes(t, db)
	if n, _ := db.Count(context.Background()); n != 7 {
		t.Errorf("count after migration %d, want 7", n)
	}
	if got := ids(window(t, db, Query{Selection: Selection{Sources: []string{"harbor"}}, Limit: 10}).Entries); !slices.Equal(got, []string{"fp", "x", "h2", "h1"}) {
		t.Errorf("harbor after migration: %q", got)
	}
	err = db.bolt.View(func(btx *bbolt.Tx) error {
		if v := btx.Bucket([]byte(bucketMeta)).Get([]byte(metaSchema)); !slices.Equal(v, u64(schemaVersion)) {
			t.Errorf("schema %x after migration", v)
		}
		return btx.Bucket([]byte(bucketBands)).ForEach(func(k, v []byte) error {
			if len(v) != 8 {
				t.Errorf("band record %x has value %x after migration", k, v)
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
}

// The whole store's pages are found by seeking (by cursor) and from the
// oldest end (by a number in the older half); a selection naming every
// source walks its index from the top. All three must agree on every page,
// for every page size.
func TestWindowShortcutsAgreeWithTheWalk(t *testing.T) {
	for _, n := range []int{0, 1, 2, 7, 20} {
		db := openTest(t)
		var all []*feed.Entry
		for i := range n {
			all = append(all, tagged(fmt.Sprintf("e%02d", i), i, []string{fmt.Sprintf("s%d", i%3)}))
		}
		put(t, db, all...)
		every := Selection{Sources: []string{"s0", "s1", "s2"}}
		for _, limit := range []int{1, 2, 3, 6, 25} {
			name := fmt.Sprintf("%d entries, limit %d", n, limit)
			for skip := 0; skip <= n+limit; skip++ {
				got := window(t, db, Query{Limit: limit, Skip: skip})
				want := window(t, db, Query{Selection: every, Limit: limit, Skip: skip})
				sameWindow(t, fmt.Sprintf("%s, skip %d", name, skip), got, want, want.Offset)
			}
			q := Query{Selection: every, Limit: limit}
			for {
				want := window(t, db, q)
				if q.Before != "" {
					got := window(t, db, Query{Limit: limit, Before: q.Before})
					sameWindow(t, name+", before "+q.Before, got, want, min(want.Offset, limit+1))
				}
				if want.Next == "" {
					break
				}
				q.Before = want.Next
			}
		}
	}
}

func sameWindow(t *testing.T, name string, got, want Window, wantOffset int) {
	t.Helper()
	if !slices.Equal(ids(got.Entries), ids(want.Entries)) || got.Next != want.Next || got.Prev != want.Prev ||
		got.Total != want.Total || got.Offset != wantOffset {
		t.Errorf("%s: entries %q next %q prev %q total %d offset %d;\nwant %q next %q prev %q total %d offset %d",
			name, ids(got.Entries), got.Next, got.Prev, got.Total, got.Offset,
			ids(want.Entries), want.Next, want.Prev, want.Total, wantOffset)
	}
}

// TestMigrateSchema3Tags opens a store of schema 3, which indexed "C++",
// "C#" and "C" all as "c", and finds each entry under its own tag, with
// the tag feeds' totals counted again.
func TestMigrateSchema3Tags(t *testing.T) {
	db := openTest(t)
	put(t, db,
		tagged("cpp", 1, []string{"harbor"}, "C++"),
		tagged("cs", 2, []string{"harbor"}, "C#"),
		tagged("c", 3, []string{"harbor"}, "C"),
		tagged("go", 4, []string{"harbor"}, "Go"),
		tagged("both", 5, []string{"harbor"}, "C++", "C"),
		tagged("under", 6, []string{"harbor"}, "_ _"),
	)
	path := db.Path()
	asSchema3(t, db)
	if tags, _ := db.Tags(context.Background()); !slices.Equal(tags, []string{"_-_", "c", "go"}) {
		t.Fatalf("schema 3 tags %q, want [_-_ c go]", tags)
	}
	db.Close()

	// A read-only open serves the tags as they were indexed.
	ro, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("read-only Open of a schema-3 store: %v", err)
	}
	if tags, _ := ro.Tags(context.Background()); !slices.Equal(tags, []string{"_-_", "c", "go"}) {
		t.Errorf("read-only tags %q, want [_-_ c go]", tags)
	}
	if tags, _ := ro.KnownTags(context.Background()); !slices.Equal(tags, []string{"_-_", "c", "go"}) {
		t.Errorf("read-only known tags %q, want [_-_ c go]", tags)
	}
	// verify, read-only, checks the records against the schema's rule:
	// the store is sound, only not migrated yet.
	checkIndexes(t, ro)
	ro.Close()

	db, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if m, ok := db.Migrated(); !ok || m.From != 3 || m.To != schemaVersion {
		t.Errorf("Migrated() = %+v, %v; want from 3 to %d", m, ok, schemaVersion)
	}
	checkIndexes(t, db)
	if tags, _ := db.Tags(context.Background()); !slices.Equal(tags, []string{"c", "c#", "c++", "go"}) {
		t.Errorf("tags after migration %q, want [c c# c++ go]", tags)
	}
	if tags, _ := db.KnownTags(context.Background()); !slices.Equal(tags, []string{"c", "c#", "c++", "go"}) {
		t.Errorf("known tags after migration %q, want [c c# c++ go]", tags)
	}
	for tag, want := range map[string][]string{"c": {"both", "c"}, "c++": {"both", "cpp"}, "c#": {"cs"}, "go": {"go"}} {
		w := window(t, db, Query{Selection: Selection{Tags: []string{tag}}, Limit: 10})
		if got := ids(w.Entries); !slices.Equal(got, want) || w.Total != len(want) {
			t.Errorf("tag %q after migration: %q (total %d), want %q", tag, got, w.Total, want)
		}
	}
}

// TestMigrateKeepsServedTags: a tag schema 3 served stays known after the
// migration moved its last entries elsewhere ("c" held C++ posts only),
// since readers subscribed to it; one that is no tag now does not.
func TestMigrateKeepsServedTags(t *testing.T) {
	db := openTest(t)
	put(t, db, tagged("cpp", 1, []string{"harbor"}, "C++"), tagged("under", 2, []string{"harbor"}, "_ _"))
	path := db.Path()
	asSchema3(t, db)
	db.Close()
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	checkIndexes(t, db)
	if tags, _ := db.Tags(context.Background()); !slices.Equal(tags, []string{"c++"}) {
		t.Errorf("tags after migration %q, want [c++]", tags)
	}
	if tags, _ := db.KnownTags(context.Background()); !slices.Equal(tags, []string{"c", "c++"}) {
		t.Errorf("known tags after migration %q, want [c c++]", tags)
	}
}

// asSchema3 makes db a store as schema 3 wrote it: tags indexed by its
// rule (every mark dropped, "_ _" a tag), and no record of the tags seen.
func asSchema3(t *testing.T, db *DB) {
	t.Helper()
	err := db.bolt.Update(func(btx *bbolt.Tx) error {
		if err := btx.DeleteBucket([]byte(bucketByTag)); err != nil {
			return err
		}
		b, err := btx.CreateBucket([]byte(bucketByTag))
		if err != nil {
			return err
		}
		err = btx.Bucket([]byte(bucketEntries)).ForEach(func(k, v []byte) error {
			e, err := decodeEntry(string(k), v)
			if err != nil {
				return err
			}
			for _, tk := range tagKeys(e, schema3TagOf) {
				if err := b.Put([]byte(tk), checksum(v)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		if err := btx.DeleteBucket([]byte(bucketTagsSeen)); err != nil {
			return err
		}
		return btx.Bucket([]byte(bucketMeta)).Put([]byte(metaSchema), u64(3))
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Verify reports a tag the tag index holds that the tags seen lack: its
// feed would be 404 once its last entry went.
func TestVerifyTagsSeen(t *testing.T) {
	db := sampleStore(t)
	err := db.bolt.Update(func(btx *bbolt.Tx) error {
		return btx.Bucket([]byte(bucketTagsSeen)).Delete([]byte("birds"))
	})
	if err != nil {
		t.Fatal(err)
	}
	problems, err := db.Verify(context.Background())
	if err != nil || len(problems) != 1 || !strings.Contains(problems[0], `tag "birds"`) {
		t.Errorf("Verify = %q, %v; want the tag birds reported", problems, err)
	}
}

// TestRetiredTagLifetime: a tag's feed is answered for 90 days after its
// last entry went, however old that entry was, and a record of the first
// build of the bucket (no time) is kept, not forgotten.
func TestRetiredTagLifetime(t *testing.T) {
	db := openTest(t)
	put(t, db, tagged("old", 1, []string{"harbor"}, "Herons"), tagged("new", 2, []string{"harbor"}, "Terns"))
	later := time.Now().Add(200 * 24 * time.Hour)
	known := func() []string {
		t.Helper()
		tags, err := db.KnownTags(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return tags
	}
	// The entry tagged herons goes 200 days after it was indexed.
	if n, err := db.Prune(context.Background(), 0, 1, later); err != nil || n != 1 {
		t.Fatalf("Prune = %d, %v", n, err)
	}
	if got := known(); !slices.Equal(got, []string{"herons", "terns"}) {
		t.Errorf("known tags after its last entry went: %q, want herons kept", got)
	}
	// A value of the bucket's first build: stamped, not forgotten.
	err := db.bolt.Update(func(btx *bbolt.Tx) error {
		return btx.Bucket([]byte(bucketTagsSeen)).Put([]byte("egrets"), []byte{})
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Prune(context.Background(), 0, 1, later.Add(25*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got := known(); !slices.Equal(got, []string{"egrets", "herons", "terns"}) {
		t.Errorf("known tags after a sweep: %q, want egrets stamped and kept", got)
	}
	// 90 days after herons' last entry went, and a day after the last
	// sweep, it is forgotten and the store's version moves (the catalog
	// lists it no more).
	v := db.Version()
	if _, err := db.Prune(context.Background(), 0, 1, later.Add(tagRetirement+time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got := known(); !slices.Equal(got, []string{"egrets", "terns"}) {
		t.Errorf("known tags 90 days on: %q, want [egrets terns] (egrets was stamped a day later)", got)
	}
	if db.Version() == v {
		t.Errorf("the version did not move when tags were forgotten")
	}
	checkIndexes(t, db)
}

// A sweep by a clock that ran years ahead does not stop the sweeps after
// it until that date (review).
func TestTagSweepAfterAClockAhead(t *testing.T) {
	db := openTest(t)
	put(t, db, tagged("old", 1, []string{"harbor"}, "Herons"), tagged("new", 2, []string{"harbor"}, "Terns"))
	now := time.Now()
	if _, err := db.Prune(context.Background(), 0, 100, now.Add(3*365*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Prune(context.Background(), 0, 1, now); err != nil { // herons retires now
		t.Fatal(err)
	}
	if _, err := db.Prune(context.Background(), 0, 1, now.Add(tagRetirement+25*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if tags, _ := db.KnownTags(context.Background()); !slices.Equal(tags, []string{"terns"}) {
		t.Errorf("known tags %q, want herons forgotten 90 days after it retired", tags)
	}
}
