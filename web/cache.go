package web

import (
	"net/http"
	"sync"
)

// versioned is a Store that counts changes to its entries (*storage.DB):
// river and entry pages are then rendered once per change and served from
// memory until the next one.
type versioned interface {
	Version() uint64
}

// maxCachedPages bounds the cache: the river's first pages and the entries
// being shared are what gets asked for again; a crawler walking every
// entry must not grow memory without end.
const maxCachedPages = 256

// pageCache holds rendered pages of one store version and one Options.
type pageCache struct {
	mu      sync.Mutex
	version uint64
	opts    *Options
	pages   map[string]cachedPage
}

type cachedPage struct {
	body []byte
	etag string
}

// cacheKey names a request's page: its path and query.
func cacheKey(r *http.Request) string { return r.URL.Path + "?" + r.URL.RawQuery }

// version returns the store's version, and false when it has none (every
// page is then rendered per request).
func (s *Site) version() (uint64, bool) {
	v, ok := s.store.(versioned)
	if !ok {
		return 0, false
	}
	return v.Version(), true
}

// get returns the page rendered for key under this version and options.
func (c *pageCache) get(key string, version uint64, o *Options) (cachedPage, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.version != version || c.opts != o {
		return cachedPage{}, false
	}
	p, ok := c.pages[key]
	return p, ok
}

// put keeps a page rendered from the store at version (read before the
// store was: a page newer than its version is only ever replaced early).
func (c *pageCache) put(key string, version uint64, o *Options, p cachedPage) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.version != version || c.opts != o || c.pages == nil {
		c.version, c.opts, c.pages = version, o, map[string]cachedPage{}
	}
	if len(c.pages) >= maxCachedPages {
		clear(c.pages)
	}
	c.pages[key] = p
}

// serveCached answers from the cache when it can, and otherwise returns a
// function that writePage calls to keep what it renders.
func (s *Site) serveCached(w http.ResponseWriter, r *http.Request) (served bool, keep func(cachedPage)) {
	version, ok := s.version()
	if !ok {
		return false, nil
	}
	o := s.opts.Load()
	key := cacheKey(r)
	if p, ok := s.cache.get(key, version, o); ok {
		s.respond(w, r, http.StatusOK, p)
		return true, nil
	}
	return false, func(p cachedPage) { s.cache.put(key, version, o, p) }
}
