package ingest

import (
	"context"
	"fmt"
	"time"
)

// Retention bounds what the store keeps; zero values keep everything.
type Retention struct {
	MaxAge     time.Duration // entries published longer ago are removed
	MaxEntries int           // only the newest this many are kept
}

// Pruner is the store's retention operation. Removed entries leave
// tombstones, so an upstream that still lists them cannot bring them back.
type Pruner interface {
	Prune(ctx context.Context, maxAge time.Duration, maxEntries int, now time.Time) (int, error)
}

// Prune applies r to the store when it supports retention and r sets a
// limit; it is run after each round so the store never grows past it.
func (in *Ingester) Prune(ctx context.Context, r Retention) (int, error) {
	p, ok := in.store.(Pruner)
	if !ok || (r.MaxAge <= 0 && r.MaxEntries <= 0) {
		return 0, nil
	}
	n, err := p.Prune(ctx, r.MaxAge, r.MaxEntries, in.opts.Now())
	if err != nil {
		return n, fmt.Errorf("retention: %w", err)
	}
	if n > 0 {
		in.opts.Logger.Info("retention removed entries", "removed", n,
			"max_age", r.MaxAge.String(), "max_entries", r.MaxEntries)
	}
	return n, nil
}
