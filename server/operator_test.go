package server

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// operatorServer is a server with every operator endpoint, counting the
// rounds run and the backups taken.
func operatorServer(t *testing.T, opts Options) (*Server, *fakeTrigger, *atomic.Int64) {
	t.Helper()
	var backups atomic.Int64
	trig := &fakeTrigger{}
	opts.Listen = "tributary.lan:18210"
	opts.Backup = func(ctx context.Context, w io.Writer) (int64, error) {
		backups.Add(1)
		n, err := io.WriteString(w, "THE STORE")
		return int64(n), err
	}
	s := newTest(t, &fakeStore{}, trig, opts)
	return s, trig, &backups
}

// TestOperatorEndpointsRefuseWebPages: with server.trust_loopback, a
// loopback client is admitted only when no web page sent it (DNS rebinding gives it a foreign Host, a
// cross-site request a foreign Origin or Sec-Fetch-Site); a request with
// the token is admitted whatever it says.
func TestOperatorEndpointsRefuseWebPages(t *testing.T) {
	const token = "0123456789abcdef"
	tests := []struct {
		name   string
		remote string
		host   string
		header []string
		status int
		why    string // in the refusal's text
	}{
		{"IPv4 literal", "127.0.0.1:5000", "127.0.0.1:18210", nil, 200, ""},
		{"IPv6 literal", "[::1]:5000", "[::1]:18210", nil, 200, ""},
		{"IP literal without port", "127.0.0.1:5000", "127.0.0.1", nil, 200, ""},
		{"localhost", "127.0.0.1:5000", "localhost:18210", nil, 200, ""},
		{"localhost, other case, trailing dot", "127.0.0.1:5000", "LocalHost.:18210", nil, 200, ""},
		{"a subdomain of localhost", "127.0.0.1:5000", "feeds.localhost:18210", nil, 200, ""},
		{"Debian's name for ::1", "[::1]:5000", "ip6-localhost:18210", nil, 200, ""},
		{"the machine's own name", "127.0.0.1:5000", hostname() + ":18210", nil, 200, ""},
		{"a name ending like localhost", "127.0.0.1:5000", "evil-localhost:18210", nil, 403, "does not name"},
		{"base_url's host", "127.0.0.1:5000", "feeds.example.org", nil, 200, ""},
		{"base_url's host, other case", "127.0.0.1:5000", "Feeds.Example.ORG:443", nil, 200, ""},
		{"listen's host", "127.0.0.1:5000", "tributary.lan:18210", nil, 200, ""},
		{"no Host (HTTP/1.0)", "127.0.0.1:5000", "", nil, 200, ""},
		{"own origin", "127.0.0.1:5000", "127.0.0.1:18210", []string{"Origin", "http://127.0.0.1:18210"}, 200, ""},
		{"own origin, default port", "127.0.0.1:5000", "localhost", []string{"Origin", "http://localhost:80"}, 200, ""},
		{"base_url's origin", "127.0.0.1:5000", "localhost:18210", []string{"Origin", "https://feeds.example.org"}, 200, ""},
		{"same-origin", "127.0.0.1:5000", "127.0.0.1:18210", []string{"Sec-Fetch-Site", "same-origin"}, 200, ""},
		{"typed by the user", "127.0.0.1:5000", "127.0.0.1:18210", []string{"Sec-Fetch-Site", "none"}, 200, ""},

		{"DNS rebinding", "127.0.0.1:5000", "evil.example:18210", nil, 403, `Host "evil.example:18210"`},
		{"DNS rebinding, same-origin to the browser", "127.0.0.1:5000", "evil.example:18210",
			[]string{"Origin", "http://evil.example:18210", "Sec-Fetch-Site", "same-origin"}, 403, "DNS rebinding"},
		{"a name ending like ours", "127.0.0.1:5000", "feeds.example.org.evil.example", nil, 403, "Host"},
		{"rebinding over IPv6", "[::1]:5000", "evil.example", nil, 403, "Host"},
		{"cross-site simple request", "127.0.0.1:5000", "127.0.0.1:18210",
			[]string{"Origin", "http://evil.example", "Content-Type", "text/plain"}, 403, `"http://evil.example" sent this request`},
		{"another local site", "127.0.0.1:5000", "127.0.0.1:18210", []string{"Origin", "http://localhost:3000"}, 403, "Origin"},
		{"another scheme", "127.0.0.1:5000", "127.0.0.1:18210", []string{"Origin", "https://127.0.0.1:18210"}, 403, "Origin"},
		{"opaque origin", "127.0.0.1:5000", "127.0.0.1:18210", []string{"Origin", "null"}, 403, "Origin"},
		{"cross-site", "127.0.0.1:5000", "127.0.0.1:18210", []string{"Sec-Fetch-Site", "cross-site"}, 403, "Sec-Fetch-Site: cross-site"},
		{"same-site", "127.0.0.1:5000", "localhost:18210", []string{"Sec-Fetch-Site", "Same-Site"}, 403, "Sec-Fetch-Site: same-site"},

		{"token, rebinding host", "127.0.0.1:5000", "evil.example:18210",
			[]string{"Authorization", "Bearer " + token, "Origin", "http://evil.example:18210", "Sec-Fetch-Site", "cross-site"}, 200, ""},
		{"token, remote", "192.0.2.7:5000", "evil.example", []string{"Authorization", "Bearer " + token}, 200, ""},
		{"wrong token, rebinding host", "127.0.0.1:5000", "evil.example", []string{"Authorization", "Bearer nope"}, 403, "Host"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, trig, backups := operatorServer(t, Options{Token: token, TrustLoopback: true})
			metrics := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if s.Operator(w, r) {
					io.WriteString(w, "metrics")
				}
			})
			for _, ep := range []struct {
				method, path string
				h            http.Handler
				json         bool
			}{
				{"POST", "/-/fetch?force=1", s.Handler(), true},
				{"GET", "/-/backup", s.Handler(), true},
				{"GET", "/metrics", metrics, false},
			} {
				r := httptest.NewRequest(ep.method, ep.path, nil)
				r.RemoteAddr, r.Host = tt.remote, tt.host
				for i := 0; i+1 < len(tt.header); i += 2 {
					r.Header.Add(tt.header[i], tt.header[i+1])
				}
				w := httptest.NewRecorder()
				ep.h.ServeHTTP(w, r)
				if w.Code != tt.status {
					t.Errorf("%s %s: %d, want %d (%s)", ep.method, ep.path, w.Code, tt.status, w.Body)
					continue
				}
				if tt.status == 200 {
					continue
				}
				body := w.Body.String()
				if ep.json {
					var e errorBody
					if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil {
						t.Errorf("%s: refusal %q is not a JSON error", ep.path, body)
					}
					body = e.Error
				} else if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
					t.Errorf("%s: refusal's Content-Type %q, want text", ep.path, ct)
				}
				if !strings.Contains(body, tt.why) || strings.Contains(body, "THE STORE") {
					t.Errorf("%s: refusal %q does not say %q", ep.path, body, tt.why)
				}
				if w.Header().Get("WWW-Authenticate") != "" {
					t.Errorf("%s: a refused web page is challenged", ep.path)
				}
			}
			if tt.status != 200 && (trig.rounds.Load() != 0 || backups.Load() != 0) {
				t.Errorf("refused requests ran %d rounds and %d backups", trig.rounds.Load(), backups.Load())
			}
			if tt.status == 200 && (trig.rounds.Load() != 1 || trig.forced.Load() != 1 || backups.Load() != 1) {
				t.Errorf("admitted requests ran %d rounds (%d forced) and %d backups, want 1 each", trig.rounds.Load(), trig.forced.Load(), backups.Load())
			}
		})
	}
}

