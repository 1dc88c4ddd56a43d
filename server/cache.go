package server

import (
	"container/list"
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// buildTimeout bounds one rebuild. The rebuild runs for every request
// waiting on it, so it is not cancelled when the request that started it
// goes away, only when it takes this long.
const buildTimeout = 30 * time.Second

// maxCachedDocs bounds the rendered documents kept: every feed, page and
// format is one, and a crawler walking cursors must not grow memory.
const maxCachedDocs = 64

// document is one servable document (a feed page in one format, an OPML
// list) and its render cache.
type document struct {
	spec docSpec
	// pinned documents are never evicted: the unified feed's subscription
	// documents, which handlers and Warm hold on to (see Server.unifiedDoc).
	pinned bool
	// snap is the last rendering; readers load it without locking.
	snap atomic.Pointer[snapshot]
	// lock admits one rebuild at a time. A channel rather than a mutex so
	// that a request waiting for a rebuild can give up when its client does.
	lock chan struct{}
}

// docCache holds the documents requested lately, least recently used
// evicted first. Evicting a document only costs a render when it is asked
// for again.
type docCache struct {
	mu    sync.Mutex
	max   int
	order *list.List // of *document, most recently used first
	byKey map[string]*list.Element
}

func newDocCache(max int) *docCache {
	return &docCache{max: max, order: list.New(), byKey: map[string]*list.Element{}}
}

// get returns the document of spec, creating it (empty) when absent. A
// document created pinned stays pinned and is never evicted; pinned must be
// true only for a fixed, small set of specs, or the cache would not be
// bounded.
func (c *docCache) get(spec docSpec, pinned bool) *document {
	key := spec.key()
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.byKey[key]; ok {
		c.order.MoveToFront(el)
		d := el.Value.(*document)
		if pinned && !d.pinned {
			// Created by a request with a query (?page=1) before the
			// handler asked for it: pin it now, so that the handler's
			// pointer stays the one the cache serves.
			d.pinned = true
		}
		return d
	}
	d := &document{spec: spec, pinned: pinned, lock: make(chan struct{}, 1)}
	c.byKey[key] = c.order.PushFront(d)
	for el := c.order.Back(); c.order.Len() > c.max && el != nil; {
		prev := el.Prev()
		if old := el.Value.(*document); !old.pinned {
			c.order.Remove(el)
			delete(c.byKey, old.spec.key())
		}
		el = prev
	}
	return d
}

// current returns d's snapshot for the store's version, rebuilding it if
// the store changed. Requests finding d current never wait; after a change
// one request rebuilds while the others wait for it and share its result.
func (s *Server) current(ctx context.Context, d *document) (*snapshot, error) {
	seen := s.store.Version()
	if sn := d.snap.Load(); sn != nil && sn.version == seen {
		return sn, nil
	}
	select {
	case d.lock <- struct{}{}:
	case <-ctx.Done():
		return nil, fmt.Errorf("wait for %s: %w", d.spec.key(), ctx.Err())
	}
	defer func() { <-d.lock }()
	// A rendering of the version seen on arrival is as fresh as this
	// request can ask for; accepting it keeps a stream of writes from
	// making every waiter render again in turn.
	prev := d.snap.Load()
	version := s.store.Version()
	if prev != nil && (prev.version == seen || prev.version == version) {
		return prev, nil
	}
	bctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), buildTimeout)
	defer cancel()
	sn, err := s.build(bctx, d.spec, version, prev, true)
	if err != nil {
		return nil, err
	}
	d.snap.Store(sn)
	return sn, nil
}
