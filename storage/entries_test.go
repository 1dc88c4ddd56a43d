package storage

import (
	"cmp"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tributary/tributary/feed"
)

// newestFixture stores entries with tied publication times and dates before
// 1970, and returns their ids in the order Newest must give.
func newestFixture(t *testing.T, db *DB) []string {
	t.Helper()
	var entries []*feed.Entry
	for i := range 25 {
		// Pairs share a time, so that order among ties (by id) shows.
		entries = append(entries, entry(fmt.Sprintf("e%02d", i), day0.Add(time.Duration(i/2)*time.Hour),
			cp("s", uint64(i+1), fmt.Sprintf("k:%d", i))))
	}
	entries = append(entries,
		entry("old", time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC), cp("s", 0, "k:old")),
		entry("zero", time.Time{}, cp("s", 0, "k:zero")),
	)
	put(t, db, entries...)
	want := slices.Clone(entries)
	slices.SortFunc(want, func(a, b *feed.Entry) int {
		return cmp.Or(cmp.Compare(clampNanos(b.Published), clampNanos(a.Published)), cmp.Compare(b.ID, a.ID))
	})
	return ids(want)
}

func TestNewestPagesThroughEverything(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	want := newestFixture(t, db)
	n := len(want)
	for _, limit := range []int{0, 1, 7, 10, n - 1, n, n + 1} {
		t.Run(fmt.Sprintf("limit %d", limit), func(t *testing.T) {
			var got []string
			pages, cursor := 0, ""
			for {
				page, next, err := db.Newest(ctx, limit, cursor)
				if err != nil {
					t.Fatal(err)
				}
				pages++
				if limit > 0 && len(page) > limit {
					t.Fatalf("page of %d entries, limit %d", len(page), limit)
				}
				got = append(got, ids(page)...)
				if next == "" {
					break
				}
				if pages > n+1 {
					t.Fatal("cursors never end")
				}
				cursor = next
			}
			if !slices.Equal(got, want) {
				t.Errorf("pages gave\n%v\nwant\n%v", got, want)
			}
			wantPages := 1
			if limit > 0 {
				wantPages = (n + limit - 1) / limit // no empty last page
			}
			if pages != wantPages {
				t.Errorf("%d pages, want %d", pages, wantPages)
			}
		})
	}
}

func TestNewestEmptyStore(t *testing.T) {
	db := openTest(t)
	page, next, err := db.Newest(context.Background(), 10, "")
	if err != nil || len(page) != 0 || next != "" {
		t.Errorf("Newest on an empty store = %v, %q, %v", ids(page), next, err)
	}
}

func TestNewestCursorSurvivesChanges(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	want := newestFixture(t, db)
	first, next, err := db.Newest(ctx, 5, "")
	if err != nil {
		t.Fatal(err)
	}
	// Move the entry the cursor was taken at to the top, and add a newer
	// one: the next page still starts right after the cursor's position.
	moved := first[4]
	moved.Published = day0.Add(1000 * time.Hour)
	put(t, db, moved, entry("newer", day0.Add(2000*time.Hour), cp("s", 0, "k:newer")))
	db.Close()
	db, err = Open(db.Path(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	page, _, err := db.Newest(ctx, 5, next)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ids(page), want[5:10]) {
		t.Errorf("page after the cursor = %v, want %v", ids(page), want[5:10])
	}
}

func TestNewestBadCursor(t *testing.T) {
	db := openTest(t)
	newestFixture(t, db)
	enc := base64.RawURLEncoding.EncodeToString
	valid := enc(timeKey(day0, "e01")) // 11 bytes: the last character carries 2 padding bits
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	strayBits := valid[:len(valid)-1] + string(alphabet[strings.IndexByte(alphabet, valid[len(valid)-1])|1])
	if _, _, err := db.Newest(context.Background(), 5, valid); err != nil {
		t.Fatalf("Newest(valid cursor %q): %v", valid, err)
	}
	for _, cursor := range []string{
		valid + "\n",
		valid[:7] + "\r\n" + valid[7:],
		strayBits,
		"not base64!",
		enc([]byte("short")),
		enc([]byte{0, 0, 0, 0, 0, 0, 0, 1}), // a time without an id
		enc(append([]byte{0x80, 0, 0, 0, 0, 0, 0, 0}, "id"...)),
		base64.StdEncoding.EncodeToString(timeKey(day0, "e01")) + "=",
		enc(timeKey(day0, string(make([]byte, maxIDLen+1)))),
	} {
		page, next, err := db.Newest(context.Background(), 5, cursor)
		if !errors.Is(err, ErrBadCursor) {
			t.Errorf("Newest(cursor %q) = %v, %q, %v; want ErrBadCursor", cursor, ids(page), next, err)
		}
	}
}

func TestEntryNotFound(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	put(t, db, entry("e", day0, cp("s", 0, "k:e")))
	if _, err := db.Entry(ctx, "nope"); !errors.Is(err, feed.ErrNotFound) {
		t.Errorf("Entry(nope): %v, want ErrNotFound", err)
	}
	if _, err := db.EntryByKey(ctx, "k:nope"); !errors.Is(err, feed.ErrNotFound) {
		t.Errorf("EntryByKey(k:nope): %v, want ErrNotFound", err)
	}
	if _, err := db.EntryByKey(ctx, ""); !errors.Is(err, feed.ErrNotFound) {
		t.Errorf("EntryByKey(\"\"): %v, want ErrNotFound", err)
	}
}
