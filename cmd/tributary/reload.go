package main

import (
	"context"
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/tributary/tributary/config"
)

// defaultConfigPoll is how often serve looks for a changed config file.
const defaultConfigPoll = 3 * time.Second

// watchConfig reloads the config on SIGHUP (reload) and whenever the config
// file, or the OPML file it merges, changes (modification time or size,
// polled every poll), until ctx is done.
func (d *daemon) watchConfig(ctx context.Context, reload <-chan os.Signal, poll time.Duration) {
	if poll <= 0 {
		poll = defaultConfigPoll
	}
	seen := d.fileStamps()
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-reload:
			d.log.Info("SIGHUP: reloading the config", "config", d.path)
		case <-t.C:
			now := d.fileStamps()
			if slices.Equal(now, seen) {
				continue
			}
			d.log.Info("config file changed: reloading", "config", d.path)
		}
		d.reload()
		seen = d.fileStamps()
	}
}

// fileStamps identifies the versions of the files the config is read from.
// A file that cannot be stat'ed stamps as missing; it changes again when it
// comes back.
func (d *daemon) fileStamps() []string {
	files := []string{d.path}
	if opml := d.cur.Load().cfg.SourcesOPML; opml != "" {
		files = append(files, opml)
	}
	stamps := make([]string, len(files))
	for i, f := range files {
		if fi, err := os.Stat(f); err == nil {
			stamps[i] = fmt.Sprintf("%s/%d", fi.ModTime(), fi.Size())
		}
	}
	return stamps
}

// reload loads and validates the config file again. An invalid config is
// logged with every problem and the config in effect is kept; a valid one
// takes effect for the requests and rounds that follow. The store and the
// listener stay: changing them (or the log format) needs a restart, which
// is logged. WebSub hubs follow the config in effect (server.Options.Current).
func (d *daemon) reload() bool {
	cfg, err := config.Load(d.path)
	if err != nil {
		d.log.Error("config reload failed; keeping the config in effect", "config", d.path, "error", err)
		return false
	}
	// Compared with the config the process started with, not the last
	// one loaded: a key changed and changed back is in effect again.
	for _, key := range restartOnly(d.boot, cfg) {
		d.log.Warn("config change needs a restart; ignored until then", "key", key)
	}
	old := d.cur.Swap(d.build(cfg))
	// The old fetcher's kept-alive connections would linger until their
	// idle timeout (90 s), two goroutines and a socket each (soak QA: 20
	// reloads held 17 more sockets). One a round in flight still uses
	// waits out its idle timeout, as all did before.
	old.fetcher.CloseIdleConnections()
	d.site.SetOptions(d.webOptions(cfg))
	d.level.Set(logLevel(cfg, false, false))
	d.log.Info("config reloaded", "config", d.path, "sources", len(cfg.Sources()))
	d.wakeUp() // new sources are due now
	return true
}

// restartOnly lists the keys whose change a reload cannot apply: the store
// and the listener are kept for the process's life, and so is the rate
// limiter in front of every server a reload builds (its clients'
// allowances must outlive a reload); the logger's format is set up once.
func restartOnly(old, cfg *config.Config) []string {
	var keys []string
	if old.Storage.Path != cfg.Storage.Path {
		keys = append(keys, "storage.path")
	}
	if old.Storage.Timeout != cfg.Storage.Timeout {
		keys = append(keys, "storage.timeout")
	}
	if old.Server.Listen != cfg.Server.Listen {
		keys = append(keys, "server.listen")
	}
	if old.Server.RateLimit != cfg.Server.RateLimit {
		keys = append(keys, "server.rate_limit")
	}
	// The burst and the proxies matter only to a limit, and the proxies
	// only with a header to read; the proxies compare as the server reads
	// them ("::1" is "::1/128").
	limited := old.Server.RateLimit != 0 || cfg.Server.RateLimit != 0
	if limited && old.Server.RateBurst != cfg.Server.RateBurst {
		keys = append(keys, "server.rate_burst")
	}
	if old.Server.ClientIPHeader != cfg.Server.ClientIPHeader {
		keys = append(keys, "server.client_ip_header")
	}
	if cfg.Server.ClientIPHeader != "" && !slices.Equal(old.Server.Proxies(), cfg.Server.Proxies()) {
		keys = append(keys, "server.trusted_proxies")
	}
	if old.Server.MaxConnections != cfg.Server.MaxConnections {
		keys = append(keys, "server.max_connections")
	}
	if old.Log.Format != cfg.Log.Format {
		keys = append(keys, "log.format")
	}
	return keys
}
