package server

import (
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"
)

// connCap bounds the connections open at once (server.max_connections).
// net/http keeps an idle keep-alive connection for IdleTimeout, and each
// costs about 10 KB and a file descriptor: a security pass held 5,000
// open for two minutes (51 MB), and enough of them exhaust the
// descriptors, after which nobody is served. At the bound, a new
// connection closes the longest-idle one, which a client reopens when it
// next has a request (HTTP clients expect a server to close idle
// connections), or one opened longer ago that has sent nothing yet; when
// every one is busy with a request (which its timeouts bound), the new
// connection is closed instead.
type connCap struct {
	max int
	log *slog.Logger
	now func() time.Time

	mu sync.Mutex
	// open holds every connection counted, with the time it was opened
	// or went idle (the zero time while a request is under way): a new
	// connection that has sent nothing yet is as closable as an idle one,
	// or silent connections held at the bound would lock every client out.
	open map[net.Conn]time.Time
	// warned is when the bound was last logged.
	warned time.Time
}

// capWarnEvery spaces the log lines of a server at its bound.
const capWarnEvery = 10 * time.Minute

// track is an http.Server's ConnState (see freshConns.track for the other
// one it runs beside).
func (c *connCap) track(conn net.Conn, st http.ConnState) {
	var closing net.Conn
	c.mu.Lock()
	switch st {
	case http.StateNew:
		if c.open == nil {
			c.open = map[net.Conn]time.Time{}
		}
		if len(c.open) >= c.max {
			closing = c.longestIdle()
			if closing == nil {
				closing = conn
			}
			c.warn(closing == conn)
		}
		if closing != conn {
			c.open[conn] = c.now()
		}
		delete(c.open, closing)
	case http.StateActive, http.StateIdle:
		// A connection closed for the bound may still report a state
		// change it was making: it must not be counted again.
		if _, ok := c.open[conn]; ok {
			var since time.Time
			if st == http.StateIdle {
				since = c.now()
			}
			c.open[conn] = since
		}
	case http.StateHijacked, http.StateClosed:
		delete(c.open, conn)
	}
	c.mu.Unlock()
	if closing != nil {
		_ = closing.Close()
	}
}

// longestIdle returns the connection idle the longest, or nil when none
// is. It walks every connection, which happens only at the bound.
func (c *connCap) longestIdle() net.Conn {
	var oldest net.Conn
	var since time.Time
	for conn, t := range c.open {
		if !t.IsZero() && (oldest == nil || t.Before(since)) {
			oldest, since = conn, t
		}
	}
	return oldest
}

func (c *connCap) warn(refused bool) {
	now := c.now()
	if now.Sub(c.warned) < capWarnEvery {
		return
	}
	c.warned = now
	what := "closing the longest-idle connections for new ones"
	if refused {
		what = "every connection is busy: new ones are closed at once"
	}
	c.log.Warn("server.max_connections reached: "+what+" (logged at most every 10 minutes)", "max_connections", c.max)
}
