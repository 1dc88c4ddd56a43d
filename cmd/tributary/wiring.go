package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"time"

	"github.com/tributary/tributary/config"
	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/fetch"
	"github.com/tributary/tributary/feed/ingest"
	"github.com/tributary/tributary/feed/render"
	"github.com/tributary/tributary/server"
	"github.com/tributary/tributary/storage"
	"github.com/tributary/tributary/web"
)

// loadConfig loads and validates the config; any problem is a usage error,
// so that a wrong config exits 2 with every problem listed.
func loadConfig(path string) (*config.Config, error) {
	cfg, err := config.Load(path)
	if err != nil {
		return nil, usageError{err}
	}
	return cfg, nil
}

// newLogger builds the process logger: text on a terminal, JSON otherwise
// (log.format overrides). quiet commands (fetch) log only errors unless -v,
// because their report is what a cron mail should show.
func newLogger(w io.Writer, cfg *config.Config, verbose, quiet bool) *slog.Logger {
	log, _ := newLevelLogger(w, cfg, verbose, quiet)
	return log
}

// newLevelLogger is newLogger with its level variable, which a config
// reload sets.
func newLevelLogger(w io.Writer, cfg *config.Config, verbose, quiet bool) (*slog.Logger, *slog.LevelVar) {
	level := new(slog.LevelVar)
	level.Set(logLevel(cfg, verbose, quiet))
	opts := &slog.HandlerOptions{Level: level}
	format := cfg.Log.Format
	if format == "" || format == "auto" {
		format = "json"
		if isTerminal(w) {
			format = "text"
		}
	}
	if format == "text" {
		return slog.New(slog.NewTextHandler(w, opts)), level
	}
	return slog.New(slog.NewJSONHandler(w, opts)), level
}

// logLevel is log.level, lowered to info by -v and raised to error for
// quiet commands.
func logLevel(cfg *config.Config, verbose, quiet bool) slog.Level {
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.Log.Level)); err != nil {
		level = slog.LevelInfo
	}
	switch {
	case verbose:
		level = min(level, slog.LevelInfo)
	case quiet:
		level = max(level, slog.LevelError)
	}
	return level
}

