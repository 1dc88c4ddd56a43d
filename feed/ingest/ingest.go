package ingest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/fetch"
	"github.com/tributary/tributary/feed/identify"
	"github.com/tributary/tributary/feed/normalise"
	"github.com/tributary/tributary/feed/parse"
	"github.com/tributary/tributary/feed/sanitize"
)

// Store is what ingesting needs of the store: transactions over feed.Tx.
type Store interface {
	Update(ctx context.Context, fn func(tx feed.Tx) error) error
	View(ctx context.Context, fn func(tx feed.Tx) error) error
}

// Fetcher downloads a source; *fetch.Fetcher is the real one.
type Fetcher interface {
	Fetch(ctx context.Context, req fetch.Request) (*fetch.Response, error)
}

// Options tune the pipeline; zero values take the documented defaults.
type Options struct {
	Interval   time.Duration // between fetches of a source [15m]
	BackoffMax time.Duration // cap of the error backoff [24h]
	MaxItems   int           // items taken from one fetched feed [1000]
	// RedirectConfirmations is how many fetches in a row must be answered
	// by the same permanent redirect before the source moves there [3].
	RedirectConfirmations int
	Priority              map[string]int // source ID → configured priority
	// MaxAge is retention's age limit (0: none): a new article published
	// longer ago is not stored, rather than stored, pruned and tombstoned
	// by the round's retention (see identify.Source.Expired).
	MaxAge time.Duration
	Logger *slog.Logger
	Now    func() time.Time
	// Jitter returns a number in [0, 1) spreading backoffs; tests fix it.
	Jitter func() float64
	// Workers is how many items of one fetched feed are normalised and
	// sanitised at once [GOMAXPROCS]: a large feed is ingested in about
	// 1/Workers of the time when cores are free.
	Workers int
	// FullPass is how often every item of a feed is processed, not only
	// those that changed since the last fetch [24h, as often as the store
	// records that a tombstoned key is still listed]. A boilerplate line
	// a source starts repeating is learned at a full pass.
	FullPass time.Duration
	// Done, when set, is called with the report of each source a round
	// considered once it is done with: skipped at once, fetched once what
	// it brought is stored (a progress display, which then reaches its
	// total).
	// The round's goroutines call it: it must be safe for concurrent use.
	Done func(feed.SourceReport)
}

// Ingester fetches, parses, normalises, identifies and stores sources.
type Ingester struct {
	store    Store
	fetcher  Fetcher
	parser   *parse.Parser
	policy   *sanitize.Policy
	identify *identify.Identifier
	opts     Options
	roundMu  sync.Mutex
	// build identifies this build of Tributary (a digest of buildID): a
	// new one may make other Articles of the same items, so the digests of
	// items seen by an earlier build do not count (normalise.Fetched.Digest).
	build uint64
}

