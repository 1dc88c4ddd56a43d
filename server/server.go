package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/render"
)

// Store is the read side of the entry store that the server consumes.
type Store interface {
	// Version changes whenever stored entries change (an in-memory counter).
	Version() uint64
	// Newest returns up to limit entries, newest first, starting after the
	// cursor before ("" for the newest), and the cursor of the next page.
	Newest(ctx context.Context, limit int, before string) ([]*feed.Entry, string, error)
}

// Trigger runs one fetch round now.
type Trigger interface {
	Round(ctx context.Context) (feed.RoundReport, error)
}

// Options configure a Server. The zero value of every field but Page.BaseURL
// has a usable default.
type Options struct {
	// Page is the feed metadata; BaseURL must be absolute (a missing
	// trailing "/" is added). SelfURL and AlternateURL are filled in per
	// document and Updated from the entries, whatever is set here.
	Page   render.Page
	Render render.Options
	// MaxItems is the number of entries in each feed document [50].
	MaxItems int
	// CacheControl is sent with the feeds ["public, max-age=300"].
	CacheControl string
	// Token, when set, lets a request with "Authorization: Bearer <Token>"
	// trigger a fetch from any address, not only from loopback.
	Token  string
	Logger *slog.Logger
	// Now is the clock [time.Now].
	Now func() time.Time
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

// Server serves the unified feed and the daemon's control endpoints. It is
// safe for concurrent use.
type Server struct {
	store   Store
	trigger Trigger
	opts    Options
	log     *slog.Logger
	docs    []*document
	ready   atomic.Bool
	handler http.Handler
	// write renders a document; render.Write except in tests, which use
	// it to exercise the cache independently of the renderer.
	write func(w io.Writer, f render.Format, p render.Page, entries []*feed.Entry, o render.Options) error
}

// New returns a Server reading entries from store. trigger may be nil: the
// fetch endpoint then does not exist (404).
func New(store Store, trigger Trigger, opts Options) *Server {
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
	if !strings.HasSuffix(opts.Page.BaseURL, "/") {
		opts.Page.BaseURL += "/"
	}
	s := &Server{
		store:   store,
		trigger: trigger,
		opts:    opts,
		log:     opts.Logger,
		write:   render.Write,
	}
	mux := http.NewServeMux()
	for _, f := range []render.Format{render.Atom, render.RSS, render.JSON} {
		d := newDocument(f)
		s.docs = append(s.docs, d)
		// A "GET" pattern also matches HEAD, and the mux answers other
		// methods with 405 and "Allow: GET, HEAD".
		mux.Handle("GET /"+d.name, s.feedHandler(d))
	}
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /readyz", s.readyz)
	if trigger != nil {
		mux.HandleFunc("POST /-/fetch", s.fetch)
	}
	s.handler = s.logRequests(mux)
	return s
}

// Handler returns the server's routes, for mounting or for tests.
func (s *Server) Handler() http.Handler { return s.handler }

// Ready marks whether the first fetch round is done; /readyz answers 503
// until it is.
func (s *Server) Ready(ok bool) { s.ready.Store(ok) }

// Serve answers HTTP on ln until ctx is done, then shuts down gracefully:
// in-flight requests get up to 10 s to finish before their connections are
// closed. It returns nil after a clean shutdown.
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
