package sanitize

import (
	"net/url"
	"strings"
)

// trackers are image URLs that count readers and show nothing: a host and
// a path prefix ("" for the whole host). The list is short on purpose: it
// names only hosts that serve nothing else into feeds; unnamed pixels are
// caught by their 1×1 size instead.
var trackers = [...]struct{ host, path string }{
	{"feeds.feedburner.com", "/~r/"}, // FeedBurner's per-item hit counter
	{"pixel.wp.com", ""},             // WordPress.com / Jetpack stats
	{"stats.wordpress.com", ""},      // WordPress.com stats, older form
	{"pixel.quantserve.com", ""},     // Quantcast
	{"www.google-analytics.com", ""}, // Analytics measurement protocol hits
	{"medium.com", "/_/stat"},        // Medium's "post viewed in RSS" beacon
}

// isTracker reports whether an image URL is a known tracker.
func isTracker(src string) bool {
	u, err := url.Parse(src)
	if err != nil || u.Host == "" {
		return false
	}
	host := strings.ToLower(u.Hostname())
	for _, t := range trackers {
		if host == t.host && strings.HasPrefix(u.Path, t.path) {
			return true
		}
	}
	return false
}
