package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/render"
	"github.com/tributary/tributary/storage"
)

const renderAbout = `
Write the unified feed, newest entries first, to standard output or to a file.
With -o the file is replaced atomically (written beside it, then renamed), so a
web server publishing the directory never serves half a feed: run it from cron
after "fetch" for static publishing.

With -dir, write everything "serve" answers at a fixed path instead: the
unified feed, each source's and each tag's feed in every format, and
sources.opml and feeds.opml, at their URL paths below the directory
(feed.atom, sources/SLUG/feed.rss, tags/TAG/feed.json, ...), each replaced
atomically. Serve the directory at server.base_url. These files carry no
paging links (a static host ignores the queries they need). Files it wrote
before for feeds that no longer exist (a source or tag gone from the config
or the store) are removed; it keeps their list in DIR/.tributary-published
and touches no other file.

The store is opened for reading; while "tributary serve" runs, fetch the feed
from it instead (for example curl http://127.0.0.1:8080/feed.atom).`

func runRender(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "render", "[-config FILE] -format atom|rss|json [-limit N] [-o FILE] | -dir DIR", renderAbout)
	format := f.String("format", "atom", "output `format`: atom, rss or json")
	limit := f.Int("limit", -1, "render at most `N` entries; 0 renders every stored entry (default output.max_items)")
	out := f.String("o", "", "write to `FILE` instead of standard output")
	dir := f.String("dir", "", "write every feed and OPML list below `DIR`, for a static web host")
	if err := f.parse(args, 0); err != nil {
		return err
	}
	if *dir != "" {
		var clash []string
		f.Visit(func(fl *flag.Flag) {
			if fl.Name == "format" || fl.Name == "limit" || fl.Name == "o" {
				clash = append(clash, "-"+fl.Name)
			}
		})
		if len(clash) > 0 {
			return usageError{fmt.Errorf("-dir writes every feed in every format with output.max_items entries: drop %s", strings.Join(clash, ", "))}
		}
		return publish(ctx, e, f.config, *dir)
	}
	fm := render.Format(*format)
	if fm != render.Atom && fm != render.RSS && fm != render.JSON {
		return usageError{fmt.Errorf("-format %q: want atom, rss or json", *format)}
	}
	if *limit < -1 {
		return usageError{fmt.Errorf("-limit %d: want 0 (all) or more", *limit)}
	}
	if err := checkOutFile(*out, "did you mean -dir "+*out+"?"); err != nil {
		return err
	}
	cfg, err := loadConfig(f.config)
	if err != nil {
		return err
	}
	n := *limit
	if n == -1 {
		n = cfg.Output.MaxItems
	}
	db, err := openExistingStore(e, cfg)
	if errors.Is(err, storage.ErrLocked) {
		return fmt.Errorf("%w\n%s", err, lockedBy(cfg.Server.BaseURL+"feed."+string(fm)))
	}
	if err != nil {
		return err
	}
	defer db.Close()
	entries, _, err := db.Newest(ctx, n, "")
	if err != nil {
		return fmt.Errorf("read entries: %w", err)
	}
	page := feedPage(cfg, fm)
	page.Updated = newest(entries)
	write := func(w io.Writer) error { return render.Write(w, fm, page, entries, renderOptions(cfg)) }
	if *out == "" {
		bw := bufio.NewWriter(e.stdout)
		if err := write(bw); err != nil {
			return fmt.Errorf("render %s: %w", fm, err)
		}
		return bw.Flush()
	}
	return writeAtomic(*out, 0o644, write)
}

// checkOutFile refuses an -o that names a directory, before anything is
// done: writeAtomic would only fail at the end, renaming over it ("file
// exists"). hint, if any, follows the error in parentheses.
func checkOutFile(path, hint string) error {
	if path == "" || path == "-" {
		return nil
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		msg := "-o " + path + ": is a directory"
		if hint != "" {
			msg += " (" + hint + ")"
		}
		return usageError{errors.New(msg)}
	}
	return nil
}

// writeAtomic writes a file of mode perm through a temporary file beside
// it, synced, then renamed into place, so that readers see the old file
// or the complete new one, even after a crash. A file rewritten keeps its
// owner and group where the process may give them (root rewriting a
// config of root:tributary 0640 must leave it readable by the daemon). A
// symbolic link at path is replaced, not followed: in an output directory
// others may write to, a link planted there must not aim the write
// elsewhere (see linkTarget for the files that are the operator's own).
func writeAtomic(path string, perm os.FileMode, write func(io.Writer) error) error {
	return writeChecked(path, perm, write, nil)
}

// writeChecked is writeAtomic that, when check is not nil, gives it the
// file written before it replaces path: its error leaves path as it was.
func writeChecked(path string, perm os.FileMode, write func(io.Writer) error, check func(tmp string) error) (err error) {
	old, statErr := os.Lstat(path)
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*") // mode 0600
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if statErr == nil && old.Mode().IsRegular() {
		keepOwner(tmp, old)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	bw := bufio.NewWriter(tmp)
	if err := write(bw); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Chmod(perm); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("write %s: sync: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if check != nil {
		if err := check(tmp.Name()); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// linkTarget is the file a symbolic link at path names, or path: the
// config and its subscription list are the operator's own, and one that
// is a link (a ConfigMap mount) stays one when rewritten.
func linkTarget(path string) string {
	if real, err := filepath.EvalSymlinks(path); err == nil {
		return real
	}
	return path
}

// modeOf is the mode of the file at path, or perm when there is none: a
// file rewritten keeps the mode its owner gave it (a config holding a
// token may well be 0600).
func modeOf(path string, perm os.FileMode) os.FileMode {
	if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() {
		return fi.Mode().Perm()
	}
	return perm
}

// holdsCredentials reports whether any of srcs is fetched with credentials
// in its URL, or is private (its URL is a secret as a whole): a list of
// them is the operator's to share, unless it holds a secret.
func holdsCredentials(srcs []feed.Source) bool {
	for _, s := range srcs {
		if s.Private || feed.PublicSourceURL(s.URL) != s.URL {
			return true
		}
	}
	return false
}
