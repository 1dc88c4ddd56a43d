package server

import (
	"crypto/subtle"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
)

// The operator endpoints (/-/fetch, /-/backup, and the daemon's /metrics)
// answer a client that carries a token as a bearer token: Options.Token
// (server.token), from anywhere, or Options.LocalToken, which the daemon
// writes for the operator's own tools. Being on loopback is not enough by
// default: a reverse proxy on the same host that adds no forwarding header
// (nginx's proxy_pass as it comes) or a TCP forwarder (ssh -R, socat,
// stunnel) connects from loopback for anyone, and a security pass took the
// whole store, source credentials included, through one.
//
// With Options.TrustLoopback, a client connected straight from loopback is
// admitted too, when no web page sent it. A page the operator visits can
// make the browser send requests to 127.0.0.1: by DNS rebinding (its own
// name made to resolve to 127.0.0.1, so that the browser reads the answers
// as same-origin) or as a cross-site "simple" request (a POST without
// preflight). The first carries a Host that is not ours, the second an
// Origin (and, in current browsers, Sec-Fetch-Site) that is not ours: both
// are refused.

// bearerChallenge is the WWW-Authenticate value of a 401 (RFC 6750 §3).
const bearerChallenge = `Bearer realm="tributary"`

// refusal is why a request may not use an operator endpoint: the status to
// answer (401 or 403) and the reason. The zero value admits the request.
type refusal struct {
	status int
	why    string
}

// operator decides whether r may use an operator endpoint, in one place
// for every such endpoint:
//
//   - a request carrying Options.Token or Options.LocalToken as a bearer
//     token is admitted, from anywhere and whatever its Host or Origin;
//   - with Options.TrustLoopback, a request straight from loopback
//     (isLocal) is admitted when its Host names this server (namesServer)
//     and the browser, if a browser sent it, does not say that another
//     site did (crossSite);
//   - any other request is refused: 401 with a Bearer challenge when it
//     carries no token and a token would admit it, 403 otherwise (a wrong
//     token, no token to admit it, or a loopback request from a web page).
func (s *Server) operator(r *http.Request) refusal {
	got, hasBearer := bearerToken(r)
	if hasBearer && (matches(got, s.opts.Token) || matches(got, s.opts.LocalToken)) {
		return refusal{}
	}
	if s.opts.TrustLoopback && isLocal(r, s.opts.Proxies.Header) {
		if why := s.crossSite(r); why != "" {
			return refusal{http.StatusForbidden, why}
		}
		return refusal{}
	}
	switch {
	case s.opts.Token == "" && s.opts.LocalToken == "":
		return refusal{http.StatusForbidden, "no token is configured (server.token), and loopback is not trusted (server.trust_loopback)"}
	case !hasBearer:
		return refusal{http.StatusUnauthorized, "authentication required: send Authorization: Bearer <token>, " +
			"server.token or the daemon's local token (the file beside the store named in its \"serving\" log line)"}
	default:
		return refusal{http.StatusForbidden, "wrong bearer token"}
	}
}

// matches compares a bearer token with a configured one in constant time;
// an empty configured token admits nothing.
func matches(got, token string) bool {
	return token != "" && subtle.ConstantTimeCompare([]byte(got), []byte(token)) == 1
}

// bearerToken returns the token of a Bearer Authorization header; ok is
// false when there is none (no header, another scheme, an empty token).
func bearerToken(r *http.Request) (token string, ok bool) {
	scheme, got, found := strings.Cut(r.Header.Get("Authorization"), " ")
	if !found || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	got = strings.TrimSpace(got)
	return got, got != ""
}

// isLocal reports whether r comes straight from a loopback address. A
// reverse proxy on the same host connects from loopback on behalf of remote
// clients; the forwarding headers it adds give it away, the common ones
// and the one the operator names (server.client_ip_header).
func isLocal(r *http.Request, clientIPHeader string) bool {
	for _, h := range []string{"Forwarded", "X-Forwarded-For", "X-Real-Ip", clientIPHeader} {
		if h != "" && r.Header.Get(h) != "" {
			return false
		}
	}
	addr, ok := remoteAddr(r)
	return ok && addr.IsLoopback()
}

// crossSite returns why a loopback request looks sent by a web page other
// than this server's own, or "" when it does not.
func (s *Server) crossSite(r *http.Request) string {
	if !s.namesServer(r.Host) {
		return fmt.Sprintf("Host %.80q does not name this server (%s): "+
			"a web page may be reaching it through DNS rebinding; address the server by its IP address or name, or send the bearer token",
			r.Host, s.hostList())
	}
	switch site := strings.ToLower(r.Header.Get("Sec-Fetch-Site")); site {
	case "cross-site", "same-site":
		return fmt.Sprintf("the browser says another site sent this request (Sec-Fetch-Site: %s)", site)
	}
	if origins, ok := r.Header["Origin"]; ok {
		for _, o := range origins {
			if !s.ownOrigin(o, r) {
				return fmt.Sprintf("a web page at %.80q sent this request (Origin); only the operator's own tools may", o)
			}
		}
	}
	return ""
}

