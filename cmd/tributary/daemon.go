package main

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tributary/tributary/config"
	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/fetch"
	"github.com/tributary/tributary/feed/ingest"
	"github.com/tributary/tributary/metrics"
	"github.com/tributary/tributary/server"
	"github.com/tributary/tributary/storage"
	"github.com/tributary/tributary/web"
)

// daemon is a running "serve": the store and listener it keeps for its
// whole life, and the config-dependent parts (live) that a reload swaps.
type daemon struct {
	path string // the config file, read again on reload
	// boot is the config the process started with: what the keys a
	// reload cannot change (restartOnly) stay at.
	boot  *config.Config
	log   *slog.Logger
	level *slog.LevelVar
	db    *storage.DB
	// localToken admits the operator's own tools to the operator
	// endpoints (localtoken.go); it lasts as long as the process.
	localToken string

	cur      atomic.Pointer[live]
	site     *web.Site
	registry *metrics.Registry
	pipeline *metrics.Pipeline

	roundMu sync.Mutex // rounds never overlap, whichever ingester runs them
	// life ends when the daemon stops. Every round ends with it, a
	// triggered one too, whose request's context outlives the signal so
	// that answers in flight can finish.
	life  context.Context
	ready atomic.Bool // the first round is done
	wake  chan struct{}
}

// live is what one version of the config builds. Nothing in it is changed
// after it is stored: a reload builds another and swaps it in whole, so a
// round or a request sees one config from start to end.
type live struct {
	cfg     *config.Config
	sources []feed.Source
	polite  ingest.Politeness
	in      *ingest.Ingester
	fetcher *fetch.Fetcher // in's, whose idle connections a reload closes
	srv     *server.Server
	// feeds is srv's own handler (the feeds, health, trigger), read before
	// the serving instance is wrapped.
	feeds http.Handler
}

func newDaemon(life context.Context, path string, cfg *config.Config, db *storage.DB, log *slog.Logger, level *slog.LevelVar, localToken string) *daemon {
	d := &daemon{life: life, path: path, boot: cfg, log: log, level: level, db: db, localToken: localToken,
		registry: metrics.NewRegistry(), wake: make(chan struct{}, 1)}
	d.pipeline = metrics.NewPipeline(d.registry, db, func() []feed.Source { return d.cur.Load().sources })
	d.registry.Gauge("tributary_build_info", "Version of the running Tributary (value 1).",
		"version", "go_version").Set(1, version, runtime.Version())
	metrics.RegisterProcess(d.registry)
	d.cur.Store(d.build(cfg))
	d.site = web.New(db, d.webOptions(cfg))
	return d
}

// webOptions configures the pages for cfg: the sources and the next
// fetches are those of the config in effect, which a reload swaps.
func (d *daemon) webOptions(cfg *config.Config) web.Options {
	opts := webOptions(cfg, d.sources, d.log)
	opts.Due = func(st feed.SourceState, src feed.Source) time.Time { return d.cur.Load().in.Due(st, src) }
	return opts
}

// build makes the config-dependent parts of the daemon.
func (d *daemon) build(cfg *config.Config) *live {
	l := &live{
		cfg:     cfg,
		sources: cfg.Sources(),
		polite:  politeness(cfg),
		fetcher: newFetcher(cfg),
	}
	l.in = newIngester(cfg, d.db, l.fetcher, d.log, nil)
	trigger := roundTrigger(func(ctx context.Context, force bool) (feed.RoundReport, error) {
		if force {
			return d.round(ctx, ingest.Force)
		}
		return d.round(ctx, ingest.All)
	})
	opts := serverOptions(cfg, d.log)
	// The listener is the one the process started with (server.listen
	// needs a restart), and so is the rate limiter: the proxies it
	// believes decide which requests are local too.
	opts.Listen = d.boot.Server.Listen
	opts.Proxies = proxies(d.boot)
	opts.Backup = d.db.Backup
	opts.LocalToken = d.localToken
	// The first Server's WebSub publisher runs as long as the listener and
	// announces the feeds of whichever config is in effect.
	opts.Current = func() *server.Server { return d.cur.Load().srv }
	opts.Rendered = d.pipeline.ObserveRender
	l.srv = server.New(d.db, trigger, opts)
	l.srv.Ready(d.ready.Load())
	l.feeds = l.srv.Handler()
	return l
}

