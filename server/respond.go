package server

import (
	"errors"
	"net/http"
	"time"
)

// fixedHeaders are the header values every document response carries, in
// the form a header map holds them, built once per Server (see
// representation: they are shared by every response and never modified).
type fixedHeaders struct {
	cacheControl, vary, nosniff, gzip []string
}

func newFixedHeaders(cacheControl string) fixedHeaders {
	return fixedHeaders{
		cacheControl: []string{cacheControl},
		// Origin: the CORS headers are sent only to requests with one.
		vary:    []string{"Accept-Encoding, Origin"},
		nosniff: []string{"nosniff"},
		gzip:    []string{"gzip"},
	}
}

// serveDoc answers a document from its cache, with conditional requests
// and gzip. unavailable is the text of a 500 (the cause is logged).
func (s *Server) serveDoc(w http.ResponseWriter, r *http.Request, spec docSpec, unavailable string) {
	s.serveDocument(w, r, s.docs.get(spec, false), unavailable)
}

// serveDocument is serveDoc for a document already looked up. It is the
// hot path of the server: a reader polling an unchanged feed costs an
// atomic load, the header map assignments below and a write.
func (s *Server) serveDocument(w http.ResponseWriter, r *http.Request, d *document, unavailable string) {
	sn, err := s.current(r.Context(), d)
	if err != nil {
		if r.Context().Err() != nil {
			// The client left while waiting: nobody reads an answer.
			return
		}
		s.log.ErrorContext(r.Context(), unavailable, "path", r.URL.Path, "doc", d.spec.key(), "err", err)
		http.Error(w, unavailable, http.StatusInternalServerError)
		return
	}
	if sn.missing != "" {
		plain(w, http.StatusNotFound, sn.missing+"\n")
		return
	}
	rep := &sn.plain
	// Indexing the map skips Header.Values' canonicalisation of a key that
	// is canonical already; net/http canonicalises the request's keys.
	gz := acceptsGzip(r.Header["Accept-Encoding"])
	if gz {
		rep = &sn.gzipped
	}
	// The keys are written in canonical form, as Header.Set would
	// (CanonicalMIMEHeaderKey("ETag") is "Etag").
	h := w.Header()
	h["Cache-Control"] = s.hdr.cacheControl
	h["Etag"] = rep.etagH
	if sn.lastModH != nil {
		h["Last-Modified"] = sn.lastModH
	}
	h["Vary"] = s.hdr.vary
	h["X-Content-Type-Options"] = s.hdr.nosniff
	// If-Match and If-Unmodified-Since are rare: two lookups, and nothing
	// more for a request without them.
	if len(r.Header["If-Match"]) > 0 || len(r.Header["If-Unmodified-Since"]) > 0 {
		if why := preconditionFailed(r, rep.etag, sn.lastMod != "", sn.modified); why != "" {
			plain(w, http.StatusPreconditionFailed, why+"\n")
			return
		}
	}
	if s.notModified(r, rep.etag, sn.lastMod != "", sn.modified, sn.sharedSecond) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h["Content-Type"] = sn.typeH
	if gz {
		h["Content-Encoding"] = s.hdr.gzip
	}
	h["Content-Length"] = rep.lengthH
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		// Write errors mean the client went away; there is nobody
		// left to tell.
		_, _ = w.Write(rep.body)
	}
}

// badRequest answers a client's mistake (a malformed page or cursor) with
// its explanation; anything else is a server error.
func (s *Server) badRequest(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, errBadPosition) {
		plain(w, http.StatusBadRequest, err.Error()+"\n")
		return
	}
	s.log.ErrorContext(r.Context(), "request failed", "path", r.URL.Path, "err", err)
	http.Error(w, "internal error", http.StatusInternalServerError)
}

// preconditionFailed evaluates If-Match, then If-Unmodified-Since when
// If-Match is absent, as RFC 9110 §13.2.2 orders them (before
// If-None-Match and If-Modified-Since), and returns why the precondition
// fails, or "" when it holds. If-Match compares strongly with the selected
// representation's tag ("*" matches: a document being served has a current
// representation). If-Unmodified-Since is ignored for a document without
// a date and when it is not a valid HTTP-date (§13.1.4).
func preconditionFailed(r *http.Request, etag string, dated bool, modified time.Time) string {
	if im := r.Header["If-Match"]; len(im) > 0 {
		if etagListMatchesStrong(im, etag) {
			return ""
		}
		return "precondition failed: If-Match names no current entity tag of this document (now " + etag + ")"
	}
	ius := r.Header.Get("If-Unmodified-Since")
	if ius == "" || !dated {
		return ""
	}
	t, err := http.ParseTime(ius)
	if err != nil || !modified.After(t) {
		return ""
	}
	return "precondition failed: the document was modified after If-Unmodified-Since (Last-Modified " + modified.Format(http.TimeFormat) + ")"
}

// notModified evaluates If-None-Match, then If-Modified-Since, as RFC 9110
// §13.2.2 orders them: when If-None-Match is present, If-Modified-Since is
// ignored, because the entity tag is exact and a date only to the second.
// A document without a date (dated false) answers only to If-None-Match,
// and one whose date other bytes had too (shared) not to that date.
func (s *Server) notModified(r *http.Request, etag string, dated bool, modified time.Time, shared bool) bool {
	if inm := r.Header["If-None-Match"]; len(inm) > 0 {
		// A client sending back the one tag it was given, the usual
		// case, matches without parsing the field as a list; any other
		// value is parsed (a line equal to the tag would match there too).
		if len(inm) == 1 && inm[0] == etag {
			return true
		}
		return etagListMatches(inm, etag)
	}
	ims := r.Header.Get("If-Modified-Since")
	if ims == "" || !dated {
		return false
	}
	t, err := http.ParseTime(ims)
	// A date in the future cannot have come from us (RFC 9110 §13.1.3):
	// a client with a wrong clock would otherwise never see an update.
	if err != nil || t.After(s.opts.Now()) || shared && t.Equal(modified) {
		return false
	}
	return !modified.After(t)
}
