package fetch

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// testHosts are the names the test resolver knows: public ones stand for
// upstream servers, the others for what a redirect must not reach.
var testHosts = map[string]string{
	"upstream.test": "203.0.113.10",
	"other.test":    "198.51.100.20",
	"evil.test":     "127.0.0.1",
	"metadata.test": "169.254.169.254",
	"intranet.test": "10.0.0.5",
	"mixed.test":    "fd00::1",
}

// redirectServer serves:
//
//	/feed                 a feed
//	/to?url=U[&code=C]    a redirect to U with status C (302)
//	/chain/N              N redirects before the feed
//	/hop/C1/C2/…          a redirect with status C1 to /hop/C2/…, then the feed
//	/loop/a, /loop/b      redirects to each other
func redirectServer(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	feed := func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		io.WriteString(w, feedXML)
	}
	mux.HandleFunc("/feed", feed)
	mux.HandleFunc("/to", func(w http.ResponseWriter, r *http.Request) {
		code := http.StatusFound
		if c := r.URL.Query().Get("code"); c != "" {
			code, _ = strconv.Atoi(c)
		}
		w.Header().Set("Location", r.URL.Query().Get("url"))
		w.WriteHeader(code)
	})
	mux.HandleFunc("/chain/{n}", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.PathValue("n"))
		if n <= 0 {
			feed(w, r)
			return
		}
		http.Redirect(w, r, "/chain/"+strconv.Itoa(n-1), http.StatusFound)
	})
	mux.HandleFunc("/hop/", func(w http.ResponseWriter, r *http.Request) {
		codes := strings.Split(strings.TrimPrefix(r.URL.Path, "/hop/"), "/")
		if codes[0] == "" {
			feed(w, r)
			return
		}
		code, _ := strconv.Atoi(codes[0])
		http.Redirect(w, r, "/hop/"+strings.Join(codes[1:], "/"), code)
	})
	mux.HandleFunc("/loop/a", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop/b", http.StatusFound)
	})
	mux.HandleFunc("/loop/b", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop/a", http.StatusFound)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func to(target string, code int) string {
	return "/to?code=" + strconv.Itoa(code) + "&url=" + url.QueryEscape(target)
}

func TestRedirects(t *testing.T) {
	srv := redirectServer(t)
	tests := []struct {
		name      string
		opts      Options
		path      string
		wantErr   string // substring; "" for success
		permanent string // want PermanentRedirect, a path on srv
	}{
		{name: "5 redirects followed", path: "/chain/5"},
		// The Location of a refused hop is named absolute (QA: Get "/loop").
		{name: "6th redirect refused", path: "/chain/6", wantErr: `Get "` + srv.URL + `/chain/0": stopped after 5 redirects`},
		{name: "own limit", opts: Options{MaxRedirects: 2}, path: "/chain/3", wantErr: "stopped after 2 redirects"},
		{name: "none followed", opts: Options{MaxRedirects: -1}, path: "/chain/1", wantErr: "stopped after 0 redirects"},
		{name: "loop", path: "/loop/a", wantErr: `Get "` + srv.URL + `/loop/a": redirect loop at ` + srv.URL + "/loop/a"},
		{name: "to ftp", path: to("ftp://example.test/feed", 302), wantErr: `unsupported scheme "ftp"`},
		{name: "to file", path: to("file:///etc/passwd", 301), wantErr: `unsupported scheme "file"`},
		{name: "to javascript", path: to("javascript:alert(1)", 302), wantErr: `unsupported scheme "javascript"`},
		{name: "301 is permanent", path: "/hop/301", permanent: "/hop/"},
		{name: "308 is permanent", path: "/hop/308", permanent: "/hop/"},
		{name: "302 is not", path: "/hop/302"},
		{name: "307 is not", path: "/hop/307"},
		{name: "run of permanent hops", path: "/hop/301/308", permanent: "/hop/"},
		{name: "run ends at a temporary hop", path: "/hop/301/302", permanent: "/hop/302"},
		{name: "temporary first", path: "/hop/302/301"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newTestFetcher(t, tc.opts, testHosts)
			resp, err := f.Fetch(context.Background(), Request{URL: srv.URL + tc.path})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(resp.Body) != feedXML {
				t.Errorf("body %q", resp.Body)
			}
			want := ""
			if tc.permanent != "" {
				want = srv.URL + tc.permanent
			}
			if resp.PermanentRedirect != want {
				t.Errorf("PermanentRedirect = %q, want %q", resp.PermanentRedirect, want)
			}
		})
	}
}

