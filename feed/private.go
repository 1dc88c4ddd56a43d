package feed

import (
	"net/url"
	"strings"
	"unicode"
)

// A private source (Source.Private) has a URL that is its subscriber's
// secret as a whole: a token in a path segment (Pinboard's
// /secret:a1b2c3…/) or under a query name no rule recognises (?t=…). What
// its feed publishes may repeat it: a relative link or an xml:base
// resolved against the URL, a home page link that is the feed itself, a
// podcast's enclosures under the secret path. PrivateParts names the runs
// of the URL that could be the secret, and Scrub takes them out of
// whatever is published.

// minSecretRun is the shortest run of letters and digits taken for a
// secret when it holds a digit (tokens are hex, base64 or random words
// with digits); a run without a digit must be twice as long, so that the
// path's words ("feeds", "bookmarks") are not taken for secrets.
const minSecretRun = 8

// PrivateParts returns the runs of letters and digits in the paths,
// queries and fragments of urls that could hold a secret: at least 8
// characters with a digit, or 16 without. Runs of letters and digits
// survive percent-encoding and any separator a URL uses (":", "=", "/"),
// so a copy of the secret in another URL, encoded or not, still holds
// them. The host is left out: a secret there would be in every link of
// the site.
func PrivateParts(urls ...string) []string {
	var parts []string
	seen := map[string]bool{}
	for _, raw := range urls {
		rest := raw
		if u, err := url.Parse(raw); err == nil && u.Host != "" {
			rest = u.EscapedPath() + "?" + u.RawQuery + "#" + u.Fragment
			if p, err := url.PathUnescape(rest); err == nil {
				rest += " " + p
			}
		}
		for _, run := range strings.FieldsFunc(rest, func(r rune) bool { return !isAlnum(r) }) {
			hasDigit := strings.ContainsFunc(run, unicode.IsDigit)
			if (hasDigit && len(run) >= minSecretRun || len(run) >= 2*minSecretRun) && !seen[run] {
				seen[run] = true
				parts = append(parts, run)
			}
		}
	}
	return parts
}

func isAlnum(r rune) bool {
	return r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// HasPrivatePart reports whether s holds any of parts (PrivateParts).
func HasPrivatePart(s string, parts []string) bool {
	for _, p := range parts {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}

// Scrub returns s with each of parts replaced by "xxxxx", as credentials
// are masked: a link that held the secret no longer leads anywhere, which
// for a private feed's own addresses it did not for readers anyway.
func Scrub(s string, parts []string) string {
	for _, p := range parts {
		if strings.Contains(s, p) {
			s = strings.ReplaceAll(s, p, "xxxxx")
		}
	}
	return s
}
