package fetch

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestFetchTimeouts(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
	}{
		{"slow drip", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/rss+xml")
			for {
				w.Write([]byte("<"))
				w.(http.Flusher).Flush()
				select {
				case <-r.Context().Done():
					return
				case <-time.After(2 * time.Second):
				}
			}
		}},
		{"never answers", func(w http.ResponseWriter, r *http.Request) {
			<-r.Context().Done()
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(tc.handler)
			defer srv.Close()
			f := newTestFetcher(t, Options{Timeout: 300 * time.Millisecond}, nil)
			_, err := f.Fetch(context.Background(), Request{URL: srv.URL})
			if err == nil || !strings.Contains(err.Error(), "timed out") {
				t.Fatalf("err = %v, want a timeout", err)
			}
			f.CloseIdleConnections()
		})
	}
}

func TestFetchCanceled(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	defer srv.Close()
	f := newTestFetcher(t, Options{}, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := f.Fetch(ctx, Request{URL: srv.URL})
	if !errors.Is(err, context.Canceled) || strings.Contains(err.Error(), "timed out") {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestFetchConnectionErrors(t *testing.T) {
	tlsSrv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, feedXML)
	}))
	tlsSrv.Config.ErrorLog = log.New(io.Discard, "", 0) // the handshake failure is the point
	tlsSrv.StartTLS()
	defer tlsSrv.Close()

	tests := []struct {
		name  string
		url   string
		match func(error) bool
	}{
		{"untrusted certificate", tlsSrv.URL + "/feed", func(err error) bool {
			var ce *tls.CertificateVerificationError
			return errors.As(err, &ce)
		}},
		{"unknown host", "http://nowhere.test/feed", func(err error) bool {
			var de *net.DNSError
			return errors.As(err, &de) && de.IsNotFound
		}},
		{"connection refused", "http://127.0.0.1:1/feed", func(err error) bool {
			var oe *net.OpError
			return errors.As(err, &oe)
		}},
		{"password not shown", "http://reader:s3cret@127.0.0.1:1/feed", func(err error) bool {
			return !strings.Contains(err.Error(), "s3cret") && strings.Contains(err.Error(), "reader:xxxxx@")
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newTestFetcher(t, Options{}, nil)
			_, err := f.Fetch(context.Background(), Request{URL: tc.url})
			if err == nil || !tc.match(err) {
				t.Fatalf("err = %v (%T), not the expected kind", err, err)
			}
			shown := strings.Replace(tc.url, "s3cret", "xxxxx", 1)
			if want := "fetch " + shown + ": "; !strings.HasPrefix(err.Error(), want) {
				t.Errorf("err = %q, want it to start with %q", err, want)
			}
		})
	}
}

func TestFetchBadURL(t *testing.T) {
	tests := []struct{ url, want string }{
		{"", "empty URL"},
		{"ftp://example.test/feed", `unsupported scheme "ftp"`},
		{"http:///feed", "no host"},
		{"file://example.test/feed.xml", "remote host"},
	}
	f := newTestFetcher(t, Options{}, nil)
	for _, tc := range tests {
		_, err := f.Fetch(context.Background(), Request{URL: tc.url})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Fetch(%q) err = %v, want %q", tc.url, err, tc.want)
		}
	}
}
