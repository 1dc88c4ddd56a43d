package ingest

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/mmcdole/gofeed"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/fetch"
	"github.com/tributary/tributary/feed/normalise"
	"github.com/tributary/tributary/feed/parse"
)

// maxAlternates bounds the feed links of one page that are tried.
const maxAlternates = 4

// followAlternates fetches the feeds an HTML page links to, in the page's
// order, and returns the first that parses, with the page's own error
// wrapped in one that says what each link gave when none does. The result
// stands for the page in the source's state, so it carries no validators:
// the page's would have it answered 304 while its feed gains posts, and
// the feed's sent to the page mean nothing. Nor does it carry the feed's
// redirect, which must not move the subscription.
func (in *Ingester) followAlternates(ctx context.Context, st feed.SourceState, resp *fetch.Response, page *parse.HTMLPageError, pageErr error) (*fetch.Response, *gofeed.Feed, error) {
	err := pageErr
	tried := 0
	for _, href := range page.Alternates {
		alt := normalise.Resolve(resp.URL, href)
		if alt == "" || tried == maxAlternates {
			continue
		}
		tried++
		// The page, not the operator, named this URL: fetch it untrusted so
		// that it cannot reach local files or private addresses, unless it
		// is on the host the page is on (a private server's page linking
		// to its own feed), which has the trust of the configured URL.
		req := fetch.Request{URL: alt, TrustAs: trustAs(st)}
		if !sameHost(alt, st.URL) {
			req = fetch.Request{URL: alt, Untrusted: true}
		}
		resp2, err2 := in.fetcher.Fetch(ctx, req)
		if err2 != nil {
			err = fmt.Errorf("%w; following its feed link %s: %w", err, alt, err2)
			continue
		}
		f, err2 := in.parser.Parse(resp2.Body, resp2.ContentType)
		if err2 != nil {
			err = fmt.Errorf("%w; its feed link %s: %w", err, alt, err2)
			continue
		}
		in.opts.Logger.Info("source serves an HTML page; followed its feed link",
			"url", feed.RedactedURL(st.URL), "feed", feed.RedactedURL(alt))
		resp2.Bytes += resp.Bytes
		resp2.ETag, resp2.LastModified = "", ""
		resp2.PermanentRedirect = resp.PermanentRedirect
		return resp2, f, nil
	}
	return resp, nil, err
}

// sameHost reports whether two http(s) URLs name one host, whatever their
// schemes and ports: the fetcher decides a host's trust by what it is
// (an address, localhost, what its name resolves to), the same for both.
// a must be http(s): file://localhost/… names no host to trust (review: a
// page on localhost linked to one and had a local file read).
func sameHost(a, b string) bool {
	ua, err := url.Parse(a)
	if err != nil || ua.Host == "" || !strings.EqualFold(ua.Scheme, "http") && !strings.EqualFold(ua.Scheme, "https") {
		return false
	}
	ub, err := url.Parse(b)
	if err != nil || ub.Host == "" {
		return false
	}
	return strings.EqualFold(strings.TrimSuffix(ua.Hostname(), "."), strings.TrimSuffix(ub.Hostname(), "."))
}
