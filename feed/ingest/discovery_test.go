package ingest_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/fetch"
	"github.com/tributary/tributary/feed/ingest"
)

// blogSite is a site subscribed to by its home page: a page that answers
// 304 to its own ETag, and links first to a feed that is gone, then to the
// feed that has the posts.
type blogSite struct{ feed liveFeed }

func (s *blogSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/":
		const tag = `"page-v1"`
		if r.Header.Get("If-None-Match") == tag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", tag)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!DOCTYPE html><html><head><title>A blog</title>`+
			`<link rel="alternate" type="application/atom+xml" href="/old.atom">`+
			`<link rel="alternate" type="application/rss+xml" href="/feed.xml">`+
			`</head><body><p>Welcome.</p></body></html>`)
	case "/feed.xml":
		w.Header().Set("ETag", `"feed-v1"`)
		s.feed.ServeHTTP(w, r)
	default:
		http.NotFound(w, r)
	}
}

// TestSubscribedByItsPage: a source whose URL is a site's page is read
// through the feed the page links to (the first that works), and keeps
// bringing new posts while the page itself stays unchanged.
func TestSubscribedByItsPage(t *testing.T) {
	site := &blogSite{}
	post := func(n int) rssItem {
		return rssItem{GUID: fmt.Sprintf("p%d", n), Link: fmt.Sprintf("https://blog.test/%d", n),
			Title: fmt.Sprintf("Post %d", n), PubDate: fmt.Sprintf("Mon, %02d Feb 2026 10:00:00 GMT", n)}
	}
	site.feed.set(rssFeed("Blog", post(1)))
	env := newRoundEnv(t, site, fetch.Options{}, ingest.Options{})
	src := env.source("blog", "/")
	for n := 1; n <= 3; n++ {
		items := []rssItem{}
		for i := n; i >= 1; i-- {
			items = append(items, post(i))
		}
		site.feed.set(rssFeed("Blog", items...))
		r := env.round(ingest.Force, src).Sources[0]
		if r.Outcome != feed.Fetched || r.New != 1 {
			t.Fatalf("round %d: %s %q, %d new; want the new post", n, r.Outcome, r.Error, r.New)
		}
	}
	st := env.state("blog")
	if st.ETag != "" || st.URL != src.URL {
		t.Errorf("source state keeps ETag %q, URL %s: want none, and the page's URL %s", st.ETag, st.URL, src.URL)
	}
	if got := len(env.entries("blog")); got != 3 {
		t.Errorf("%d entries, want 3", got)
	}
	if e := env.entries("blog"); len(e) > 0 && !strings.HasPrefix(e[0].Title, "Post 3") {
		t.Errorf("newest entry %q, want Post 3", e[0].Title)
	}
}

// TestPageOnAPrivateServerLinksItsOwnFeed: a source on a private address
// (here loopback) that serves a page is read through the feed the page
// links to on the same origin, which the operator trusted by configuring
// it; a link to another origin is still held to the address policy
// (TestHostileUpstreams' html-page-to-loopback).
func TestPageOnAPrivateServerLinksItsOwnFeed(t *testing.T) {
	site := &blogSite{}
	site.feed.set(rssFeed("Blog", rssItem{GUID: "p1", Link: "https://blog.test/1", Title: "Post 1",
		PubDate: "Mon, 02 Feb 2026 10:00:00 GMT"}))
	env := newRoundEnv(t, site, fetch.Options{}, ingest.Options{})
	src := feed.Source{ID: "private", Name: "Private", URL: "http://127.0.0.1:" + env.port + "/"}
	if r := env.round(ingest.Force, src).Sources[0]; r.Outcome != feed.Fetched || r.New != 1 {
		t.Fatalf("%s %q, %d new; want the page's own feed read", r.Outcome, r.Error, r.New)
	}
}
