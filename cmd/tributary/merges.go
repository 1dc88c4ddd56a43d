package main

import (
	"context"
	"errors"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/storage"
)

// mergeCounter is the store as the daemon's ingester sees it: every
// committed transaction reports the copies it merged into existing entries,
// by the identify rule that matched them (tributary_merges_total). The
// fetch reports count merges per source but not per rule; this sees the
// rule on each copy as it is stored.
type mergeCounter struct {
	*storage.DB
	observe func(byRule map[string]int)
}

func (s mergeCounter) Update(ctx context.Context, fn func(tx feed.Tx) error) error {
	t := &mergeTx{byRule: map[string]int{}}
	err := s.DB.Update(ctx, func(tx feed.Tx) error {
		t.Tx = tx
		clear(t.byRule) // only what the committed attempt wrote counts
		return fn(t)
	})
	if err == nil && len(t.byRule) > 0 {
		s.observe(t.byRule)
	}
	return err
}

// mergeTx counts, in each PutEntry, the copies the stored entry did not
// have yet (a copy is the same when its source published it under one of
// the same identity keys).
type mergeTx struct {
	feed.Tx
	byRule map[string]int
}

func (t *mergeTx) PutEntry(e *feed.Entry) error {
	old, err := t.Tx.Entry(e.ID)
	switch {
	case errors.Is(err, feed.ErrNotFound):
		// A new entry: its copies were not merged into anything.
	case err != nil:
		return err
	default:
		for _, c := range e.Copies {
			if old.CopyOf(c.SourceID, c.Keys) < 0 {
				t.byRule[c.Rule]++
			}
		}
	}
	return t.Tx.PutEntry(e)
}
