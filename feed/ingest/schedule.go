package ingest

import (
	"context"
	"time"

	"github.com/tributary/tributary/feed"
)

// maxSleep bounds the scheduler's sleep so that sources added by a config
// reload, and clock jumps, are noticed within a minute.
const maxSleep = time.Minute

// Run fetches sources as they fall due until ctx is done. sources is called
// before each round, so a reloaded config takes effect at the next one;
// after, when not nil, receives each round's report. A round that could not
// write to the store is logged and tried again at the next wake-up: a daemon
// outlives a full disk.
func (in *Ingester) Run(ctx context.Context, sources func() []feed.Source, p Politeness, after func(feed.RoundReport, error)) error {
	for {
		rep, err := in.Round(ctx, sources(), Due, p)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			in.opts.Logger.Error("fetch round failed", "error", err)
		}
		if after != nil {
			after(rep, err)
		}
		t := time.NewTimer(in.sleep(rep))
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
	}
}

// sleep returns how long to wait until the next source falls due.
func (in *Ingester) sleep(rep feed.RoundReport) time.Duration {
	now := in.opts.Now()
	wait := maxSleep
	for _, s := range rep.Sources {
		if s.NextFetch.IsZero() {
			continue
		}
		if d := s.NextFetch.Sub(now); d < wait {
			wait = d
		}
	}
	return max(wait, time.Second)
}
