package server

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestRateLimitPerClient(t *testing.T) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) })
	h := RateLimit(ok, 1, 3)
	get := func(remote string, header ...string) int {
		r := httptest.NewRequest(http.MethodGet, "/feed.atom", nil)
		r.RemoteAddr = remote
		for i := 0; i+1 < len(header); i += 2 {
			r.Header.Add(header[i], header[i+1])
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Code
	}
	for i := range 3 {
		if code := get("203.0.113.7:5000"); code != http.StatusOK {
			t.Fatalf("request %d within the burst: %d", i+1, code)
		}
	}
	if code := get("203.0.113.7:5001"); code != http.StatusTooManyRequests {
		t.Errorf("request past the burst: %d, want 429", code)
	}
	if code := get("198.51.100.2:5000"); code != http.StatusOK {
		t.Errorf("another client is limited too: %d", code)
	}
	for range 10 {
		if code := get("127.0.0.1:5000"); code != http.StatusOK {
			t.Fatalf("loopback client limited: %d", code)
		}
	}
	// Behind a reverse proxy on this host, each client is limited by the
	// address the proxy names (security pass: nothing was limited).
	for _, tc := range []struct {
		name   string
		header []string
	}{
		{"X-Real-IP", []string{"X-Real-IP", "192.0.2.10"}},
		{"X-Forwarded-For, the proxy's entry last", []string{"X-Forwarded-For", "10.9.9.9, 192.0.2.11"}},
		{"Forwarded", []string{"Forwarded", `for="[2001:db8:1:2::7]:4711";proto=https`}},
	} {
		for i := range 3 {
			if code := get("127.0.0.1:5000", tc.header...); code != http.StatusOK {
				t.Fatalf("%s: request %d within the burst: %d", tc.name, i+1, code)
			}
		}
		if code := get("127.0.0.1:5000", tc.header...); code != http.StatusTooManyRequests {
			t.Errorf("%s: request past the burst through the proxy: %d, want 429", tc.name, code)
		}
	}
	// The same /64 is one client; a forwarded loopback address is none.
	if code := get("[2001:db8:1:2::99]:5000"); code != http.StatusTooManyRequests {
		t.Errorf("another address of a limited /64: %d, want 429", code)
	}
	for range 10 {
		if code := get("127.0.0.1:5000", "X-Forwarded-For", "127.0.0.1"); code != http.StatusOK {
			t.Fatalf("a local client through the proxy limited: %d", code)
		}
	}
	if RateLimit(ok, 0, 0) == nil {
		t.Error("a zero limit must pass requests through")
	}
}
