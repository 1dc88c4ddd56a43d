package server

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/tributary/tributary/feed"
)

// fakeTrigger counts rounds; started and release, when set, let a test hold
// a round in flight.
type fakeTrigger struct {
	rounds  atomic.Int64
	forced  atomic.Int64
	err     error
	started chan struct{}
	release chan struct{}
}

func (f *fakeTrigger) Round(ctx context.Context, force bool) (feed.RoundReport, error) {
	f.rounds.Add(1)
	if force {
		f.forced.Add(1)
	}
	if f.started != nil {
		close(f.started)
		<-f.release
	}
	if f.err != nil {
		return feed.RoundReport{Started: t0, Sources: []feed.SourceReport{
			{SourceID: "blog", Name: "Blog", Outcome: feed.Failed, Error: "fetched, but not stored: " + f.err.Error()},
		}}, f.err
	}
	return feed.RoundReport{Started: t0, Sources: []feed.SourceReport{
		{SourceID: "blog", Name: "Blog", Outcome: feed.Fetched, Items: 3, New: 2},
	}}, nil
}

func listen(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

func TestTriggerOverLoopback(t *testing.T) {
	trig := &fakeTrigger{}
	ts := httptest.NewServer(newTest(t, &fakeStore{}, trig, Options{TrustLoopback: true}).Handler())
	defer ts.Close()
	resp, err := http.Post(ts.URL+"/-/fetch", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d, want 200", resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	var rep feed.RoundReport
	if err := json.NewDecoder(resp.Body).Decode(&rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Sources) != 1 || rep.Sources[0].SourceID != "blog" || rep.Sources[0].New != 2 || !rep.Started.Equal(t0) {
		t.Errorf("report %+v does not round-trip", rep)
	}
	if trig.rounds.Load() != 1 || trig.forced.Load() != 0 {
		t.Errorf("%d rounds, %d forced; want 1, 0", trig.rounds.Load(), trig.forced.Load())
	}

	// fetch -force, asking a running daemon: the backing-off sources too.
	for query, want := range map[string]int{"?force=1": 200, "?force=yes": 200, "?t=123": 200} {
		resp, err := http.Post(ts.URL+"/-/fetch"+query, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("POST /-/fetch%s: %d, want %d", query, resp.StatusCode, want)
		}
	}
	if trig.rounds.Load() != 4 || trig.forced.Load() != 1 {
		t.Errorf("%d rounds, %d forced; want 4, 1", trig.rounds.Load(), trig.forced.Load())
	}
}

// TestTriggerAccess: who may trigger a round, with server.trust_loopback on
// (TestOperatorChallenge has the default).
func TestTriggerAccess(t *testing.T) {
	tests := []struct {
		name   string
		token  string // Options.Token
		remote string
		header []string
		status int
	}{
		{"loopback v4", "", "127.0.0.1:5000", nil, 200},
		{"loopback v6", "", "[::1]:5000", nil, 200},
		{"loopback v4-mapped", "", "[::ffff:127.0.0.1]:5000", nil, 200},
		{"remote without token configured", "", "192.0.2.7:5000", nil, 403},
		{"remote bearer ignored without token configured", "", "192.0.2.7:5000", []string{"Authorization", "Bearer "}, 403},
		{"remote without token", "s3cret", "192.0.2.7:5000", nil, 401},
		{"remote with token", "s3cret", "192.0.2.7:5000", []string{"Authorization", "Bearer s3cret"}, 200},
		{"remote with token, scheme case", "s3cret", "192.0.2.7:5000", []string{"Authorization", "bearer s3cret"}, 200},
		{"remote with wrong token", "s3cret", "192.0.2.7:5000", []string{"Authorization", "Bearer s3cre"}, 403},
		{"remote with basic auth", "s3cret", "192.0.2.7:5000", []string{"Authorization", "Basic s3cret"}, 401},
		{"loopback with token configured", "s3cret", "127.0.0.1:5000", nil, 200},
		{"proxied via loopback", "", "127.0.0.1:5000", []string{"X-Forwarded-For", "192.0.2.7"}, 403},
		{"proxied via loopback, Forwarded", "", "127.0.0.1:5000", []string{"Forwarded", "for=192.0.2.7"}, 403},
		{"proxied with token", "s3cret", "127.0.0.1:5000", []string{"X-Real-IP", "192.0.2.7", "Authorization", "Bearer s3cret"}, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			trig := &fakeTrigger{}
			h := newTest(t, &fakeStore{}, trig, Options{Token: tt.token, TrustLoopback: true}).Handler()
			r := httptest.NewRequest("POST", "/-/fetch", nil)
			r.RemoteAddr = tt.remote
			r.Host = "127.0.0.1:8080"
			for i := 0; i+1 < len(tt.header); i += 2 {
				r.Header.Set(tt.header[i], tt.header[i+1])
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d (%s)", w.Code, tt.status, w.Body)
			}
			if want := int64(0); tt.status != 200 && trig.rounds.Load() != want {
				t.Errorf("a refused request ran a round")
			}
			if tt.status != 200 {
				var body errorBody
				if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil || body.Error == "" {
					t.Errorf("%d body %q is not a JSON error", tt.status, w.Body)
				}
			}
			// RFC 6750 §3: a 401 names the scheme that would admit the request.
			if got, want := w.Header().Get("WWW-Authenticate"), map[bool]string{true: `Bearer realm="tributary"`}[tt.status == 401]; got != want {
				t.Errorf("WWW-Authenticate %q, want %q", got, want)
			}
		})
	}
}

func TestTriggerFailureAndAbsence(t *testing.T) {
	h := newTest(t, &fakeStore{}, &fakeTrigger{err: errBoom}, Options{TrustLoopback: true}).Handler()
	w := do(h, "POST", "/-/fetch")
	if w.Code != http.StatusInternalServerError || !strings.Contains(w.Body.String(), "boom") {
		t.Errorf("failed round answered %d %q, want 500 naming the error", w.Code, w.Body)
	}
	// With the round's report: a cron fetch asking the daemon prints it.
	var failed FailedRound
	if err := json.Unmarshal(w.Body.Bytes(), &failed); err != nil || len(failed.Sources) != 1 ||
		failed.Sources[0].Outcome != feed.Failed || !strings.HasPrefix(failed.Error, "fetch round: ") {
		t.Errorf("failed round's answer %s (%v): want the error and the report", w.Body, err)
	}

	h = newTest(t, &fakeStore{}, nil, Options{TrustLoopback: true}).Handler()
	for _, m := range []string{"POST", "GET"} {
		if w := do(h, m, "/-/fetch"); w.Code != http.StatusNotFound {
			t.Errorf("%s /-/fetch without a trigger = %d, want 404", m, w.Code)
		}
	}
}
