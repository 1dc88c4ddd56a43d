package main

import (
	"context"
	"fmt"
	"github.com/tributary/tributary/server"
	"net"
	"net/http"
	"os"
	"sync"
)

const serveAbout = `
Run the daemon: fetch every source when it falls due (fetch.interval, or the
source's own interval; failing sources back off), keep the store, and serve
the unified feed, the web pages and the daemon's endpoints on server.listen.

Pages (HTML, no JavaScript needed):
  GET /                                   the river: newest entries, paged
  GET /entries/{id}                       one entry in full, every copy, share links
  GET /sources                            every source's fetch status, failing first

Feeds and endpoints:
  GET /feed.atom  /feed.rss  /feed.json   the newest output.max_items entries
                                          (?page=N or ?before=CURSOR for older ones)
  GET /sources/{id}/feed.{atom,rss,json}  one source's entries
  GET /tags/{tag}/feed.{atom,rss,json}    one tag's entries
  GET /sources.opml  /feeds.opml          the upstream feeds; the feeds served here
  GET /entries/{id}/explain               JSON: every copy of an entry and why
  GET /metrics                            Prometheus metrics (text format; token)
  GET /healthz                            liveness
  GET /readyz                             200 once the first round is done
  POST /-/fetch[?force=1]                 run a round now (token)
  GET /-/backup                           a consistent copy of the store (token)

Token: "Authorization: Bearer <token>", server.token or the local token the
daemon writes at each start to STORE.token (storage.path + ".token", readable
by the user it runs as), which "tributary fetch" and "backup" send themselves.
Loopback alone admits nothing unless server.trust_loopback is true.

Signals:
  SIGHUP          reload the config (so does saving the config file, or the
                  sources_opml file it names: they are checked every few
                  seconds). An invalid config is logged and the one in effect
                  kept. Sources, fetch, output, storage.retention and server
                  settings take effect at once (WebSub hubs at the next
                  poll), except storage.path, storage.timeout, server.listen,
                  the rate limit (server.rate_limit, rate_burst,
                  client_ip_header, trusted_proxies), server.max_connections
                  and log.format, which need a restart (a reload says so).
  SIGINT, SIGTERM stop cleanly: fetches in flight are cancelled (a round
                  triggered over HTTP too) and what they fetched is kept,
                  the HTTP server drains, the store is closed. A second
                  signal ends the process at once.

Examples:
  tributary serve -config /etc/tributary/config.yaml
  systemctl reload tributary        # sends SIGHUP`

func runServe(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "serve", "[-config FILE] [-v]", serveAbout)
	f.addVerbose("log at info level even when log.level is warn or error")
	if err := f.parse(args, 0); err != nil {
		return err
	}
	cfg, err := loadConfig(f.config)
	if err != nil {
		return err
	}
	log, level := newLevelLogger(e.stderr, cfg, f.verbose, false)
	db, err := openStore(e, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	// Written once the store is ours, so that the token beside it is this
	// daemon's; removed at the stop (one a crash leaves is replaced at the
	// next start and admits nothing meanwhile).
	// A directory that may not be written beside a store file that may
	// (a file-level grant) costs the local token, not the service.
	tokenPath := cfg.Storage.LocalTokenPath()
	localToken, err := writeLocalToken(tokenPath)
	if err != nil {
		log.Warn("no local token: the operator endpoints answer server.token only", "error", err)
		tokenPath = ""
	} else {
		defer os.Remove(tokenPath)
	}
	ln, err := net.Listen("tcp", cfg.Server.Listen)
	if err != nil {
		return fmt.Errorf("listen on %s (server.listen): %w", cfg.Server.Listen, err)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	d := newDaemon(ctx, f.config, cfg, db, log, level, localToken)
	// The first server instance runs the listener for the process's life;
	// the handler it serves routes to whichever instance a reload built.
	serving := d.cur.Load().srv
	// The rate limit is fixed at start: a reload keeps the one in effect.
	top := server.RateLimit(d.handler(), cfg.Server.RateLimit, cfg.Server.RateBurst, proxies(cfg), log)
	serving.Wrap(func(http.Handler) http.Handler { return top })
	log.Info("serving", "listen", ln.Addr().String(), "site", cfg.Server.BaseURL,
		"feed", cfg.Server.BaseURL+"feed.atom", "store", db.Path(), "sources", len(cfg.Sources()),
		"operator_token", tokenPath)

	// Logged as the stop begins, and always before "stopped".
	stopping := make(chan struct{})
	go func() {
		defer close(stopping)
		<-ctx.Done()
		log.Info("stopping: fetches in flight are cancelled, requests drain")
	}()
	var wg sync.WaitGroup
	wg.Go(func() { d.schedule(ctx) })
	wg.Go(func() { d.watchConfig(ctx, e.reload, e.configPoll) })
	err = serving.Serve(ctx, ln)
	cancel()
	<-stopping
	wg.Wait()
	// A round triggered over HTTP may still be storing what it fetched
	// when the server has stopped waiting for its answer: the store stays
	// open until it is done.
	d.stopRounds()
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	log.Info("stopped")
	return nil
}
