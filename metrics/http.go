package metrics

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// HTTPMetrics counts and times HTTP requests by route and status code.
type HTTPMetrics struct {
	requests *Counter
	duration *Histogram
	now      func() time.Time
}

// httpBuckets cover a map lookup served from memory (sub-millisecond) up to
// a fetch round run through the trigger (tens of seconds).
var httpBuckets = []float64{0.001, 0.005, 0.025, 0.1, 0.5, 2.5, 10, 60}

// NewHTTPMetrics registers tributary_http_requests_total and
// tributary_http_request_duration_seconds in r.
func NewHTTPMetrics(r *Registry) *HTTPMetrics {
	return &HTTPMetrics{
		requests: r.Counter("tributary_http_requests_total",
			"HTTP requests answered, by route pattern and status code.", "route", "code"),
		duration: r.Histogram("tributary_http_request_duration_seconds",
			"Time to answer HTTP requests, by route pattern.", httpBuckets, "route"),
		now: time.Now,
	}
}

// Wrap returns next with every request counted once it is answered. The
// route is read from the request after next served it: http.ServeMux sets
// Request.Pattern on the request it is given, so the innermost mux's
// pattern wins.
func (m *HTTPMetrics) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := m.now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		route := routeOf(r.Pattern)
		m.requests.Inc(route, strconv.Itoa(rec.code()))
		m.duration.Observe(m.now().Sub(start).Seconds(), route)
	})
}

// routeOf drops the method and host of a ServeMux pattern ("GET /x" → "/x").
// A request no pattern matched, or one matched by a catch-all "/", is
// "other": its path is the client's choice and must not become a label.
func routeOf(pattern string) string {
	if i := strings.IndexByte(pattern, ' '); i >= 0 {
		pattern = pattern[i+1:]
	}
	if i := strings.IndexByte(pattern, '/'); i > 0 {
		pattern = pattern[i:] // a host pattern
	}
	if pattern == "" || pattern == "/" {
		return "other"
	}
	return pattern
}

// statusRecorder notes the status code written through it.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 && code >= 200 { // 1xx are interim
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(p []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the connection (flushes, write
// deadlines).
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

func (r *statusRecorder) code() int {
	if r.status == 0 {
		return http.StatusOK // a handler that wrote nothing answered 200
	}
	return r.status
}
