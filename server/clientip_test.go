package server

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
)

var loopbackProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}

func TestProxiesClient(t *testing.T) {
	lan := append([]netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("fe80::/10")}, loopbackProxies...)
	tests := []struct {
		name    string
		header  string
		trusted []netip.Prefix
		remote  string
		values  []string // of the header, one per line
		want    string
		from    origin
	}{
		{"no header configured", "", loopbackProxies, "127.0.0.1:5000", []string{"203.0.113.9"}, "127.0.0.1", direct},
		{"from a proxy", "X-Real-IP", loopbackProxies, "127.0.0.1:5000", []string{"203.0.113.9"}, "203.0.113.9", named},
		{"IPv6 proxy, address with port", "X-Real-IP", loopbackProxies, "[::1]:5000", []string{"203.0.113.9:4711"}, "203.0.113.9", named},
		{"bracketed IPv6", "X-Real-IP", loopbackProxies, "127.0.0.1:5000", []string{"[2001:db8::7]"}, "2001:db8::7", named},
		{"IPv4-mapped", "X-Real-IP", loopbackProxies, "[::ffff:127.0.0.1]:5000", []string{"::ffff:203.0.113.9"}, "203.0.113.9", named},
		// A prefix never contains a zoned address: zones are dropped.
		{"zoned proxy", "X-Real-IP", lan, "[fe80::1%eth0]:5000", []string{"203.0.113.9"}, "203.0.113.9", named},
		{"zoned client", "X-Real-IP", loopbackProxies, "127.0.0.1:5000", []string{"fe80::7%eth0"}, "fe80::7", named},
		// A client's own header counts only from a trusted proxy.
		{"not from a trusted proxy", "X-Real-IP", loopbackProxies, "198.51.100.4:5000", []string{"127.0.0.1"}, "198.51.100.4", untrusted},
		{"proxy sent no header", "X-Real-IP", loopbackProxies, "127.0.0.1:5000", nil, "127.0.0.1", direct},
		{"garbage", "X-Real-IP", loopbackProxies, "127.0.0.1:5000", []string{"not an address"}, "127.0.0.1", unreadable},
		{"empty", "X-Real-IP", loopbackProxies, "127.0.0.1:5000", []string{""}, "127.0.0.1", unreadable},
		{"the client is on loopback", "X-Real-IP", loopbackProxies, "127.0.0.1:5000", []string{"127.0.0.1"}, "127.0.0.1", named},
		// nginx's $proxy_add_x_forwarded_for appends the address it saw to
		// what the client sent: the client chose the left part.
		{"forged X-Forwarded-For", "X-Forwarded-For", loopbackProxies, "127.0.0.1:5000", []string{"192.0.2.1, 203.0.113.9"}, "203.0.113.9", named},
		{"forged, on lines of its own", "X-Forwarded-For", loopbackProxies, "127.0.0.1:5000", []string{"192.0.2.1", "203.0.113.9"}, "203.0.113.9", named},
		{"through two proxies", "X-Forwarded-For", lan, "127.0.0.1:5000", []string{"192.0.2.1, 203.0.113.9, 10.0.0.5"}, "203.0.113.9", named},
		{"client inside a trusted range", "X-Forwarded-For", lan, "127.0.0.1:5000", []string{"10.0.0.7, 10.0.0.5"}, "10.0.0.7", named},
		{"unknown ends the walk", "X-Forwarded-For", lan, "127.0.0.1:5000", []string{"203.0.113.9, unknown, 10.0.0.5"}, "127.0.0.1", unreadable},
		{"empty element ends the walk", "X-Forwarded-For", loopbackProxies, "127.0.0.1:5000", []string{"203.0.113.9,"}, "127.0.0.1", unreadable},
		{"Forwarded", "Forwarded", loopbackProxies, "127.0.0.1:5000", []string{`for=192.0.2.1, for="[2001:db8::7]:4711";proto=https;by=127.0.0.1`}, "2001:db8::7", named},
		{"Forwarded, case and spaces", "forwarded", loopbackProxies, "127.0.0.1:5000", []string{`proto=http; For=203.0.113.9`}, "203.0.113.9", named},
		{"Forwarded, a comma quoted", "Forwarded", loopbackProxies, "127.0.0.1:5000", []string{`for=192.0.2.1, for=203.0.113.9;ext="a,b\"c,d"`}, "203.0.113.9", named},
		// A quote the client left open must not swallow what the proxy
		// appended after it.
		{"Forwarded, a client's quote left open", "Forwarded", loopbackProxies, "127.0.0.1:5000", []string{`for=198.51.100.7;ext="a, for=203.0.113.5`}, "203.0.113.5", named},
		{"Forwarded obfuscated", "Forwarded", loopbackProxies, "127.0.0.1:5000", []string{`for=_hidden`}, "127.0.0.1", unreadable},
		{"Unix socket", "X-Real-IP", loopbackProxies, "@", []string{"203.0.113.9"}, "", direct},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/feed.atom", nil)
			r.RemoteAddr = tt.remote
			for _, v := range tt.values {
				r.Header.Add(tt.header, v)
			}
			got, from, ok := Proxies{Header: tt.header, Trusted: tt.trusted}.client(r)
			if tt.want == "" {
				if ok {
					t.Errorf("client = %v, want none", got)
				}
				return
			}
			if !ok || got != netip.MustParseAddr(tt.want) || from != tt.from {
				t.Errorf("client = %v from %d (%v), want %s from %d", got, from, ok, tt.want, tt.from)
			}
		})
	}
}

