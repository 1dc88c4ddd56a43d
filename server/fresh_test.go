package server

import (
	"context"
	"io"
	"net"
	"net/http"
	"testing"
)

// A connection that sent nothing is closed when the shutdown starts; one
// with a request under way is left to finish it. (QA: a stop waited 5 s
// for a connection that had sent nothing.)
func TestFreshConnsClosedAtShutdown(t *testing.T) {
	var f freshConns
	a, aPeer := net.Pipe()
	b, bPeer := net.Pipe()
	defer aPeer.Close()
	defer bPeer.Close()
	f.track(a, http.StateNew)
	f.track(b, http.StateNew)
	f.track(b, http.StateActive)
	f.close()
	if _, err := aPeer.Read(make([]byte, 1)); err != io.EOF {
		t.Errorf("the fresh connection: read %v, want it closed (EOF)", err)
	}
	go func() { _, _ = bPeer.Write([]byte("x")) }()
	if n, err := b.Read(make([]byte, 1)); n != 1 || err != nil {
		t.Errorf("the active connection: read %d, %v; want it open", n, err)
	}
}

// Serve stops with a connection open that never sent a byte, and closes it.
func TestServeStopsWithASilentConnection(t *testing.T) {
	ln := listen(t)
	s := newTest(t, &fakeStore{}, nil, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	// A request on another connection proves the server is serving (and
	// has seen the silent one, accepted before it).
	resp, err := http.Get("http://" + ln.Addr().String() + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Serve = %v, want a clean stop", err)
	}
	if _, err := c.Read(make([]byte, 1)); err == nil {
		t.Error("the silent connection is still open")
	}
}
