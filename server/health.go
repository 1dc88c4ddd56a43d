package server

import "net/http"

// healthz answers 200 while the process serves requests at all: a liveness
// probe, independent of the store and of fetching.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	plain(w, http.StatusOK, "ok")
}

// readyz answers 200 once the first fetch round is done (Ready(true)), so
// that a load balancer does not send readers to an empty feed.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	if s.ready.Load() {
		plain(w, http.StatusOK, "ready")
		return
	}
	plain(w, http.StatusServiceUnavailable, "not ready")
}

func plain(w http.ResponseWriter, status int, msg string) {
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(msg))
}
