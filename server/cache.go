package server

import (
	"bytes"
	"compress/gzip"
	"container/list"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/render"
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
	// snap is the last rendering; readers load it without locking.
	snap atomic.Pointer[snapshot]
	// lock admits one rebuild at a time. A channel rather than a mutex so
	// that a request waiting for a rebuild can give up when its client does.
	lock chan struct{}
}

// snapshot is a document rendered at one store version, in both
// representations. It is immutable once published.
type snapshot struct {
	version uint64
	// missing, when set, is why the document does not exist at this
	// version (a page past the end): it is answered 404 with this text.
	missing     string
	contentType string
	body        []byte // identity
	gzip        []byte
	etag        string // quoted, strong
	gzipTag     string // quoted, strong, distinct from etag
	// modified is the newest entry's Modified time in whole seconds (the
	// Unix epoch when there are no entries), lastMod its HTTP form; both
	// are zero for documents without a date (OPML).
	modified time.Time
	lastMod  string
	// bodyLen and gzipLen are the Content-Length values, formatted once.
	bodyLen, gzipLen string
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

// get returns the document of spec, creating it (empty) when absent.
func (c *docCache) get(spec docSpec) *document {
	key := spec.key()
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.byKey[key]; ok {
		c.order.MoveToFront(el)
		return el.Value.(*document)
	}
	d := &document{spec: spec, lock: make(chan struct{}, 1)}
	c.byKey[key] = c.order.PushFront(d)
	for c.order.Len() > c.max {
		old := c.order.Back()
		c.order.Remove(old)
		delete(c.byKey, old.Value.(*document).spec.key())
	}
	return d
}

// peek returns the document of spec if it is cached, without creating it
// or refreshing its place.
func (c *docCache) peek(spec docSpec) *document {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.byKey[spec.key()]; ok {
		return el.Value.(*document)
	}
	return nil
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

// rendered is what a document builder produces: the bytes and their date,
// or why the document does not exist.
type rendered struct {
	body        []byte
	contentType string
	modified    time.Time // zero: the document has no date
	dated       bool
	missing     string
}

// build renders spec at version. The version is read before the entries,
// so a change landing during the build leaves the snapshot one version
// behind and the next request rebuilds: never the reverse, which would serve
// stale entries as current. withGzip false skips compression (a snapshot
// that is compared, not served).
func (s *Server) build(ctx context.Context, spec docSpec, version uint64, prev *snapshot, withGzip bool) (*snapshot, error) {
	var (
		out rendered
		err error
	)
	if spec.kind == feedDoc {
		out, err = s.buildFeed(ctx, spec)
	} else {
		out, err = s.buildOPML(ctx, spec)
	}
	if err != nil {
		return nil, err
	}
	if out.missing != "" {
		return &snapshot{version: version, missing: out.missing}, nil
	}
	body := out.body
	sum := sha256.Sum256(body)
	tag := hex.EncodeToString(sum[:16])
	sn := &snapshot{
		version:     version,
		contentType: out.contentType,
		body:        body,
		etag:        `"` + tag + `"`,
		gzipTag:     `"` + tag + `-gz"`,
		bodyLen:     strconv.Itoa(len(body)),
	}
	if out.dated {
		if out.modified.IsZero() {
			sn.modified = time.Unix(0, 0).UTC()
		} else {
			sn.modified = out.modified.UTC().Truncate(time.Second)
		}
		sn.lastMod = sn.modified.Format(http.TimeFormat)
	}
	switch {
	case !withGzip:
	case prev != nil && prev.etag == sn.etag:
		// Same bytes as before (a change elsewhere in the store): the
		// compressed form is still right.
		sn.gzip = prev.gzip
	default:
		if sn.gzip, err = compress(body); err != nil {
			return nil, fmt.Errorf("gzip %s: %w", spec.key(), err)
		}
	}
	sn.gzipLen = strconv.Itoa(len(sn.gzip))
	return sn, nil
}

// renderSafely runs the renderer, turning a panic into an error: a bug
// triggered by one entry must answer 500 and leave the rebuild lock usable,
// not drop the connection.
func (s *Server) renderSafely(buf *bytes.Buffer, f render.Format, p render.Page, entries []*feed.Entry) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("renderer panicked: %v", v)
		}
	}()
	return s.write(buf, f, p, entries, s.opts.Render)
}

// newestModified returns the latest Modified time among entries. It does
// not assume the store's order (newest by publication) is also the order
// of modification.
func newestModified(entries []*feed.Entry) time.Time {
	var t time.Time
	for _, e := range entries {
		if e != nil && e.Modified.After(t) {
			t = e.Modified
		}
	}
	return t
}

// compress gzips b once per change. The level is the default: this runs
// once per store change, not per request, so the extra CPU over level 1
// buys smaller responses for every reader.
func compress(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(len(b) / 4)
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
