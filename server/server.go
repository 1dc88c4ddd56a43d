package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/render"
	"github.com/tributary/tributary/storage"
)

// Store is the read side of the entry store that the server consumes;
// *storage.DB is the real one.
type Store interface {
	// Version changes whenever stored entries change (an in-memory counter).
	Version() uint64
	// Window returns one page of a selection of entries, newest first, and
	// where it lies (see storage.Window).
	Window(ctx context.Context, q storage.Query) (storage.Window, error)
	// WindowDigests returns the page Window would, with each entry's id
	// and a checksum of its stored value in place of the entry (see
	// storage.WindowDigests).
	WindowDigests(ctx context.Context, q storage.Query) (storage.DigestWindow, error)
	// Tags returns every tag the stored entries' categories give.
	Tags(ctx context.Context) ([]string, error)
	// KnownTags returns every tag they have given, whether or not one
	// still does: a tag's feed outlives its last entry.
	KnownTags(ctx context.Context) ([]string, error)
	// Sources returns what is remembered of each source (its title and
	// site as the upstream describes itself).
	Sources(ctx context.Context) ([]feed.SourceState, error)
}

// Trigger runs one fetch round now.
type Trigger interface {
	// Round runs a round over every source; force includes those
	// backing off after failures (fetch -force).
	Round(ctx context.Context, force bool) (feed.RoundReport, error)
}

// Options configure a Server. The zero value of every field but Page.BaseURL
// has a usable default.
type Options struct {
	// Page is the unified feed's metadata; BaseURL must be absolute (a
	// missing trailing "/" is added). Page.Hubs are the WebSub hubs: every
	// feed links them, and each is pinged when a feed changes. SelfURL,
	// Updated and the paging links are filled in per document, whatever is
	// set here; ID and AlternateURL default to BaseURL.
	Page   render.Page
	Render render.Options
	// Sources are the configured sources: each has its feed under
	// /sources/{ID}/, and its Tags make it part of those tags' feeds.
	Sources []feed.Source
	// MaxItems is the number of entries in each feed document [50].
	MaxItems int
	// MaxConns bounds the connections open at once (server.max_connections)
	// [DefaultMaxConns]: at the bound the longest-idle one is closed for a
	// new one (see connCap).
	MaxConns int
	// CacheControl is sent with the feeds ["public, max-age=300"].
	CacheControl string
	// Token, when set, lets a request with "Authorization: Bearer <Token>"
	// use the operator endpoints (trigger a fetch, take a backup, read the
	// metrics) from any address.
	Token string
	// LocalToken admits a request to the operator endpoints as Token does:
	// the daemon makes one at each start and writes it where only the
	// user it runs as can read it, for the operator's own tools.
	LocalToken string
	// TrustLoopback also admits a request straight from loopback that no
	// web page sent, without a token (server.trust_loopback). Off by
	// default: a reverse proxy or port forwarder on the same host that
	// adds no forwarding header makes every request it passes on look
	// local.
	TrustLoopback bool
	// Proxies are the reverse proxies in front of the server, and the
	// header naming the client they act for: a request carrying that
	// header is never local (see Proxies).
	Proxies Proxies
	// Listen is the address the server listens on (server.listen). A
	// loopback request may name its host, as well as an IP address,
	// localhost or Page.BaseURL's host, in Host (see Operator).
	Listen string
	// WebSubPoll is how often the store's version is checked for changes
	// to announce to the hubs [15s]; WebSubClient sends the pings [a
	// client with a 30 s timeout]; UserAgent identifies them [Tributary].
	WebSubPoll   time.Duration
	WebSubClient *http.Client
	UserAgent    string
	// Current, when set, returns the Server whose feeds the WebSub
	// publisher announces: a daemon that replaces its Server on a config
	// reload keeps the listener, and the publisher, of the first one, but
	// must announce the sources and tags of the config in effect. The
	// hubs stay the first Server's.
	Current func() *Server
	// Rendered, when set, is told of every document built (rendered and,
	// for serving, compressed): its kind, "feed" or "opml", and the time
	// it took. The daemon exports it as a metric.
	Rendered func(kind string, took time.Duration)
	Logger   *slog.Logger
	// Now is the clock [time.Now].
	Now func() time.Time
	// Backup, when set, is served at GET /-/backup to the same clients as
	// the fetch trigger: a consistent copy of the store while it runs.
	Backup func(ctx context.Context, w io.Writer) (int64, error)
}

// Timeouts of the http.Server that Serve runs. A slow or idle client cannot
// hold a connection or a goroutine longer than these.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 30 * time.Second
	writeTimeout      = 60 * time.Second
	idleTimeout       = 120 * time.Second
	maxHeaderBytes    = 64 << 10
	shutdownTimeout   = 10 * time.Second
)

// DefaultMaxConns is Options.MaxConns's default: some 40 MB of idle
// connections at most, and well under a service's usual descriptor limit.
const DefaultMaxConns = 4096

