package ingest

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/fetch"
)

// Mode chooses which sources a round fetches.
type Mode int

const (
	// Due fetches the sources whose interval or backoff has elapsed: the
	// daemon's schedule.
	Due Mode = iota
	// All fetches every source except those backing off after failures or
	// asked to wait by Retry-After: a cron run.
	All
	// Force fetches every source now.
	Force
)

// Politeness bounds the load a round puts on upstreams (and carries the
// retention applied after it, since both come from the same config).
type Politeness struct {
	Concurrency int           // requests in flight over all hosts [8]
	PerHost     int           // requests in flight to one host [2]
	HostDelay   time.Duration // minimum time between request starts to one host
	// Retention is applied to the store after the round.
	Retention Retention
}

// Round fetches srcs as mode says, concurrently within p, and reports every
// source it considered. Rounds do not overlap: a round asked for while one
// runs waits for it. The error is only for a store that cannot be read or
// written; it ends the round.
//
// The states of sources that bring no entries (not modified, failed) are
// stored several to a transaction, all of them before Round returns (see
// stateBatch), and fetched feeds that would wait for the store share a
// transaction (see committer).
func (in *Ingester) Round(ctx context.Context, srcs []feed.Source, mode Mode, p Politeness) (feed.RoundReport, error) {
	in.roundMu.Lock()
	defer in.roundMu.Unlock()
	rep := feed.RoundReport{Started: in.opts.Now(), Sources: make([]feed.SourceReport, len(srcs))}
	states, err := in.states(ctx, srcs)
	if err != nil {
		return rep, err
	}
	if p.Concurrency <= 0 {
		p.Concurrency = 8
	}
	if p.PerHost <= 0 {
		p.PerHost = 2
	}
	var jobs []roundJob
	for i, src := range srcs {
		st := states[src.ID]
		if skip, why := in.skip(st, src, mode); skip {
			// The time it falls due under this config, not the stored
			// one: the daemon sleeps until the first (see nextWake).
			rep.Sources[i] = feed.SourceReport{SourceID: src.ID, Name: src.Name, URL: src.URL,
				Outcome: feed.Skipped, Error: why, NextFetch: in.Due(st, src)}
			if in.opts.Done != nil {
				in.opts.Done(rep.Sources[i])
			}
			continue
		}
		jobs = append(jobs, roundJob{i: i, src: src, st: st})
	}
	sched := newScheduler(jobs, p.PerHost, p.HostDelay)
	out := newRoundSink(in.store)
	ran := make([]bool, len(srcs))
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	fail := func(err error) {
		mu.Lock()
		defer mu.Unlock()
		if firstErr == nil {
			firstErr = err
		}
	}
	for range min(p.Concurrency, len(jobs)) {
		wg.Go(func() {
			for {
				j, host, ok := sched.take(ctx)
				if !ok {
					return
				}
				r, err := in.ingest(ctx, j.src, j.st, out)
				sched.done(host)
				rep.Sources[j.i], ran[j.i] = r, true
				if r.Outcome == feed.Failed && strings.HasPrefix(r.Error, notFetched) {
					// Stopped: not the source's failure, and not held
					// against it (a store failing meanwhile is logged as
					// a failure).
					in.opts.Logger.Info("fetch stopped", "source", r.Name, "reason", r.Error)
				} else {
					in.logResult(r)
				}
				if in.opts.Done != nil {
					in.opts.Done(r)
				}
				if err != nil {
					fail(err)
				}
			}
		})
	}
	wg.Wait()
	for _, j := range jobs {
		if !ran[j.i] {
			rep.Sources[j.i] = cancelled(j.src, ctx.Err())
		}
	}
	// The states fetched before a cancellation are still worth keeping:
	// they hold the validators that make the next fetch a 304.
	if err := out.batch.flush(context.WithoutCancel(ctx)); err != nil {
		fail(err)
	}
	// A batch that could not be written failed every source in it, not
	// only the one whose state completed it.
	for i, s := range rep.Sources {
		if err := out.batch.unstored(s.SourceID); err != nil && ran[i] {
			msg := feed.RedactText(fmt.Sprintf("not stored: %v", err))
			if s.Outcome == feed.Failed {
				msg = s.Error + "; and its state was " + msg
			}
			rep.Sources[i].Outcome, rep.Sources[i].Error = feed.Failed, msg
		}
	}
	// A stopped round leaves retention to the next one: pruning is no
	// part of what it fetched, and a cancelled Prune would only fail it.
	if ctx.Err() == nil {
		if _, err := in.Prune(ctx, p.Retention); err != nil {
			fail(err)
		}
	}
	rep.Duration = in.opts.Now().Sub(rep.Started)
	return rep, firstErr
}

