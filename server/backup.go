package server

import (
	"net/http"
	"time"
)

// backup streams a consistent copy of the store. It is a control endpoint:
// loopback clients, or the configured token, as for the fetch trigger.
func (s *Server) backup(w http.ResponseWriter, r *http.Request) {
	if !s.admit(w, r, true) {
		return
	}
	// A large store takes longer than the server's write timeout.
	_ = http.NewResponseController(w).SetWriteDeadline(time.Time{})
	h := w.Header()
	h.Set("Content-Type", "application/octet-stream")
	h.Set("Content-Disposition", `attachment; filename="tributary.db"`)
	h.Set("Cache-Control", "no-store")
	n, err := s.opts.Backup(r.Context(), w)
	if err != nil {
		// The status is sent: abort the connection so that the client
		// sees a failed transfer, never a short file that looks whole.
		s.log.Error("backup failed", "bytes", n, "error", err)
		panic(http.ErrAbortHandler)
	}
}
