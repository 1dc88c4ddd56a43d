package server

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/tributary/tributary/feed"
)

// fetch runs one fetch round for an allowed caller and answers its report.
func (s *Server) fetch(w http.ResponseWriter, r *http.Request) {
	if !s.admit(w, r, true) {
		return
	}
	// A round can outlast the server's WriteTimeout; the answer must still
	// reach the caller that waited for it.
	if err := http.NewResponseController(w).SetWriteDeadline(time.Time{}); err != nil {
		s.log.DebugContext(r.Context(), "cannot lift write deadline", "err", err)
	}
	// Other parameters (a cache-buster) are ignored, as they were before
	// force existed.
	force := r.URL.Query().Get("force") == "1"
	// A caller that goes away (a cron fetch stopped) does not stop the
	// round: what it fetches is stored either way, and the daemon's own
	// stop still ends it.
	rep, err := s.trigger.Round(context.WithoutCancel(r.Context()), force)
	if err != nil {
		s.log.ErrorContext(r.Context(), "triggered fetch round failed", "error", err)
		// The report goes with the error: which sources were fetched,
		// and which of them could not be stored.
		writeJSON(w, http.StatusInternalServerError, FailedRound{RoundReport: rep.Redacted(), Error: "fetch round: " + err.Error()})
		return
	}
	// The caller is the operator, but the answer may cross a network and
	// end in a cron mail: URLs show no password, as in the logs.
	writeJSON(w, http.StatusOK, rep.Redacted())
}

type errorBody struct {
	Error string `json:"error"`
}

// FailedRound is the answer to a fetch round that ended with an error (a
// store that cannot be written): the round's report and the error.
type FailedRound struct {
	feed.RoundReport
	Error string `json:"error"`
}

// writeJSON answers v as JSON; control answers are never cached.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "encode response", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}
