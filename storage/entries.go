package storage

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"

	"github.com/tributary/tributary/feed"
)

// Newest returns up to limit entries (0: all) in descending (Published, ID)
// order, starting after the cursor before ("": from the newest). next is the
// cursor of the following page, "" when there is nothing older.
//
// A cursor names a position in the time index, not an entry: it stays valid
// when that entry is pruned or re-dated, and pages never repeat an entry
// unless it was re-dated between calls. Only returned entries are decoded, so
// a page costs the same whatever the size of the store.
func (db *DB) Newest(ctx context.Context, limit int, before string) (entries []*feed.Entry, next string, err error) {
	if limit < 0 {
		return nil, "", fmt.Errorf("newest: negative limit %d", limit)
	}
	var from []byte
	if before != "" {
		if from, err = decodeCursor(before); err != nil {
			return nil, "", fmt.Errorf("newest before %q: %w", before, err)
		}
	}
	err = db.view(ctx, "newest", func(t *tx) error {
		c := t.times.Cursor()
		// Seek lands on the first key >= from; the page starts strictly
		// before it.
		var k []byte
		if from == nil {
			k, _ = c.Last()
		} else if k, _ = c.Seek(from); k == nil {
			k, _ = c.Last()
		} else {
			k, _ = c.Prev()
		}
		var last []byte
		for ; k != nil; k, _ = c.Prev() {
			if limit > 0 && len(entries) == limit {
				next = encodeCursor(last)
				break
			}
			if len(k) <= 8 {
				return fmt.Errorf("newest: malformed time index key %x", k)
			}
			e, err := decodeIndexed(t, k[8:], nil)
			if err != nil {
				return fmt.Errorf("newest: %w", err)
			}
			entries = append(entries, e)
			last = k
		}
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	return entries, next, nil
}

// decodeCursor returns the time index key a cursor encodes, refusing what no
// timeKey can produce.
func decodeCursor(s string) ([]byte, error) {
	k, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadCursor, err)
	}
	// The decoder skips newlines and ignores stray padding bits: insist on
	// the one spelling Newest issues, so that equal cursors are equal strings.
	if base64.RawURLEncoding.EncodeToString(k) != s {
		return nil, fmt.Errorf("%w: not canonical", ErrBadCursor)
	}
	if len(k) <= 8 || len(k) > 8+maxIDLen {
		return nil, fmt.Errorf("%w: wrong length", ErrBadCursor)
	}
	if k[0]&0x80 != 0 {
		return nil, fmt.Errorf("%w: time out of range", ErrBadCursor)
	}
	return k, nil
}

// Entry returns the entry with id; feed.ErrNotFound when there is none.
func (db *DB) Entry(ctx context.Context, id string) (*feed.Entry, error) {
	var e *feed.Entry
	err := db.view(ctx, "entry", func(t *tx) error {
		var err error
		e, err = t.Entry(id)
		return err
	})
	return e, err
}

// EntryByKey returns the entry indexed under an identity key;
// feed.ErrNotFound when there is none.
func (db *DB) EntryByKey(ctx context.Context, key string) (*feed.Entry, error) {
	var e *feed.Entry
	err := db.view(ctx, "entry by key", func(t *tx) error {
		id, _ := t.Lookup(key)
		if id == "" {
			return fmt.Errorf("key %q: %w", key, feed.ErrNotFound)
		}
		var err error
		e, err = t.Entry(id)
		return err
	})
	return e, err
}

// Count returns the number of stored entries without walking them.
func (db *DB) Count(ctx context.Context) (int, error) {
	var n int
	err := db.view(ctx, "count", func(t *tx) error {
		n = t.count()
		return nil
	})
	return n, err
}

// Sources returns every stored source state, ordered by source id.
func (db *DB) Sources(ctx context.Context) ([]feed.SourceState, error) {
	var out []feed.SourceState
	err := db.view(ctx, "sources", func(t *tx) error {
		return t.sources.ForEach(func(k, v []byte) error {
			s := feed.SourceState{SourceID: string(k)}
			if err := json.Unmarshal(v, &s); err != nil {
				return fmt.Errorf("decode source state %q: %w", k, err)
			}
			s.SourceID = string(k)
			out = append(out, s)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
