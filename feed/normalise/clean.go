package normalise

import (
	"net/url"
	"strings"
)

// StripTracking removes tracking parameters (the ones URL drops for
// identity) from a link and leaves the rest as published, so that the
// links Tributary republishes do not carry another site's campaign tags.
func StripTracking(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.RawQuery == "" {
		return raw
	}
	parts := strings.Split(u.RawQuery, "&")
	kept := parts[:0]
	for _, p := range parts {
		k, v, _ := strings.Cut(p, "=")
		key, err1 := url.QueryUnescape(k)
		val, err2 := url.QueryUnescape(v)
		if err1 == nil && err2 == nil && isTracking(key, val) {
			continue
		}
		kept = append(kept, p)
	}
	u.RawQuery = strings.Join(kept, "&")
	u.ForceQuery = false
	return u.String()
}

// Unwrap returns the address a search engine's redirect link leads to
// (Google Alerts give every item "https://www.google.com/url?…&url=ADDRESS
// &usg=…"), else raw. Published, the redirect would tell the search engine
// of every click; as a key, two alerts of one article would be two posts.
func Unwrap(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Path != "/url" || !googleHost(u.Hostname()) {
		return raw
	}
	q := u.Query()
	for _, name := range []string{"url", "q"} {
		if to := httpURL(q.Get(name)); to != "" {
			return to
		}
	}
	return raw
}

// googleHost reports whether h is one of Google's search hosts:
// google.com, www.google.co.uk, google.de.
func googleHost(h string) bool {
	h = strings.TrimPrefix(strings.ToLower(h), "www.")
	tld, ok := strings.CutPrefix(h, "google.")
	if !ok || tld == "" || len(tld) > 6 {
		return false
	}
	return strings.Trim(tld, "abcdefghijklmnopqrstuvwxyz.") == "" && tld[0] != '.' && tld[len(tld)-1] != '.'
}
