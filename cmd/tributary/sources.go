package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/tributary/tributary/config"
	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/fetch"
	"github.com/tributary/tributary/feed/ingest"
	"github.com/tributary/tributary/feed/parse"
)

const sourcesUsage = `Usage: tributary sources import [-config FILE] [-check=false] [-n] [-v] SUBSCRIPTIONS.opml
       tributary sources export [-config FILE] [-o FILE]

Move subscriptions between Tributary and other feed readers, as OPML.

  import   add the feeds of an OPML file (exported by another reader) to the
           OPML file the config merges (sources_opml)
  export   write every configured source as an OPML 2.0 subscription list

Run "tributary sources import -h" or "tributary sources export -h" for details.
`

func runSources(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(e.stderr, sourcesUsage)
		return usageError{errors.New("want import or export")}
	}
	switch args[0] {
	case "import":
		return runSourcesImport(ctx, e, args[1:])
	case "export":
		return runSourcesExport(ctx, e, args[1:])
	case "-h", "-help", "--help", "help":
		fmt.Fprint(e.stdout, sourcesUsage)
		return errHelp
	}
	fmt.Fprint(e.stderr, sourcesUsage)
	return usageError{fmt.Errorf("unknown subcommand %q: want import or export", args[0])}
}

const importAbout = `
Add the feeds of SUBSCRIPTIONS.opml, as exported by another feed reader, to
Tributary's sources. They are written to the OPML file the config names in
sources_opml, which Tributary merges with its sources: list. When the config
names none, subscriptions.opml is created beside the config and the line

  sources_opml: subscriptions.opml

is appended to the config. A running "tributary serve" picks the change up by
itself within seconds (or at once with SIGHUP).

Feeds already subscribed (the same URL) are skipped. A feed whose name is taken
gets its host added to its name ("News (example.org)"). Folders and categories
become tags.

With -check (the default) each new feed is fetched and parsed first, with
progress shown on standard error, and feeds that fail are reported and left
out: exports of old subscriptions are full of dead feeds. -check=false imports
every feed without fetching anything. A feed Tributary cannot take at all
(a URL it cannot fetch, such as ftp://, or a bad category) is reported as
REFUSED and left out, whatever -check says.

The result is validated as a whole before anything is kept: when the config
would not load, every file is restored and the problems are printed.

Prints a line per imported feed and a summary. Exit status: 0 imported (even
nothing new), 1 some feeds failed the check or were refused (the others were
imported), 2 a usage error or an OPML or config that cannot be read.

Example:
  tributary sources import ~/Downloads/feeds.opml`

func runSourcesImport(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "sources import", "[-config FILE] [-check=false] [-n] [-v] SUBSCRIPTIONS.opml", importAbout)
	f.addVerbose("also list the feeds already subscribed to")
	check := f.Bool("check", true, "fetch and parse each new feed first; leave out those that fail")
	dry := f.Bool("n", false, "dry run: report what would be imported and change nothing")
	if err := f.parse(args, 1); err != nil {
		return err
	}
	if f.NArg() != 1 {
		return usageError{errors.New("want the OPML file to import")}
	}
	cfg, err := loadConfig(f.config)
	if err != nil {
		return err
	}
	incoming, err := readOPMLFile(f.Arg(0))
	if err != nil {
		return usageError{err}
	}
	plan, err := planImport(cfg, f.config, incoming)
	if err != nil {
		return err
	}
	if f.verbose {
		for _, s := range plan.skipped {
			fmt.Fprintf(e.stdout, "exists  %s <%s>\n", s.Name, feed.RedactedURL(s.URL))
		}
	}
	var failed []checkResult
	if *check && len(plan.added) > 0 {
		plan.added, failed = checkFeeds(ctx, cfg, plan.added, e.stderr)
	}
	// Written before anything is reported as added: a write that the
	// config refuses changes nothing, and then nothing was added.
	if !*dry && len(plan.added) > 0 {
		if err := plan.write(f.config); err != nil {
			return err
		}
	}
	for _, s := range plan.added {
		fmt.Fprintf(e.stdout, "added   %s <%s>\n", s.Name, feed.RedactedURL(s.URL))
	}
	for _, r := range plan.refused {
		fmt.Fprintf(e.stdout, "REFUSED %s <%s>: %s\n", r.src.Name, feed.RedactedURL(r.src.URL), feed.RedactText(r.err.Error()))
	}
	for _, r := range failed {
		fmt.Fprintf(e.stdout, "FAILED  %s <%s>: %s\n", r.src.Name, feed.RedactedURL(r.src.URL), feed.RedactText(r.err.Error()))
	}
	fmt.Fprintf(e.stdout, "%d feeds in %s: %d added, %d already subscribed", len(incoming), f.Arg(0), len(plan.added), len(plan.skipped))
	if len(plan.refused) > 0 {
		fmt.Fprintf(e.stdout, ", %d refused", len(plan.refused))
	}
	if *check {
		fmt.Fprintf(e.stdout, ", %d failed the check", len(failed))
	}
	fmt.Fprintln(e.stdout)
	switch {
	case *dry:
		fmt.Fprintln(e.stdout, "dry run: nothing written")
	case len(plan.added) > 0:
		fmt.Fprintf(e.stdout, "written to %s\n", plan.target)
		if plan.appendLine {
			fmt.Fprintf(e.stdout, "%s now reads it (sources_opml: %s)\n", f.config, filepath.Base(plan.target))
		}
	}
	if len(failed) > 0 || len(plan.refused) > 0 {
		return errReported
	}
	return nil
}

