package server

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/render"
	"github.com/tributary/tributary/storage"
)

// catalog is what the sub-feeds and the OPML lists need at one store
// version: the configured sources, as their upstreams last described
// themselves, and every tag that has a feed.
type catalog struct {
	version uint64
	sources []sourceInfo // configuration order
	byID    map[string]int
	// tags is sorted and distinct: the configured tags of the sources and
	// the tags of the stored entries' categories, both as feed.TagOf
	// gives them. tagSources maps a tag to the sources configured with it.
	tags       []string
	tagSet     map[string]bool
	tagSources map[string][]string
	// retired are the tags that stored entries' categories gave once and
	// none gives now: their feeds are served, empty, since readers
	// subscribed to them, but not listed (scopes, feeds.opml).
	retired map[string]bool
}

type sourceInfo struct {
	feed.Source
	// title and siteURL are the upstream's own; feedURL is where it is
	// fetched now (after confirmed permanent redirects). Both URLs are as
	// readers may see them (render.WebURL): without userinfo, as a source
	// fetched with credentials in its URL must not publish them, and ""
	// unless an http(s) URL (a local file's path) or a private source's.
	// Source.URL keeps the configured URL, credentials included: publish
	// feedURL.
	title, siteURL, feedURL string
}

// catalogCache keeps the catalog of the latest version seen.
type catalogCache struct {
	mu  sync.Mutex // one rebuild at a time
	cur atomic.Pointer[catalog]
}

// catalog returns the catalog for the store's current version, reading the
// store only after a change. Source states change without a version change
// (a fetch that brought no new entry), so a renamed upstream shows at the
// next change of entries.
func (s *Server) catalog(ctx context.Context) (*catalog, error) {
	v := s.store.Version()
	if c := s.cat.cur.Load(); c != nil && c.version >= v {
		return c, nil
	}
	s.cat.mu.Lock()
	defer s.cat.mu.Unlock()
	if c := s.cat.cur.Load(); c != nil && c.version >= v {
		return c, nil
	}
	// Read the version before the data, as build does.
	v = s.store.Version()
	states, err := s.store.Sources(ctx)
	if err != nil {
		return nil, fmt.Errorf("read source states: %w", err)
	}
	stored, err := s.store.Tags(ctx)
	if err != nil {
		return nil, fmt.Errorf("read tags: %w", err)
	}
	known, err := s.store.KnownTags(ctx)
	if err != nil {
		return nil, fmt.Errorf("read known tags: %w", err)
	}
	c := newCatalog(v, s.opts.Sources, states, stored)
	for _, t := range known {
		if !c.tagSet[t] {
			c.retired[t] = true
		}
	}
	s.cat.cur.Store(c)
	return c, nil
}

func newCatalog(version uint64, sources []feed.Source, states []feed.SourceState, stored []string) *catalog {
	c := &catalog{
		version:    version,
		byID:       map[string]int{},
		tagSet:     map[string]bool{},
		tagSources: map[string][]string{},
		retired:    map[string]bool{},
	}
	byID := map[string]feed.SourceState{}
	for _, st := range states {
		byID[st.SourceID] = st
	}
	for _, src := range sources {
		if src.ID == "" || c.hasSource(src.ID) {
			continue
		}
		st := byID[src.ID]
		fetched := src.URL
		if st.URL != "" {
			fetched = st.URL
		}
		if src.Private {
			fetched = ""
		}
		info := sourceInfo{Source: src, title: st.Title, siteURL: render.WebURL(feed.PublicSite(src, st)), feedURL: render.WebURL(fetched)}
		c.byID[src.ID] = len(c.sources)
		c.sources = append(c.sources, info)
		for _, t := range src.Tags {
			if t = feed.TagOf(t); t != "" && !slices.Contains(c.tagSources[t], src.ID) {
				c.tagSources[t] = append(c.tagSources[t], src.ID)
				c.tagSet[t] = true
			}
		}
	}
	for _, t := range stored {
		c.tagSet[t] = true
	}
	for t := range c.tagSet {
		c.tags = append(c.tags, t)
	}
	slices.Sort(c.tags)
	return c
}

func (c *catalog) hasSource(id string) bool { _, ok := c.byID[id]; return ok }

// hasTag reports whether tag has a feed: listed, or retired.
func (c *catalog) hasTag(tag string) bool { return c.tagSet[tag] || c.retired[tag] }

// feed returns the page metadata and the selection of a source's or a
// tag's feed, derived from the unified feed's page; false when the scope
// names nothing.
func (c *catalog) feed(sc scope, base render.Page) (render.Page, storage.Selection, bool) {
	p := base
	// One id for every page and format of the feed: its Atom subscription
	// document, which is also where the feed can be found.
	p.ID = base.BaseURL + sc.dir() + "feed.atom"
	switch sc.kind {
	case sourceScope:
		i, ok := c.byID[sc.name]
		if !ok {
			return p, storage.Selection{}, false
		}
		src := c.sources[i]
		p.Title = joinTitle(base.Title, src.Name)
		p.Description = src.Name + ": every article, each once, as " + nonEmpty(base.Title, "Tributary") + " republishes it."
		if src.siteURL != "" {
			p.AlternateURL = src.siteURL
		}
		return p, storage.Selection{Sources: []string{src.ID}}, true
	case tagScope:
		if !c.hasTag(sc.name) {
			return p, storage.Selection{}, false
		}
		p.Title = joinTitle(base.Title, "#"+sc.name)
		p.Description = "Articles tagged " + sc.name + ", from " + nonEmpty(base.Title, "Tributary") + "."
		return p, storage.Selection{Sources: c.tagSources[sc.name], Tags: []string{sc.name}}, true
	}
	return base, storage.Selection{}, true
}

// scopes returns every feed: the unified one, each source's, each tag's.
func (c *catalog) scopes() []scope {
	out := make([]scope, 0, 1+len(c.sources)+len(c.tags))
	out = append(out, scope{})
	for _, src := range c.sources {
		out = append(out, scope{kind: sourceScope, name: src.ID})
	}
	for _, t := range c.tags {
		out = append(out, scope{kind: tagScope, name: t})
	}
	return out
}

// servedScopes is scopes and the feeds of the retired tags, in tag order:
// every feed that is answered.
func (c *catalog) servedScopes() []scope {
	out := c.scopes()
	retired := slices.Sorted(maps.Keys(c.retired))
	for _, t := range retired {
		out = append(out, scope{kind: tagScope, name: t})
	}
	return out
}

// joinTitle names a sub-feed after the service: "Tributary — Harbor Light".
func joinTitle(service, name string) string {
	if strings.TrimSpace(service) == "" {
		return name
	}
	return service + " — " + name
}

func nonEmpty(s, fallback string) string {
	if strings.TrimSpace(s) == "" {
		return fallback
	}
	return s
}