func TestAddressPolicy(t *testing.T) {
	srv := redirectServer(t)
	port := strconv.Itoa(srv.Listener.Addr().(*net.TCPAddr).Port)
	at := func(host, path string) string { return "http://" + net.JoinHostPort(host, port) + path }

	tests := []struct {
		name      string
		url       string
		untrusted bool
		wantKind  string // AddressError kind; "" for success
	}{
		{name: "public host", url: at("upstream.test", "/feed")},
		{name: "public to public", url: at("upstream.test", to(at("other.test", "/feed"), 302))},
		{name: "public to 127.0.0.1", url: at("upstream.test", to(at("127.0.0.1", "/feed"), 302)), wantKind: "loopback"},
		{name: "public to ::1", url: at("upstream.test", to(at("::1", "/feed"), 301)), wantKind: "loopback"},
		{name: "public to localhost", url: at("upstream.test", to(at("localhost", "/feed"), 302)), wantKind: "loopback"},
		{name: "public to name of 127.0.0.1", url: at("upstream.test", to(at("evil.test", "/feed"), 302)), wantKind: "loopback"},
		{name: "public to metadata address", url: at("upstream.test", to("http://169.254.169.254/latest/meta-data/", 302)), wantKind: "link-local"},
		{name: "public to name of metadata", url: at("upstream.test", to(at("metadata.test", "/"), 302)), wantKind: "link-local"},
		{name: "public to RFC 1918", url: at("upstream.test", to("http://10.1.2.3/", 302)), wantKind: "private"},
		{name: "public to ULA name", url: at("upstream.test", to(at("mixed.test", "/"), 302)), wantKind: "private"},
		{name: "public to unspecified", url: at("upstream.test", to(at("0.0.0.0", "/feed"), 302)), wantKind: "unspecified"},
		{name: "configured 127.0.0.1", url: at("127.0.0.1", "/feed")},
		{name: "configured 127.0.0.1 to localhost", url: at("127.0.0.1", to(at("localhost", "/feed"), 302))},
		{name: "configured localhost", url: at("localhost", "/feed")},
		{name: "configured intranet name to loopback", url: at("intranet.test", to(at("127.0.0.1", "/feed"), 302))},
		{name: "configured name of 127.0.0.1", url: at("evil.test", "/feed")},
		{name: "untrusted 127.0.0.1", url: at("127.0.0.1", "/feed"), untrusted: true, wantKind: "loopback"},
		{name: "untrusted intranet name", url: at("intranet.test", "/feed"), untrusted: true, wantKind: "private"},
		{name: "untrusted public to loopback", url: at("upstream.test", to(at("evil.test", "/feed"), 302)), untrusted: true, wantKind: "loopback"},
		{name: "untrusted public", url: at("upstream.test", "/feed"), untrusted: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newTestFetcher(t, Options{}, testHosts)
			resp, err := f.Fetch(context.Background(), Request{URL: tc.url, Untrusted: tc.untrusted})
			if tc.wantKind == "" {
				if err != nil {
					t.Fatal(err)
				}
				if string(resp.Body) != feedXML {
					t.Errorf("body %q", resp.Body)
				}
				return
			}
			var ae *AddressError
			if !errors.As(err, &ae) || ae.Kind != tc.wantKind {
				t.Fatalf("err = %v, want an AddressError of kind %q", err, tc.wantKind)
			}
			if !strings.HasPrefix(err.Error(), "fetch "+tc.url+": ") {
				t.Errorf("err = %q, want it to name the URL", err)
			}
		})
	}
}

// A connection dialled for a trusted fetch must not serve a guarded one: the
// pools are separate, so the guarded fetch dials, and its dial is refused.
func TestTrustedConnectionNotReused(t *testing.T) {
	srv := redirectServer(t)
	port := strconv.Itoa(srv.Listener.Addr().(*net.TCPAddr).Port)
	f := newTestFetcher(t, Options{}, testHosts)
	trusted := "http://" + net.JoinHostPort("evil.test", port) + "/feed"
	if _, err := f.Fetch(context.Background(), Request{URL: trusted}); err != nil {
		t.Fatalf("configured URL: %v", err)
	}
	via := "http://" + net.JoinHostPort("upstream.test", port) + to(trusted, 302)
	_, err := f.Fetch(context.Background(), Request{URL: via})
	var ae *AddressError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v, want an AddressError", err)
	}
}

