package storage

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/tributary/tributary/feed"
)

// FuzzNewestCursor feeds Newest arbitrary cursors: each is either refused
// with ErrBadCursor or yields a page of entries strictly older than the
// position it names, newest first, and a cursor never panics the store.
func FuzzNewestCursor(f *testing.F) {
	db, err := Open(f.TempDir()+"/fuzz.db", Options{Timeout: 100 * time.Millisecond})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { _ = db.Close() })
	var entries []*feed.Entry
	for i := range 30 {
		entries = append(entries, entry(fmt.Sprintf("f%02d", i), day0.Add(time.Duration(i/3)*time.Hour), cp("s", 0, fmt.Sprintf("k:%d", i))))
	}
	put(f, db, entries...)
	ctx := context.Background()
	for cursor := ""; ; {
		f.Add(cursor)
		_, next, err := db.Newest(ctx, 7, cursor)
		if err != nil {
			f.Fatal(err)
		}
		if next == "" {
			break
		}
		cursor = next
	}

	f.Fuzz(func(t *testing.T, cursor string) {
		page, next, err := db.Newest(ctx, 7, cursor)
		if err != nil {
			if cursor == "" || !errors.Is(err, ErrBadCursor) {
				t.Fatalf("Newest(%q): %v", cursor, err)
			}
			return
		}
		var from []byte // nil: from the newest
		if cursor != "" {
			if from, err = base64.RawURLEncoding.DecodeString(cursor); err != nil {
				t.Fatalf("Newest accepted %q, which does not decode: %v", cursor, err)
			}
			if base64.RawURLEncoding.EncodeToString(from) != cursor {
				t.Fatalf("Newest accepted the non-canonical cursor %q", cursor)
			}
		}
		prev := from
		for _, e := range page {
			k := timeKey(e.Published, e.ID)
			if prev != nil && bytes.Compare(k, prev) >= 0 {
				t.Fatalf("cursor %q: entry %s at %x is not older than %x", cursor, e.ID, k, prev)
			}
			prev = k
		}
		if next != "" && next != base64.RawURLEncoding.EncodeToString(prev) {
			t.Fatalf("cursor %q: next %q does not name the page's last entry", cursor, next)
		}
	})
}
