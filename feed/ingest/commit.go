package ingest

import (
	"context"
	"slices"
	"sync"

	"github.com/tributary/tributary/feed"
)

// committer writes the fetched feeds of a round to the store with group
// commit: a feed whose transaction would wait behind another's joins the
// next transaction with every other feed waiting by then, and that one
// transaction stores them all. Each transaction costs two fsyncs, which the
// store's single writer lock made the bound of a round: a thousand fetched
// feeds were a thousand transactions in a row. No timer is involved, so a
// lone writer never waits for company.
//
// A function given to do may run more than once: when another function of
// its group fails, the group's transaction is rolled back and the others
// run again without it. Functions must keep their effects to tx, or undo
// them on the next run.
type committer struct {
	store Store

	mu    sync.Mutex
	queue []*commitRequest
	// writing is held by the goroutine writing a group: the leader.
	writing sync.Mutex
}

type commitRequest struct {
	fn   func(tx feed.Tx) error
	err  error
	done bool
}

// do runs fn in a write transaction, possibly with other functions, and
// returns fn's error or the transaction's.
func (c *committer) do(ctx context.Context, fn func(tx feed.Tx) error) error {
	req := &commitRequest{fn: fn}
	c.mu.Lock()
	c.queue = append(c.queue, req)
	c.mu.Unlock()
	c.writing.Lock()
	defer c.writing.Unlock()
	c.mu.Lock()
	if req.done {
		// The previous leader wrote it.
		c.mu.Unlock()
		return req.err
	}
	group := c.queue
	c.queue = nil
	c.mu.Unlock()
	c.write(ctx, group)
	return req.err
}

// write runs a group in one transaction. A function that fails is taken out
// with its error and the others are run again in a new transaction; a
// transaction that fails to begin or commit fails all of them.
func (c *committer) write(ctx context.Context, group []*commitRequest) {
	for len(group) > 0 {
		failed := -1
		err := c.store.Update(ctx, func(tx feed.Tx) error {
			for i, r := range group {
				if err := r.fn(tx); err != nil {
					failed = i
					return err
				}
			}
			return nil
		})
		c.mu.Lock()
		if failed < 0 {
			// Committed (err is nil), or the transaction itself failed.
			for _, r := range group {
				r.err, r.done = err, true
			}
			c.mu.Unlock()
			return
		}
		group[failed].err, group[failed].done = err, true
		c.mu.Unlock()
		group = slices.Delete(slices.Clone(group), failed, failed+1)
	}
}
