package server

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestRateLimitPerClient(t *testing.T) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) })
	h := RateLimit(ok, 1, 3)
	get := func(remote string) int {
		r := httptest.NewRequest(http.MethodGet, "/feed.atom", nil)
		r.RemoteAddr = remote
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
	if RateLimit(ok, 0, 0) == nil {
		t.Error("a zero limit must pass requests through")
	}
}
