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

// origin says where client found the address a request is made for.
type origin int

const (
	// direct: the connecting address, no proxy's header read (none
	// configured, the connection is not a trusted proxy's, or the proxy
	// sent no header: its own request, such as a health check).
	direct origin = iota
	// named: the client a trusted proxy names.
	named
	// unreadable: a trusted proxy sent the header, but no address could
	// be read from it; the address is the proxy's.
	unreadable
	// untrusted: the header came from a connection that is not a trusted
	// proxy's, and was ignored; the address is the connecting one.
	untrusted
)

// client returns the address r is made for, and where it was found. ok is
// false when the connecting address is not an IP address (a Unix socket).
func (p Proxies) client(r *http.Request) (addr netip.Addr, from origin, ok bool) {
	addr, ok = remoteAddr(r)
	if !ok || p.Header == "" {
		return addr, direct, ok
	}
	values := r.Header.Values(p.Header)
	switch {
	case len(values) == 0:
		return addr, direct, true
	case !p.trusts(addr):
		return addr, untrusted, true
	}
	if client, found := p.named(values); found {
		return client, named, true
	}
	return addr, unreadable, true
}

// remoteAddr is the address r connects from.
func remoteAddr(r *http.Request) (netip.Addr, bool) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return parseAddr(host)
}

// parseAddr parses an IP address as this package compares them: an
// IPv4-mapped IPv6 address as IPv4, without an IPv6 zone (a prefix never
// contains a zoned address).
func parseAddr(s string) (netip.Addr, bool) {
	addr, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}, false
	}
	return addr.Unmap().WithZone(""), true
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
		entries := entriesFromEnd(values[i], rfc7239)
		for {
			entry, more := entries()
			if !more {
				break
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

// entriesFromEnd returns a function yielding the comma-separated entries
// of one header value, last first, and false after the first. The walk
// usually stops at the last entry, so plain lists are cut from the end
// without splitting the whole (a header may be 64 KiB of commas). In a
// Forwarded header a comma inside a quoted string (ext="a,b") belongs to
// its value: such a value is split once, quotes and all.
func entriesFromEnd(v string, quoted bool) func() (string, bool) {
	if !quoted || !strings.Contains(v, `"`) {
		done := false
		return func() (string, bool) {
			if done {
				return "", false
			}
			j := strings.LastIndexByte(v, ',')
			if j < 0 {
				done = true
				return v, true
			}
			var entry string
			v, entry = v[:j], v[j+1:]
			return entry, true
		}
	}
	var entries []string
	start, inQuotes := 0, false
	for i := 0; i < len(v); i++ {
		switch {
		case v[i] == '\\' && inQuotes:
			i++ // a quoted-pair
		case v[i] == '"':
			inQuotes = !inQuotes
		case v[i] == ',' && !inQuotes:
			entries = append(entries, v[start:i])
			start = i + 1
		}
	}
	entries = append(entries, v[start:])
	if inQuotes {
		// A quote never closed: a client's, which a proxy appending its
		// element after it must not have swallowed. Every comma counts.
		return entriesFromEnd(v, false)
	}
	return func() (string, bool) {
		if len(entries) == 0 {
			return "", false
		}
		entry := entries[len(entries)-1]
		entries = entries[:len(entries)-1]
		return entry, true
	}
}

// forwardedFor returns the for= parameter of one element of an RFC 7239
// Forwarded header ("for=192.0.2.60;proto=http;by=203.0.113.43"), unquoted.
func forwardedFor(element string) string {
	for pair := range strings.SplitSeq(element, ";") {
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
	if addr, ok := parseAddr(s); ok {
		return addr, true
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return parseAddr(ap.Addr().String())
	}
	if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
		return parseAddr(s[1 : len(s)-1])
	}
	return netip.Addr{}, false
}
