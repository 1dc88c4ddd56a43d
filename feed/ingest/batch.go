package ingest

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/tributary/tributary/feed"
)

// A round stores the states of the sources that brought no entries (not
// modified, failed) several to a transaction: each transaction costs two
// fsyncs, and in a round over thousands of sources where most answer 304,
// a transaction per source was most of the round's time. A batch is written
// once it holds batchStates states or its oldest waited batchAge, and at the
// end of the round, before Round returns.
const (
	batchStates = 256
	batchAge    = time.Second
)

// stateBatch collects the state-only writes of a round. A crash loses at
// most the states not yet written: those sources are fetched again with
// their previous validators, which costs one request each and loses
// nothing stored.
type stateBatch struct {
	// write runs a transaction (committer.do).
	write func(ctx context.Context, fn func(tx feed.Tx) error) error

	mu      sync.Mutex
	pending []feed.SourceState
	since   time.Time // when the oldest pending state was added
	// lost holds, by source id, why a state was not written: the round
	// reports those sources failed, whichever one's put wrote the batch.
	lost map[string]error

	// flushing admits one write at a time, so batches land in order.
	flushing sync.Mutex
}

// put adds a state, writing the batch when it is due.
func (b *stateBatch) put(ctx context.Context, st feed.SourceState) error {
	b.mu.Lock()
	if len(b.pending) == 0 {
		b.since = time.Now()
	}
	b.pending = append(b.pending, st)
	due := len(b.pending) >= batchStates || time.Since(b.since) >= batchAge
	b.mu.Unlock()
	if !due {
		return nil
	}
	// A batch taken out of pending is written even while the round is
	// being stopped: failing it would drop the states, validators and
	// all, of sources already fetched.
	return b.flush(context.WithoutCancel(ctx))
}

// flush writes every pending state in one transaction.
func (b *stateBatch) flush(ctx context.Context) error {
	b.flushing.Lock()
	defer b.flushing.Unlock()
	b.mu.Lock()
	states := b.pending
	b.pending = nil
	b.mu.Unlock()
	if len(states) == 0 {
		return nil
	}
	err := b.write(ctx, func(tx feed.Tx) error {
		for _, st := range states {
			if err := tx.PutSourceState(st); err != nil {
				return fmt.Errorf("state of %s: %w", st.SourceID, err)
			}
		}
		return nil
	})
	if err != nil {
		err = fmt.Errorf("store the states of %d sources: %w", len(states), err)
		b.mu.Lock()
		if b.lost == nil {
			b.lost = map[string]error{}
		}
		for _, st := range states {
			b.lost[st.SourceID] = err
		}
		b.mu.Unlock()
		return err
	}
	return nil
}

// unstored reports why the state of source id was not written, nil when
// it was (or was never put).
func (b *stateBatch) unstored(id string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.lost[id]
}

// roundSink stores a round's fetches: states in batches, feeds by group
// commit, batches joining the groups.
type roundSink struct {
	batch  *stateBatch
	commit *committer
}

func newRoundSink(store Store) roundSink {
	c := &committer{store: store}
	return roundSink{batch: &stateBatch{write: c.do}, commit: c}
}

func (s roundSink) state(ctx context.Context, st feed.SourceState) error { return s.batch.put(ctx, st) }

func (s roundSink) update(ctx context.Context, fn func(tx feed.Tx) error) error {
	return s.commit.do(ctx, fn)
}
