package storage

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tributary/tributary/feed"
)

func TestEntryRoundTrip(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	want := &feed.Entry{
		ID: "0123456789abcdef", Title: "Café ☕ <b>", Link: "https://example.org/a", Author: "Ann",
		Content: "<p>body</p>", Summary: "sum", Categories: []string{"go", "feeds"},
		Enclosures: []feed.Enclosure{{URL: "https://example.org/a.mp3", Type: "audio/mpeg", Length: 1234}},
		Image:      "https://example.org/i.png", Lang: "fr",
		Published: day0.Add(123456789), Updated: day0.Add(time.Hour),
		Created: day0.Add(2 * time.Hour), Modified: day0.Add(3 * time.Hour),
		Copies: []feed.Copy{
			{SourceID: "a", SourceName: "A", FeedURL: "https://a.example/feed", SiteURL: "https://a.example/",
				GUID: "g1", Link: "https://a.example/1", Title: "t", Published: day0, Updated: day0.Add(time.Minute),
				FirstSeen: day0, Undated: true, Keys: []string{"guid:a:g1", "url:a.example/1"},
				Fingerprint: 0xDEAD_BEEF_0000_0001, Words: 420, Rule: "new", Score: 0.875,
				CrossPostedFrom: &feed.Attribution{Name: "B", URL: "https://b.example/"}, Hash: "h1"},
			{SourceID: "b", Keys: []string{"url:b.example/1"}, Rule: "link", Published: day0, FirstSeen: day0},
		},
		Original: 1, ContentCopy: 0,
	}
	put(t, db, want)
	got, err := db.Entry(ctx, want.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round trip changed the entry:\n got %+v\nwant %+v", got, want)
	}
	got.Copies[0].Keys[0] = "changed" // a decoded copy: changing it changes nothing stored
	if again, _ := db.Entry(ctx, want.ID); again.Copies[0].Keys[0] != "guid:a:g1" {
		t.Error("changing a returned entry changed the stored one")
	}
	if byKey, err := db.EntryByKey(ctx, "url:b.example/1"); err != nil || byKey.ID != want.ID {
		t.Errorf("EntryByKey = %v, %v", byKey, err)
	}
}

func TestPutEntryRejectsBadEntries(t *testing.T) {
	db := openTest(t)
	for _, e := range []*feed.Entry{nil, {}, {ID: strings.Repeat("x", maxIDLen+1)}} {
		err := db.Update(context.Background(), func(tx feed.Tx) error { return tx.PutEntry(e) })
		if err == nil {
			t.Errorf("PutEntry(%.40v) succeeded", e)
		}
	}
}

const (
	fpX = 0x1111_2222_3333_4444
	fpY = 0x5555_6666_7777_8888 // no 16-bit band in common with fpX
	fpZ = 0x9999_AAAA_BBBB_CCCC
)

func TestPutEntryReplacesIndexes(t *testing.T) {
	tests := []struct {
		name          string
		first, second *feed.Entry
		goneKeys      []string
		goneFP, newFP []uint64
	}{
		{"keys changed",
			entry("e", day0, cp("s", fpX, "k:a", "k:b")),
			entry("e", day0, cp("s", fpX, "k:b", "k:c")),
			[]string{"k:a"}, nil, nil},
		{"published changed",
			entry("e", day0, cp("s", fpX, "k:a")),
			entry("e", day0.Add(2*time.Hour), cp("s", fpX, "k:a")),
			nil, nil, nil},
		{"fingerprint changed",
			entry("e", day0, cp("s", fpX, "k:a")),
			entry("e", day0, cp("s", fpY, "k:a")),
			nil, []uint64{fpX}, []uint64{fpY}},
		{"fingerprint dropped",
			entry("e", day0, cp("s", fpX, "k:a")),
			entry("e", day0, cp("s", 0, "k:a")),
			nil, []uint64{fpX}, nil},
		{"copy removed",
			entry("e", day0, cp("s", fpX, "k:a"), cp("t", fpY, "k:t1", "k:t2")),
			entry("e", day0, cp("s", fpX, "k:a")),
			[]string{"k:t1", "k:t2"}, []uint64{fpY}, nil},
		{"copy added",
			entry("e", day0, cp("s", fpX, "k:a")),
			entry("e", day0.Add(-time.Hour), cp("s", fpX, "k:a"), cp("t", fpZ, "k:t")),
			nil, nil, []uint64{fpX, fpZ}},
		{"everything changed",
			entry("e", day0, cp("s", fpX, "k:a"), cp("t", fpY, "k:b")),
			entry("e", day0.Add(time.Minute), cp("u", fpZ, "k:c")),
			[]string{"k:a", "k:b"}, []uint64{fpX, fpY}, []uint64{fpZ}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			db := openTest(t)
			other := entry("other", day0.Add(time.Hour), cp("o", 0, "k:other"))
			put(t, db, other, tt.first)
			put(t, db, tt.second)
			checkIndexes(t, db)

			for _, k := range tt.goneKeys {
				if id := lookup(t, db, k); id != "" {
					t.Errorf("dropped key %s still points at %q", k, id)
				}
			}
			for _, k := range tt.second.Keys() {
				if id := lookup(t, db, k); id != "e" {
					t.Errorf("key %s points at %q, want e", k, id)
				}
			}
			similar := func(fp uint64) []string {
				var got []string
				err := db.View(ctx, func(tx feed.Tx) error {
					var err error
					got, err = tx.Similar(fp, 3)
					return err
				})
				if err != nil {
					t.Fatal(err)
				}
				return got
			}
			for _, fp := range tt.goneFP {
				if got := similar(fp); slices.Contains(got, "e") {
					t.Errorf("Similar(%x) = %v still finds e", fp, got)
				}
			}
			for _, fp := range tt.newFP {
				if got := similar(fp); !slices.Contains(got, "e") {
					t.Errorf("Similar(%x) = %v misses e", fp, got)
				}
			}
			newest, _, err := db.Newest(ctx, 0, "")
			if err != nil {
				t.Fatal(err)
			}
			want := []string{"other", "e"}
			if tt.second.Published.After(other.Published) {
				want = []string{"e", "other"}
			}
			if !slices.Equal(ids(newest), want) {
				t.Errorf("Newest = %v, want %v", ids(newest), want)
			}
			if n, _ := db.Count(ctx); n != 2 {
				t.Errorf("Count() = %d, want 2", n)
			}
		})
	}
}

