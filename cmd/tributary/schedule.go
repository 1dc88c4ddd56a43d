package main

import (
	"context"
	"time"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/ingest"
)

// maxSleep bounds the scheduler's sleep, so that clock jumps are noticed
// within a minute; a reload wakes it at once.
const maxSleep = time.Minute

// schedule fetches sources as they fall due until ctx is done. It reads the
// config in effect before every round, ingester and politeness included, so
// a reload changes everything about the next round.
// A round that could not write to the store is logged and tried again at
// the next wake-up: a daemon outlives a full disk.
func (d *daemon) schedule(ctx context.Context) {
	for {
		rep, err := d.round(ctx, ingest.Due)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			d.log.Error("fetch round failed", "error", err)
		}
		if !d.ready.Load() {
			d.markReady()
		}
		t := time.NewTimer(nextWake(rep, time.Now()))
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-d.wake:
			t.Stop()
		case <-t.C:
		}
	}
}

// nextWake is how long to sleep until the first source falls due, between
// a second and maxSleep.
func nextWake(rep feed.RoundReport, now time.Time) time.Duration {
	wait := maxSleep
	for _, s := range rep.Sources {
		if s.NextFetch.IsZero() {
			continue
		}
		wait = min(wait, s.NextFetch.Sub(now))
	}
	return max(wait, time.Second)
}

// wakeUp makes the scheduler run a round now (sources added by a reload are
// due at once); it never blocks.
func (d *daemon) wakeUp() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}
