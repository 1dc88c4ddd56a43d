package fetch

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/netip"
	"net/url"
	"time"
)

// Defaults taken by zero Options fields.
const (
	DefaultUserAgent    = "Tributary/dev (+https://github.com/tributary/tributary)"
	DefaultTimeout      = 30 * time.Second
	DefaultMaxBody      = 10 << 20
	DefaultMaxRedirects = 5
)

// acceptFeeds prefers the feed types, then generic XML, then anything: some
// servers pick a representation by Accept and would otherwise send HTML.
const acceptFeeds = "application/atom+xml, application/rss+xml, application/feed+json, " +
	"application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8"

// Options tune a Fetcher; zero values take the defaults above.
type Options struct {
	UserAgent string
	// Timeout bounds the whole request, redirects and body included.
	Timeout time.Duration
	// MaxBody caps the body after decompression; a longer body is an error.
	MaxBody int64
	// MaxRedirects is how many redirects are followed; negative follows none.
	MaxRedirects int
	// Transport replaces the tuned default (tests). The address policy then
	// checks only IP literals and localhost names in redirects.
	Transport http.RoundTripper
	// LookupNetIP and DialContext replace the system resolver and dialer
	// under the tuned transport (nil: package net's). The address policy
	// judges the addresses LookupNetIP answers and DialContext is handed
	// one of them, so a test can give names public addresses and dial a
	// local server whatever the address, with every check of the policy
	// still made. Ignored when Transport is set.
	LookupNetIP func(ctx context.Context, host string) ([]netip.Addr, error)
	DialContext func(ctx context.Context, network, addr string) (net.Conn, error)
}

