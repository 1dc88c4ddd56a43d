package fetch

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// target is what a Request.URL names: a remote URL or a local path.
type target struct {
	url  *url.URL
	path string
}

// parseTarget tells http(s) URLs from file:// URLs and plain paths. A plain
// path is used as written: parsing it as a URL would take a '?' or '#' in a
// file name for a query or fragment.
func parseTarget(raw string) (target, error) {
	if raw == "" {
		return target{}, errors.New("empty URL")
	}
	scheme, ok := schemeOf(raw)
	if !ok || len(scheme) == 1 { // one letter is a Windows drive, not a scheme
		return target{path: raw}, nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return target{}, err
	}
	switch strings.ToLower(scheme) {
	case "http", "https":
		if u.Host == "" {
			return target{}, errors.New("URL has no host")
		}
		return target{url: u}, nil
	case "file":
		if u.Host != "" && !strings.EqualFold(u.Host, "localhost") {
			return target{}, fmt.Errorf("file URL names a remote host %q", u.Host)
		}
		p := u.Path
		if p == "" {
			p = u.Opaque // file:relative/path
		}
		if p == "" {
			return target{}, errors.New("file URL has no path")
		}
		return target{path: p}, nil
	}
	return target{}, fmt.Errorf("unsupported scheme %q", scheme)
}

// schemeOf returns the URL scheme raw starts with (RFC 3986: a letter, then
// letters, digits, '+', '-', '.', up to a colon), if it has one.
func schemeOf(raw string) (string, bool) {
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		case i > 0 && c == ':':
			return raw[:i], true
		default:
			return "", false
		}
	}
	return "", false
}

// fetchFile reads a local feed. Its modification time stands in for
// Last-Modified; the ETag adds the nanoseconds and the size, so that a file
// rewritten within the second it was last read is not taken as unchanged.
// When the request carries an ETag it decides, otherwise Last-Modified does.
func (f *Fetcher) fetchFile(ctx context.Context, req Request, path string) (*Response, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("fetch %s: %w", req.URL, err)
	}
	fh, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", req.URL, err)
	}
	defer fh.Close()
	fi, err := fh.Stat()
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", req.URL, err)
	}
	// A FIFO or device would block or never end; only plain files are feeds.
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("fetch %s: %s is not a regular file", req.URL, path)
	}
	mtime := fi.ModTime().UTC()
	resp := &Response{
		URL:          req.URL,
		ContentType:  typeByExtension(path),
		LastModified: mtime.Format(http.TimeFormat),
		ETag:         fmt.Sprintf(`"%x-%x"`, mtime.UnixNano(), fi.Size()),
	}
	unchanged := req.LastModified != "" && req.LastModified == resp.LastModified
	if req.ETag != "" {
		unchanged = req.ETag == resp.ETag
	}
	if unchanged {
		resp.NotModified = true
		return resp, nil
	}
	resp.Body, err = readCapped(fh, fi.Size(), f.opts.MaxBody)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", req.URL, err)
	}
	resp.Bytes = int64(len(resp.Body))
	return resp, nil
}

// typeByExtension guesses a feed's media type from its file name; an
// unknown extension gives "" and leaves the parser to sniff.
func typeByExtension(path string) string {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".xml":
		return "application/xml"
	case ".rss":
		return "application/rss+xml"
	case ".atom":
		return "application/atom+xml"
	case ".json":
		return "application/feed+json"
	}
	return ""
}
