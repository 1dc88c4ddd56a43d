package fetch

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"
)

const feedXML = `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>`

// newTestFetcher returns a Fetcher whose resolver knows only hosts (name →
// address) and whose dialer connects every address to 127.0.0.1, keeping the
// port: a test server can then stand behind a public name and address while
// the address policy sees that address, and nothing leaves the machine.
func newTestFetcher(t *testing.T, opts Options, hosts map[string]string) *Fetcher {
	t.Helper()
	f := New(opts)
	f.lookup = func(_ context.Context, host string) ([]netip.Addr, error) {
		ip, ok := hosts[strings.ToLower(host)]
		if !ok {
			return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
		}
		return []netip.Addr{netip.MustParseAddr(ip)}, nil
	}
	f.dial = func(ctx context.Context, network, addr string) (net.Conn, error) {
		_, port, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, err
		}
		var d net.Dialer
		return d.DialContext(ctx, network, net.JoinHostPort("127.0.0.1", port))
	}
	t.Cleanup(f.CloseIdleConnections)
	return f
}

func gzipped(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestFetchHTTP(t *testing.T) {
	const lastMod = "Mon, 02 Jan 2006 15:04:05 GMT"
	bomb := gzipped(t, make([]byte, 8<<20)) // ~8 KB on the wire
	small := gzipped(t, bytes.Repeat([]byte(feedXML), 100))
	later := time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)

	tests := []struct {
		name    string
		opts    Options
		req     Request
		user    string // userinfo put in the URL
		handler http.HandlerFunc
		check   func(t *testing.T, resp *Response, err error)
	}{
		{
			name: "200 with validators",
			handler: func(w http.ResponseWriter, r *http.Request) {
				if r.Header.Get("If-None-Match") != "" || r.Header.Get("If-Modified-Since") != "" {
					t.Errorf("validators sent without any stored")
				}
				if !strings.HasPrefix(r.Header.Get("Accept"), "application/atom+xml") {
					t.Errorf("Accept = %q", r.Header.Get("Accept"))
				}
				if r.Header.Get("User-Agent") != DefaultUserAgent {
					t.Errorf("User-Agent = %q", r.Header.Get("User-Agent"))
				}
				w.Header().Set("ETag", `"v1"`)
				w.Header().Set("Last-Modified", lastMod)
				w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
				io.WriteString(w, feedXML)
			},
			check: func(t *testing.T, resp *Response, err error) {
				if err != nil {
					t.Fatal(err)
				}
				if resp.Status != 200 || resp.NotModified || string(resp.Body) != feedXML {
					t.Errorf("status %d, not modified %v, body %q", resp.Status, resp.NotModified, resp.Body)
				}
				if resp.ETag != `"v1"` || resp.LastModified != lastMod {
					t.Errorf("validators %q %q", resp.ETag, resp.LastModified)
				}
				if resp.ContentType != "application/rss+xml; charset=utf-8" {
					t.Errorf("content type %q", resp.ContentType)
				}
				if resp.Bytes <= int64(len(feedXML)) {
					t.Errorf("Bytes = %d, want body and headers (> %d)", resp.Bytes, len(feedXML))
				}
			},
		},
		{
			name: "validators sent and 304 keeps them",
			req:  Request{ETag: `"v1"`, LastModified: lastMod},
			handler: func(w http.ResponseWriter, r *http.Request) {
				if r.Header.Get("If-None-Match") != `"v1"` || r.Header.Get("If-Modified-Since") != lastMod {
					t.Errorf("conditional headers %q %q", r.Header.Get("If-None-Match"), r.Header.Get("If-Modified-Since"))
					io.WriteString(w, feedXML)
					return
				}
				w.WriteHeader(http.StatusNotModified)
			},
			check: func(t *testing.T, resp *Response, err error) {
				if err != nil {
					t.Fatal(err)
				}
				if !resp.NotModified || resp.Status != 304 || resp.Body != nil {
					t.Errorf("not modified %v, status %d, body %q", resp.NotModified, resp.Status, resp.Body)
				}
				if resp.ETag != `"v1"` || resp.LastModified != lastMod {
					t.Errorf("validators %q %q, want the request's", resp.ETag, resp.LastModified)
				}
			},
		},
		{
			name: "304 with a new etag",
			req:  Request{ETag: `"v1"`, LastModified: lastMod},
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("ETag", `"v2"`)
				w.WriteHeader(http.StatusNotModified)
			},
			check: func(t *testing.T, resp *Response, err error) {
				if err != nil {
					t.Fatal(err)
				}
				if !resp.NotModified || resp.ETag != `"v2"` || resp.LastModified != lastMod {
					t.Errorf("not modified %v, validators %q %q", resp.NotModified, resp.ETag, resp.LastModified)
				}
			},
		},
		{
			// QA: an upstream answering every request 304 was "not
			// modified" for ever, its feed never read and nobody told.
			name:    "304 to a request without validators",
			handler: func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNotModified) },
			check:   wantStatus(304, 0, "GET http://127.0.0.1:PORT/feed: 304 Not Modified to a request without validators"),
		},
		{
			name: "304 to If-Modified-Since alone",
			req:  Request{LastModified: lastMod},
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(http.StatusNotModified)
			},
			check: func(t *testing.T, resp *Response, err error) {
				if err != nil || !resp.NotModified || resp.LastModified != lastMod {
					t.Fatalf("resp %+v, err %v; want not modified, the request's Last-Modified kept", resp, err)
				}
			},
		},
		{
			name: "gzip decompressed, wire bytes counted compressed",
			handler: func(w http.ResponseWriter, r *http.Request) {
				if r.Header.Get("Accept-Encoding") != "gzip" {
					t.Errorf("Accept-Encoding = %q", r.Header.Get("Accept-Encoding"))
				}
				w.Header().Set("Content-Encoding", "gzip")
				w.Write(small)
			},
			check: func(t *testing.T, resp *Response, err error) {
				if err != nil {
					t.Fatal(err)
				}
				if want := strings.Repeat(feedXML, 100); string(resp.Body) != want {
					t.Errorf("body has %d bytes, want %d", len(resp.Body), len(want))
				}
				if resp.Bytes >= int64(len(resp.Body)) {
					t.Errorf("Bytes = %d, want the compressed size (< %d)", resp.Bytes, len(resp.Body))
				}
			},
		},
		{
			name: "gzip bomb stops at the cap",
			opts: Options{MaxBody: 1 << 20},
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Encoding", "gzip")
				w.Write(bomb)
			},
			check: wantSizeError("body exceeds 1 MiB limit"),
		},
		{
			name: "announced body over the cap",
			opts: Options{MaxBody: 1 << 10},
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Length", "2048")
				w.Write(make([]byte, 2048))
			},
			check: wantSizeError("body exceeds 1 KiB limit"),
		},
		{
			name: "chunked body over the cap",
			opts: Options{MaxBody: 1000},
			handler: func(w http.ResponseWriter, r *http.Request) {
				for range 10 {
					w.Write(make([]byte, 200))
					w.(http.Flusher).Flush()
				}
			},
			check: wantSizeError("body exceeds 1000 bytes limit"),
		},
		{
			name: "body at the cap",
			opts: Options{MaxBody: 1 << 10},
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Write(make([]byte, 1<<10))
			},
			check: func(t *testing.T, resp *Response, err error) {
				if err != nil || len(resp.Body) != 1<<10 {
					t.Fatalf("err %v", err)
				}
			},
		},
		{
			name:    "404",
			handler: func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) },
			check:   wantStatus(404, 0, "GET http://127.0.0.1:PORT/feed: 404 Not Found"),
		},
		{
			name:    "password in the URL not shown",
			user:    "reader:s3cret",
			handler: func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) },
			check:   wantStatus(404, 0, "GET http://reader:xxxxx@127.0.0.1:PORT/feed: 404 Not Found"),
		},
		{
			name: "500 ignores Retry-After",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Retry-After", "60")
				w.WriteHeader(500)
			},
			check: wantStatus(500, 0, "GET http://127.0.0.1:PORT/feed: 500 Internal Server Error"),
		},
		{
			name: "429 with Retry-After seconds",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Retry-After", "120")
				w.WriteHeader(429)
			},
			check: wantStatus(429, 2*time.Minute, "GET http://127.0.0.1:PORT/feed: 429 Too Many Requests (retry after 2m0s)"),
		},
		{
			name: "503 with Retry-After date",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Retry-After", later)
				w.WriteHeader(503)
			},
			check: func(t *testing.T, resp *Response, err error) {
				var se *StatusError
				if !errors.As(err, &se) || se.Status != 503 {
					t.Fatalf("err = %v, want a 503 StatusError", err)
				}
				if se.RetryAfter <= 58*time.Minute || se.RetryAfter > time.Hour {
					t.Errorf("RetryAfter = %s, want about 1h", se.RetryAfter)
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(tc.handler)
			defer srv.Close()
			f := newTestFetcher(t, tc.opts, nil)
			req := tc.req
			req.URL = srv.URL + "/feed"
			if tc.user != "" {
				req.URL = strings.Replace(req.URL, "//", "//"+tc.user+"@", 1)
			}
			resp, err := f.Fetch(context.Background(), req)
			if err != nil {
				err = portless{err, srv.Listener.Addr().(*net.TCPAddr).Port}
			}
			tc.check(t, resp, err)
		})
	}
}