func (o Options) withDefaults() Options {
	if o.UserAgent == "" {
		o.UserAgent = DefaultUserAgent
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.MaxBody <= 0 {
		o.MaxBody = DefaultMaxBody
	}
	switch {
	case o.MaxRedirects == 0:
		o.MaxRedirects = DefaultMaxRedirects
	case o.MaxRedirects < 0:
		o.MaxRedirects = 0
	}
	return o
}

// Request names what to fetch and the validators stored from the last fetch.
type Request struct {
	// URL is an http(s) URL, a file:// URL or a local path.
	URL          string
	ETag         string
	LastModified string
	// Untrusted marks a URL taken from upstream content rather than from the
	// configuration (a feed link found in an HTML page): it is held to the
	// address policy even when its host is private, and files are refused.
	Untrusted bool
	// TrustAs, when set, is the configured URL that URL stands for (the
	// source moved there, or its page links there): URL is trusted as
	// TrustAs's host is, not by what its own host is. A source configured
	// on the intranet keeps working where it moves; one configured on the
	// internet cannot be moved by its upstream to a name the upstream then
	// points at a private address.
	TrustAs string
}

// Response is a fetched source.
type Response struct {
	URL         string // final URL after redirects
	Status      int    // HTTP status; 0 for files
	NotModified bool   // 304 or unchanged file; Body is empty
	Body        []byte
	ContentType string
	// ETag and LastModified are the validators to store for the next
	// request (on a 304 without them, the request's own; none when
	// Truncated).
	ETag, LastModified string
	// Truncated is set when the connection ended before the body its
	// framing announced (Content-Length, the last chunk, the end of the
	// gzip stream): Body is what arrived, and has no validators, so that
	// the next fetch asks for the whole document again. A body without
	// Content-Length that ends early looks whole here; the parser is what
	// finds it cut short.
	Truncated bool
	// PermanentRedirect is set when the URL was answered by 301 or 308: the
	// target of that run of permanent redirects. Whether to move the source
	// is the caller's decision.
	PermanentRedirect string
	// Trusted is set when the fetch could reach non-public addresses (a
	// configured URL on the intranet, or one given its trust): a source
	// moved by PermanentRedirect may keep it.
	Trusted bool
	// Bytes counts the response bytes read from the connections, headers
	// and redirect hops included, compressed as sent; for files, the size.
	Bytes int64
}

// Fetcher downloads sources. It is safe for concurrent use; its idle
// connections are kept between fetches.
type Fetcher struct {
	opts Options
	// open serves trusted fetches (the configured host is itself private);
	// guarded refuses non-public addresses. They are separate pools so that
	// a connection dialled under trust is never reused without it.
	open, guarded http.RoundTripper
	custom        bool

	// lookup and dial resolve and connect: Options.LookupNetIP and
	// DialContext when set, else package net's.
	lookup func(ctx context.Context, host string) ([]netip.Addr, error)
	dial   func(ctx context.Context, network, addr string) (net.Conn, error)
}

// New returns a Fetcher with opts.
func New(opts Options) *Fetcher {
	f := &Fetcher{opts: opts.withDefaults()}
	f.lookup = func(ctx context.Context, host string) ([]netip.Addr, error) {
		return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	}
	if opts.LookupNetIP != nil {
		f.lookup = opts.LookupNetIP
	}
	d := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	f.dial = d.DialContext
	if opts.DialContext != nil {
		f.dial = opts.DialContext
	}
	if opts.Transport != nil {
		f.open, f.guarded, f.custom = opts.Transport, opts.Transport, true
		return f
	}
	f.open = f.newTransport(false)
	f.guarded = f.newTransport(true)
	return f
}

func (f *Fetcher) newTransport(guard bool) *http.Transport {
	return &http.Transport{
		DialContext:            f.dialer(guard),
		TLSClientConfig:        &tls.Config{MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:    10 * time.Second,
		ResponseHeaderTimeout:  f.opts.Timeout,
		ExpectContinueTimeout:  time.Second,
		MaxIdleConns:           100,
		MaxIdleConnsPerHost:    4,
		IdleConnTimeout:        90 * time.Second,
		MaxResponseHeaderBytes: 256 << 10,
	}
}

// CloseIdleConnections closes the kept-alive connections not in use.
func (f *Fetcher) CloseIdleConnections() {
	for _, rt := range []http.RoundTripper{f.open, f.guarded} {
		if c, ok := rt.(interface{ CloseIdleConnections() }); ok {
			c.CloseIdleConnections()
		}
	}
}

// Fetch downloads req.URL. A 304 to a request with validators, or an
// unchanged file, is a Response with NotModified set; any other non-2xx
// answer, and a 304 to a request without validators, is a *StatusError.
func (f *Fetcher) Fetch(ctx context.Context, req Request) (*Response, error) {
	t, err := parseTarget(req.URL)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", req.URL, err)
	}
	if t.path != "" {
		if req.Untrusted || req.TrustAs != "" && req.TrustAs != req.URL {
			return nil, fmt.Errorf("fetch %s: local files are not fetched for untrusted URLs", req.URL)
		}
		return f.fetchFile(ctx, req, t.path)
	}
	tctx, cancel := context.WithTimeout(ctx, f.opts.Timeout)
	defer cancel()
	resp, err := f.fetchHTTP(tctx, req, t.url)
	if err == nil {
		return resp, nil
	}
	var se *StatusError
	if errors.As(err, &se) {
		return nil, err
	}
	// Errors end up in logs and reports: a password in the URL must not.
	name := t.url.Redacted()
	var ne net.Error
	switch {
	case errors.Is(tctx.Err(), context.DeadlineExceeded) && ctx.Err() == nil:
		return nil, fmt.Errorf("fetch %s: timed out after %s: %w", name, f.opts.Timeout, err)
	case errors.As(err, &ne) && ne.Timeout():
		return nil, fmt.Errorf("fetch %s: timed out: %w", name, err)
	}
	return nil, fmt.Errorf("fetch %s: %w", name, err)
}

func (f *Fetcher) fetchHTTP(ctx context.Context, req Request, u *url.URL) (*Response, error) {
	trusted, pin, err := f.trust(ctx, req, u.Hostname())
	if err != nil {
		return nil, err
	}
	if trusted && req.TrustAs != "" {
		trusted = f.trustedAs(ctx, req.TrustAs, u.Hostname())
	}
	rt := f.guarded
	if trusted {
		rt = f.open
	}
	ctx = context.WithValue(ctx, pinKey{}, pin)
	m := new(meter)
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{GotConn: m.attach})
	hops := &redirects{max: f.opts.MaxRedirects, trusted: trusted}
	client := &http.Client{Transport: rt, CheckRedirect: hops.check}

	hreq, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	hreq.Header.Set("User-Agent", f.opts.UserAgent)
	hreq.Header.Set("Accept", acceptFeeds)
	if req.ETag != "" {
		hreq.Header.Set("If-None-Match", req.ETag)
	}
	if req.LastModified != "" {
		hreq.Header.Set("If-Modified-Since", req.LastModified)
	}

	hresp, err := client.Do(hreq)
	if err != nil {
		// The URL error repeats the URL the caller already names, unless a
		// redirect hop failed: then its URL is the useful part.
		var ue *url.Error
		if errors.As(err, &ue) && ue.URL == hreq.URL.String() {
			return nil, ue.Err
		}
		if ue != nil && hresp != nil && hresp.Request != nil {
			// A refused redirect's URL is its Location as sent, often
			// relative ("/loop"): named against the hop that sent it.
			if next, perr := hresp.Request.URL.Parse(ue.URL); perr == nil {
				ue.URL = next.Redacted()
			}
		}
		return nil, err
	}
	defer hresp.Body.Close()

	resp := &Response{
		URL:               hresp.Request.URL.String(),
		Status:            hresp.StatusCode,
		ContentType:       hresp.Header.Get("Content-Type"),
		ETag:              hresp.Header.Get("ETag"),
		LastModified:      hresp.Header.Get("Last-Modified"),
		PermanentRedirect: hops.permanent,
		Trusted:           trusted,
	}
	switch code := hresp.StatusCode; {
	case code == http.StatusNotModified && req.ETag == "" && req.LastModified == "":
		// Not modified since nothing: the request named no copy to keep.
		// Taken as success, the source would never be read again, and
		// nobody told (QA: an upstream answering every request 304).
		drain(hresp.Body)
		return nil, &StatusError{URL: hresp.Request.URL.Redacted(), Status: code}
	case code == http.StatusNotModified:
		resp.NotModified, resp.ContentType = true, ""
		if resp.ETag == "" {
			resp.ETag = req.ETag
		}
		if resp.LastModified == "" {
			resp.LastModified = req.LastModified
		}
		drain(hresp.Body)
	case code >= 200 && code < 300:
		resp.Body, err = readCapped(hresp.Body, hresp.ContentLength, f.opts.MaxBody)
		if cutShort(ctx, resp.Body, err) {
			// The connection ended before the document did: the same
			// event as a body without Content-Length that stops early,
			// and handled the same way, by the parser keeping what
			// arrived whole. Validators would have the rest answered
			// 304 and never read.
			resp.Truncated, err = true, nil
			resp.ETag, resp.LastModified = "", ""
		}
		if err != nil {
			return nil, fmt.Errorf("reading body: %w", err)
		}
	default:
		drain(hresp.Body)
		se := &StatusError{URL: hresp.Request.URL.Redacted(), Status: code}
		if code == http.StatusTooManyRequests || code == http.StatusServiceUnavailable {
			se.RetryAfter = RetryAfter(hresp.Header, time.Now())
		}
		return nil, se
	}
	resp.Bytes = m.n.Load()
	if f.custom {
		resp.Bytes = int64(len(resp.Body))
	}
	return resp, nil
}

