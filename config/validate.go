package config

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/net/http/httpguts"
)

// Validate checks every value and returns a *ValidationError listing all
// problems found, or nil. Lines are known for a Config that was read from a
// file; a Config built in code reports keys only.
func (c *Config) Validate() error {
	return c.validate(nil)
}

// validate adds the checks' problems to those found while decoding, so
// that one error reports both.
func (c *Config) validate(decoded []Problem) error {
	v := &checker{c: c}
	v.storage()
	v.server()
	v.output()
	v.fetch()
	v.sources()
	v.log()
	problems := append(decoded, v.problems...)
	if len(problems) == 0 {
		return nil
	}
	for i := range problems {
		if problems[i].Line == 0 {
			problems[i].near = c.nearLine(problems[i].Key)
		}
	}
	sortProblems(problems)
	return &ValidationError{File: c.File, Problems: problems}
}

// nearLine is the line of the closest enclosing key written in the file.
func (c *Config) nearLine(key string) int {
	for key != "" {
		if i := strings.LastIndexAny(key, ".["); i >= 0 {
			key = key[:i]
		} else {
			key = ""
		}
		if k, ok := c.keys[key]; ok {
			return k.line
		}
	}
	return 0
}

type checker struct {
	c        *Config
	problems []Problem
	// baseURLOK is set by server when server.base_url was checked and
	// passed, so that output can tell whether an output.id derived from it
	// would only repeat a problem already reported.
	baseURLOK bool
}

// add records a problem with key unless key, or a key enclosing it, could
// not be decoded: its value is then a default the operator never wrote.
func (v *checker) add(key, format string, args ...any) {
	if v.broken(key) {
		return
	}
	v.problems = append(v.problems, Problem{Key: key, Line: v.c.keys[key].line, Message: fmt.Sprintf(format, args...)})
}

// broken reports whether key, or a key enclosing it, could not be decoded.
// A check that compares another key with it must not trust its value: it
// is the default, not what the file says.
func (v *checker) broken(key string) bool {
	for k := key; ; {
		if v.c.broken[k] {
			return true
		}
		if k == "" {
			return false
		}
		if i := strings.LastIndexAny(k, ".["); i >= 0 {
			k = k[:i]
		} else {
			k = ""
		}
	}
}

// written reports whether the file gives key a value. A key left out or
// written without one (null) keeps its default, as does every key of a
// Config built in code, which has no record of keys.
func (c *Config) written(key string) bool {
	return c.keys[key].raw != ""
}

// derived reports whether key holds the value derived from another key
// (from) rather than one the file wrote.
func (v *checker) derived(key, value, from string) bool {
	return value == from && !v.c.written(key)
}

// got quotes a value for a message as the file wrote it, else as
// formatted.
func (v *checker) got(key string, value any) string {
	if k, ok := v.c.keys[key]; ok && k.raw != "" {
		return strconv.Quote(k.raw)
	}
	return strconv.Quote(fmt.Sprint(value))
}

func (v *checker) atLeast(key string, d, lowest time.Duration, why string) {
	if d < lowest {
		v.add(key, "must be at least %s%s (got %s)", shortDuration(lowest), why, v.got(key, shortDuration(d)))
	}
}

func (v *checker) intRange(key string, n, lo, hi int) {
	if n < lo || n > hi {
		v.add(key, "must be between %d and %d (got %d)", lo, hi, n)
	}
}

// printable rejects control characters, which would break the HTTP header
// or XML element the value ends up in.
func (v *checker) printable(key, s string) {
	if i := strings.IndexFunc(s, unicode.IsControl); i >= 0 {
		v.add(key, "must not contain control characters (found %q)", s[i:i+1])
	}
}