func (d *daemon) sources() []feed.Source { return d.cur.Load().sources }

// errStopping answers a round asked for while the daemon stops.
var errStopping = errors.New("the daemon is stopping")

// round runs one fetch round with the config in effect and records it. It
// ends when ctx or the daemon's life does: what it fetched by then is
// stored (ingest keeps a stopped round's work).
func (d *daemon) round(ctx context.Context, mode ingest.Mode) (feed.RoundReport, error) {
	d.roundMu.Lock()
	defer d.roundMu.Unlock()
	if d.life.Err() != nil {
		return feed.RoundReport{}, errStopping
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	defer context.AfterFunc(d.life, func() { cancel(errStopping) })()
	l := d.cur.Load()
	rep, err := l.in.Round(ctx, l.sources, mode, l.polite)
	d.pipeline.ObserveRound(rep)
	d.warm(ctx)
	return rep, err
}

// stopRounds waits for the round running, if any, to end, and keeps any
// other from starting: the store can then be closed. The daemon's life
// must be over, so that the running round is being stopped.
func (d *daemon) stopRounds() { d.roundMu.Lock() }

// warm renders the unified feed right after a round's commits, so that the
// readers polling after a change do not wait for it. The server in effect
// now is warmed: a reload during the round replaced the one it started with.
func (d *daemon) warm(ctx context.Context) {
	if ctx.Err() != nil {
		return // shutting down: nobody will read it
	}
	if err := d.cur.Load().srv.Warm(ctx); err != nil {
		d.log.Warn("rendering the feeds after a round failed; requests will try again", "error", err)
	}
}

// markReady makes /readyz answer 200, on this and every later server.
func (d *daemon) markReady() {
	d.ready.Store(true)
	d.cur.Load().srv.Ready(true)
}

// handler routes the pages and /metrics here and everything else to the
// feeds server of the config in effect, with every request counted.
func (d *daemon) handler() http.Handler {
	mux := http.NewServeMux()
	get := func(pattern string, h http.Handler) {
		mux.Handle(pattern, h)
		// Another method on the path would fall through to "/", whose
		// feeds server knows no such path (404): answer 405 as it does.
		mux.HandleFunc(strings.TrimPrefix(pattern, "GET "), getOnly)
	}
	for _, p := range web.Patterns() {
		get(p, d.site)
	}
	get("GET /metrics", d.operatorOnly(d.registry.Handler(d.log)))
	get("GET /entries/{id}/explain", explainHandler(d.db, func() *config.Config { return d.cur.Load().cfg }))
	mux.Handle("/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d.cur.Load().feeds.ServeHTTP(w, r)
	}))
	return metrics.NewHTTPMetrics(d.registry).Wrap(mux)
}

// getOnly answers a method other than GET or HEAD on a path that only
// those read.
func getOnly(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Allow", "GET, HEAD")
	http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
}

// operatorOnly answers next to the clients the fetch and backup endpoints
// answer (server.Operator: requests bearing server.token or the local
// token), under the config in effect: metrics name
// every source and show when it fails, which is the operator's business.
func (d *daemon) operatorOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !d.cur.Load().srv.Operator(w, r) {
			return
		}
		next.ServeHTTP(w, r)
	})
}

// roundTrigger adapts a function to the server's Trigger.
type roundTrigger func(ctx context.Context, force bool) (feed.RoundReport, error)

func (t roundTrigger) Round(ctx context.Context, force bool) (feed.RoundReport, error) {
	return t(ctx, force)
}
