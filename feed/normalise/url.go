package normalise

import (
	"net/url"
	"sort"
	"strings"

	"golang.org/x/net/idna"
)

// URL returns the identity form of an absolute http(s) URL: two spellings of
// the address of one article give the same string, so it can key the article.
// It returns "" for anything else (relative references, other schemes,
// unparseable input).
//
// The identity form is for comparing, not for fetching: it may not be the
// address the publisher prefers (it is always https, for one).
func URL(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Opaque != "" {
		return ""
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" {
		return ""
	}
	host := identityHost(u.Hostname())
	if host == "" {
		return ""
	}
	var b strings.Builder
	// Publishers serve one article over both http and https, and feeds
	// written before a site moved to https keep the old scheme: the scheme
	// says nothing about which article it is.
	b.WriteString("https://")
	b.WriteString(host)
	// An explicit default port names the same resource as no port. Both 80
	// and 443 are dropped because the scheme was folded above.
	if p := strings.TrimLeft(u.Port(), "0"); p != "" && p != "80" && p != "443" {
		b.WriteByte(':')
		b.WriteString(p)
	}
	b.WriteString(identityPath(u.EscapedPath()))
	if q := identityQuery(u.RawQuery); q != "" {
		b.WriteByte('?')
		b.WriteString(q)
	}
	// The userinfo is dropped: credentials never identify a page. So is a
	// fragment, which points inside the page (a heading, "#more-12",
	// "#comments"), unless it names one comment: comment feeds link each
	// comment as its post's address and "#comment-31", and a comment is
	// not the post.
	if commentFragment(u.Fragment) {
		b.WriteByte('#')
		b.WriteString(strings.ToLower(u.Fragment))
	}
	return b.String()
}

// commentFragment reports whether a fragment names a single comment:
// "comment-31" (WordPress, Disqus; Typepad's are hex), "issuecomment-5"
// (GitHub), "note_12" (GitLab), "isso-4", "c31" (Dotclear, Blogger); not
// "comments" or "respond", which name the post's comment section, nor a
// footnote ("note-1", "fn1").
func commentFragment(f string) bool {
	f = strings.ToLower(f)
	digits := func(s string) bool { return s != "" && strings.Trim(s, "0123456789") == "" }
	if rest, ok := strings.CutPrefix(f, "comment-"); ok {
		return strings.ContainsAny(rest, "0123456789") && strings.Trim(rest, "0123456789abcdef") == ""
	}
	for _, p := range []string{"issuecomment-", "comment", "note_", "isso-", "c"} {
		if rest, ok := strings.CutPrefix(f, p); ok {
			return digits(rest)
		}
	}
	return false
}

// identityHost lowercases a host and writes internationalised names in their
// ASCII (punycode) form, so that both spellings of one domain compare equal.
// "www." is kept: www.example.com and example.com are different hosts that
// may serve different sites, and nothing in a feed tells whether they do.
func identityHost(h string) string {
	// A trailing dot makes a name fully qualified without naming another
	// host.
	h = strings.TrimRight(strings.ToLower(h), ".")
	if h == "" {
		return ""
	}
	if strings.Contains(h, ":") {
		// An IPv6 literal; zone identifiers and anything else that is not
		// plain hex would not survive a round trip.
		for i := 0; i < len(h); i++ {
			if c := h[i]; !isHex(c) && c != ':' && c != '.' {
				return ""
			}
		}
		return "[" + h + "]"
	}
	if a, err := idna.Lookup.ToASCII(h); err == nil && a != "" {
		h = a
	}
	for i := 0; i < len(h); i++ {
		// Anything beyond letters, digits and the few punctuation marks
		// registered names use cannot survive a round trip through a URL
		// parser unchanged; such a host identifies nothing reliably.
		c := h[i]
		if !(isAlnum(c) || c == '-' || c == '.' || c == '_') {
			return ""
		}
	}
	return h
}

// identityPath normalises an escaped path: percent-encoding in one form, dot
// segments removed, "" made "/" and trailing slashes dropped.
func identityPath(p string) string {
	p = removeDotSegments(normEscapes(p, pathByte))
	// Most servers answer /post and /post/ with the same article (one
	// redirecting to the other) and feeds are inconsistent about which one
	// they print. All trailing slashes go, not just one, so that the form
	// is stable when applied again.
	p = strings.TrimRight(p, "/")
	if p == "" {
		return "/"
	}
	return p
}

// identityQuery drops tracking parameters and empty ones, normalises the
// escaping of the rest and sorts them by name: parameter order never changes
// the article served, and analytics tags are added by whoever shared the link.
// The sort is stable, so repeated names keep their relative order, which some
// servers read as a list.
func identityQuery(raw string) string {
	if raw == "" {
		return ""
	}
	type param struct{ key, kv string }
	var params []param
	for _, p := range strings.Split(raw, "&") {
		if p == "" {
			continue
		}
		k, v, hasValue := strings.Cut(p, "=")
		k = normEscapes(k, queryByte)
		v = normEscapes(v, queryByte)
		if k == "" && v == "" {
			continue
		}
		if isTracking(k, v) {
			continue
		}
		kv := k
		if hasValue {
			kv += "=" + v
		}
		params = append(params, param{key: k, kv: kv})
	}
	sort.SliceStable(params, func(i, j int) bool { return params[i].key < params[j].key })
	parts := make([]string, len(params))
	for i, p := range params {
		parts[i] = p.kv
	}
	return strings.Join(parts, "&")
}

