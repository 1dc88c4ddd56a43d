package server

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// Proxies names the reverse proxies in front of the server and the header
// in which they pass on the address of the client they act for
// (server.client_ip_header, server.trusted_proxies). Behind a proxy every
// request connects from the proxy's address: without this the rate limit
// sees one client (loopback, which it exempts) for all of them.
//
// The header is believed only on a request that connects from a trusted
// proxy, and only as far as the proxies wrote it: a client can send the
// header itself, so in a list (X-Forwarded-For, Forwarded) the client is
// the address nearest the end that is not a trusted proxy's, the one the
// last trusted proxy saw. A single-address header (X-Real-IP,
// CF-Connecting-IP) must be one the proxy sets, replacing the client's:
// nginx's proxy_set_header does. The zero value trusts no header.
type Proxies struct {
	// Header is the header's name; "" believes none.
	Header string
	// Trusted are the proxies' addresses.
	Trusted []netip.Prefix
}

// client returns the address r is made for: the client a trusted proxy
// names, else the connecting address. ok is false when the connecting
// address is not an IP address (a Unix socket).
func (p Proxies) client(r *http.Request) (addr netip.Addr, ok bool) {
	addr, ok = remoteAddr(r)
	if !ok || p.Header == "" || !p.trusts(addr) {
		return addr, ok
	}
	if named, found := p.named(r.Header.Values(p.Header)); found {
		return named, true
	}
	return addr, true
}

// remoteAddr is the address r connects from.
func remoteAddr(r *http.Request) (netip.Addr, bool) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}, false
	}
	return addr.Unmap(), true
}

func (p Proxies) trusts(addr netip.Addr) bool {
	for _, t := range p.Trusted {
		if t.Contains(addr) {
			return true
		}
	}
	return false
}

// named reads the client's address from the header's values: each proxy
// appends the address it saw (values may also be split over several
// header lines), so it walks from the end past the trusted proxies. An
// entry that is no address ("unknown", an obfuscated Forwarded node,
// garbage a proxy passed on) ends the walk: what lies before it cannot be
// trusted, and the caller falls back to the connecting proxy.
func (p Proxies) named(values []string) (netip.Addr, bool) {
	rfc7239 := http.CanonicalHeaderKey(p.Header) == "Forwarded"
	var last netip.Addr
	for i := len(values) - 1; i >= 0; i-- {
		v := values[i]
		for v != "" {
			var entry string
			if j := strings.LastIndexByte(v, ','); j >= 0 {
				v, entry = v[:j], v[j+1:]
			} else {
				v, entry = "", v
			}
			if rfc7239 {
				entry = forwardedFor(entry)
			}
			addr, ok := parseHostAddr(strings.TrimSpace(entry))
			if !ok {
				return netip.Addr{}, false
			}
			if !p.trusts(addr) {
				return addr, true
			}
			last = addr
		}
	}
	// Every address is a trusted proxy's: the request began at the first.
	return last, last.IsValid()
}

// forwardedFor returns the for= parameter of one element of an RFC 7239
// Forwarded header ("for=192.0.2.60;proto=http;by=203.0.113.43"), unquoted.
func forwardedFor(element string) string {
	for _, pair := range strings.Split(element, ";") {
		name, value, found := strings.Cut(strings.TrimSpace(pair), "=")
		if found && strings.EqualFold(name, "for") {
			return strings.Trim(value, `"`)
		}
	}
	return ""
}

// parseHostAddr parses an address as proxies write it: bare ("192.0.2.1",
// "2001:db8::1"), with a port ("192.0.2.1:4711", "[2001:db8::1]:4711"),
// or bracketed ("[2001:db8::1]").
func parseHostAddr(s string) (netip.Addr, bool) {
	if addr, err := netip.ParseAddr(s); err == nil {
		return addr.Unmap(), true
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap(), true
	}
	if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
		if addr, err := netip.ParseAddr(s[1 : len(s)-1]); err == nil {
			return addr.Unmap(), true
		}
	}
	return netip.Addr{}, false
}
