package server

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// RateLimit limits each client, by IP address, to perSecond requests on
// average with bursts of burst, answering 429 with Retry-After beyond that.
// Loopback clients are not limited (local tools), but a request a reverse
// proxy on the same host passes on is limited by the client address it
// names (X-Real-IP, else the last X-Forwarded-For or Forwarded for=, the
// one the proxy added): behind a proxy, nothing was limited at all. An
// IPv6 client is limited by its /64, which one host commonly holds whole.
// perSecond 0 returns next unchanged.
//
// golang.org/x/time/rate provides the token buckets; the limiter only keeps
// one per recent client and forgets clients idle for ten minutes.
func RateLimit(next http.Handler, perSecond, burst int) http.Handler {
	if perSecond <= 0 {
		return next
	}
	l := &limiter{next: next, every: rate.Limit(perSecond), burst: max(burst, 1), clients: map[netip.Addr]*client{}}
	return l
}

type limiter struct {
	next    http.Handler
	every   rate.Limit
	burst   int
	mu      sync.Mutex
	clients map[netip.Addr]*client
	swept   time.Time
}

type client struct {
	bucket *rate.Limiter
	seen   time.Time
}

// idleClient is how long a client is remembered after its last request.
const idleClient = 10 * time.Minute

func (l *limiter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	addr, ok := limitedClient(r)
	if !ok {
		l.next.ServeHTTP(w, r)
		return
	}
	if !l.allow(addr, time.Now()) {
		w.Header().Set("Retry-After", "1")
		http.Error(w, "too many requests: slow down", http.StatusTooManyRequests)
		return
	}
	l.next.ServeHTTP(w, r)
}

// limitedClient returns the address r is limited by, or false when it is
// not limited: a loopback client of its own, or a request whose client
// cannot be told.
func limitedClient(r *http.Request) (netip.Addr, bool) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}, false
	}
	if addr = addr.Unmap(); addr.IsLoopback() {
		if addr, ok := forwardedFor(r); ok && !addr.IsLoopback() {
			return bucketOf(addr), true
		}
		return netip.Addr{}, false
	}
	return bucketOf(addr), true
}

// forwardedFor is the client address a proxy on this host says it passes
// the request on for: the one it added, last in its header.
func forwardedFor(r *http.Request) (netip.Addr, bool) {
	var last string
	if v := r.Header.Get("X-Real-Ip"); v != "" {
		last = v
	} else if vs := r.Header.Values("X-Forwarded-For"); len(vs) > 0 {
		parts := strings.Split(vs[len(vs)-1], ",")
		last = parts[len(parts)-1]
	} else if vs := r.Header.Values("Forwarded"); len(vs) > 0 {
		elems := strings.Split(vs[len(vs)-1], ",")
		for pair := range strings.SplitSeq(elems[len(elems)-1], ";") {
			if k, v, ok := strings.Cut(strings.TrimSpace(pair), "="); ok && strings.EqualFold(k, "for") {
				last = v
			}
		}
	}
	last = strings.Trim(strings.TrimSpace(last), `"`)
	if h, _, err := net.SplitHostPort(last); err == nil {
		last = h
	}
	addr, err := netip.ParseAddr(strings.Trim(last, "[]"))
	if err != nil {
		return netip.Addr{}, false
	}
	return addr.Unmap(), true
}

// bucketOf is the key a client address is limited under: an IPv4 address,
// or an IPv6 address's /64.
func bucketOf(addr netip.Addr) netip.Addr {
	if addr.Is4() {
		return addr
	}
	p, _ := addr.Prefix(64)
	return p.Addr()
}

func (l *limiter) allow(addr netip.Addr, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > idleClient {
		for a, c := range l.clients {
			if now.Sub(c.seen) > idleClient {
				delete(l.clients, a)
			}
		}
		l.swept = now
	}
	c := l.clients[addr]
	if c == nil {
		c = &client{bucket: rate.NewLimiter(l.every, l.burst)}
		l.clients[addr] = c
	}
	c.seen = now
	return c.bucket.AllowN(now, 1)
}
