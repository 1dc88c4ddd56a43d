package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/ingest"
	"github.com/tributary/tributary/storage"
)

const fetchAbout = `
Fetch every configured source once, store what is new, and exit: the command to
run from cron. Sources that answer "not modified" cost nothing; sources that are
backing off after failures are skipped and reported (use -force to fetch them
anyway).

Nothing is printed when every source was fetched, so cron sends no mail; each
failing source is printed on its own line with the reason, and so is a feed
that arrived cut short (its whole items are kept; exit status 0). -v prints a line for
every source, logs each fetch and shows progress on standard error: a bar on a
terminal, a line at every tenth of the sources otherwise.

When a running "tributary serve" holds the store, the round is run by that
daemon through its local endpoint (POST /-/fetch) and its result is reported.

Exit status: 0 every source fetched or not modified, 1 a source failed or was
skipped while failing, 2 a usage or config error.`

func runFetch(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "fetch", "[-config FILE] [-v] [-force]", fetchAbout)
	f.addVerbose("report every source and log progress")
	force := f.Bool("force", false, "also fetch sources that are backing off after failures")
	if err := f.parse(args, 0); err != nil {
		return err
	}
	cfg, err := loadConfig(f.config)
	if err != nil {
		return err
	}
	log := newLogger(e.stderr, cfg, f.verbose, true)
	db, err := openStore(e, cfg, log)
	var rep feed.RoundReport
	switch {
	case errors.Is(err, storage.ErrLocked):
		log.Info("store in use by a running daemon; asking it to fetch", "listen", cfg.Server.Listen)
		rep, err = remoteRound(ctx, cfg, *force)
		if _, ran := errors.AsType[*roundError](err); ran {
			printReport(e.stdout, rep, f.verbose)
			return err
		}
		if err != nil && ctx.Err() != nil {
			// Stopped (a signal) while the daemon answered: it was there.
			return fmt.Errorf("stopped waiting for the daemon's round, which goes on: %w", context.Cause(ctx))
		}
		if err != nil {
			return fmt.Errorf("%s: %w", noDaemon, err)
		}
	case err != nil:
		return err
	default:
		defer db.Close()
		mode := ingest.All
		if *force {
			mode = ingest.Force
		}
		srcs := cfg.Sources()
		var (
			p    *progress
			done func(feed.SourceReport)
		)
		if f.verbose {
			// Progress on standard error; log lines go through it so
			// that they do not tear a bar drawn on a terminal. A source
			// counts once stored: a large feed spends most of its time
			// after the fetch.
			p = newProgress(e.stderr, isTerminal(e.stderr), "fetch", len(srcs))
			log = newLogger(p, cfg, f.verbose, true)
			done = func(r feed.SourceReport) { p.step(r.Name) }
		}
		in := newIngester(cfg, db, newFetcher(cfg), log, done)
		rep, err = in.Round(ctx, srcs, mode, politeness(cfg))
		if p != nil {
			p.finish() // before the report, which goes to the same terminal
		}
		if err != nil {
			// What was fetched, and what could not be stored, first.
			printReport(e.stdout, rep, f.verbose)
			return err
		}
	}
	if printReport(e.stdout, rep, f.verbose) {
		return errReported
	}
	return nil
}

// printReport writes a round's outcome for a person reading a cron mail and
// reports whether any source failed.
func printReport(w io.Writer, rep feed.RoundReport, verbose bool) (failed bool) {
	// Cron mails travel and are kept: URLs show no password, as in the
	// logs (a daemon's report arrives redacted already; again is harmless).
	rep = rep.Redacted()
	var fetched, unchanged, failures, skipped int
	for _, s := range rep.Sources {
		switch s.Outcome {
		case feed.Fetched:
			fetched++
		case feed.NotModified:
			unchanged++
		case feed.Failed:
			failures++
		case feed.Skipped:
			if s.Error != "" {
				failures++
			} else {
				skipped++
			}
		}
		if line := reportLine(s, verbose); line != "" {
			fmt.Fprintln(w, line)
		}
	}
	if failures > 0 || verbose {
		fmt.Fprintf(w, "%d sources in %s: %d fetched, %d not modified, %d failed",
			len(rep.Sources), rep.Duration.Round(time.Millisecond), fetched, unchanged, failures)
		if skipped > 0 {
			fmt.Fprintf(w, ", %d not due", skipped)
		}
		fmt.Fprintln(w)
	}
	return failures > 0
}

func reportLine(s feed.SourceReport, verbose bool) string {
	switch {
	case s.Outcome == feed.Failed:
		return fmt.Sprintf("FAILED %s (%s): %s", s.Name, s.URL, s.Error)
	case s.Outcome == feed.Skipped && s.Error != "":
		return fmt.Sprintf("FAILING %s (%s): %s", s.Name, s.URL, s.Error)
	case s.Truncated && !verbose:
		// Not a failure, but the upstream is misbehaving: worth a line
		// in the cron mail, as the daemon logs a warning.
		return fmt.Sprintf("CUT SHORT %s (%s): the feed ended early; %d items that arrived whole were read, the rest come next time",
			s.Name, s.URL, s.Items)
	case !verbose:
		return ""
	case s.Outcome == feed.NotModified:
		return fmt.Sprintf("ok     %s: not modified (%s)", s.Name, s.Duration.Round(time.Millisecond))
	case s.Outcome == feed.Skipped:
		return fmt.Sprintf("ok     %s: not due until %s", s.Name, s.NextFetch.Format(time.RFC3339))
	}
	cut := ""
	if s.Truncated {
		cut = " (the feed ended early: the items that arrived whole)"
	}
	if s.Known > 0 {
		cut += fmt.Sprintf(" (%d as fetched before)", s.Known)
	}
	return fmt.Sprintf("ok     %s: %d items%s, %d new, %d updated, %d merged (%s)",
		s.Name, s.Items, cut, s.New, s.Updated, s.Merged, s.Duration.Round(time.Millisecond))
}
