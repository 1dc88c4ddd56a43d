package server

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// At the bound a new connection closes the one idle longest; when none is
// idle, the new one is closed; closed connections are not counted again.
func TestConnCap(t *testing.T) {
	clock := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	var logs bytes.Buffer
	c := &connCap{max: 2, log: slog.New(slog.NewTextHandler(&logs, nil)), now: func() time.Time { return clock }}
	pipe := func() (net.Conn, net.Conn) {
		a, b := net.Pipe()
		t.Cleanup(func() { a.Close(); b.Close() })
		return a, b
	}
	closed := func(peer net.Conn) bool {
		_ = peer.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
		_, err := peer.Read(make([]byte, 1))
		return err == io.EOF
	}
	a, aPeer := pipe()
	b, bPeer := pipe()
	c.track(a, http.StateNew)
	c.track(a, http.StateActive)
	c.track(a, http.StateIdle) // idle since 12:00
	clock = clock.Add(time.Second)
	c.track(b, http.StateNew)
	c.track(b, http.StateActive)
	c.track(b, http.StateIdle) // idle since 12:00:01
	x, xPeer := pipe()
	c.track(x, http.StateNew)
	if !closed(aPeer) || closed(bPeer) || closed(xPeer) {
		t.Fatal("a new connection at the bound did not close the longest-idle one alone")
	}
	c.track(a, http.StateActive) // a closed connection's late report
	c.track(a, http.StateClosed)
	c.track(b, http.StateActive)
	c.track(x, http.StateActive)
	if len(c.open) != 2 {
		t.Fatalf("%d connections counted, want 2", len(c.open))
	}
	y, yPeer := pipe()
	c.track(y, http.StateNew)
	if !closed(yPeer) || closed(bPeer) || closed(xPeer) {
		t.Error("with every connection busy, the new one should be closed, and only it")
	}
	c.track(y, http.StateClosed)
	if n := strings.Count(logs.String(), "max_connections reached"); n != 1 {
		t.Errorf("the bound was logged %d times, want once:\n%s", n, logs.String())
	}
	c.track(x, http.StateClosed)
	// Connections that never send a request are closable too: held at
	// the bound, they would otherwise lock every client out.
	c.track(b, http.StateClosed)
	s1, s1Peer := pipe()
	s2, s2Peer := pipe()
	c.track(s1, http.StateNew)
	clock = clock.Add(time.Second)
	c.track(s2, http.StateNew)
	w, wPeer := pipe()
	c.track(w, http.StateNew)
	if !closed(s1Peer) || closed(s2Peer) || closed(wPeer) {
		t.Error("at the bound, the oldest silent connection should be closed for a new one")
	}
	c.track(s1, http.StateClosed)
	c.track(s2, http.StateClosed)
	c.track(w, http.StateClosed)
	z, zPeer := pipe()
	c.track(z, http.StateNew)
	if closed(zPeer) || len(c.open) != 1 {
		t.Errorf("below the bound again, a new connection was refused (%d counted)", len(c.open))
	}
}

// Serve with its bound reached: a new client is answered, and the
// keep-alive connection idle longest is the one closed for it.
func TestServeClosesIdleConnectionsAtTheBound(t *testing.T) {
	ln := listen(t)
	s := newTest(t, &fakeStore{}, nil, Options{MaxConns: 2})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	defer func() {
		cancel()
		<-done
	}()
	get := func(c net.Conn) error {
		if _, err := io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
			return err
		}
		_ = c.SetReadDeadline(time.Now().Add(2 * time.Second))
		buf := make([]byte, 512)
		n, err := c.Read(buf)
		if err == nil && !strings.HasPrefix(string(buf[:n]), "HTTP/1.1 200") {
			t.Errorf("answer %q", buf[:n])
		}
		return err
	}
	var conns []net.Conn
	for range 3 {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if err := get(c); err != nil {
			t.Fatalf("connection %d: %v", len(conns)+1, err)
		}
		conns = append(conns, c)
		time.Sleep(20 * time.Millisecond) // idle times in order
	}
	if err := get(conns[0]); err == nil {
		t.Error("the longest-idle connection was kept past the bound")
	}
	for i, c := range conns[1:] {
		if err := get(c); err != nil {
			t.Errorf("connection %d, kept: %v", i+2, err)
		}
	}
}