// trackingParams are query parameters that only tell an analytics service
// where a click came from. Keys are compared lowercased.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "gclsrc": true, "dclid": true, "gbraid": true, "wbraid": true,
	"msclkid": true, "yclid": true, "twclid": true, "ttclid": true, "li_fat_id": true, "epik": true,
	"igshid": true, "igsh": true, "mc_cid": true, "mc_eid": true, "_hsenc": true, "_hsmi": true,
	"__hssc": true, "__hstc": true, "__hsfp": true, "hsctatracking": true, "mkt_tok": true,
	"oly_anon_id": true, "oly_enc_id": true, "vero_id": true, "vero_conv": true, "_ga": true,
	"_gl": true, "wt.mc_id": true, "ref_src": true, "ref_url": true, "s_cid": true,
	"rb_clickid": true, "wickedid": true, "sc_cid": true, "_bhlid": true, "mbid": true,
	"cmpid": true, "ncid": true, "ocid": true, "at_medium": true, "at_campaign": true,
}

// trackingPrefixes are families of tracking parameters.
var trackingPrefixes = []string{"utm_", "pk_", "mtm_", "matomo_", "hmb_", "itm_"}

// shareSources are values of "ref" and "source" that say which feed reader,
// newsletter or network a visit came from. Those two names are also real
// parameters of some sites (a git ref, a search source), so they are dropped
// only with one of these values.
var shareSources = map[string]bool{
	"rss": true, "feed": true, "feeds": true, "atom": true, "feedburner": true, "feedly": true,
	"inoreader": true, "newsblur": true, "newsletter": true, "email": true, "mail": true,
	"twitter": true, "tw": true, "x": true, "facebook": true, "fb": true, "linkedin": true,
	"reddit": true, "hn": true, "hackernews": true, "share": true, "social": true,
	"mastodon": true, "bluesky": true, "bsky": true, "threads": true, "whatsapp": true,
	"telegram": true, "producthunt": true, "substack": true, "sharebar": true, "syndication": true,
}

func isTracking(key, value string) bool {
	k := strings.ToLower(key)
	if trackingParams[k] {
		return true
	}
	for _, p := range trackingPrefixes {
		if strings.HasPrefix(k, p) {
			return true
		}
	}
	if k == "ref" || k == "source" {
		v := strings.ToLower(value)
		// Medium and others add source=rss----<hash>---4.
		if shareSources[v] || strings.HasPrefix(v, "rss-") || strings.HasPrefix(v, "rss_") {
			return true
		}
	}
	return false
}

// normEscapes rewrites an escaped URL component so that equal components are
// equal strings (RFC 3986 section 6.2.2): escapes of unreserved characters
// are decoded, other escapes get uppercase hex, and bytes that may not appear
// literally (space, non-ASCII, a stray "%") are escaped. literal says which
// bytes may stay as they are.
func normEscapes(s string, literal func(byte) bool) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			d := unhex(s[i+1])<<4 | unhex(s[i+2])
			if isUnreserved(d) {
				b.WriteByte(d)
			} else {
				writeEscape(&b, d)
			}
			i += 2
			continue
		}
		if c != '%' && literal(c) {
			b.WriteByte(c)
			continue
		}
		writeEscape(&b, c)
	}
	return b.String()
}

func writeEscape(b *strings.Builder, c byte) {
	const hex = "0123456789ABCDEF"
	b.WriteByte('%')
	b.WriteByte(hex[c>>4])
	b.WriteByte(hex[c&15])
}

// removeDotSegments applies RFC 3986 section 5.2.4 to an absolute path, so
// that /a/./b/../c and /a/c compare equal.
func removeDotSegments(p string) string {
	if !strings.Contains(p, ".") {
		return p
	}
	segs := strings.Split(p, "/")
	out := make([]string, 0, len(segs))
	for i, s := range segs {
		switch s {
		case ".":
			if i == len(segs)-1 {
				out = append(out, "")
			}
		case "..":
			if len(out) > 1 {
				out = out[:len(out)-1]
			}
			if i == len(segs)-1 {
				out = append(out, "")
			}
		default:
			out = append(out, s)
		}
	}
	r := strings.Join(out, "/")
	if !strings.HasPrefix(r, "/") {
		r = "/" + r
	}
	return r
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

func isUnreserved(c byte) bool {
	return isAlnum(c) || c == '-' || c == '.' || c == '_' || c == '~'
}

func isSubDelim(c byte) bool {
	return strings.IndexByte("!$&'()*+,;=", c) >= 0
}

func pathByte(c byte) bool {
	return isUnreserved(c) || isSubDelim(c) || c == ':' || c == '@' || c == '/'
}

// queryByte is the bytes a query component may hold literally. "&" never
// reaches it (parameters were split on it) and "+" stays as written: form
// encoding reads it as a space, so it is not the same as an escaped "%2B".
func queryByte(c byte) bool {
	return isUnreserved(c) || isSubDelim(c) || c == ':' || c == '@' || c == '/' || c == '?'
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

// Resolve returns the absolute URL of ref against base, or "" when ref is
// empty or is relative and base is not an absolute URL (a local file path,
// say). Absolute references are returned re-serialised whatever their scheme.
func Resolve(base, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return ""
	}
	r, err := url.Parse(ref)
	if err != nil {
		return ""
	}
	if r.IsAbs() {
		return r.String()
	}
	b, err := url.Parse(strings.TrimSpace(base))
	if err != nil || !b.IsAbs() || b.Opaque != "" {
		return ""
	}
	return b.ResolveReference(r).String()
}
