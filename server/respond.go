package server

import (
	"errors"
	"net/http"
	"time"
)

// serveDoc answers a document from its cache, with conditional requests
// and gzip. unavailable is the text of a 500 (the cause is logged).
func (s *Server) serveDoc(w http.ResponseWriter, r *http.Request, spec docSpec, unavailable string) {
	sn, err := s.current(r.Context(), s.docs.get(spec))
	if err != nil {
		if r.Context().Err() != nil {
			// The client left while waiting: nobody reads an answer.
			return
		}
		s.log.ErrorContext(r.Context(), unavailable, "path", r.URL.Path, "doc", spec.key(), "err", err)
		http.Error(w, unavailable, http.StatusInternalServerError)
		return
	}
	if sn.missing != "" {
		plain(w, http.StatusNotFound, sn.missing+"\n")
		return
	}
	body, etag, length := sn.body, sn.etag, sn.bodyLen
	gz := acceptsGzip(r.Header.Values("Accept-Encoding"))
	if gz {
		body, etag, length = sn.gzip, sn.gzipTag, sn.gzipLen
	}
	h := w.Header()
	h.Set("Cache-Control", s.opts.CacheControl)
	h.Set("ETag", etag)
	if sn.lastMod != "" {
		h.Set("Last-Modified", sn.lastMod)
	}
	h.Set("Vary", "Accept-Encoding")
	h.Set("X-Content-Type-Options", "nosniff")
	if s.notModified(r, etag, sn.lastMod != "", sn.modified) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", sn.contentType)
	if gz {
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("Content-Length", length)
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		// Write errors mean the client went away; there is nobody
		// left to tell.
		_, _ = w.Write(body)
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

// notModified evaluates If-None-Match, then If-Modified-Since, as RFC 9110
// §13.2.2 orders them: when If-None-Match is present, If-Modified-Since is
// ignored, because the entity tag is exact and a date only to the second.
// A document without a date (dated false) answers only to If-None-Match.
func (s *Server) notModified(r *http.Request, etag string, dated bool, modified time.Time) bool {
	if inm := r.Header.Values("If-None-Match"); len(inm) > 0 {
		return etagListMatches(inm, etag)
	}
	ims := r.Header.Get("If-Modified-Since")
	if ims == "" || !dated {
		return false
	}
	t, err := http.ParseTime(ims)
	// A date in the future cannot have come from us (RFC 9110 §13.1.3):
	// a client with a wrong clock would otherwise never see an update.
	if err != nil || t.After(s.opts.Now()) {
		return false
	}
	return !modified.After(t)
}