// readCapped reads a body of at most max bytes. Content-Length is checked
// first so that an announced oversize body is refused unread; the read itself
// is capped because a decompressed body announces nothing. On a read error,
// body is what was read before it.
func readCapped(r io.Reader, length, max int64) (body []byte, err error) {
	if length > max {
		return nil, &SizeError{Limit: max}
	}
	body, err = io.ReadAll(io.LimitReader(r, max+1))
	if int64(len(body)) > max {
		return nil, &SizeError{Limit: max}
	}
	return body, err
}

// cutShort reports whether reading a body failed only because the
// connection ended before the body's framing did (net/http's and gzip's
// io.ErrUnexpectedEOF), after some of it arrived, and not because the fetch
// itself was stopped. A cut that leaves nothing stays an error.
func cutShort(ctx context.Context, body []byte, err error) bool {
	return errors.Is(err, io.ErrUnexpectedEOF) && len(body) > 0 && ctx.Err() == nil
}

// drain reads a little of a body we do not use so that its connection can
// be kept alive; a large body is cheaper to abandon with the connection.
func drain(r io.Reader) {
	_, _ = io.CopyN(io.Discard, r, 4<<10)
}

// SizeError is a body over the configured cap.
type SizeError struct{ Limit int64 }

func (e *SizeError) Error() string {
	return fmt.Sprintf("body exceeds %s limit", formatSize(e.Limit))
}

func formatSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