// Server serves the feeds and the daemon's control endpoints. It is safe
// for concurrent use.
type Server struct {
	store   Store
	trigger Trigger
	opts    Options
	log     *slog.Logger
	docs    *docCache
	// unified holds the unified feed's subscription documents, by the
	// index of their format in formats, once first looked up: they are
	// pinned in docs, so the pointer stays valid, and the hot path finds
	// them without the cache's mutex or building their key.
	unified [len(formats)]atomic.Pointer[document]
	hdr     fixedHeaders
	cat     catalogCache
	// hosts are the names a loopback request's Host may give besides IP
	// addresses and localhost (BaseURL's and Listen's hosts); origin is
	// BaseURL's origin (see Operator).
	hosts  []string
	origin string
	// since is when this Server's config took effect (New), in whole
	// seconds: no document's Last-Modified is earlier (see build).
	since   time.Time
	ready   atomic.Bool
	handler http.Handler
	// write renders a document; render.Write except in tests, which use
	// it to exercise the cache independently of the renderer.
	write func(w io.Writer, f render.Format, p render.Page, entries []*feed.Entry, o render.Options) error
	// sleep waits between WebSub retries; tests replace it.
	sleep func(ctx context.Context, d time.Duration) error
}

// New returns a Server reading entries from store. trigger may be nil: the
// fetch endpoint then does not exist (404).
func New(store Store, trigger Trigger, opts Options) *Server {
	if opts.MaxConns <= 0 {
		opts.MaxConns = DefaultMaxConns
	}
	if opts.MaxItems <= 0 {
		opts.MaxItems = 50
	}
	if opts.CacheControl == "" {
		opts.CacheControl = "public, max-age=300"
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.WebSubPoll <= 0 {
		opts.WebSubPoll = 15 * time.Second
	}
	if opts.WebSubClient == nil {
		opts.WebSubClient = &http.Client{Timeout: 30 * time.Second}
	}
	if opts.UserAgent == "" {
		opts.UserAgent = "Tributary"
	}
	if !strings.HasSuffix(opts.Page.BaseURL, "/") {
		opts.Page.BaseURL += "/"
	}
	if opts.Page.ID == "" {
		opts.Page.ID = opts.Page.BaseURL
	}
	if opts.Page.AlternateURL == "" {
		opts.Page.AlternateURL = opts.Page.BaseURL
	}
	s := &Server{
		store:   store,
		trigger: trigger,
		opts:    opts,
		log:     opts.Logger,
		docs:    newDocCache(maxCachedDocs),
		hdr:     newFixedHeaders(opts.CacheControl),
		write:   render.Write,
		sleep:   sleepCtx,
		hosts:   serverNames(opts.Page.BaseURL, opts.Listen, hostname()),
		origin:  originOf(opts.Page.BaseURL),
		since:   opts.Now().UTC().Truncate(time.Second),
	}
	mux := http.NewServeMux()
	// A "GET" pattern also matches HEAD, and the mux answers other
	// methods with 405 and "Allow: GET, HEAD".
	// The public documents may be read by any web page (CORS).
	for i, f := range formats {
		mux.HandleFunc("GET /feed."+string(f), s.public(s.unifiedHandler(i)))
	}
	mux.HandleFunc("GET /sources/{slug}/{file}", s.public(s.sourceFeed))
	mux.HandleFunc("GET /tags/{tag}/{file}", s.public(s.tagFeed))
	mux.HandleFunc("GET /sources.opml", s.public(s.opmlHandler(sourcesOPML)))
	mux.HandleFunc("GET /feeds.opml", s.public(s.opmlHandler(feedsOPML)))
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /readyz", s.readyz)
	if trigger != nil {
		mux.HandleFunc("POST /-/fetch", s.fetch)
	}
	if opts.Backup != nil {
		mux.HandleFunc("GET /-/backup", s.backup)
	}
	s.handler = s.logRequests(s.preflights(mux))
	return s
}

// Handler returns the server's routes, for mounting or for tests.
func (s *Server) Handler() http.Handler { return s.handler }

// Ready marks whether the first fetch round is done; /readyz answers 503
// until it is.
func (s *Server) Ready(ok bool) { s.ready.Store(ok) }

// Serve answers HTTP on ln until ctx is done, then shuts down gracefully:
// in-flight requests get up to 10 s to finish before their connections are
// closed. It returns nil after a clean shutdown. While it serves, changes of
// the feeds are announced to the WebSub hubs (Options.Page.Hubs), if any.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		// Requests keep ctx's values but not its cancellation: shutting
		// down must let in-flight requests finish, not abort them.
		BaseContext: func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	var fresh freshConns
	// Idle times are the wall clock's, not Options.Now's: a test's
	// fixed clock would make every connection idle as long.
	capped := &connCap{max: s.opts.MaxConns, log: s.log, now: time.Now}
	srv.ConnState = func(c net.Conn, st http.ConnState) {
		fresh.track(c, st)
		capped.track(c, st)
	}
	srv.RegisterOnShutdown(fresh.close)
	// The WebSub publisher lives as long as the listener serves.
	pctx, stopPublisher := context.WithCancel(ctx)
	published := make(chan struct{})
	go func() {
		defer close(published)
		s.publish(pctx)
	}()
	defer func() {
		stopPublisher()
		<-published
	}()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	err := srv.Shutdown(sctx)
	if err != nil {
		// Requests still running after the grace period are cut off.
		err = errors.Join(err, srv.Close())
	}
	if serr := <-errc; serr != nil && !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	if err != nil {
		return fmt.Errorf("shut down %s: %w", ln.Addr(), err)
	}
	return nil
}

// hostname is the machine's name, "" when the system does not say.
func hostname() string {
	h, _ := os.Hostname()
	return h
}
