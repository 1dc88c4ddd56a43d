package fetch

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"
)

// redirects is the redirect policy of one fetch; it also remembers where a
// run of permanent redirects from the requested URL led.
type redirects struct {
	max     int
	trusted bool
	// permanent is the target of the leading run of 301/308 hops; broken
	// is set once a temporary hop ends the run.
	permanent string
	broken    bool
}

func (r *redirects) check(req *http.Request, via []*http.Request) error {
	if len(via) > r.max {
		return fmt.Errorf("stopped after %d redirects", r.max)
	}
	switch req.URL.Scheme {
	case "http", "https":
	default:
		return fmt.Errorf("redirect to unsupported scheme %q", req.URL.Scheme)
	}
	next := req.URL.String()
	for _, v := range via {
		if v.URL.String() == next {
			return fmt.Errorf("redirect loop at %s", next)
		}
	}
	// Literal addresses are refused here, before any dial, so that the
	// refusal does not depend on the transport doing the checking.
	if !r.trusted {
		if err := checkLiteral(req.URL.Hostname()); err != nil {
			return err
		}
	}
	if !r.broken && req.Response != nil {
		switch req.Response.StatusCode {
		case http.StatusMovedPermanently, http.StatusPermanentRedirect:
			r.permanent = next
		default:
			r.broken = true
		}
	}
	return nil
}

// AddressError is a connection refused because it would reach a non-public
// address from a fetch that is not trusted with one.
type AddressError struct {
	Host string     // as named in the URL
	Addr netip.Addr // the address it resolved to
	Kind string     // "loopback", "private", "link-local", …
}

func (e *AddressError) Error() string {
	if e.Host == e.Addr.String() || !e.Addr.IsValid() {
		return fmt.Sprintf("refusing to connect to %s: %s address", e.Host, e.Kind)
	}
	return fmt.Sprintf("refusing to connect to %s (%s): %s address", e.Host, e.Addr, e.Kind)
}

// reservedPrefixes are the non-public ranges net/netip has no predicate for.
var reservedPrefixes = []struct {
	prefix netip.Prefix
	kind   string
}{
	{netip.MustParsePrefix("0.0.0.0/8"), "unspecified"},
	{netip.MustParsePrefix("100.64.0.0/10"), "carrier-grade NAT"},
	{netip.MustParsePrefix("192.0.0.0/24"), "reserved"},
	{netip.MustParsePrefix("198.18.0.0/15"), "reserved"},
	{netip.MustParsePrefix("240.0.0.0/4"), "reserved"},
	{netip.MustParsePrefix("::/96"), "reserved"}, // IPv4-compatible, deprecated
	{netip.MustParsePrefix("fec0::/10"), "site-local"},
	{netip.MustParsePrefix("64:ff9b:1::/48"), "private"}, // local-use NAT64
}

// nat64 embeds an IPv4 address that a NAT64 gateway would connect to.
var nat64 = netip.MustParsePrefix("64:ff9b::/96")

// addrKind names the kind of a non-public address, or returns "" for a
// public one.
func addrKind(ip netip.Addr) string {
	ip = ip.Unmap().WithZone("")
	switch {
	case !ip.IsValid():
		return "invalid"
	case ip.IsUnspecified():
		return "unspecified"
	case ip.IsLoopback():
		return "loopback"
	case ip.IsPrivate():
		return "private"
	case ip.IsLinkLocalUnicast():
		return "link-local"
	case ip.IsMulticast():
		return "multicast"
	}
	for _, r := range reservedPrefixes {
		if r.prefix.Contains(ip) {
			return r.kind
		}
	}
	if nat64.Contains(ip) {
		b := ip.As16()
		return addrKind(netip.AddrFrom4([4]byte(b[12:])))
	}
	return ""
}

// isLocalhost reports names that resolve to loopback by definition (RFC
// 6761), whatever a resolver says.
func isLocalhost(host string) bool {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	return host == "localhost" || strings.HasSuffix(host, ".localhost")
}

// checkLiteral refuses a host that is a non-public IP literal or a
// localhost name; other names are checked when dialled.
func checkLiteral(host string) error {
	if isLocalhost(host) {
		return &AddressError{Host: host, Kind: "loopback"}
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		if kind := addrKind(ip); kind != "" {
			return &AddressError{Host: host, Addr: ip, Kind: kind}
		}
	}
	return nil
}

