package storage

import (
	"bytes"
	"context"
	"fmt"
	"time"
)

// Prune applies retention in one write transaction: it removes the entries
// published before now-maxAge (maxAge 0: no age limit) and all but the
// newest maxEntries (0: no limit). Each removed entry's identity keys move
// from the key index to the tombstones, stamped with now, so that an
// upstream still listing the article cannot bring it back. A key that
// another entry owns is left to that entry and not tombstoned. It also
// sweeps a bounded share of the tombstones, forgetting those no upstream
// has listed for a year (tombstones.go), and forgets the tags no entry has
// had for tagRetirement (tags.go).
//
// Both limits remove a prefix of the time index, so Prune reads only the
// entries it removes.
func (db *DB) Prune(ctx context.Context, maxAge time.Duration, maxEntries int, now time.Time) (removed int, err error) {
	if maxAge < 0 || maxEntries < 0 {
		return 0, fmt.Errorf("prune %s: negative limit (age %s, entries %d)", db.path, maxAge, maxEntries)
	}
	if err := ctx.Err(); err != nil {
		return 0, fmt.Errorf("prune %s: %w", db.path, err)
	}
	if maxAge == 0 && maxEntries == 0 {
		// Nothing to prune; tombstones of earlier pruning still expire,
		// in a write transaction only when there are any.
		return 0, db.sweepOnly(ctx, now)
	}
	changed := false
	_, err = db.update(ctx, "prune", func(t *tx) error {
		t.now = now       // the removals stamp the tags they retire
		var cutoff []byte // time keys below it are too old
		if maxAge > 0 {
			cutoff = u64(uint64(clampNanos(now.Add(-maxAge))))
		}
		excess := 0
		if maxEntries > 0 {
			excess = t.count() - maxEntries
		}
		// Collect first: deleting under a live cursor makes bbolt skip keys.
		var victims []string
		c := t.times.Cursor()
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			tooOld := cutoff != nil && len(k) >= 8 && bytes.Compare(k[:8], cutoff) < 0
			if !tooOld && len(victims) >= excess {
				break
			}
			if len(k) <= 8 {
				return fmt.Errorf("prune %s: malformed time index key %x", db.path, k)
			}
			victims = append(victims, string(k[8:]))
		}
		stamp := u64(uint64(clampNanos(now)))
		for i, id := range victims {
			if i%1024 == 0 {
				if err := ctx.Err(); err != nil {
					return fmt.Errorf("prune %s: %w", db.path, err)
				}
			}
			freed, err := t.removeEntry(id)
			if err != nil {
				return fmt.Errorf("prune %s: %w", db.path, err)
			}
			for _, k := range freed {
				if err := t.tombs.Put([]byte(k), stamp); err != nil {
					return fmt.Errorf("prune %s: tombstone %q: %w", db.path, k, err)
				}
			}
		}
		removed = len(victims)
		if _, err := t.sweepTombstones(now.Add(-tombstoneMaxAge), tombstoneSweep); err != nil {
			return err
		}
		forgot, err := t.forgetTags(now.Add(-tagRetirement), now)
		if err != nil {
			return fmt.Errorf("prune %s: %w", db.path, err)
		}
		if forgot > 0 {
			changed = true // the feeds of forgotten tags are gone
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	if removed > 0 || changed {
		db.version.Add(1)
	}
	return removed, nil
}

// sweepOnly sweeps the tombstones when retention is off (see Prune).
func (db *DB) sweepOnly(ctx context.Context, now time.Time) error {
	found := false
	err := db.view(ctx, "prune", func(t *tx) error {
		k, _ := t.tombs.Cursor().First()
		found = k != nil
		return nil
	})
	if err != nil || !found {
		return err
	}
	_, err = db.update(ctx, "prune", func(t *tx) error {
		_, err := t.sweepTombstones(now.Add(-tombstoneMaxAge), tombstoneSweep)
		return err
	})
	return err
}