func TestKeyCollisionKeepsFirstOwner(t *testing.T) {
	a := entry("a", day0, cp("s", 0, "k:1", "k:shared"))
	b := entry("b", day0, cp("t", 0, "k:shared", "k:3"))
	for _, sameTx := range []bool{true, false} {
		t.Run(fmt.Sprintf("same transaction %v", sameTx), func(t *testing.T) {
			db := openTest(t)
			if sameTx {
				put(t, db, a, b)
			} else {
				put(t, db, a)
				put(t, db, b)
			}
			// Re-putting b (as an ingest that updates it would) must not
			// move the key either.
			b2 := entry("b", day0.Add(time.Hour), cp("t", 0, "k:shared", "k:3", "k:4"))
			put(t, db, b2)
			for key, want := range map[string]string{"k:1": "a", "k:shared": "a", "k:3": "b", "k:4": "b"} {
				if got := lookup(t, db, key); got != want {
					t.Errorf("Lookup(%s) = %q, want %q", key, got, want)
				}
			}
			checkIndexes(t, db)
		})
	}
}

func TestSimilarFindsNearFingerprints(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	threeBands := uint64(1 | 1<<16 | 1<<32) // differs from fpX in bands 0–2, agrees in band 3
	put(t, db,
		entry("a", day0, cp("s", fpX, "k:a")),
		entry("b", day0, cp("s", fpX^threeBands, "k:b")),
		entry("c", day0, cp("s", fpY, "k:c")),
		entry("d", day0, cp("s", fpX^1, "k:d1"), cp("t", fpX^2, "k:d2")),
		entry("e", day0, cp("s", 0, "k:e")),
	)
	tests := []struct {
		fp   uint64
		want []string
	}{
		{fpX, []string{"a", "b", "d"}},
		{fpY, []string{"c"}},
		{fpZ, nil},
		{0, nil},
		{fpX ^ threeBands ^ 1<<48, []string{"b", "d"}}, // d1 = fpX^1 shares band 0
	}
	for _, tt := range tests {
		err := db.View(ctx, func(tx feed.Tx) error {
			got, err := tx.Similar(tt.fp, 3)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Similar(%016x) = %v, want %v", tt.fp, got, tt.want)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}

	// Pigeonhole: any fingerprint within 3 bits of a stored one finds it.
	rng := rand.New(rand.NewPCG(1, 2))
	stored := make([]*feed.Entry, 200)
	for i := range stored {
		stored[i] = entry(fmt.Sprintf("r%03d", i), day0, cp("s", rng.Uint64()|1, fmt.Sprintf("k:r%d", i)))
	}
	put(t, db, stored...)
	err := db.View(ctx, func(tx feed.Tx) error {
		for _, e := range stored {
			q := e.Copies[0].Fingerprint
			for range rng.IntN(4) {
				q ^= 1 << rng.IntN(64)
			}
			got, err := tx.Similar(q, 3)
			if err != nil {
				return err
			}
			if !slices.Contains(got, e.ID) {
				t.Errorf("Similar(%016x) misses %s (%016x)", q, e.ID, e.Copies[0].Fingerprint)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestSourceState(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	states := []feed.SourceState{
		{SourceID: "zeta", URL: "https://z.example/feed", ETag: `W/"1"`, LastModified: "Mon, 01 Jan 2024 00:00:00 GMT",
			LastAttempt: day0, LastSuccess: day0, NextFetch: day0.Add(time.Hour), LastStatus: 200, Items: 20, New: 3},
		{SourceID: "alpha", LastError: "fetch: 503", Failures: 4, PendingRedirect: "https://new.example/", RedirectSeen: 2},
	}
	err := db.Update(ctx, func(tx feed.Tx) error {
		if got, err := tx.SourceState("alpha"); err != nil || !reflect.DeepEqual(got, feed.SourceState{SourceID: "alpha"}) {
			t.Errorf("SourceState of an unknown source = %+v, %v; want a zero state naming it", got, err)
		}
		if err := tx.PutSourceState(feed.SourceState{}); err == nil {
			t.Error("PutSourceState without an id succeeded")
		}
		for _, s := range states {
			if err := tx.PutSourceState(s); err != nil {
				return err
			}
		}
		got, err := tx.SourceState("zeta")
		if !reflect.DeepEqual(got, states[0]) {
			t.Errorf("SourceState(zeta) = %+v, want %+v", got, states[0])
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.Sources(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := []feed.SourceState{states[1], states[0]}; !reflect.DeepEqual(got, want) {
		t.Errorf("Sources() = %+v, want %+v (by id)", got, want)
	}
}
