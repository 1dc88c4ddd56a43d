package fetch

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestBackoff(t *testing.T) {
	const m = time.Minute
	tests := []struct {
		name     string
		failures int
		base     time.Duration
		max      time.Duration
		jitter   float64
		want     time.Duration
	}{
		{"no failures", 0, m, time.Hour, 0, 0},
		{"negative failures", -3, m, time.Hour, 0.5, 0},
		{"first failure is base", 1, m, time.Hour, 0, m},
		{"second doubles", 2, m, time.Hour, 0, 2 * m},
		{"fifth", 5, m, time.Hour, 0, 16 * m},
		{"capped", 7, m, time.Hour, 0, time.Hour},
		{"jitter stretches", 3, m, time.Hour, 0.5, 5 * m},
		{"jitter three quarters", 2, m, time.Hour, 0.75, 2*m + 45*time.Second},
		{"capped again after jitter", 6, m, 40 * m, 0.9, 40 * m},
		{"huge failure count", 1 << 30, m, 24 * time.Hour, 0.3, 24 * time.Hour},
		{"no cap", 3, m, 0, 0, 4 * m},
		{"no cap, overflow saturates", 200, m, 0, 0.5, math.MaxInt64},
		{"negative jitter ignored", 2, m, time.Hour, -1, 2 * m},
		{"NaN jitter ignored", 2, m, time.Hour, math.NaN(), 2 * m},
		{"jitter above 1 clamped", 2, m, time.Hour, 7, 3 * m},
		{"zero base", 3, 0, time.Hour, 0.5, 0},
	}
	for _, tc := range tests {
		if got := Backoff(tc.failures, tc.base, tc.max, tc.jitter); got != tc.want {
			t.Errorf("%s: Backoff(%d, %s, %s, %v) = %s, want %s",
				tc.name, tc.failures, tc.base, tc.max, tc.jitter, got, tc.want)
		}
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		value string // "" sends no header
		want  time.Duration
	}{
		{"absent", "", 0},
		{"seconds", "120", 2 * time.Minute},
		{"zero", "0", 0},
		{"spaces", " 30 ", 30 * time.Second},
		{"seconds capped", "172800", MaxRetryAfter},
		{"too many digits", "99999999999999999999999", MaxRetryAfter},
		{"negative", "-5", 0},
		{"fraction", "1.5", 0},
		{"garbage", "soon", 0},
		{"HTTP date", "Sat, 01 Mar 2025 12:30:00 GMT", 30 * time.Minute},
		{"RFC 850 date", "Saturday, 01-Mar-25 13:00:00 GMT", time.Hour},
		{"asctime date", "Sat Mar  1 12:00:10 2025", 10 * time.Second},
		{"past date", "Sat, 01 Mar 2025 11:00:00 GMT", 0},
		{"far date capped", "Sat, 01 Mar 2026 12:00:00 GMT", MaxRetryAfter},
		{"date without zone", "2025-03-01 13:00:00", 0},
	}
	for _, tc := range tests {
		h := http.Header{}
		if tc.value != "" {
			h.Set("Retry-After", tc.value)
		}
		if got := RetryAfter(h, now); got != tc.want {
			t.Errorf("%s: RetryAfter(%q) = %s, want %s", tc.name, tc.value, got, tc.want)
		}
	}
}

func TestStatusErrorMessage(t *testing.T) {
	tests := []struct {
		err  StatusError
		want string
	}{
		{StatusError{URL: "https://x/feed", Status: 503, RetryAfter: 2 * time.Minute},
			"GET https://x/feed: 503 Service Unavailable (retry after 2m0s)"},
		// QA: a Retry-After date printed the nanoseconds to it.
		{StatusError{URL: "https://x/feed", Status: 503, RetryAfter: 3*time.Hour - 832045885*time.Nanosecond},
			"GET https://x/feed: 503 Service Unavailable (retry after 2h59m59s)"},
		{StatusError{URL: "https://x/feed", Status: 429, RetryAfter: 3*time.Hour - 200*time.Millisecond},
			"GET https://x/feed: 429 Too Many Requests (retry after 3h0m0s)"},
		{StatusError{URL: "https://x/feed", Status: 503, RetryAfter: 300 * time.Millisecond},
			"GET https://x/feed: 503 Service Unavailable (retry after 1s)"},
		{StatusError{URL: "https://x/feed", Status: 304},
			"GET https://x/feed: 304 Not Modified to a request without validators"},
		{StatusError{URL: "https://x/feed", Status: 410}, "GET https://x/feed: 410 Gone"},
		{StatusError{URL: "https://x/feed", Status: 599}, "GET https://x/feed: 599"},
	}
	for _, tc := range tests {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("Error() = %q, want %q", got, tc.want)
		}
	}
}

// FuzzRetryAfter checks that any header value gives a delay within bounds,
// and that delay-seconds are read exactly.
func FuzzRetryAfter(f *testing.F) {
	for _, seed := range []string{"120", "0", "Sat, 01 Mar 2025 12:30:00 GMT", "-1", "1e3", "99999999999999999999"} {
		f.Add(seed)
	}
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, v string) {
		h := http.Header{"Retry-After": {v}}
		got := RetryAfter(h, now)
		if got < 0 || got > MaxRetryAfter {
			t.Fatalf("RetryAfter(%q) = %s, out of [0, %s]", v, got, MaxRetryAfter)
		}
		s := strings.TrimSpace(v)
		if n, err := strconv.ParseUint(s, 10, 64); err == nil && isDigits(s) {
			want := MaxRetryAfter
			if n < uint64(MaxRetryAfter/time.Second) {
				want = time.Duration(n) * time.Second
			}
			if got != want {
				t.Fatalf("RetryAfter(%q) = %s, want %s", v, got, want)
			}
		}
	})
}