// isTerminal reports whether w is a character device (a terminal), without
// a dependency for it: log files and journald get JSON, people get text.
func isTerminal(w io.Writer) bool {
	if t, ok := w.(interface{ terminal() bool }); ok {
		return t.terminal() // a writer in front of one (progress)
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// openExistingStore is openStore for the commands that only read the store
// (render, backup, explain): where storage.path names nothing they fail,
// instead of creating an empty store and, for render -dir, publishing its
// empty feeds over the real ones because of a typo or a volume not mounted.
func openExistingStore(e *env, cfg *config.Config) (*storage.DB, error) {
	fi, err := os.Stat(cfg.Storage.Path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("no store at %s (storage.path): nothing has been fetched there yet; run tributary fetch, or correct the path", cfg.Storage.Path)
	case err != nil:
		return nil, fmt.Errorf("store %s: %w", cfg.Storage.Path, err)
	case fi.Mode().IsRegular() && fi.Size() == 0:
		// storage.Open refuses it too; this says what to run next.
		return nil, fmt.Errorf("store %s (storage.path): the file is empty, not a Tributary store: restore it from a backup, or remove it and run tributary fetch", cfg.Storage.Path)
	}
	// Read-only: these commands change nothing, not even counts a
	// writable open would rebuild (QA: a backup of an older build's store
	// wrote to the store it copied), and they work on a read-only mount
	// or a store of another user's. A store of an older layout is the
	// exception: only a writable open migrates it.
	db, err := e.openStore(cfg.Storage.Path, storage.Options{Timeout: cfg.Storage.Timeout, ReadOnly: true})
	if errors.Is(err, storage.ErrSchema) {
		return openStore(e, cfg, nil)
	}
	return db, err
}

// openStore is storage.Open, or the env's stand-in for it.
func (e *env) openStore(path string, opts storage.Options) (*storage.DB, error) {
	if e.open != nil {
		return e.open(path, opts)
	}
	return storage.Open(path, opts)
}

// openStore opens the store for writing, logging a migration of an older
// layout (which makes a start-up slow) when log is not nil.
func openStore(e *env, cfg *config.Config, log *slog.Logger) (*storage.DB, error) {
	db, err := e.openStore(cfg.Storage.Path, storage.Options{Timeout: cfg.Storage.Timeout})
	if err != nil && !errors.Is(err, storage.ErrLocked) {
		return nil, err
	}
	if err == nil && log != nil {
		if m, ok := db.Migrated(); ok {
			log.Info("store migrated", "store", db.Path(), "from_schema", m.From, "to_schema", m.To, "took", m.Took.Round(time.Millisecond))
		}
	}
	return db, err
}

func userAgent(cfg *config.Config) string {
	if cfg.Fetch.UserAgent != "" {
		return cfg.Fetch.UserAgent
	}
	return "Tributary/" + version + " (+https://github.com/tributary/tributary)"
}

func newFetcher(cfg *config.Config) *fetch.Fetcher {
	return fetch.New(fetch.Options{
		UserAgent: userAgent(cfg),
		Timeout:   cfg.Fetch.Timeout,
		MaxBody:   int64(cfg.Fetch.MaxBody),
	})
}

// newIngester builds the pipeline over db, downloading through f (the
// fetcher of newFetcher, or a wrapper that reports progress).
// newIngester makes the pipeline of cfg; done, when not nil, hears of each
// source a round is done with (ingest.Options.Done).
func newIngester(cfg *config.Config, db ingest.Store, f ingest.Fetcher, log *slog.Logger, done func(feed.SourceReport)) *ingest.Ingester {
	return ingest.New(db, f, ingest.Options{
		Interval:   cfg.Fetch.Interval,
		BackoffMax: cfg.Fetch.BackoffMax,
		MaxItems:   cfg.Fetch.MaxItems,
		MaxAge:     cfg.Storage.Retention.MaxAge,
		Priority:   priorities(cfg),
		Logger:     log,
		Done:       done,
	})
}

func politeness(cfg *config.Config) ingest.Politeness {
	return ingest.Politeness{
		Concurrency: cfg.Fetch.Concurrency,
		PerHost:     cfg.Fetch.PerHost,
		HostDelay:   cfg.Fetch.HostDelay,
		Retention: ingest.Retention{
			MaxAge:     cfg.Storage.Retention.MaxAge,
			MaxEntries: cfg.Storage.Retention.MaxEntries,
		},
	}
}

// feedPage describes the unified feed document in format f.
func feedPage(cfg *config.Config, f render.Format) render.Page {
	return render.Page{
		Title:        cfg.Output.Title,
		ID:           cfg.Output.ID,
		Author:       cfg.Output.Author,
		Description:  cfg.Output.Description,
		SelfURL:      cfg.Server.BaseURL + "feed." + string(f),
		AlternateURL: cfg.Server.BaseURL,
		BaseURL:      cfg.Server.BaseURL,
		Hubs:         cfg.Output.WebSubHubs,
	}
}

func renderOptions(cfg *config.Config) render.Options {
	return render.Options{Share: cfg.ShareLinks(), UTM: cfg.Output.UTM, Private: feed.NewPrivate(cfg.Sources(), nil)}
}

func serverOptions(cfg *config.Config, log *slog.Logger) server.Options {
	p := feedPage(cfg, render.Atom)
	p.SelfURL = ""
	return server.Options{
		Page:          p,
		Render:        renderOptions(cfg),
		Sources:       cfg.Sources(),
		UserAgent:     userAgent(cfg),
		MaxItems:      cfg.Output.MaxItems,
		CacheControl:  cfg.Server.CacheControl,
		Token:         cfg.Server.Token,
		TrustLoopback: cfg.Server.TrustLoopback,
		Proxies:       proxies(cfg),
		MaxConns:      cfg.Server.MaxConnections,
		Listen:        cfg.Server.Listen,
		Logger:        log,
	}
}

// webOptions configures the pages; sources returns the configured sources
// in effect (they change on reload).
func webOptions(cfg *config.Config, sources func() []feed.Source, log *slog.Logger) web.Options {
	return web.Options{
		Title:       cfg.Output.Title,
		Description: cfg.Output.Description,
		BaseURL:     cfg.Server.BaseURL,
		Share:       cfg.ShareLinks(),
		UTM:         cfg.Output.UTM,
		Sources:     sources,
		Private:     feed.NewPrivate(cfg.Sources(), nil),
		Logger:      log,
	}
}

// newest returns the latest modification among entries, for the feed's
// updated date.
func newest(entries []*feed.Entry) time.Time {
	var t time.Time
	for _, e := range entries {
		if e.Modified.After(t) {
			t = e.Modified
		}
	}
	return t
}

// priorities maps source ids to their configured priority.
func priorities(cfg *config.Config) map[string]int {
	p := map[string]int{}
	for _, s := range cfg.Sources() {
		if s.Priority != 0 {
			p[s.ID] = s.Priority
		}
	}
	return p
}

// proxies is the server's view of server.client_ip_header and
// server.trusted_proxies.
func proxies(cfg *config.Config) server.Proxies {
	return server.Proxies{Header: cfg.Server.ClientIPHeader, Trusted: cfg.Server.Proxies()}
}
