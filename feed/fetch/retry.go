package fetch

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// MaxRetryAfter caps what RetryAfter returns: a server asking for a longer
// pause is still tried daily rather than dropped for months.
const MaxRetryAfter = 24 * time.Hour

// StatusError is an HTTP answer other than 2xx and 304, or a 304 to a
// request that carried no validators (it names no copy the caller holds).
type StatusError struct {
	URL    string // the URL that answered, after redirects
	Status int
	// RetryAfter is the server's Retry-After for 429 and 503 (0 when it gave
	// none or another status).
	RetryAfter time.Duration
}

func (e *StatusError) Error() string {
	s := fmt.Sprintf("GET %s: %d", e.URL, e.Status)
	if text := http.StatusText(e.Status); text != "" {
		s += " " + text
	}
	if e.Status == http.StatusNotModified {
		// Only this 304 is an error; see Fetch.
		s += " to a request without validators"
	}
	if e.RetryAfter > 0 {
		// Whole seconds: an HTTP date gives no more, and the nanoseconds
		// to it from now only clutter a report ("2h59m59.167954115s").
		s += fmt.Sprintf(" (retry after %s)", max(e.RetryAfter.Round(time.Second), time.Second))
	}
	return s
}

// Backoff is the wait before the next attempt after failures consecutive
// failures: base doubled for each failure after the first, capped at max,
// then stretched by up to half by jitter (in [0, 1), drawn by the caller so
// that sources failing together do not retry together) and capped again. It
// is 0 for no failures; max <= 0 means no cap.
func Backoff(failures int, base, max time.Duration, jitter float64) time.Duration {
	if failures <= 0 || base <= 0 {
		return 0
	}
	d := base
	for i := 1; i < failures; i++ {
		if max > 0 && d >= max {
			break
		}
		if d > math.MaxInt64/2 {
			d = math.MaxInt64
			break
		}
		d *= 2
	}
	if max > 0 && d > max {
		d = max
	}
	switch {
	case !(jitter > 0): // also NaN
		jitter = 0
	case jitter > 1:
		jitter = 1
	}
	scaled := float64(d) * (1 + 0.5*jitter)
	if scaled >= math.MaxInt64 {
		d = math.MaxInt64
	} else {
		d = time.Duration(scaled)
	}
	if max > 0 && d > max {
		d = max
	}
	return d
}

// RetryAfter reads a Retry-After header, in delay-seconds or as an HTTP
// date relative to now. It is 0 when the header is absent, invalid or in the
// past, and at most MaxRetryAfter.
func RetryAfter(h http.Header, now time.Time) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if isDigits(v) {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n > int64(MaxRetryAfter/time.Second) {
			return MaxRetryAfter // only a range error is possible: too many digits
		}
		return time.Duration(n) * time.Second
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0
	}
	d := t.Sub(now)
	switch {
	case d <= 0:
		return 0
	case d > MaxRetryAfter:
		return MaxRetryAfter
	}
	return d
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