// pin is the resolution of the requested host, made once per fetch so that
// the address the trust decision saw is the address dialled.
type pin struct {
	host  string
	addrs []netip.Addr
}

type pinKey struct{}

// trust decides whether a fetch may reach non-public addresses: only when
// the configured host is itself one (a literal, a localhost name or a name
// resolving only to such addresses), and never for an untrusted request.
func (f *Fetcher) trust(ctx context.Context, req Request, host string) (bool, *pin, error) {
	if ip, err := netip.ParseAddr(host); err == nil {
		return !req.Untrusted && addrKind(ip) != "", nil, nil
	}
	if isLocalhost(host) {
		return !req.Untrusted, nil, nil
	}
	if f.custom {
		return false, nil, nil
	}
	addrs, err := f.lookup(ctx, host)
	if err != nil {
		return false, nil, err
	}
	p := &pin{host: host, addrs: addrs}
	if req.Untrusted || len(addrs) == 0 {
		return false, p, nil
	}
	for _, a := range addrs {
		if addrKind(a) == "" {
			return false, p, nil
		}
	}
	return true, p, nil
}

// trustedAs reports whether a fetch of host, standing for the configured
// URL configured (Request.TrustAs), may reach non-public addresses: when
// the configured host may. A configured local file is trusted; a
// configured host that no longer resolves is not.
func (f *Fetcher) trustedAs(ctx context.Context, configured, host string) bool {
	t, err := parseTarget(configured)
	if err != nil {
		return false
	}
	if t.path != "" {
		return true
	}
	if strings.EqualFold(t.url.Hostname(), host) {
		return true // trust already decided on this very host
	}
	trusted, _, err := f.trust(ctx, Request{}, t.url.Hostname())
	return err == nil && trusted
}

// resolve returns the addresses to dial for host: the literal itself, the
// loopback for a localhost name (never asked of DNS, as RFC 6761 advises),
// the fetch's pinned resolution, or a fresh lookup for a redirect's host.
func (f *Fetcher) resolve(ctx context.Context, host string) ([]netip.Addr, error) {
	if ip, err := netip.ParseAddr(host); err == nil {
		return []netip.Addr{ip}, nil
	}
	if isLocalhost(host) {
		return []netip.Addr{netip.AddrFrom4([4]byte{127, 0, 0, 1}), netip.IPv6Loopback()}, nil
	}
	if p, _ := ctx.Value(pinKey{}).(*pin); p != nil && strings.EqualFold(p.host, host) {
		return p.addrs, nil
	}
	return f.lookup(ctx, host)
}

// dialer returns the transport's DialContext; a guarded one dials only
// public addresses. Checking resolved addresses here, rather than names in
// the redirect policy, is what stops a public name resolving to 127.0.0.1.
func (f *Fetcher) dialer(guard bool) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, port, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, err
		}
		// The transport detaches a dial from its request's deadline (a
		// late connection may serve the next request), so bound it here.
		ctx, cancel := context.WithTimeout(ctx, f.opts.Timeout)
		defer cancel()
		addrs, err := f.resolve(ctx, host)
		if err != nil {
			return nil, err
		}
		if guard {
			var public []netip.Addr
			var refused error
			for _, a := range addrs {
				if kind := addrKind(a); kind != "" {
					refused = &AddressError{Host: host, Addr: a.Unmap(), Kind: kind}
					continue
				}
				public = append(public, a)
			}
			if len(public) == 0 {
				if refused == nil {
					refused = fmt.Errorf("no addresses for %s", host)
				}
				return nil, refused
			}
			addrs = public
		}
		var first error
		for i, a := range addrs {
			conn, err := f.dialOne(ctx, network, net.JoinHostPort(a.Unmap().String(), port), len(addrs)-i)
			if err == nil {
				return &meteredConn{Conn: conn}, nil
			}
			if first == nil {
				first = err
			}
			if ctx.Err() != nil {
				break
			}
		}
		if first == nil {
			first = errors.New("no addresses to dial")
		}
		return nil, first
	}
}

// dialOne dials one of left remaining addresses with a share of the time
// left, so that one black-holed address cannot use up the whole dial.
func (f *Fetcher) dialOne(ctx context.Context, network, addr string, left int) (net.Conn, error) {
	if deadline, ok := ctx.Deadline(); ok && left > 1 {
		share := time.Until(deadline) / time.Duration(left)
		if share < 2*time.Second {
			share = 2 * time.Second
		}
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, share)
		defer cancel()
	}
	return f.dial(ctx, network, addr)
}