// namesServer reports whether a request's Host names this server: an IP
// address (a page cannot make a browser send another site's request to
// loopback under an IP literal), localhost, the host of Options.Page.BaseURL
// or that of Options.Listen. An empty Host (HTTP/1.0 without one) is
// accepted: every browser sends it.
func (s *Server) namesServer(host string) bool {
	if host == "" {
		return true
	}
	name := hostName(host)
	if _, err := netip.ParseAddr(name); err == nil {
		return true
	}
	if loopbackName(name) {
		return true
	}
	for _, h := range s.hosts {
		if name == h {
			return true
		}
	}
	return false
}

// loopbackName reports whether a host name is one of the names of the
// loopback interface: localhost and its subdomains (RFC 6761: they never
// reach DNS, so no page can rebind them) and Debian's /etc/hosts names for
// ::1.
func loopbackName(name string) bool {
	switch name {
	case "localhost", "ip6-localhost", "ip6-loopback":
		return true
	}
	return strings.HasSuffix(name, ".localhost")
}

// hostList names what namesServer accepts, for a refusal's text.
func (s *Server) hostList() string {
	if len(s.hosts) == 0 {
		return "an IP address or localhost"
	}
	return "an IP address, localhost or " + strings.Join(s.hosts, " or ")
}

// hostName is a Host value's host without port, brackets, case or a
// trailing dot.
func hostName(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	return strings.TrimSuffix(strings.ToLower(host), ".")
}

// ownOrigin reports whether an Origin value is this server's origin: the
// request's own scheme and Host, or the origin of Options.Page.BaseURL.
// "null" (an opaque origin) and anything unparsable are not.
func (s *Server) ownOrigin(origin string, r *http.Request) bool {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	o := originOf(origin)
	return o != "" && (o == originOf(scheme+"://"+r.Host) || o == s.origin)
}

// originOf normalises an http(s) URL's origin (scheme, host and port, the
// port made explicit); "" when it is not one.
func originOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.User != nil {
		return ""
	}
	scheme := strings.ToLower(u.Scheme)
	port := u.Port()
	switch {
	case scheme != "http" && scheme != "https":
		return ""
	case port == "" && scheme == "http":
		port = "80"
	case port == "":
		port = "443"
	}
	return scheme + "://" + net.JoinHostPort(hostName(u.Hostname()), port)
}

// serverNames returns the host names a loopback request's Host may give
// besides IP addresses and localhost: those of baseURL and listen, and the
// machine's own name (hostname), which Debian and Ubuntu map to 127.0.1.1.
func serverNames(baseURL, listen, hostname string) []string {
	var names []string
	add := func(h string) {
		h = hostName(h)
		if _, err := netip.ParseAddr(h); h == "" || h == "localhost" || err == nil {
			return
		}
		for _, n := range names {
			if n == h {
				return
			}
		}
		names = append(names, h)
	}
	if u, err := url.Parse(baseURL); err == nil {
		add(u.Hostname())
	}
	if h, _, err := net.SplitHostPort(listen); err == nil {
		add(h)
	}
	add(hostname)
	return names
}

// admit reports whether r may use an operator endpoint; when it may not,
// admit has answered r with the refusal, as JSON (the fetch trigger's and
// the backup's errors) or plain text.
func (s *Server) admit(w http.ResponseWriter, r *http.Request, asJSON bool) bool {
	ref := s.operator(r)
	if ref.status == 0 {
		return true
	}
	why := r.URL.Path + ": refused: " + ref.why
	if ref.status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", bearerChallenge)
	}
	if asJSON {
		writeJSON(w, ref.status, errorBody{Error: why})
	} else {
		plain(w, ref.status, why+"\n")
	}
	return false
}

// Operator reports whether r may use an operator endpoint: it carries
// Options.Token or Options.LocalToken as a bearer token, or, with
// Options.TrustLoopback, it comes straight from loopback (not through a
// proxy) and no web page sent it (its Host names this server, and neither
// Origin nor Sec-Fetch-Site says another site did). When r may not,
// Operator has answered it: 401 with a Bearer challenge when r carries no
// token and one would admit it, else 403, with the reason as plain text. The daemon guards /metrics with it, as /-/fetch and
// /-/backup are guarded.
func (s *Server) Operator(w http.ResponseWriter, r *http.Request) bool { return s.admit(w, r, false) }
