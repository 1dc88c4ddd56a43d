package metrics

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestHTTPMetricsCountsByRouteAndStatus(t *testing.T) {
	r := NewRegistry()
	m := NewHTTPMetrics(r)
	inner := http.NewServeMux()
	inner.HandleFunc("GET /feed.atom", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("feed")) })
	inner.HandleFunc("GET /healthz", func(http.ResponseWriter, *http.Request) {}) // writes nothing: 200
	outer := http.NewServeMux()
	outer.HandleFunc("GET /entries/{id}", func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("id") == "gone" {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
	outer.Handle("/", inner) // the catch-all: the inner mux's pattern is the route
	h := m.Wrap(outer)

	for _, path := range []string{"/entries/a", "/entries/b", "/entries/gone", "/feed.atom", "/feed.atom",
		"/healthz", "/no/such/path", "/wp-login.php"} {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", path, nil))
	}
	// Another method falls through to the catch-all, whose mux knows no
	// such path.
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", "/entries/a", nil))

	got := text(t, r)
	for _, want := range []string{
		`tributary_http_requests_total{route="/entries/{id}",code="200"} 2`,
		`tributary_http_requests_total{route="/entries/{id}",code="404"} 1`,
		`tributary_http_requests_total{route="/feed.atom",code="200"} 2`,
		`tributary_http_requests_total{route="/healthz",code="200"} 1`,
		// Unknown paths share one series, whatever a client asks for.
		`tributary_http_requests_total{route="other",code="404"} 3`,
		`tributary_http_request_duration_seconds_count{route="/entries/{id}"} 3`,
	} {
		if !strings.Contains(got, want+"\n") {
			t.Errorf("missing %s", want)
		}
	}
	if strings.Contains(got, "wp-login") {
		t.Errorf("a client's path became a label:\n%s", got)
	}
}

func TestMetricsHandler(t *testing.T) {
	r := NewRegistry()
	r.Counter("x_total", "X.").Inc()
	rec := httptest.NewRecorder()
	r.Handler(nil).ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != 200 || rec.Header().Get("Content-Type") != ContentType {
		t.Errorf("status %d, Content-Type %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	if want := "# HELP x_total X.\n# TYPE x_total counter\nx_total 1\n"; rec.Body.String() != want {
		t.Errorf("body %q, want %q", rec.Body.String(), want)
	}
}

func TestRouteOf(t *testing.T) {
	tests := map[string]string{
		"":                   "other",
		"/":                  "other",
		"GET /":              "other",
		"GET /{$}":           "/{$}",
		"GET /entries/{id}":  "/entries/{id}",
		"POST /-/fetch":      "/-/fetch",
		"example.org/feed":   "/feed",
		"GET example.org/x/": "/x/",
	}
	for in, want := range tests {
		if got := routeOf(in); got != want {
			t.Errorf("routeOf(%q) = %q, want %q", in, got, want)
		}
	}
}

// BenchmarkWrap is the cost the request metrics add to every request of
// the daemon: a mux answering 304 alone, and wrapped (docs/PERFORMANCE.md,
// "Serving").
func BenchmarkWrap(b *testing.B) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /feed.atom", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNotModified) })
	wrapped := NewHTTPMetrics(NewRegistry()).Wrap(mux)
	req := httptest.NewRequest("GET", "/feed.atom", nil)
	for _, h := range []struct {
		name string
		h    http.Handler
	}{{"mux", mux}, {"wrapped", wrapped}} {
		b.Run(h.name, func(b *testing.B) {
			w := &headerOnly{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				h.h.ServeHTTP(w, req)
			}
		})
	}
}

// headerOnly is a ResponseWriter that keeps nothing, so that only the
// handlers are timed.
type headerOnly struct{ h http.Header }

func (w *headerOnly) Header() http.Header         { return w.h }
func (w *headerOnly) Write(p []byte) (int, error) { return len(p), nil }
func (w *headerOnly) WriteHeader(int)             {}
