package fetch

import (
	"context"
	"errors"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestFetchFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		mtime := time.Date(2024, 5, 6, 7, 8, 9, 500, time.UTC)
		if err := os.Chtimes(p, mtime, mtime); err != nil {
			t.Fatal(err)
		}
		return p
	}
	rss := write("blog.rss", feedXML)
	odd := write("a?b#c.xml", feedXML)
	big := write("big.atom", strings.Repeat("x", 2048))
	write("feed.json", `{"version":"https://jsonfeed.org/version/1.1"}`)
	write("feed", feedXML)
	const mod = "Mon, 06 May 2024 07:08:09 GMT"

	tests := []struct {
		name     string
		req      Request
		opts     Options
		wantBody string
		wantType string
		notMod   bool
		wantErr  string
	}{
		{name: "plain path", req: Request{URL: rss}, wantBody: feedXML, wantType: "application/rss+xml"},
		{name: "file URL", req: Request{URL: "file://" + rss}, wantBody: feedXML, wantType: "application/rss+xml"},
		{name: "file URL with localhost", req: Request{URL: "file://localhost" + rss}, wantBody: feedXML, wantType: "application/rss+xml"},
		{name: "path with URL characters", req: Request{URL: odd}, wantBody: feedXML, wantType: "application/xml"},
		{name: "json", req: Request{URL: filepath.Join(dir, "feed.json")}, wantBody: `{"version":"https://jsonfeed.org/version/1.1"}`, wantType: "application/feed+json"},
		{name: "no extension", req: Request{URL: filepath.Join(dir, "feed")}, wantBody: feedXML, wantType: ""},
		{name: "unchanged by Last-Modified", req: Request{URL: rss, LastModified: mod}, notMod: true},
		{name: "changed since Last-Modified", req: Request{URL: rss, LastModified: "Sun, 05 May 2024 07:08:09 GMT"}, wantBody: feedXML, wantType: "application/rss+xml"},
		{name: "ETag decides over Last-Modified", req: Request{URL: rss, LastModified: mod, ETag: `"stale"`}, wantBody: feedXML, wantType: "application/rss+xml"},
		{name: "over the cap", req: Request{URL: big}, opts: Options{MaxBody: 1024}, wantErr: "body exceeds 1 KiB limit"},
		{name: "missing", req: Request{URL: filepath.Join(dir, "gone.xml")}, wantErr: "no such file"},
		{name: "directory", req: Request{URL: dir}, wantErr: "not a regular file"},
		{name: "untrusted", req: Request{URL: rss, Untrusted: true}, wantErr: "untrusted"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := New(tc.opts)
			resp, err := f.Fetch(context.Background(), tc.req)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				if !strings.HasPrefix(err.Error(), "fetch "+tc.req.URL+": ") {
					t.Errorf("err = %q, want it to name the file", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if resp.NotModified != tc.notMod || string(resp.Body) != tc.wantBody {
				t.Errorf("not modified %v, body %q", resp.NotModified, resp.Body)
			}
			if resp.Status != 0 || resp.URL != tc.req.URL || resp.LastModified != mod {
				t.Errorf("status %d, URL %q, Last-Modified %q", resp.Status, resp.URL, resp.LastModified)
			}
			if !tc.notMod && (resp.ContentType != tc.wantType || resp.Bytes != int64(len(tc.wantBody))) {
				t.Errorf("content type %q, bytes %d", resp.ContentType, resp.Bytes)
			}
		})
	}
}

// The validators a file fetch returns make the next fetch not modified, and
// a rewrite within the same second is still seen.
func TestFetchFileRoundTrip(t *testing.T) {
	p := filepath.Join(t.TempDir(), "feed.xml")
	sec := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	put := func(body string, mtime time.Time) {
		t.Helper()
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, mtime, mtime); err != nil {
			t.Fatal(err)
		}
	}
	put(feedXML, sec.Add(100*time.Millisecond))
	f := New(Options{})
	first, err := f.Fetch(context.Background(), Request{URL: p})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := time.Parse(http.TimeFormat, first.LastModified); err != nil {
		t.Errorf("Last-Modified %q is not an HTTP date: %v", first.LastModified, err)
	}
	next := Request{URL: p, ETag: first.ETag, LastModified: first.LastModified}
	again, err := f.Fetch(context.Background(), next)
	if err != nil || !again.NotModified || again.Body != nil {
		t.Fatalf("second fetch: %+v, %v; want not modified", again, err)
	}
	put(feedXML+"<!-- more -->", sec.Add(600*time.Millisecond))
	third, err := f.Fetch(context.Background(), next)
	if err != nil || third.NotModified || third.LastModified != first.LastModified {
		t.Fatalf("after a rewrite in the same second: %+v, %v; want the new body", third, err)
	}
}

func TestFetchFileMissing(t *testing.T) {
	_, err := New(Options{}).Fetch(context.Background(), Request{URL: "file:///nonexistent/feed.xml"})
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("err = %v, want fs.ErrNotExist in the chain", err)
	}
}

func TestParseTarget(t *testing.T) {
	tests := []struct {
		raw, path, url, err string
	}{
		{raw: "https://example.test/feed", url: "https://example.test/feed"},
		{raw: "HTTP://example.test/feed", url: "http://example.test/feed"},
		{raw: "/srv/feeds/a.xml", path: "/srv/feeds/a.xml"},
		{raw: "feeds/a.xml", path: "feeds/a.xml"},
		{raw: "./a:b.xml", path: "./a:b.xml"},
		{raw: `C:\feeds\a.xml`, path: `C:\feeds\a.xml`},
		{raw: "file:///srv/my%20feed.xml", path: "/srv/my feed.xml"},
		{raw: "file:relative.xml", path: "relative.xml"},
		{raw: "file://host/x.xml", err: "remote host"},
		{raw: "file://", err: "no path"},
		{raw: "gopher://example.test/", err: `unsupported scheme "gopher"`},
		{raw: "https://", err: "no host"},
		{raw: "", err: "empty"},
	}
	for _, tc := range tests {
		got, err := parseTarget(tc.raw)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("parseTarget(%q) err = %v, want %q", tc.raw, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("parseTarget(%q): %v", tc.raw, err)
			continue
		}
		gotURL := ""
		if got.url != nil {
			gotURL = got.url.String()
		}
		if got.path != tc.path || gotURL != tc.url {
			t.Errorf("parseTarget(%q) = path %q, url %q; want %q, %q", tc.raw, got.path, gotURL, tc.path, tc.url)
		}
	}
}
