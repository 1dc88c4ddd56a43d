package main

import (
	"context"
	"fmt"
	"net"
	"sync"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/ingest"
	"github.com/tributary/tributary/server"
)

const serveAbout = `
Run the daemon: fetch every source when it falls due (fetch.interval, or the
source's own interval; failing sources back off), and serve the unified feed:

  GET /feed.atom  /feed.rss  /feed.json   the newest output.max_items entries
  GET /healthz                            liveness
  GET /readyz                             200 once the first round is done
  POST /-/fetch                           run a round now (loopback, or token)

SIGINT or SIGTERM stops it cleanly: fetches in flight are cancelled, the HTTP
server drains, the store is closed.`

func runServe(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "serve", "[-config FILE] [-v]", serveAbout)
	if err := f.parse(args, 0); err != nil {
		return err
	}
	cfg, err := loadConfig(f.config)
	if err != nil {
		return err
	}
	log := newLogger(e.stderr, cfg, f.verbose, false)
	db, err := openStore(cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	ln, err := net.Listen("tcp", cfg.Server.Listen)
	if err != nil {
		return fmt.Errorf("listen on %s (server.listen): %w", cfg.Server.Listen, err)
	}
	in := newIngester(cfg, db, log)
	sources := cfg.Sources()
	polite := politeness(cfg)
	trigger := roundTrigger(func(ctx context.Context) (feed.RoundReport, error) {
		return in.Round(ctx, sources, ingest.All, polite)
	})
	srv := server.New(db, trigger, serverOptions(cfg, log))
	log.Info("serving", "listen", ln.Addr().String(), "feed", cfg.Server.BaseURL+"feed.atom",
		"store", db.Path(), "sources", len(sources))

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		first := true
		_ = in.Run(ctx, func() []feed.Source { return sources }, polite, func(feed.RoundReport, error) {
			if first {
				srv.Ready(true)
				first = false
			}
		})
	}()
	err = srv.Serve(ctx, ln)
	cancel()
	wg.Wait()
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	log.Info("stopped")
	return nil
}

// roundTrigger adapts a function to the server's Trigger.
type roundTrigger func(ctx context.Context) (feed.RoundReport, error)

func (t roundTrigger) Round(ctx context.Context) (feed.RoundReport, error) { return t(ctx) }