// importPlan is what an import adds and where it writes it.
type importPlan struct {
	target     string          // the OPML file written
	appendLine bool            // the config names no sources_opml yet
	kept       []config.Source // the target's feeds before the import
	existed    bool            // the target file existed
	added      []config.Source
	skipped    []config.Source
	refused    []checkResult // feeds no config could hold
}

func readOPMLFile(path string) ([]config.Source, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read OPML: %w", err)
	}
	defer f.Close()
	srcs, err := config.ReadOPML(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	// Local files named relative to the OPML file stay valid wherever the
	// list is written next.
	dir := filepath.Dir(path)
	for i := range srcs {
		if u := srcs[i].URL; !strings.Contains(u, "://") && !filepath.IsAbs(u) && u != "" {
			if abs, err := filepath.Abs(filepath.Join(dir, u)); err == nil {
				srcs[i].URL = abs
			}
		}
	}
	return srcs, nil
}

// planImport decides which incoming feeds are new and names them uniquely.
func planImport(cfg *config.Config, configPath string, incoming []config.Source) (*importPlan, error) {
	p := &importPlan{target: cfg.SourcesOPML}
	if p.target == "" {
		abs, err := filepath.Abs(configPath)
		if err != nil {
			return nil, fmt.Errorf("resolve %s: %w", configPath, err)
		}
		p.target, p.appendLine = filepath.Join(filepath.Dir(abs), "subscriptions.opml"), true
	}
	if _, err := os.Stat(p.target); err == nil {
		p.existed = true
		kept, err := readOPMLFile(p.target)
		if err != nil {
			return nil, err
		}
		p.kept = kept
	}
	urls, ids := map[string]bool{}, map[string]bool{}
	for _, s := range append(append([]config.Source(nil), cfg.SourceList...), p.kept...) {
		urls[s.URL] = true
		ids[config.Slug(s.Name)] = true
	}
	for _, s := range incoming {
		if urls[s.URL] {
			p.skipped = append(p.skipped, s)
			continue
		}
		if err := s.Check(); err != nil {
			p.refused = append(p.refused, checkResult{src: s, err: err})
			continue
		}
		urls[s.URL] = true
		s.Name = uniqueName(s.Name, s.URL, ids)
		s.ID = config.Slug(s.Name)
		ids[s.ID] = true
		p.added = append(p.added, s)
	}
	return p, nil
}

// uniqueName returns name, or name with the feed's host, or with a number,
// whichever is first free among ids (names must be unique as slugs).
func uniqueName(name, url string, ids map[string]bool) string {
	if !ids[config.Slug(name)] {
		return name
	}
	if _, rest, ok := strings.Cut(url, "://"); ok {
		host, _, _ := strings.Cut(rest, "/")
		if n := fmt.Sprintf("%s (%s)", name, host); host != "" && !ids[config.Slug(n)] {
			return n
		}
	}
	for i := 2; ; i++ {
		if n := fmt.Sprintf("%s %d", name, i); !ids[config.Slug(n)] {
			return n
		}
	}
}

