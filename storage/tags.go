package storage

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"slices"
	"time"
)

// A tag's feed is a subscription: readers keep polling it when retention
// has pruned the last entry with that category, or the upstream has
// dropped the category from its posts, and a 404 then reads as a broken
// feed (some readers unsubscribe). The tags-seen bucket keeps every tag
// the tag index has held, so that the server answers such a feed with no
// entries rather than 404. Its keys are tags.
//
// A write creates the bucket when the store has none (a store of an older
// build), filled from the tag index as it is then; a read-only open of
// such a store knows the tags of its index only (KnownTags).
//
// Each value is when the tag was last indexed or had a record removed
// (8-byte Unix seconds, written again at most daily), so at least when its
// last entry went. Retention forgets a tag no entry has for
// tagRetirement after that (Prune, at most daily), so that upstreams'
// passing categories (a tag cloud per post) do not pile up for good, each
// one a feed that render -dir writes. With retention off, nothing is
// pruned and tags retire only when upstreams drop a category; they are
// kept. A value that is not 8 bytes (the first build of the bucket wrote
// none) counts as written when first seen by the sweep.

// tagRetirement is how long a tag's feed is answered after its last entry
// went: long enough for a reader that polls daily, or a weekly category.
const tagRetirement = 90 * 24 * time.Hour

// openTagsSeen finds the tags-seen bucket, creating and filling it in a
// write transaction of a store that has none.
func (t *tx) openTagsSeen() error {
	if t.tagsSeen = t.btx.Bucket([]byte(bucketTagsSeen)); t.tagsSeen != nil || !t.btx.Writable() {
		return nil
	}
	b, err := t.btx.CreateBucket([]byte(bucketTagsSeen))
	if err != nil {
		return fmt.Errorf("bucket %s: %w", bucketTagsSeen, err)
	}
	t.tagsSeen = b
	return t.seeIndexedTags()
}

// seeIndexedTags records every tag of the tag index as seen.
func (t *tx) seeIndexedTags() error {
	return t.indexedTags(func(tag []byte) error { return t.sawTag(tag) })
}

// sawTag records the tag of k, a tag index key (or a tag alone), as seen.
func (t *tx) sawTag(k []byte) error {
	if t.tagsSeen == nil {
		return nil
	}
	if i := bytes.IndexByte(k, 0); i >= 0 {
		k = k[:i]
	}
	if len(k) == 0 {
		return nil
	}
	now := t.now
	if now.IsZero() {
		now = time.Now()
	}
	if at, ok := stampOf(t.tagsSeen.Get(k)); ok && withinADay(at, now) {
		return nil
	}
	if err := t.tagsSeen.Put(k, u64(uint64(now.Unix()))); err != nil {
		return fmt.Errorf("tags seen: %w", err)
	}
	return nil
}

// forgetTags removes from the tags seen those no entry has and none has
// had since before, at most once a day (each sweep reads the whole
// bucket), and reports how many it removed: their feeds are 404 from then
// on.
func (t *tx) forgetTags(before, now time.Time) (int, error) {
	if t.tagsSeen == nil {
		return 0, nil
	}
	if at, ok := stampOf(t.meta.Get([]byte(metaTagsSwept))); ok && withinADay(at, now) {
		return 0, nil
	}
	var old, unstamped [][]byte
	err := t.tagsSeen.ForEach(func(k, v []byte) error {
		at, ok := stampOf(v)
		switch {
		case !ok || at.After(now):
			// None, or from a clock that ran ahead: from now.
			unstamped = append(unstamped, slices.Clone(k))
			return nil
		case !at.Before(before):
			return nil
		}
		prefix := append(slices.Clone(k), 0)
		if live, _ := t.byTag.Cursor().Seek(prefix); bytes.HasPrefix(live, prefix) {
			return nil
		}
		old = append(old, slices.Clone(k))
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("tags seen: %w", err)
	}
	for _, k := range unstamped {
		if err := t.tagsSeen.Put(k, u64(uint64(now.Unix()))); err != nil {
			return 0, fmt.Errorf("tags seen: %w", err)
		}
	}
	for _, k := range old {
		if err := t.tagsSeen.Delete(k); err != nil {
			return 0, fmt.Errorf("tags seen: %w", err)
		}
	}
	if err := t.meta.Put([]byte(metaTagsSwept), u64(uint64(now.Unix()))); err != nil {
		return 0, fmt.Errorf("tags seen: %w", err)
	}
	return len(old), nil
}

// indexedTags calls fn with each tag of the tag index, in byte order,
// reading one key per tag.
func (t *tx) indexedTags(fn func(tag []byte) error) error {
	c := t.byTag.Cursor()
	for k, _ := c.First(); k != nil; {
		i := bytes.IndexByte(k, 0)
		if i <= 0 {
			return fmt.Errorf("tags: malformed tag index key %x", k)
		}
		tag := slices.Clone(k[:i])
		if err := fn(tag); err != nil {
			return err
		}
		k, _ = c.Seek(append(tag, 1))
	}
	return nil
}

// Tags returns every tag that some stored entry's categories give, in
// byte order. It reads one key per tag, however many entries each has.
func (db *DB) Tags(ctx context.Context) ([]string, error) {
	var tags []string
	err := db.view(ctx, "tags", func(t *tx) error { return t.indexedTags(collect(&tags)) })
	return tags, err
}

// collect returns a callback appending each tag it is given to tags.
func collect(tags *[]string) func(tag []byte) error {
	return func(tag []byte) error { *tags = append(*tags, string(tag)); return nil }
}

// KnownTags returns every tag that a stored entry's categories have given
// since the store recorded them, whether or not one still does, in byte
// order: the tags whose feeds are answered.
func (db *DB) KnownTags(ctx context.Context) ([]string, error) {
	var tags []string
	err := db.view(ctx, "known tags", func(t *tx) error {
		if t.tagsSeen == nil {
			return t.indexedTags(collect(&tags))
		}
		add := collect(&tags)
		return t.tagsSeen.ForEach(func(k, _ []byte) error { return add(k) })
	})
	return tags, err
}

// stampOf reads a stamp of the tags seen (8-byte Unix seconds); false
// when v is none.
func stampOf(v []byte) (time.Time, bool) {
	if len(v) != 8 {
		return time.Time{}, false
	}
	return time.Unix(int64(binary.BigEndian.Uint64(v)), 0), true
}

// withinADay reports whether stamp is at most a day before now: a stamp
// after now (a clock that once ran ahead) is not, so that it is written
// again rather than trusted until that date.
func withinADay(stamp, now time.Time) bool {
	d := now.Sub(stamp)
	return d >= 0 && d < 24*time.Hour
}