func (v *checker) storage() {
	s := v.c.Storage
	if strings.TrimSpace(s.Path) == "" {
		v.add("storage.path", "is required: the bbolt file to store entries in")
	} else if fi, err := os.Stat(s.Path); err == nil && fi.IsDir() {
		// Every command would fail on it only when it opens the store
		// ("is a directory"); a file not there yet is a new store.
		written := s.Path
		if k := v.c.keys["storage.path"]; k.raw != "" {
			written = k.raw
		}
		v.add("storage.path", "is a directory: name the bbolt file to store entries in, such as %q (got %q)",
			filepath.Join(written, "tributary.db"), written)
	}
	if s.Timeout <= 0 {
		v.add("storage.timeout", "must be more than 0: 0 would wait forever for another process's lock (got %s)", v.got("storage.timeout", s.Timeout))
	}
	if s.Retention.MaxAge < 0 {
		v.add("storage.retention.max_age", "must not be negative; 0 keeps entries forever (got %s)", v.got("storage.retention.max_age", s.Retention.MaxAge))
	}
	if s.Retention.MaxEntries < 0 {
		v.add("storage.retention.max_entries", "must not be negative; 0 means no limit (got %d)", s.Retention.MaxEntries)
	}
}

func (v *checker) server() {
	s := v.c.Server
	listenOK := true
	host, port, err := net.SplitHostPort(s.Listen)
	if err == nil {
		if n, perr := strconv.Atoi(port); perr != nil || n < 1 || n > 65535 {
			err = fmt.Errorf("port %q is not a number between 1 and 65535", port)
		}
	}
	if err == nil && host != "" && net.ParseIP(host) == nil && strings.ContainsAny(host, " /") {
		err = fmt.Errorf("host %q is not a host name or IP address", host)
	}
	if err != nil {
		listenOK = false
		v.add("server.listen", "must be host:port such as \"127.0.0.1:8080\" or \":8080\" (got %s)", v.got("server.listen", s.Listen))
	}
	// A base_url derived from a listen address reported above would repeat
	// that problem under a key the file does not have ("a b:80" gives
	// "http://a b:80/"); one the file writes is checked whatever listen is.
	if listenOK || !v.derived("server.base_url", s.BaseURL, baseURLFor(s.Listen)) {
		v.baseURLOK = true
		if msg := checkHTTPURL(s.BaseURL); msg != "" {
			v.baseURLOK = false
			v.add("server.base_url", "%s (got %s)", msg, v.got("server.base_url", s.BaseURL))
		} else if u, _ := url.Parse(s.BaseURL); u.RawQuery != "" || u.Fragment != "" {
			v.baseURLOK = false
			v.add("server.base_url", "must not have a query or fragment: feed and entry URLs are made by appending to it (got %s)", v.got("server.base_url", s.BaseURL))
		}
	}
	v.printable("server.cache_control", s.CacheControl)
	v.intRange("server.rate_limit", s.RateLimit, 0, maxRate)
	// rate_burst only matters while the limit is on. Only a valid 0 turns
	// it off: a rate_limit reported as wrong leaves open whether the fix
	// turns it on, so rate_burst is checked too rather than reported only
	// after that fix.
	if s.RateLimit != 0 {
		v.intRange("server.rate_burst", s.RateBurst, 1, maxRate)
	}
	v.intRange("server.max_connections", s.MaxConnections, 16, 1_000_000)
	v.proxies()
	if s.Token != "" {
		if !isToken68(s.Token) {
			v.add("server.token", "may hold only letters, digits and -._~+/ (with = padding at the end), as a bearer token must")
		} else if len(s.Token) < 16 {
			v.add("server.token", "is too short to resist guessing: use at least 16 characters, e.g. from `openssl rand -hex 16`")
		}
	}
}

// proxies checks server.client_ip_header and server.trusted_proxies.
func (v *checker) proxies() {
	s := v.c.Server
	if h := s.ClientIPHeader; h != "" {
		if !httpguts.ValidHeaderFieldName(h) {
			v.add("server.client_ip_header", "must be a header name such as \"X-Forwarded-For\" or \"X-Real-IP\" (got %s)", v.got("server.client_ip_header", h))
		} else if strings.EqualFold(h, "Host") {
			v.add("server.client_ip_header", "cannot be Host, which names the server, not the client: name the header your proxy sets, such as \"X-Forwarded-For\"")
		} else if len(s.TrustedProxies) == 0 {
			v.add("server.trusted_proxies", "must list the proxies' addresses: server.client_ip_header is believed only from them")
		}
	}
	for i, p := range s.TrustedProxies {
		key := fmt.Sprintf("server.trusted_proxies[%d]", i)
		if _, ok := parsePrefix(p); !ok {
			v.add(key, "must be an IP address or CIDR range such as \"10.0.0.0/8\", without an IPv6 zone (got %s)", v.got(key, p))
		}
	}
}

