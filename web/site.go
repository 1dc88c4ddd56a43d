package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/render"
	"github.com/tributary/tributary/feed/sanitize"
)

// Store is the read side of the entry store the pages need (*storage.DB).
type Store interface {
	// Newest returns up to limit entries, newest first, starting after the
	// cursor before ("" for the newest), and the cursor of the next page
	// ("" when there is none).
	Newest(ctx context.Context, limit int, before string) ([]*feed.Entry, string, error)
	// Entry returns one entry; an error wrapping feed.ErrNotFound when
	// there is none.
	Entry(ctx context.Context, id string) (*feed.Entry, error)
	// Sources returns every stored source state.
	Sources(ctx context.Context) ([]feed.SourceState, error)
}

// Options configure the pages. Zero values take the documented defaults.
type Options struct {
	// Title names the site [Tributary]; Description says what it collects.
	Title       string
	Description string
	// BaseURL is where the site is published (absolute, with a trailing
	// slash added when missing): canonical and Open Graph URLs, and feed
	// ids, start with it.
	BaseURL string
	// Share lists the share buttons under each entry, as for the feeds.
	Share []render.ShareLink
	// UTM, when set, is added as utm_source to the links inside share URLs.
	UTM string
	// PageSize is the number of entries on a river page [20].
	PageSize int
	// Sources returns the configured sources, for /sources [none].
	Sources func() []feed.Source
	// Private filters what the pages show of private sources' entries
	// (feed.Private).
	Private feed.Private
	Logger  *slog.Logger
	// Now is the clock, for "5 min ago" on /sources [time.Now].
	Now func() time.Time
	// Due says when a source falls due under the config in effect, which
	// a reload may have changed since its state stored NextFetch [that
	// NextFetch].
	Due func(feed.SourceState, feed.Source) time.Time

	sharer *render.Sharer // Share resolved
}

func (o Options) withDefaults() Options {
	if o.Title == "" {
		o.Title = "Tributary"
	}
	if o.BaseURL != "" && !strings.HasSuffix(o.BaseURL, "/") {
		o.BaseURL += "/"
	}
	if o.PageSize <= 0 {
		o.PageSize = 20
	}
	if o.Sources == nil {
		o.Sources = func() []feed.Source { return nil }
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	o.sharer = newSharer(o.Share, o.UTM)
	return o
}

// Site serves the pages. It is safe for concurrent use.
type Site struct {
	store  Store
	opts   atomic.Pointer[Options]
	tmpl   *templates
	assets *assets
	policy *sanitize.Policy
	mux    *http.ServeMux
	cache  pageCache
}

// New returns the pages reading from store.
func New(store Store, opts Options) *Site {
	s := &Site{
		store:  store,
		tmpl:   mustParseTemplates(),
		assets: mustLoadAssets(),
		policy: sanitize.New(),
		mux:    http.NewServeMux(),
	}
	s.SetOptions(opts)
	s.mux.HandleFunc("GET /{$}", s.river)
	s.mux.HandleFunc("GET /entries/{id}", s.entry)
	s.mux.HandleFunc("GET /sources", s.sources)
	s.mux.Handle("GET /assets/{name}", s.assets)
	return s
}

// SetOptions replaces the options for the requests that follow.
func (s *Site) SetOptions(opts Options) {
	o := opts.withDefaults()
	s.opts.Store(&o)
}

// Patterns lists the ServeMux patterns the site answers, for a caller that
// mounts it beside other handlers.
func Patterns() []string {
	return []string{"GET /{$}", "GET /entries/{id}", "GET /sources", "GET /assets/{name}"}
}

func (s *Site) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// contentSecurityPolicy allows no script at all; images and media of
// entries come from anywhere (they are the articles' own), styles and the
// icon only from here.
const contentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self' https: http: data:; " +
	"media-src https: http:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// writePage renders a page into memory, so that a failed template never
// leaves half a page, and answers it; keep, when not nil, is given the
// rendered page to cache.
func (s *Site) writePage(w http.ResponseWriter, r *http.Request, status int, name string, p *page, keep func(cachedPage)) {
	o := s.opts.Load()
	p.Site = siteView{Title: o.Title, Description: o.Description, BaseURL: o.BaseURL}
	p.assets = s.assets
	var buf bytes.Buffer
	if err := s.tmpl.execute(&buf, name, p); err != nil {
		o.Logger.Error("render page", "page", name, "path", r.URL.Path, "error", err)
		http.Error(w, "internal error rendering the page", http.StatusInternalServerError)
		return
	}
	sum := sha256.Sum256(buf.Bytes())
	page := cachedPage{body: buf.Bytes(), etag: `"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`}
	if status == http.StatusOK && keep != nil {
		keep(page)
	}
	s.respond(w, r, status, page)
}

// respond answers a rendered page: a 200 with its ETag (or 304 when the
// client has it), other statuses uncached.
func (s *Site) respond(w http.ResponseWriter, r *http.Request, status int, p cachedPage) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	if status == http.StatusOK {
		h.Set("Cache-Control", "no-cache")
		h.Set("ETag", p.etag)
		if etagMatch(r.Header.Get("If-None-Match"), p.etag) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	} else {
		h.Set("Cache-Control", "no-store")
	}
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(p.body)
	}
}

// etagMatch reports whether an If-None-Match header names etag (weak
// comparison, as RFC 9110 asks for If-None-Match).
func etagMatch(header, etag string) bool {
	for t := range strings.SplitSeq(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}

// fail answers an error page; server errors are logged with their cause,
// which the reader is not shown.
func (s *Site) fail(w http.ResponseWriter, r *http.Request, status int, root, msg string, cause error) {
	if cause != nil {
		s.opts.Load().Logger.Error("page failed", "path", r.URL.Path, "status", status, "error", cause)
	}
	p := &page{Root: root, Title: http.StatusText(status), Error: &errorView{Status: status, Message: msg}}
	s.writePage(w, r, status, "error", p, nil)
}
