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
