package server

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"
	"time"
)

func TestRateLimitPerClient(t *testing.T) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) })
	h := RateLimit(ok, 1, 3, Proxies{}, nil)
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
	// A page's fetch() reads the 429 and its Retry-After (QA: a browser
	// saw a network error).
	r := httptest.NewRequest(http.MethodGet, "/feed.atom", nil)
	r.RemoteAddr = "203.0.113.7:5002"
	r.Header.Set("Origin", "https://reader.example")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Access-Control-Allow-Origin") != "*" || w.Header().Get("Access-Control-Expose-Headers") != "Retry-After" {
		t.Errorf("429 to a page: %d, CORS %q / %q", w.Code, w.Header().Get("Access-Control-Allow-Origin"), w.Header().Get("Access-Control-Expose-Headers"))
	}
	if code := get("198.51.100.2:5000"); code != http.StatusOK {
		t.Errorf("another client is limited too: %d", code)
	}
	for i := range 3 {
		if code := get("[2001:db8:1:2::1]:5000"); code != http.StatusOK {
			t.Fatalf("IPv6 request %d within the burst: %d", i+1, code)
		}
	}
	if code := get("[2001:db8:1:2::2]:5000"); code != http.StatusTooManyRequests {
		t.Errorf("another address of the same /64: %d, want 429", code)
	}
	for range 10 {
		if code := get("127.0.0.1:5000"); code != http.StatusOK {
			t.Fatalf("loopback client limited: %d", code)
		}
	}
	if RateLimit(ok, 0, 0, Proxies{}, nil) == nil {
		t.Error("a zero limit must pass requests through")
	}
}

// An IPv6 host is limited by its /64 (it has 2^64 addresses of its own),
// and the clients remembered are bounded: past maxClients, new ones share
// one allowance, so that a flood of new addresses cannot grow the
// limiter's memory (a review measured 93 MB for 500,000 addresses).
func TestRateLimitBounded(t *testing.T) {
	l := &limiter{every: 1, burst: 3, clients: map[netip.Addr]*client{}}
	now := time.Now()
	v6 := func(s string) netip.Addr { return clientKey(netip.MustParseAddr(s)) }
	for i := range 3 {
		if !l.allow(v6("2001:db8:1:2::1"), now) {
			t.Fatalf("request %d within the burst refused", i+1)
		}
	}
	if l.allow(v6("2001:db8:1:2:ffff::9"), now) {
		t.Error("another address of the same /64 has an allowance of its own")
	}
	if !l.allow(v6("2001:db8:1:3::1"), now) {
		t.Error("another /64 is limited too")
	}
	for i := 0; len(l.clients) < maxClients; i++ {
		l.allow(netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)}), now)
	}
	newcomer := func(i int) netip.Addr { return netip.AddrFrom4([4]byte{192, 0, byte(i >> 8), byte(i)}) }
	for i := range 3 {
		if !l.allow(newcomer(i), now) {
			t.Fatalf("newcomer %d within the crowd's burst refused", i)
		}
	}
	if l.allow(newcomer(3), now) {
		t.Error("past the bound, a new client has an allowance of its own")
	}
	if len(l.clients) > maxClients+1 {
		t.Errorf("%d clients remembered, bound %d", len(l.clients), maxClients)
	}
	// Once the remembered ones are idle, new clients are remembered again.
	if !l.allow(newcomer(4), now.Add(idleClient+time.Second)) || len(l.clients) != 1 {
		t.Errorf("after the idle sweep: %d clients remembered", len(l.clients))
	}
}