func (v *checker) output() {
	o := v.c.Output
	if strings.TrimSpace(o.Title) == "" {
		v.add("output.title", "must not be empty: feed readers show it as the feed's name")
	}
	v.printable("output.title", o.Title)
	// An id derived from a base_url that was reported (or left unchecked,
	// derived itself from a bad listen) would repeat that problem under a
	// key the file does not have; an id the file writes is always checked.
	if o.ID != "" && !isAbsoluteIRI(o.ID) && (v.baseURLOK || !v.derived("output.id", o.ID, v.c.Server.BaseURL)) {
		v.add("output.id", "must be an absolute IRI such as \"https://example.org/feed\" or \"tag:example.org,2024:feed\" (got %s)", v.got("output.id", o.ID))
	}
	v.printable("output.author", o.Author)
	v.printable("output.description", o.Description)
	v.intRange("output.max_items", o.MaxItems, 1, 1000)
	v.printable("output.utm", o.UTM)
	v.share()
	seen := map[string]int{}
	for i, h := range o.WebSubHubs {
		key := fmt.Sprintf("output.websub_hubs[%d]", i)
		if msg := checkHTTPURL(h); msg != "" {
			v.add(key, "%s (got %s)", msg, v.got(key, h))
		} else if j, dup := seen[h]; dup {
			v.add(key, "repeats output.websub_hubs[%d]", j)
		} else {
			seen[h] = i
		}
	}
}

func (v *checker) share() {
	o := v.c.Output
	for name, tmpl := range o.ShareTemplates {
		key := "output.share_templates." + name
		if strings.TrimSpace(name) == "" || strings.IndexFunc(name, unicode.IsControl) >= 0 {
			v.add(key, "a share name must be printable text")
		}
		if msg := checkTemplate(tmpl); msg != "" {
			v.add(key, "%s (got %s)", msg, v.got(key, tmpl))
		}
		for other := range o.ShareTemplates {
			if other != name && strings.EqualFold(other, name) && other < name {
				v.add(key, "repeats output.share_templates.%s: share names are not case-sensitive", other)
			}
		}
	}
	builtins := builtinShareTemplates()
	seen := map[string]int{}
	for i, name := range o.Share {
		key := fmt.Sprintf("output.share[%d]", i)
		if _, ok := lookupTemplate(name, o.ShareTemplates, builtins); !ok {
			// With share_templates not decoded, whether it defines name is
			// unknown: its own problem is the one to fix first.
			if v.broken("output.share_templates") {
				continue
			}
			v.add(key, "unknown share target %q: use one of %s, or define it under output.share_templates", name, sortedKeys(builtins))
			continue
		}
		if j, dup := seen[strings.ToLower(name)]; dup {
			v.add(key, "repeats output.share[%d] (%q)", j, o.Share[j])
			continue
		}
		seen[strings.ToLower(name)] = i
	}
}

// checkTemplate returns what is wrong with a share URL template, or "".
func checkTemplate(t string) string {
	if !strings.Contains(t, "{url}") && !strings.Contains(t, "{text}") {
		return "must contain {url} or {text}, where the entry's link goes"
	}
	// Placeholders are not valid in every URL position (a host, a port):
	// check the template with sample values in place.
	u := strings.NewReplacer("{url}", "u", "{title}", "t", "{text}", "x").Replace(t)
	if strings.HasPrefix(strings.ToLower(u), "mailto:") {
		return ""
	}
	if msg := checkHTTPURL(u); msg != "" {
		return "must be an absolute http(s) URL or a mailto: URL"
	}
	return ""
}

