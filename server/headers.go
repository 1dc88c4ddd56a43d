package server

import (
	"math"
	"strconv"
	"strings"
)

// etagListMatches reports whether an If-None-Match field (all its lines)
// matches etag by the weak comparison of RFC 9110 §8.8.3.2: "W/" prefixes
// are ignored on both sides and the opaque tags compared. "*" matches any
// current representation, which a feed always has. Parsing stops at the
// first malformed element, so a broken header matches only by what came
// before it, never by accident.
func etagListMatches(lines []string, etag string) bool {
	return etagListMatch(lines, etag, false)
}

// etagListMatchesStrong is etagListMatches by the strong comparison, as
// If-Match uses it: a weak tag ("W/…") in the list matches nothing, and
// neither does etag when it is weak itself.
func etagListMatchesStrong(lines []string, etag string) bool {
	return etagListMatch(lines, etag, true)
}

func etagListMatch(lines []string, etag string, strong bool) bool {
	want, weak := strings.CutPrefix(etag, "W/")
	for _, line := range lines {
		rest := line
		for {
			rest = strings.TrimLeft(rest, " \t,")
			if rest == "" {
				break
			}
			if rest[0] == '*' {
				return true
			}
			tag, tagWeak, tail, ok := nextETag(rest)
			if !ok {
				break
			}
			if tag == want && (!strong || !weak && !tagWeak) {
				return true
			}
			rest = tail
		}
	}
	return false
}

// nextETag splits one entity tag, weak prefix dropped (weak tells whether
// there was one) and quotes kept, off the front of s.
func nextETag(s string) (tag string, weak bool, rest string, ok bool) {
	s, weak = strings.CutPrefix(s, "W/")
	if len(s) < 2 || s[0] != '"' {
		return "", false, "", false
	}
	end := strings.IndexByte(s[1:], '"')
	if end < 0 {
		return "", false, "", false
	}
	return s[:end+2], weak, s[end+2:], true
}

// acceptsGzip reports whether an Accept-Encoding field (all its lines)
// accepts gzip: "gzip" or its alias "x-gzip" with a non-zero q-value, or "*"
// with a non-zero q-value when gzip is not named. An absent field gets the
// identity representation: clients that can decompress say so.
func acceptsGzip(lines []string) bool {
	gzipQ, starQ := -1.0, -1.0
	for _, line := range lines {
		for part := range strings.SplitSeq(line, ",") {
			coding, params, _ := strings.Cut(part, ";")
			coding = strings.ToLower(strings.TrimSpace(coding))
			if coding != "gzip" && coding != "x-gzip" && coding != "*" {
				continue
			}
			// A coding named twice keeps its lowest q-value: a client
			// that refuses gzip anywhere in the list is not sent gzip.
			q := qValue(params)
			if coding == "*" {
				starQ = lowest(starQ, q)
			} else {
				gzipQ = lowest(gzipQ, q)
			}
		}
	}
	if gzipQ >= 0 {
		return gzipQ > 0
	}
	return starQ > 0
}

// lowest returns the smaller q-value, prev being -1 when there is none yet.
func lowest(prev, q float64) float64 {
	if prev < 0 {
		return q
	}
	return min(prev, q)
}

// qValue returns the q parameter of an Accept-Encoding element's parameters
// (1 when absent; 0 when malformed, so that a garbled refusal still refuses).
func qValue(params string) float64 {
	for p := range strings.SplitSeq(params, ";") {
		name, val, ok := strings.Cut(p, "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(name), "q") {
			continue
		}
		q, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
		if err != nil || q < 0 || q > 1 || math.IsNaN(q) {
			return 0
		}
		return q
	}
	return 1
}
