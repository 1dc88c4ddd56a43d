package main

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tributary/tributary/config"
)

// A round the daemon ran and that failed (a store it cannot write) comes
// back with its report, so that a cron fetch prints which sources were
// fetched and not stored, and is not taken for a daemon that did not
// answer.
func TestRemoteRoundThatFailed(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusInternalServerError)
		w.Write([]byte(`{"started":"2026-11-27T10:00:00Z","duration":1,"sources":[{"source_id":"gen","name":"Gen","outcome":"failed","error":"fetched, but not stored: no space left on device"}],"error":"fetch round: store Gen: no space left on device"}` + "\n"))
	}))
	defer ts.Close()
	cfg := config.Default()
	cfg.Server.Listen = strings.TrimPrefix(ts.URL, "http://")
	rep, err := remoteRound(context.Background(), cfg, false)
	if _, ok := errors.AsType[*roundError](err); !ok || !strings.Contains(err.Error(), "no space left") {
		t.Fatalf("error %v, want the daemon's failed round", err)
	}
	var out strings.Builder
	if failed := printReport(&out, rep, false); !failed || !strings.Contains(out.String(), "FAILED Gen") ||
		!strings.Contains(out.String(), "not stored: no space left") {
		t.Errorf("report of the failed round:\n%s", out.String())
	}
}
