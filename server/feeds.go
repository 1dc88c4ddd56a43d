package server

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/render"
	"github.com/tributary/tributary/storage"
)

// unifiedHandler serves /feed.{atom,rss,json} and their pages, the format
// being formats[i]. The subscription document, which readers poll, is
// found without parsing a query, building a key or locking the cache.
func (s *Server) unifiedHandler(i int) http.HandlerFunc {
	f := formats[i]
	return func(w http.ResponseWriter, r *http.Request) {
		if r.URL.RawQuery == "" {
			s.serveDocument(w, r, s.unifiedDoc(i), "feed unavailable")
			return
		}
		s.serveFeed(w, r, scope{}, f)
	}
}

// unifiedDoc returns the unified feed's subscription document in
// formats[i], pinned in the cache.
func (s *Server) unifiedDoc(i int) *document {
	if d := s.unified[i].Load(); d != nil {
		return d
	}
	// Concurrent first lookups get the same document from the cache.
	d := s.docs.get(docSpec{kind: feedDoc, format: formats[i], pos: position{page: 1}}, true)
	s.unified[i].Store(d)
	return d
}

// sourceFeed serves /sources/{slug}/feed.{atom,rss,json}: the entries that
// have a copy from the configured source whose id is slug.
func (s *Server) sourceFeed(w http.ResponseWriter, r *http.Request) {
	f, ok := feedFile(r.PathValue("file"))
	if !ok {
		http.NotFound(w, r)
		return
	}
	cat, err := s.catalog(r.Context())
	if err != nil {
		s.badRequest(w, r, err)
		return
	}
	slug := r.PathValue("slug")
	if !cat.hasSource(slug) {
		plain(w, http.StatusNotFound, fmt.Sprintf("no source %.60q is configured\n", slug))
		return
	}
	s.serveFeed(w, r, scope{kind: sourceScope, name: slug}, f)
}

// tagFeed serves /tags/{tag}/feed.{atom,rss,json}: the entries with a
// category of that tag and those of the sources configured with it. A tag
// spelled otherwise ("Lower%20Town") is redirected to its canonical form.
func (s *Server) tagFeed(w http.ResponseWriter, r *http.Request) {
	file := r.PathValue("file")
	f, ok := feedFile(file)
	if !ok {
		http.NotFound(w, r)
		return
	}
	cat, err := s.catalog(r.Context())
	if err != nil {
		s.badRequest(w, r, err)
		return
	}
	tag := r.PathValue("tag")
	if !cat.hasTag(tag) {
		if canon := feed.TagOf(tag); canon != "" && cat.hasTag(canon) {
			target := s.opts.Page.BaseURL + scope{kind: tagScope, name: canon}.dir() + file
			if r.URL.RawQuery != "" {
				target += "?" + r.URL.RawQuery
			}
			// A 301 may be cached, and its CORS headers depend on Origin.
			w.Header()["Vary"] = varyOrigin
			http.Redirect(w, r, target, http.StatusMovedPermanently)
			return
		}
		plain(w, http.StatusNotFound, fmt.Sprintf("no feed for tag %.60q\n", tag))
		return
	}
	s.serveFeed(w, r, scope{kind: tagScope, name: tag}, f)
}

func feedFile(name string) (render.Format, bool) {
	ext, ok := strings.CutPrefix(name, "feed.")
	if !ok {
		return "", false
	}
	for _, f := range formats {
		if string(f) == ext {
			return f, true
		}
	}
	return "", false
}

// serveFeed serves the page of a feed that the query asks for.
func (s *Server) serveFeed(w http.ResponseWriter, r *http.Request, sc scope, f render.Format) {
	pos := position{page: 1}
	if r.URL.RawQuery != "" {
		q, err := positionQuery(r.URL.RawQuery)
		if err == nil {
			pos, err = parsePosition(q)
		}
		if err != nil {
			s.badRequest(w, r, err)
			return
		}
	}
	s.serveDoc(w, r, docSpec{kind: feedDoc, scope: sc, format: f, pos: pos}, "feed unavailable")
}

// feedSelection returns a feed's metadata and the entries it selects;
// false when there is no such feed. The unified feed reads no catalog.
func (s *Server) feedSelection(ctx context.Context, sc scope) (render.Page, storage.Selection, bool, error) {
	if sc.kind == unified {
		return s.opts.Page, storage.Selection{}, true, nil
	}
	cat, err := s.catalog(ctx)
	if err != nil {
		return render.Page{}, storage.Selection{}, false, err
	}
	page, sel, ok := cat.feed(sc, s.opts.Page)
	return page, sel, ok, nil
}

// buildFeed renders one page of a feed. A page other than the first that
// holds no entry does not exist.
func (s *Server) buildFeed(ctx context.Context, spec docSpec) (rendered, error) {
	page, sel, ok, err := s.feedSelection(ctx, spec.scope)
	if err != nil {
		return rendered{}, err
	}
	if !ok {
		return rendered{missing: "no such feed"}, nil
	}
	limit := s.opts.MaxItems
	win, err := s.store.Window(ctx, storage.Query{
		Selection: sel, Limit: limit, Before: spec.pos.before, Skip: spec.pos.skip(limit),
	})
	if err != nil {
		return rendered{}, fmt.Errorf("read entries for %s: %w", spec.key(), err)
	}
	if len(win.Entries) == 0 && !spec.pos.first() {
		return rendered{missing: fmt.Sprintf("no entries here: the feed has %d, and this page is past its end", win.Total)}, nil
	}
	page.SelfURL = page.BaseURL + spec.key()
	page.Updated = newestModified(win.Entries)
	// A feed with no entry yet has no date of its own. It sends no
	// Last-Modified, which would answer any If-Modified-Since with 304;
	// its <updated> stays the zero date rather than the time of the
	// build, which would change its bytes, and so its ETag, at every
	// change of the store anywhere (readers would fetch it again, and
	// render -dir rewrite it, for nothing).
	dated := !page.Updated.IsZero()
	if !spec.static {
		pagingLinks(&page, page.BaseURL+spec.path(), spec.pos, win, limit)
	}
	var buf bytes.Buffer
	if err := s.renderSafely(&buf, spec.format, page, win.Entries); err != nil {
		return rendered{}, fmt.Errorf("render %s: %w", spec.key(), err)
	}
	return rendered{body: buf.Bytes(), contentType: spec.format.ContentType(), modified: page.Updated, dated: dated}, nil
}
