package server

import (
	"log/slog"
	"net/http"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"
)

// RateLimit limits each client, by IP address (IPv6 by /64), to perSecond requests on
// average with bursts of burst, answering 429 with Retry-After beyond that.
// A request that a trusted proxy forwards is the client's it names (see
// Proxies), whatever that address is; a trusted proxy's header that names
// no address is limited under the proxy's address, one allowance for all
// such requests. Without Proxies.Header, loopback clients are not
// limited: local tools, and a reverse proxy on the same host (it has its
// own limits, and would otherwise make all its clients share one
// allowance). With it, a loopback request without the header shares the
// loopback address's allowance: it may be the proxy passing a client on
// from a location that sets no header. perSecond 0 returns next unchanged.
//
// The first request whose header is ignored (its connection is not a
// trusted proxy's) or unreadable is logged, once each: a proxy missing
// from server.trusted_proxies makes all its clients share one allowance.
//
// golang.org/x/time/rate provides the token buckets; the limiter only keeps
// one per recent client and forgets clients idle for ten minutes.
func RateLimit(next http.Handler, perSecond, burst int, proxies Proxies, log *slog.Logger) http.Handler {
	if perSecond <= 0 {
		return next
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	l := &limiter{next: next, proxies: proxies, log: log, every: rate.Limit(perSecond), burst: max(burst, 1), clients: map[netip.Addr]*client{}}
	return l
}

type limiter struct {
	next    http.Handler
	proxies Proxies
	log     *slog.Logger
	// warned is when each origin was last logged (untrusted, unreadable),
	// in Unix seconds.
	warned  [untrusted + 1]atomic.Int64
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

// headerWarnEvery spaces the warnings of a header that names no client.
const headerWarnEvery = 10 * time.Minute

// idleClient is how long a client is remembered after its last request.
const idleClient = 10 * time.Minute

// maxClients bounds the clients remembered at once. Each new address
// costs an entry for ten minutes, and an IPv6 host has 2^64 addresses of
// its own (keyed by its /64 here, but networks have many /64s): past the
// bound, clients not yet remembered share one allowance, so that a flood
// of new addresses slows itself rather than growing memory.
const maxClients = 100_000

func (l *limiter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	addr, from, ok := l.proxies.client(r)
	// With a proxy configured, a loopback request without its header may
	// be the proxy passing a client on (a location that does not set the
	// header): it is limited, as one client, rather than exempt.
	if !ok || from == direct && addr.IsLoopback() && l.proxies.Header == "" {
		l.next.ServeHTTP(w, r)
		return
	}
	now := time.Now()
	if from == untrusted || from == unreadable {
		sec := now.Unix()
		if last := l.warned[from].Load(); sec-last >= int64(headerWarnEvery/time.Second) && l.warned[from].CompareAndSwap(last, sec) {
			l.warnHeader(r, addr, from)
		}
	}
	if !l.allow(clientKey(addr), now) {
		h := w.Header()
		h.Set("Retry-After", "1")
		if r.Header.Get("Origin") != "" {
			// As the feeds answer a page: it must be able to read that
			// it is throttled, and for how long, to back off.
			h.Set("Access-Control-Allow-Origin", "*")
			h.Set("Access-Control-Expose-Headers", "Retry-After")
		}
		http.Error(w, "too many requests: slow down", http.StatusTooManyRequests)
		return
	}
	l.next.ServeHTTP(w, r)
}

// clientKey is the address a client is limited under: an IPv4 address, or
// an IPv6 address's /64, which one host commonly holds whole.
func clientKey(addr netip.Addr) netip.Addr {
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
	if c == nil && len(l.clients) >= maxClients {
		addr = netip.IPv6Unspecified() // the crowd's shared allowance
		c = l.clients[addr]
	}
	if c == nil {
		c = &client{bucket: rate.NewLimiter(l.every, l.burst)}
		l.clients[addr] = c
	}
	c.seen = now
	return c.bucket.AllowN(now, 1)
}

// warnHeader logs a request whose client-address header did not name its
// client, with what to change.
func (l *limiter) warnHeader(r *http.Request, addr netip.Addr, from origin) {
	h := l.proxies.Header
	value := r.Header.Get(h)
	if len(value) > 200 {
		value = value[:200] + "…"
	}
	if from == untrusted {
		l.log.Warn("rate limit: ignoring server.client_ip_header from an address not in server.trusted_proxies; if it is your proxy's, add it there, or its clients share one allowance (logged at most every 10 minutes)",
			"header", h, "from", addr.String(), "value", value)
		return
	}
	l.log.Warn("rate limit: a trusted proxy sent server.client_ip_header without an address in it; such requests share the proxy's allowance (logged at most every 10 minutes)",
		"header", h, "from", addr.String(), "value", value)
}