// TestOperatorChallenge: a request that brings no bearer token is told
// that one would admit it (401, RFC 6750 §3); a wrong token, or none to
// admit it, is 403. By default loopback is not enough: a proxy or port
// forwarder on the same host that adds no forwarding header connects
// from loopback for anyone (a security pass took the store through one).
func TestOperatorChallenge(t *testing.T) {
	const token, local = "0123456789abcdef", "fedcba9876543210fedcba9876543210"
	tests := []struct {
		name      string
		opts      Options
		remote    string
		header    []string
		status    int
		challenge bool
	}{
		{"no credentials", Options{Token: token}, "192.0.2.7:5000", nil, 401, true},
		{"another scheme", Options{Token: token}, "192.0.2.7:5000", []string{"Authorization", "Basic " + token}, 401, true},
		{"empty bearer", Options{Token: token}, "192.0.2.7:5000", []string{"Authorization", "Bearer "}, 401, true},
		{"through a local proxy", Options{Token: token, TrustLoopback: true}, "127.0.0.1:5000", []string{"X-Forwarded-For", "192.0.2.7"}, 401, true},
		{"through a proxy with a header of its own", Options{Token: token, TrustLoopback: true, Proxies: Proxies{Header: "CF-Connecting-IP"}}, "127.0.0.1:5000", []string{"Cf-Connecting-Ip", "192.0.2.7"}, 401, true},
		{"wrong token", Options{Token: token}, "192.0.2.7:5000", []string{"Authorization", "Bearer 0123456789abcdeX"}, 403, false},
		{"no token configured", Options{}, "192.0.2.7:5000", nil, 403, false},
		{"no token configured, bearer sent", Options{}, "192.0.2.7:5000", []string{"Authorization", "Bearer " + token}, 403, false},
		{"right token", Options{Token: token}, "192.0.2.7:5000", []string{"Authorization", "bearer " + token}, 200, false},
		{"loopback, not trusted", Options{LocalToken: local}, "127.0.0.1:5000", nil, 401, true},
		{"loopback through a forwarder that adds no header", Options{Token: token, LocalToken: local}, "127.0.0.1:5000", nil, 401, true},
		{"the local token", Options{Token: token, LocalToken: local}, "127.0.0.1:5000", []string{"Authorization", "Bearer " + local}, 200, false},
		{"the local token, remote", Options{LocalToken: local}, "192.0.2.7:5000", []string{"Authorization", "Bearer " + local}, 200, false},
		{"the local token, wrong", Options{LocalToken: local}, "127.0.0.1:5000", []string{"Authorization", "Bearer " + token}, 403, false},
		{"loopback trusted", Options{LocalToken: local, TrustLoopback: true}, "127.0.0.1:5000", nil, 200, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _, _ := operatorServer(t, tt.opts)
			for _, path := range []string{"/-/fetch", "/-/backup", "/metrics"} {
				method := "GET"
				if path == "/-/fetch" {
					method = "POST"
				}
				r := httptest.NewRequest(method, path, nil)
				r.RemoteAddr, r.Host = tt.remote, "feeds.example.org"
				for i := 0; i+1 < len(tt.header); i += 2 {
					r.Header.Add(tt.header[i], tt.header[i+1])
				}
				w := httptest.NewRecorder()
				if path == "/metrics" {
					if s.Operator(w, r) {
						w.WriteHeader(200)
					}
				} else {
					s.Handler().ServeHTTP(w, r)
				}
				if w.Code != tt.status {
					t.Errorf("%s: %d, want %d (%s)", path, w.Code, tt.status, w.Body)
				}
				got := w.Header().Values("WWW-Authenticate")
				if tt.challenge != (len(got) == 1 && got[0] == `Bearer realm="tributary"`) || !tt.challenge && len(got) > 0 {
					t.Errorf("%s: WWW-Authenticate %q, want a Bearer challenge: %v", path, got, tt.challenge)
				}
				if tt.status != 200 && !strings.Contains(w.Body.String(), path+": refused: ") {
					t.Errorf("%s: refusal %q does not say what was refused", path, w.Body)
				}
			}
		})
	}
}
