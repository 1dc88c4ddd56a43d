package server

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/render"
)

// snapshot is a document rendered at one store version, in both
// representations. It is immutable once published.
type snapshot struct {
	version uint64
	// missing, when set, is why the document does not exist at this
	// version (a page past the end): it is answered 404 with this text.
	missing string
	plain   representation // identity
	gzipped representation
	// modified is the newest entry's Modified time in whole seconds, or
	// the time the bytes last changed in this process (changedSince) if
	// that is later; lastMod is its HTTP form. Both are zero for documents
	// without a date (OPML, a feed with no entry).
	modified time.Time
	lastMod  string
	// sharedSecond is set when other bytes were served under the same
	// Last-Modified (two changes within one second): a client that
	// validates by that date alone may hold either, so it is not told 304
	// (notModified). The date is never moved ahead of the clock instead,
	// which RFC 9110 forbids and which would refuse every
	// If-Modified-Since until the clock caught up.
	sharedSecond bool
	// typeH and lastModH are header values, built once like those of a
	// representation; lastModH is nil when there is no date.
	typeH, lastModH []string
}

// representation is one encoding of a snapshot's bytes.
type representation struct {
	body []byte
	etag string // quoted, strong; the gzip one is distinct from the identity one
	// etagH and lengthH are the ETag and Content-Length header values as
	// a header map holds them. They are built once per snapshot so that a
	// request assigns them to the map instead of canonicalising the key
	// and allocating the slice (Header.Set) every time. Every response
	// shares them: nothing may modify them, and their capacity is their
	// length, so that Header.Add copies instead of writing into them.
	etagH, lengthH []string
}

func newRepresentation(body []byte, etag string) representation {
	return representation{body: body, etag: etag, etagH: []string{etag}, lengthH: []string{strconv.Itoa(len(body))}}
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
	start := s.opts.Now()
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
		version: version,
		plain:   newRepresentation(body, `"`+tag+`"`),
		typeH:   []string{out.contentType},
	}
	if out.dated {
		if out.modified.IsZero() {
			sn.modified = time.Unix(0, 0).UTC()
		} else {
			sn.modified = out.modified.UTC().Truncate(time.Second)
		}
		// Never earlier than the moment the bytes last changed in this
		// process, which an entry's time does not always tell: the config
		// (a title, the share links) took effect when this Server was
		// made; an entry that left the document, or a source's new name,
		// changed them at the latest when this build runs.
		if changed := s.changedSince(prev, sn.plain.etag, start); changed.After(sn.modified) {
			sn.modified = changed
		}
		if prev != nil && !sn.modified.After(prev.modified) {
			sn.sharedSecond = prev.plain.etag != sn.plain.etag || prev.sharedSecond
		}
		sn.lastMod = sn.modified.Format(http.TimeFormat)
		sn.lastModH = []string{sn.lastMod}
	}
	var gz []byte
	switch {
	case !withGzip:
	case prev != nil && prev.plain.etag == sn.plain.etag:
		// Same bytes as before (a change elsewhere in the store): the
		// compressed form is still right.
		gz = prev.gzipped.body
	default:
		if gz, err = compress(body); err != nil {
			return nil, fmt.Errorf("gzip %s: %w", spec.key(), err)
		}
	}
	sn.gzipped = newRepresentation(gz, `"`+tag+`-gz"`)
	if s.opts.Rendered != nil {
		kind := "opml"
		if spec.kind == feedDoc {
			kind = "feed"
		}
		s.opts.Rendered(kind, s.opts.Now().Sub(start))
	}
	return sn, nil
}

// changedSince returns the earliest time a document rendered now as bytes
// tagged etag may claim as its Last-Modified, prev being its previous
// rendering by this Server (nil if none) and start the time this build
// began: when this Server's config took effect; if the bytes differ from
// prev's, the build's time (they changed between prev's version and this
// one); if they do not, prev's date, so that it never goes back.
func (s *Server) changedSince(prev *snapshot, etag string, start time.Time) time.Time {
	t := s.since
	switch {
	case prev == nil:
	case prev.plain.etag == etag:
		if prev.modified.After(t) {
			t = prev.modified
		}
	default:
		if now := start.UTC().Truncate(time.Second); now.After(t) {
			t = now
		}
	}
	return t
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
