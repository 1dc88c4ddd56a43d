package server

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/tributary/tributary/feed"
)

// fetch runs one fetch round for an allowed caller and answers its report.
func (s *Server) fetch(w http.ResponseWriter, r *http.Request) {
	if !s.mayTrigger(r) {
		writeJSON(w, http.StatusForbidden, errorBody{Error: "fetch trigger allowed only from loopback or with the bearer token"})
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

// mayTrigger reports whether r may run a fetch round (or take a backup).
func (s *Server) mayTrigger(r *http.Request) bool { return Authorized(r, s.opts.Token) }

// Authorized reports whether r may use an operator's endpoint: it comes
// from loopback and not through a proxy, or it carries token (when not
// empty) as a bearer token. The daemon guards /metrics with it too.
func Authorized(r *http.Request, token string) bool {
	if token != "" {
		scheme, got, ok := strings.Cut(r.Header.Get("Authorization"), " ")
		if ok && strings.EqualFold(scheme, "Bearer") &&
			subtle.ConstantTimeCompare([]byte(strings.TrimSpace(got)), []byte(token)) == 1 {
			return true
		}
	}
	return isLocal(r)
}

// isLocal reports whether r comes straight from a loopback address. A
// reverse proxy on the same host connects from loopback on behalf of remote
// clients; the forwarding headers it adds give it away.
func isLocal(r *http.Request) bool {
	for _, h := range []string{"Forwarded", "X-Forwarded-For", "X-Real-Ip"} {
		if r.Header.Get(h) != "" {
			return false
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	addr, err := netip.ParseAddr(host)
	return err == nil && addr.Unmap().IsLoopback()
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