// New returns an Ingester writing to store through fetcher.
func New(store Store, fetcher Fetcher, opts Options) *Ingester {
	if opts.Interval <= 0 {
		opts.Interval = 15 * time.Minute
	}
	if opts.BackoffMax <= 0 {
		opts.BackoffMax = 24 * time.Hour
	}
	if opts.MaxItems <= 0 {
		opts.MaxItems = 1000
	}
	if opts.RedirectConfirmations <= 0 {
		opts.RedirectConfirmations = 3
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.FullPass <= 0 {
		opts.FullPass = 24 * time.Hour
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	if opts.Jitter == nil {
		opts.Jitter = rand.Float64
	}
	return &Ingester{
		store:    store,
		fetcher:  fetcher,
		parser:   parse.New(),
		policy:   sanitize.New(),
		identify: identify.New(opts.Priority),
		opts:     opts,
		build:    normalise.Digest(buildID()),
	}
}

// buildID names the running build: its module versions and build
// settings, and its executable's size and modification time, because a build
// without version control information (a source archive, -buildvcs=false)
// has the same settings whatever its code. Installing the same build again
// costs one full pass per source, no more.
func buildID() string {
	var b strings.Builder
	if bi, ok := debug.ReadBuildInfo(); ok {
		b.WriteString(bi.String())
	}
	// /proc/self/exe is the file this process runs even after an upgrade
	// replaced it on disk; elsewhere the path is all there is.
	fi, err := os.Stat("/proc/self/exe")
	if err != nil {
		if exe, xerr := os.Executable(); xerr == nil {
			fi, err = os.Stat(exe)
		}
	}
	if err == nil {
		fmt.Fprintf(&b, "\n%d %d", fi.Size(), fi.ModTime().UnixNano())
	}
	return b.String()
}

// Ingest runs the whole pipeline for one source and reports what happened.
// Failures are reported, recorded in the source's state and backed off; the
// returned error is only for a store that cannot be written.
func (in *Ingester) Ingest(ctx context.Context, src feed.Source) (feed.SourceReport, error) {
	var stored feed.SourceState
	err := in.store.View(ctx, func(tx feed.Tx) error {
		var err error
		stored, err = tx.SourceState(src.ID)
		return err
	})
	if err != nil {
		rep := feed.SourceReport{SourceID: src.ID, Name: src.Name, URL: src.URL}
		return rep, fmt.Errorf("read state of %s: %w", src.Name, err)
	}
	return in.ingest(ctx, src, stored, direct{in})
}

// ingest is Ingest with the source's stored state already read, storing
// through out.
func (in *Ingester) ingest(ctx context.Context, src feed.Source, stored feed.SourceState, out sink) (feed.SourceReport, error) {
	start := in.opts.Now()
	rep := feed.SourceReport{SourceID: src.ID, Name: src.Name, URL: src.URL}
	state := current(stored, src)
	rep.URL = state.URL
	state.LastAttempt = start

	res, err := in.fetchParse(ctx, state)
	rep.Duration = in.opts.Now().Sub(start)
	if res != nil {
		rep.Status, rep.Bytes = res.resp.Status, res.resp.Bytes
	}
	if err != nil {
		if ctx.Err() != nil {
			// Stopped here (a shutdown, a cancelled round), not by the
			// source: its state, failures and backoff stay as they were.
			return cancelled(src, context.Cause(ctx)), nil
		}
		in.failed(&state, &rep, src, err)
		return rep, out.state(ctx, state)
	}
	in.succeeded(&state, &rep, src, res.resp)
	if res.feed == nil { // not modified
		rep.Outcome = feed.NotModified
		if state.FullPass.IsZero() {
			// A state from before full passes were recorded: the build
			// that stored it processed every item of every feed it
			// fetched. Counting from now spreads the first monthly
			// fetches without validators over the month.
			state.FullPass = start
		}
		return rep, out.state(ctx, state)
	}
	rep.Outcome, rep.Truncated = feed.Fetched, res.truncated
	n := in.normalise(src, &state, &rep, res)
	st0, rep0 := state, rep
	// What was fetched is stored even if the round is being stopped: the
	// transaction is short, and dropping it would only fetch it again.
	err = out.update(context.WithoutCancel(ctx), func(tx feed.Tx) error {
		// A group commit may run this again: start from the same place.
		state, rep = st0, rep0
		return in.apply(tx, n, &state, &rep)
	})
	// What the source cost, storing included: a feed of thousands of new
	// items spends most of its time after the fetch.
	rep.Duration = in.opts.Now().Sub(start)
	if err != nil {
		// Nothing was stored, whatever apply counted before the
		// transaction failed: the report says so, without holding it
		// against the source, whose next fetch brings it all again.
		rep.New, rep.Updated, rep.Merged, rep.MergedBy = rep0.New, rep0.Updated, rep0.Merged, rep0.MergedBy
		rep.Outcome, rep.Error = feed.Failed, feed.RedactText(fmt.Sprintf("fetched, but not stored: %v", err))
		return rep, fmt.Errorf("store %s: %w", src.Name, err)
	}
	return rep, nil
}

// current returns the state to fetch a source with: its stored state, reset
// when the configured URL changed since it was recorded.
func current(st feed.SourceState, src feed.Source) feed.SourceState {
	if st.ConfiguredURL != src.URL {
		st = feed.SourceState{SourceID: src.ID, ConfiguredURL: src.URL, URL: src.URL,
			New: st.New, Updated: st.Updated, Merged: st.Merged}
	}
	if st.URL == "" {
		st.URL = src.URL
	}
	return st
}

// sink is where ingest stores what a fetch brought.
type sink interface {
	// state stores the state of a source whose fetch brought no entries.
	state(ctx context.Context, st feed.SourceState) error
	// update runs fn in a write transaction; fn may run more than once.
	update(ctx context.Context, fn func(tx feed.Tx) error) error
}

// direct stores each fetch in a transaction of its own, durable when ingest
// returns: what Ingest does.
type direct struct{ in *Ingester }

func (d direct) state(ctx context.Context, st feed.SourceState) error {
	err := d.in.store.Update(ctx, func(tx feed.Tx) error { return tx.PutSourceState(st) })
	if err != nil {
		return fmt.Errorf("store state of %s: %w", st.SourceID, err)
	}
	return nil
}

func (d direct) update(ctx context.Context, fn func(tx feed.Tx) error) error {
	return d.in.store.Update(ctx, fn)
}

// fetched is a fetched and parsed source; feed is nil when not modified.
type fetched struct {
	resp *fetch.Response
	feed *gofeed.Feed
	// truncated: the feed ended early (parse.Truncated).
	truncated bool
	// revalidated: asked without validators to make a full pass of it.
	revalidated bool
}

// fetchParse runs the fetch and parse steps. An upstream that serves an
// HTML page instead of its feed is followed once to a feed the page links
// to (followAlternates), as browsers' feed discovery does.
func (in *Ingester) fetchParse(ctx context.Context, st feed.SourceState) (*fetched, error) {
	req := fetch.Request{URL: st.URL, ETag: st.ETag, LastModified: st.LastModified, TrustAs: trustAs(st)}
	revalidate := (req.ETag != "" || req.LastModified != "") && revalidateDue(st, in.opts.Now())
	if revalidate {
		// Asked without validators, the upstream sends the feed and its
		// items are all identified (a full pass): see revalidateEvery.
		req.ETag, req.LastModified = "", ""
	}
	resp, err := in.fetcher.Fetch(ctx, req)
	if err != nil {
		return nil, err
	}
	if resp.NotModified {
		return &fetched{resp: resp}, nil
	}
	f, err := in.parser.Parse(resp.Body, resp.ContentType)
	var page *parse.HTMLPageError
	if errors.As(err, &page) && len(page.Alternates) > 0 {
		if resp, f, err = in.followAlternates(ctx, st, resp, page, err); err != nil {
			return &fetched{resp: resp}, err
		}
	} else if err != nil {
		return &fetched{resp: resp}, err
	}
	// A body cut by its framing may still parse whole (a gzip stream cut
	// after the document's end): it is reported cut short all the same.
	truncated := parse.Truncated(f) || resp.Truncated
	if truncated {
		// Keeping the validators would have the next fetch answered 304
		// and the rest of the feed never read.
		resp.ETag, resp.LastModified = "", ""
	}
	return &fetched{resp: resp, feed: f, truncated: truncated, revalidated: revalidate}, nil
}

// trustAs is the URL whose trust a fetch for source state st has
// (fetch.Request.TrustAs). Configured URLs are trusted as written (a
// source on the intranet), but a moved source's URL is the upstream's
// choice: trusted by its own host, an upstream that moved its feed to a
// name it later pointed at 127.0.0.1 or the cloud metadata address had
// the daemon fetch it every round and republish what came back. It has
// the trust of the configured URL; an intranet source that moved keeps
// working, even once its old name is gone, by its own host's
// (MovedTrusted: "" here).
func trustAs(st feed.SourceState) string {
	if st.MovedTrusted {
		return ""
	}
	return st.ConfiguredURL
}

// failed records a failed attempt and schedules the next one with backoff.
func (in *Ingester) failed(st *feed.SourceState, rep *feed.SourceReport, src feed.Source, err error) {
	now := in.opts.Now()
	st.Failures++
	// Kept, logged, reported and shown: with any credentials in its URLs
	// masked (net/http masks a password only, not a token user name).
	st.LastError = feed.RedactText(err.Error())
	st.LastStatus = rep.Status
	var se *fetch.StatusError
	if errors.As(err, &se) {
		st.LastStatus = se.Status
		rep.Status = se.Status
	}
	wait := fetch.Backoff(st.Failures, in.interval(src)/4, in.backoffMax(src), in.opts.Jitter())
	if se != nil && se.RetryAfter > wait {
		wait = se.RetryAfter
	}
	st.NextFetch = now.Add(wait)
	rep.Outcome, rep.Error, rep.NextFetch = feed.Failed, st.LastError, st.NextFetch
}

// backoffMax caps a failing source's backoff: BackoffMax, or the source's
// interval when that is longer, so that a failing source is never asked
// more often than a healthy one (a weekly newsletter under the default
// cap of a day).
func (in *Ingester) backoffMax(src feed.Source) time.Duration {
	return max(in.opts.BackoffMax, in.interval(src))
}

// succeeded records a successful fetch: validators, redirects, schedule.
func (in *Ingester) succeeded(st *feed.SourceState, rep *feed.SourceReport, src feed.Source, resp *fetch.Response) {
	now := in.opts.Now()
	st.Failures, st.LastError, st.LastStatus = 0, "", resp.Status
	st.LastSuccess = now
	st.NextFetch = now.Add(in.interval(src))
	rep.NextFetch = st.NextFetch
	if resp.ETag != "" || resp.LastModified != "" || !resp.NotModified {
		st.ETag, st.LastModified = resp.ETag, resp.LastModified
	}
	in.trackRedirect(st, resp.PermanentRedirect, resp.Trusted)
}

// trackRedirect moves a source after the same permanent redirect answered
// several fetches in a row: one misconfigured response must not move a
// subscription for good.
func (in *Ingester) trackRedirect(st *feed.SourceState, target string, trusted bool) {
	switch {
	case target == "":
		st.PendingRedirect, st.RedirectSeen = "", 0
	case target == st.PendingRedirect:
		st.RedirectSeen++
	default:
		st.PendingRedirect, st.RedirectSeen = target, 1
	}
	if st.PendingRedirect != "" && st.RedirectSeen >= in.opts.RedirectConfirmations {
		in.opts.Logger.Info("source moved permanently", "from", feed.RedactedURL(st.URL), "to", feed.RedactedURL(st.PendingRedirect))
		st.URL, st.MovedTrusted = st.PendingRedirect, trusted
		st.PendingRedirect, st.RedirectSeen = "", 0
	}
}

func (in *Ingester) interval(src feed.Source) time.Duration {
	if src.Interval > 0 {
		return src.Interval
	}
	return in.opts.Interval
}
