package main

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestServeBehindProxy: with server.client_ip_header, each client a local
// reverse proxy names has its own allowance, requests naming none share
// one, and a forwarded request is never admitted by
// server.trust_loopback.
func TestServeBehindProxy(t *testing.T) {
	addr := freeAddr(t)
	path := filepath.Join(t.TempDir(), "config.yaml")
	reloadConfig(t, path, addr, addr, "Proxied", "Harbor Light")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	conf := strings.Replace(string(b), "server:\n", "server:\n  rate_limit: 1\n  rate_burst: 2\n  trust_loopback: true\n  client_ip_header: X-Forwarded-For\n", 1)
	if err := os.WriteFile(path, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	d := startServe(t, path, addr, time.Hour)
	get := func(path, forwarded string) int {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, d.base+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		if forwarded != "" {
			req.Header.Set("X-Forwarded-For", forwarded)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for i := range 2 {
		if code := get("/feed.atom", "203.0.113.9"); code != http.StatusOK {
			t.Fatalf("request %d within the burst: %d", i+1, code)
		}
	}
	if code := get("/feed.atom", "192.0.2.1, 203.0.113.9"); code != http.StatusTooManyRequests {
		t.Errorf("the client past its burst (with a forged address before its own): %d, want 429", code)
	}
	if code := get("/feed.atom", "198.51.100.2"); code != http.StatusOK {
		t.Errorf("another client: %d, want 200", code)
	}
	// Waiting for the daemon (GET /readyz from here, naming no client)
	// spent the loopback allowance: let one second's token come back.
	time.Sleep(1100 * time.Millisecond)
	if code := get("/metrics", ""); code != http.StatusOK {
		t.Errorf("a loopback request with trust_loopback: %d, want 200", code)
	}
	if code := get("/metrics", "198.51.100.3"); code != http.StatusUnauthorized {
		t.Errorf("a forwarded request with trust_loopback: %d, want 401", code)
	}
	// Requests that name no client (the proxy's own, or a client passed
	// on without the header) share one allowance, not exempt.
	if codes := []int{get("/healthz", ""), get("/healthz", "")}; codes[1] != http.StatusTooManyRequests {
		t.Errorf("requests naming no client past one burst: %v, want 429 last", codes)
	}
}