// write stores the merged list, appends sources_opml to the config when it
// had none, and checks that the config loads; on failure every file is put
// back as it was.
func (p *importPlan) write(configPath string) error {
	// The files a link names are rewritten and the links kept; the config
	// is loaded, below, as the daemon loads it: through the path given.
	given := configPath
	configPath, p.target = linkTarget(configPath), linkTarget(p.target)
	var all []feed.Source
	for _, s := range append(append([]config.Source(nil), p.kept...), p.added...) {
		all = append(all, feed.Source{ID: s.ID, Name: s.Name, URL: s.URL, Tags: s.Tags})
	}
	var oldTarget []byte
	if p.existed {
		var err error
		if oldTarget, err = os.ReadFile(p.target); err != nil {
			return fmt.Errorf("read %s: %w", p.target, err)
		}
	}
	oldConfig, err := os.ReadFile(configPath)
	if err != nil {
		return fmt.Errorf("read %s: %w", configPath, err)
	}
	// Put back as they were, atomically, with the modes they had.
	targetMode, configMode := modeOf(p.target, 0o644), modeOf(configPath, 0o644)
	restore := func() {
		if p.existed {
			_ = writeAtomic(p.target, targetMode, func(w io.Writer) error { _, err := w.Write(oldTarget); return err })
		} else {
			_ = os.Remove(p.target)
		}
		_ = writeAtomic(configPath, configMode, func(w io.Writer) error { _, err := w.Write(oldConfig); return err })
	}
	// The list is read by whoever reads the config (a daemon running as
	// the config's group): a new one takes the config's mode, owner and
	// group, an existing one keeps its own; once it holds a password it
	// is closed to others, but not to that group.
	perm := modeOf(p.target, modeOf(configPath, 0o644))
	if holdsCredentials(all) {
		perm &= 0o770
	}
	if err := writeAtomic(p.target, perm, func(w io.Writer) error { return config.WriteOPML(w, "Tributary sources", all) }); err != nil {
		return err
	}
	if !p.existed {
		ownLike(p.target, configPath)
	}
	if p.appendLine {
		text := string(oldConfig)
		if text != "" && !strings.HasSuffix(text, "\n") {
			text += "\n"
		}
		text += "\n# Feeds imported by `tributary sources import`, merged with sources:.\nsources_opml: " +
			filepath.Base(p.target) + "\n"
		write := func(w io.Writer) error { _, err := io.WriteString(w, text); return err }
		if err := writeAtomic(configPath, modeOf(configPath, 0o644), write); err != nil {
			restore()
			return err
		}
	}
	if _, err := config.Load(given); err != nil {
		restore()
		return usageError{fmt.Errorf("the imported feeds would make the config invalid; nothing was changed:\n%w", err)}
	}
	return nil
}

// checkResult is a feed that failed the import check, or was refused.
type checkResult struct {
	src config.Source
	err error
}

// checkFeeds fetches and parses every feed, a few at a time, with progress
// on w, and splits them into those that work and those that failed.
func checkFeeds(ctx context.Context, cfg *config.Config, srcs []config.Source, w io.Writer) (ok []config.Source, failed []checkResult) {
	fetcher := newFetcher(cfg)
	parser := parse.New()
	p := newProgress(w, isTerminal(w), "check", len(srcs))
	errs := make([]error, len(srcs))
	slots := make(chan struct{}, min(max(cfg.Fetch.Concurrency, 1), 8))
	var wg sync.WaitGroup
	for i, s := range srcs {
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			errs[i] = checkFeed(ctx, fetcher, parser, s.URL)
			p.step(s.Name)
		})
	}
	wg.Wait()
	p.finish()
	for i, s := range srcs {
		if errs[i] != nil {
			failed = append(failed, checkResult{src: s, err: errs[i]})
		} else {
			ok = append(ok, s)
		}
	}
	return ok, failed
}

func checkFeed(ctx context.Context, f ingest.Fetcher, p *parse.Parser, url string) error {
	resp, err := f.Fetch(ctx, fetch.Request{URL: url})
	if err != nil {
		return err
	}
	if resp.NotModified {
		// Sent no validators: fetch.Fetcher fails such a 304, and another
		// Fetcher that takes it for success has nothing here to parse.
		return nil
	}
	_, err = p.Parse(resp.Body, resp.ContentType)
	return err
}

const exportAbout = `
Write every configured source (sources: and the sources_opml file) as an OPML
2.0 subscription list, which other feed readers import and "tributary sources
import" reads back to the same names, URLs and tags. Local files are written as
file:// URLs. URLs are written as configured, credentials included
(http://user:password@host/feed), so that the list works in another reader:
keep the file private (-o then writes it readable by its owner only). The
served /sources.opml and the one "render -dir" writes leave credentials out.

Examples:
  tributary sources export > subscriptions.opml
  tributary sources export -o ~/backup/subscriptions.opml`

func runSourcesExport(_ context.Context, e *env, args []string) error {
	f := newFlags(e, "sources export", "[-config FILE] [-o FILE]", exportAbout)
	out := f.String("o", "", "write to `FILE` (replaced atomically) instead of standard output")
	if err := f.parse(args, 0); err != nil {
		return err
	}
	if err := checkOutFile(*out, ""); err != nil {
		return err
	}
	cfg, err := loadConfig(f.config)
	if err != nil {
		return err
	}
	srcs := cfg.Sources()
	write := func(w io.Writer) error { return config.WriteOPML(w, cfg.Output.Title, srcs) }
	if *out != "" {
		perm := os.FileMode(0o644)
		if holdsCredentials(srcs) {
			perm = 0o600
		}
		return writeAtomic(*out, perm, write)
	}
	bw := bufio.NewWriter(e.stdout)
	if err := write(bw); err != nil {
		return err
	}
	return bw.Flush()
}
