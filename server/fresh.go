package server

import (
	"net"
	"net/http"
	"sync"
	"sync/atomic"
)

// freshConns are the connections that have sent no byte of a request yet.
// net/http's Shutdown waits up to 5 s for such a connection before it
// treats it as idle (a browser's preconnect, a client that stalled), which
// held a stop that long; they are closed when the shutdown starts, as idle
// keep-alive connections are, after the listener is closed. The price: a
// connection stays "new" until its request's header is read whole, so a
// request arriving just then is cut off, and a client that opened the
// connection for it does not retry (Go's Transport retries only on a
// reused connection). At a stop, that is one request against five
// seconds of every stop.
type freshConns struct {
	mu    sync.Mutex
	conns map[net.Conn]struct{}
	n     atomic.Int64 // len(conns), read without the lock
}

// track is an http.Server's ConnState. It runs twice a request on a
// kept-alive connection (active, idle), on the serving hot path: when no
// connection is fresh, as under steady load, that costs an atomic load and
// no lock.
func (f *freshConns) track(c net.Conn, st http.ConnState) {
	if st != http.StateNew && f.n.Load() == 0 {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if st == http.StateNew {
		if f.conns == nil {
			f.conns = map[net.Conn]struct{}{}
		}
		f.conns[c] = struct{}{}
		f.n.Store(int64(len(f.conns)))
		return
	}
	delete(f.conns, c)
	f.n.Store(int64(len(f.conns)))
}

// close closes every connection still fresh.
func (f *freshConns) close() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for c := range f.conns {
		_ = c.Close()
		delete(f.conns, c)
	}
	f.n.Store(0)
}