// portless shows a server's port as PORT so that messages can be compared.
type portless struct {
	err  error
	port int
}

func (p portless) Error() string {
	return strings.ReplaceAll(p.err.Error(), ":"+strconv.Itoa(p.port), ":PORT")
}
func (p portless) Unwrap() error { return p.err }

func wantSizeError(msg string) func(t *testing.T, resp *Response, err error) {
	return func(t *testing.T, resp *Response, err error) {
		t.Helper()
		var se *SizeError
		if !errors.As(err, &se) || resp != nil {
			t.Fatalf("err = %v, want a SizeError and no response", err)
		}
		if !strings.Contains(err.Error(), msg) || !strings.HasPrefix(err.Error(), "fetch http://") {
			t.Errorf("err = %q, want it to say %q", err, msg)
		}
	}
}

func wantStatus(status int, retry time.Duration, msg string) func(t *testing.T, resp *Response, err error) {
	return func(t *testing.T, resp *Response, err error) {
		t.Helper()
		var se *StatusError
		if !errors.As(err, &se) || resp != nil {
			t.Fatalf("err = %v, want a StatusError and no response", err)
		}
		if se.Status != status || se.RetryAfter != retry {
			t.Errorf("status %d, retry after %s; want %d, %s", se.Status, se.RetryAfter, status, retry)
		}
		if err.Error() != msg {
			t.Errorf("err = %q, want %q", err, msg)
		}
	}
}

func TestOptionsDefaults(t *testing.T) {
	got := Options{}.withDefaults()
	if got.UserAgent != DefaultUserAgent || got.Timeout != 30*time.Second ||
		got.MaxBody != 10<<20 || got.MaxRedirects != 5 {
		t.Errorf("defaults = %+v", got)
	}
	if got := (Options{MaxRedirects: -1}).withDefaults(); got.MaxRedirects != 0 {
		t.Errorf("negative MaxRedirects = %d, want 0 (none followed)", got.MaxRedirects)
	}
	if got := (&SizeError{Limit: 10 << 20}).Error(); got != "body exceeds 10 MiB limit" {
		t.Errorf("default cap error = %q", got)
	}
}