// notFetched begins the error of a source a stopped round did not fetch.
const notFetched = "not fetched: "

func cancelled(src feed.Source, err error) feed.SourceReport {
	return feed.SourceReport{SourceID: src.ID, Name: src.Name, URL: src.URL,
		Outcome: feed.Failed, Error: notFetched + err.Error()}
}

// skip decides whether a source sits this round out, and says why.
func (in *Ingester) skip(st feed.SourceState, src feed.Source, mode Mode) (bool, string) {
	due := in.Due(st, src)
	if mode == Force || due.IsZero() || !in.opts.Now().Before(due) {
		return false, ""
	}
	if st.ConfiguredURL != src.URL {
		return false, "" // a new URL is a new subscription
	}
	if st.Failures > 0 {
		return true, fmt.Sprintf("backing off after %d %s until %s; last error: %s",
			st.Failures, plural(st.Failures, "failure", "failures"), due.Format(time.RFC3339), st.LastError)
	}
	if mode == Due {
		return true, ""
	}
	return false, ""
}

// Due is when src, whose state is st, falls due under this Ingester's
// options (what rounds decide by, and the sources page shows): its stored
// NextFetch, or earlier when the config was changed since that was
// computed. A reload builds another Ingester with the new intervals, but the
// stored NextFetch was computed with the old ones: a source whose interval
// went from a day to a minute would otherwise wait out the day. So a source
// that is not failing is due at the latest one interval (the one configured
// now) after its last fetch, and a source backing off at the latest
// BackoffMax after its last attempt; a longer interval or BackoffMax changes
// nothing until the next fetch. A backoff is not shortened by a shorter
// interval: it was earned by failures, not chosen by the config.
//
// A 429 or 503 may have asked for a pause longer than BackoffMax
// (Retry-After, up to fetch.MaxRetryAfter, which failed honours): that
// pause stands, so the backoff of such a source is capped at the longer of
// the two; a shorter BackoffMax does not bring it forward.
func (in *Ingester) Due(st feed.SourceState, src feed.Source) time.Time {
	next := st.NextFetch
	if next.IsZero() {
		return next
	}
	last, limit := st.LastSuccess, in.interval(src)
	if st.Failures > 0 {
		last, limit = st.LastAttempt, in.backoffMax(src)
		if st.LastStatus == http.StatusTooManyRequests || st.LastStatus == http.StatusServiceUnavailable {
			limit = max(limit, fetch.MaxRetryAfter)
		}
	} else if last.IsZero() {
		last = st.LastAttempt
	}
	if last.IsZero() {
		return next // no time to count from: a state of unknown origin
	}
	if capped := last.Add(limit); capped.Before(next) {
		return capped
	}
	return next
}

func (in *Ingester) states(ctx context.Context, srcs []feed.Source) (map[string]feed.SourceState, error) {
	states := make(map[string]feed.SourceState, len(srcs))
	err := in.store.View(ctx, func(tx feed.Tx) error {
		for _, src := range srcs {
			st, err := tx.SourceState(src.ID)
			if err != nil {
				return err
			}
			states[src.ID] = st
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read source states: %w", err)
	}
	return states, nil
}

func (in *Ingester) logResult(r feed.SourceReport) {
	args := []any{"source", r.Name, "outcome", string(r.Outcome), "status", r.Status,
		"items", r.Items, "known", r.Known, "new", r.New, "updated", r.Updated, "merged", r.Merged,
		"bytes", r.Bytes, "duration", r.Duration.Round(time.Millisecond).String()}
	if r.Outcome == feed.Failed {
		in.opts.Logger.Warn("fetch failed", append(args, "error", r.Error, "next", r.NextFetch)...)
		return
	}
	if r.Truncated {
		// The upstream is cutting its feed: worth an operator's look.
		in.opts.Logger.Warn("fetched a feed that ended early; kept the items that arrived whole, will fetch it in full next time",
			append(args, "truncated", true)...)
		return
	}
	in.opts.Logger.Info("fetched", args...)
}

func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "" // local files share one gate; they cost nothing to anyone
	}
	return u.Host
}

// plural is one or many, as n asks.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