// checkHTTPURL returns what keeps s from being an absolute http(s) URL, or
// "" when it is one.
func checkHTTPURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || s == "" {
		return "must be an absolute http(s) URL"
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "must be an absolute http(s) URL"
	}
	if u.Host == "" {
		return "must be an absolute http(s) URL with a host"
	}
	return ""
}

// isAbsoluteIRI reports whether s has a scheme and something after it, and
// no spaces or control characters: RFC 3987's bar for an Atom id.
func isAbsoluteIRI(s string) bool {
	scheme, rest, ok := strings.Cut(s, ":")
	return ok && rest != "" && validScheme(scheme) &&
		strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) < 0
}

// isToken68 reports whether s is an RFC 7235 token68: what a bearer token
// may hold.
func isToken68(s string) bool {
	body := strings.TrimRight(s, "=")
	if body == "" {
		return false
	}
	for _, r := range body {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		case strings.ContainsRune("-._~+/", r):
		default:
			return false
		}
	}
	return true
}

func (v *checker) fetch() {
	f := v.c.Fetch
	v.atLeast("fetch.interval", f.Interval, minInterval, "")
	if f.Timeout <= 0 {
		v.add("fetch.timeout", "must be more than 0 (got %s)", v.got("fetch.timeout", f.Timeout))
	}
	v.intRange("fetch.concurrency", f.Concurrency, 1, maxConcurrency)
	// per_host is compared with concurrency only when that is valid: a bad
	// one is reported above, and comparing with it (or with the default that
	// stands in for one not decoded) would report it again or pass a
	// per_host no valid concurrency allows. The bound on concurrency still
	// bounds per_host.
	if f.Concurrency >= 1 && f.Concurrency <= maxConcurrency && !v.broken("fetch.concurrency") {
		if f.PerHost < 1 || f.PerHost > f.Concurrency {
			v.add("fetch.per_host", "must be between 1 and fetch.concurrency (%d) (got %d)", f.Concurrency, f.PerHost)
		}
	} else if f.PerHost < 1 || f.PerHost > maxConcurrency {
		v.add("fetch.per_host", "must be between 1 and %d, and at most fetch.concurrency (got %d)", maxConcurrency, f.PerHost)
	}
	if f.HostDelay < 0 {
		v.add("fetch.host_delay", "must not be negative (got %s)", v.got("fetch.host_delay", f.HostDelay))
	}
	v.printable("fetch.user_agent", f.UserAgent)
	if f.MaxBody < minMaxBody || f.MaxBody > maxMaxBody {
		v.add("fetch.max_body", "must be between 1KiB and 1GiB (got %s)", v.got("fetch.max_body", f.MaxBody))
	}
	v.intRange("fetch.max_items", f.MaxItems, 1, 100000)
	// backoff_max is compared with interval only when that is valid, for
	// the reasons given for per_host; otherwise it must still reach the
	// least interval allowed, which no fix of interval can lower.
	if f.Interval >= minInterval && !v.broken("fetch.interval") {
		if f.BackoffMax < f.Interval {
			v.add("fetch.backoff_max", "must be at least fetch.interval (%s): it caps the wait between a failing source's retries (from a quarter of the interval, doubling), and a lower cap would fetch a source that keeps failing more often than a healthy one (got %s)",
				shortDuration(f.Interval), v.got("fetch.backoff_max", f.BackoffMax))
		}
	} else {
		v.atLeast("fetch.backoff_max", f.BackoffMax, minInterval, ", the least fetch.interval allowed")
	}
}

func (v *checker) log() {
	switch v.c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		v.add("log.level", "must be one of debug, info, warn, error (got %s)", v.got("log.level", v.c.Log.Level))
	}
	switch v.c.Log.Format {
	case "auto", "text", "json":
	default:
		v.add("log.format", "must be one of auto, text, json (got %s)", v.got("log.format", v.c.Log.Format))
	}
}

// shortDuration formats d without the zero units time.Duration.String
// adds ("1m" rather than "1m0s").
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
