package server

import (
	"net/http"
	"time"
)

// feedHandler serves document d from its cache, with conditional requests
// and gzip.
func (s *Server) feedHandler(d *document) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sn, err := s.current(r.Context(), d)
		if err != nil {
			if r.Context().Err() != nil {
				// The client left while waiting: nobody reads an answer.
				return
			}
			s.log.ErrorContext(r.Context(), "feed unavailable", "path", r.URL.Path, "err", err)
			http.Error(w, "feed unavailable", http.StatusInternalServerError)
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
		h.Set("Last-Modified", sn.lastMod)
		h.Set("Vary", "Accept-Encoding")
		h.Set("X-Content-Type-Options", "nosniff")
		if s.notModified(r, etag, sn.modified) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		h.Set("Content-Type", d.format.ContentType())
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
	})
}

// notModified evaluates If-None-Match, then If-Modified-Since, as RFC 9110
// §13.2.2 orders them: when If-None-Match is present, If-Modified-Since is
// ignored, because the entity tag is exact and a date only to the second.
func (s *Server) notModified(r *http.Request, etag string, modified time.Time) bool {
	if inm := r.Header.Values("If-None-Match"); len(inm) > 0 {
		return etagListMatches(inm, etag)
	}
	ims := r.Header.Get("If-Modified-Since")
	if ims == "" {
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