// Behind a reverse proxy every request connects from the proxy: each
// client it names is limited on its own, and requests that name none (the
// proxy's health checks, local tools, or clients a location without the
// header passes on) share one allowance: not exempt, or a client would
// escape by reaching such a location.
func TestRateLimitBehindProxy(t *testing.T) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) })
	var logs bytes.Buffer
	h := RateLimit(ok, 1, 2, Proxies{Header: "X-Forwarded-For", Trusted: loopbackProxies}, slog.New(slog.NewTextHandler(&logs, nil)))
	from := "127.0.0.1:40000"
	get := func(forwarded string) int {
		r := httptest.NewRequest(http.MethodGet, "/feed.atom", nil)
		r.RemoteAddr = from
		if forwarded != "" {
			r.Header.Set("X-Forwarded-For", forwarded)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Code
	}
	for i := range 2 {
		if code := get("203.0.113.9"); code != http.StatusOK {
			t.Fatalf("request %d within the burst: %d", i+1, code)
		}
	}
	if code := get("203.0.113.9"); code != http.StatusTooManyRequests {
		t.Errorf("past the burst: %d, want 429", code)
	}
	if code := get("192.0.2.77, 203.0.113.9"); code != http.StatusTooManyRequests {
		t.Errorf("a forged X-Forwarded-For escaped the limit: %d, want 429", code)
	}
	if code := get("198.51.100.2"); code != http.StatusOK {
		t.Errorf("another client behind the proxy is limited too: %d", code)
	}
	if codes := []int{get(""), get(""), get("")}; codes[1] != http.StatusOK || codes[2] != http.StatusTooManyRequests {
		t.Errorf("requests naming no client: %v, want the third 429", codes)
	}
	// An address the header names is limited whatever it is: a client
	// naming loopback, or sending what names no address, through a
	// proxy that passes its header on, must not escape the limit.
	for _, forged := range []string{"127.0.0.1", "unix:"} {
		codes := []int{get(forged), get(forged), get(forged)}
		if codes[2] != http.StatusTooManyRequests {
			t.Errorf("X-Forwarded-For: %s three times: %v, want the third 429", forged, codes)
		}
	}
	// A proxy left out of trusted_proxies is told of, once.
	from = "172.17.0.1:40000"
	get("203.0.113.50")
	get("203.0.113.51")
	if n := strings.Count(logs.String(), "not in server.trusted_proxies"); n != 1 || !strings.Contains(logs.String(), "from=172.17.0.1") {
		t.Errorf("the untrusted proxy logged %d times, want once naming it:\n%s", n, logs.String())
	}
}

// FuzzForwardedClient: what a client writes to the left of the address
// the walk settles on never changes it (that part is the client's own
// to choose), and reading any header does not panic.
func FuzzForwardedClient(f *testing.F) {
	for _, s := range []string{
		"203.0.113.9", "192.0.2.1, 203.0.113.9, 10.0.0.5", "unknown", "[2001:db8::7]:4711, ::1",
		`for=192.0.2.1, for="[2001:db8::7]:4711";proto=https`, "for=_x;by=1.2.3.4", ",,", "127.0.0.1",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	trusted := append([]netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}, loopbackProxies...)
	f.Fuzz(func(t *testing.T, value string, rfc7239 bool) {
		p, forged := Proxies{Header: "X-Forwarded-For", Trusted: trusted}, "198.51.100.1, "
		if rfc7239 {
			p.Header, forged = "Forwarded", "for=198.51.100.1, "
		}
		addr, found := p.named([]string{value})
		if found && !addr.IsValid() {
			t.Fatalf("found an invalid address in %q", value)
		}
		if !found || p.trusts(addr) {
			return
		}
		if again, ok := p.named([]string{forged + value}); !ok || again != addr {
			t.Errorf("%q gives %v, but %q gives %v (%v)", value, addr, forged+value, again, ok)
		}
	})
}