// With a caller's Transport the dial is not ours, yet redirects to address
// literals are still refused.
func TestCustomTransport(t *testing.T) {
	srv := redirectServer(t)
	port := strconv.Itoa(srv.Listener.Addr().(*net.TCPAddr).Port)
	tr := &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, srv.Listener.Addr().String())
	}}
	defer tr.CloseIdleConnections()
	f := New(Options{Transport: tr})

	resp, err := f.Fetch(context.Background(), Request{URL: "http://upstream.test:" + port + "/feed"})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Bytes != int64(len(feedXML)) {
		t.Errorf("Bytes = %d, want the body length %d", resp.Bytes, len(feedXML))
	}
	_, err = f.Fetch(context.Background(), Request{URL: "http://upstream.test:" + port + to(srv.URL+"/feed", 302)})
	var ae *AddressError
	if !errors.As(err, &ae) || ae.Kind != "loopback" {
		t.Fatalf("err = %v, want a loopback AddressError", err)
	}
}

func TestAddrKind(t *testing.T) {
	tests := []struct{ addr, want string }{
		{"93.184.215.14", ""},
		{"2606:2800:21f:cb07:6820:80da:af6b:8b2c", ""},
		{"203.0.113.10", ""},
		{"127.0.0.1", "loopback"},
		{"127.255.0.9", "loopback"},
		{"::1", "loopback"},
		{"::ffff:127.0.0.1", "loopback"},
		{"10.0.0.1", "private"},
		{"172.16.5.4", "private"},
		{"172.32.0.1", ""},
		{"192.168.1.1", "private"},
		{"fd12:3456::1", "private"},
		{"169.254.169.254", "link-local"},
		{"fe80::1", "link-local"},
		{"fe80::1%eth0", "link-local"},
		{"0.0.0.0", "unspecified"},
		{"0.1.2.3", "unspecified"},
		{"::", "unspecified"},
		{"100.64.0.1", "carrier-grade NAT"},
		{"100.100.100.200", "carrier-grade NAT"},
		{"224.0.0.1", "multicast"},
		{"ff02::1", "multicast"},
		{"255.255.255.255", "reserved"},
		{"240.0.0.1", "reserved"},
		{"198.18.0.1", "reserved"},
		{"::127.0.0.1", "reserved"},
		{"fec0::1", "site-local"},
		{"64:ff9b::a9fe:a9fe", "link-local"}, // NAT64 of 169.254.169.254
		{"64:ff9b::5db8:d70e", ""},           // NAT64 of a public address
	}
	for _, tc := range tests {
		if got := addrKind(netip.MustParseAddr(tc.addr)); got != tc.want {
			t.Errorf("addrKind(%s) = %q, want %q", tc.addr, got, tc.want)
		}
	}
}

// Options.LookupNetIP and DialContext let a caller outside the package map
// names to a local server; every check of the address policy still applies
// to the addresses the resolver answers.
func TestOptionsResolverAndDialer(t *testing.T) {
	srv := redirectServer(t)
	port := strconv.Itoa(srv.Listener.Addr().(*net.TCPAddr).Port)
	at := func(host, path string) string { return "http://" + net.JoinHostPort(host, port) + path }
	f := New(Options{
		LookupNetIP: func(_ context.Context, host string) ([]netip.Addr, error) {
			ip, ok := testHosts[strings.ToLower(host)]
			if !ok {
				return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
			}
			return []netip.Addr{netip.MustParseAddr(ip)}, nil
		},
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, network, srv.Listener.Addr().String())
		},
	})
	t.Cleanup(f.CloseIdleConnections)

	if _, err := f.Fetch(context.Background(), Request{URL: at("upstream.test", "/feed")}); err != nil {
		t.Fatalf("public name: %v", err)
	}
	_, err := f.Fetch(context.Background(), Request{URL: at("upstream.test", to(at("evil.test", "/feed"), 302))})
	var ae *AddressError
	if !errors.As(err, &ae) || ae.Kind != "loopback" {
		t.Fatalf("redirect to a name of 127.0.0.1: err = %v, want a loopback AddressError", err)
	}
	_, err = f.Fetch(context.Background(), Request{URL: at("nowhere.invalid", "/feed")})
	var de *net.DNSError
	if !errors.As(err, &de) {
		t.Fatalf("unknown name: err = %v, want a *net.DNSError", err)
	}
}
