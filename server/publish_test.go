package server

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/tributary/tributary/feed/render"
)

// Publish writes every feed and both OPML lists at the paths the server
// answers them on, with the served first page's entries and without the
// paging links a static host could not follow.
func TestPublish(t *testing.T) {
	s := corpusServer(t, openCorpus(t), 2)
	h := s.Handler()
	files := map[string][]byte{}
	var order []string
	err := s.Publish(context.Background(), func(p string, body []byte) error {
		if _, dup := files[p]; dup {
			t.Errorf("%s written twice", p)
		}
		files[p] = body
		order = append(order, p)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"feed.atom", "feed.rss", "feed.json", "sources.opml", "feeds.opml",
		"sources/harbor-light/feed.atom", "sources/commonplace/feed.json",
		"tags/news/feed.rss", "tags/ünïcödé/feed.atom", // unescaped, as a static host looks files up
	} {
		if files[want] == nil {
			t.Errorf("%s not published; published %q", want, order)
		}
	}
	for p, body := range files {
		if strings.HasSuffix(p, ".opml") {
			if served := do(h, "GET", "/"+p).Body.Bytes(); string(served) != string(body) {
				t.Errorf("%s differs from the served document", p)
			}
			continue
		}
		f := render.Format(p[strings.LastIndexByte(p, '.')+1:])
		dir := strings.TrimSuffix(p, "feed."+string(f))
		target := "/" + (&url.URL{Path: dir}).EscapedPath() + "feed." + string(f)
		served := parseDoc(t, f, do(h, "GET", target).Body.Bytes())
		got := parseDoc(t, f, body)
		if !slices.Equal(got.entries, served.entries) {
			t.Errorf("%s: entries %q, served %q", p, got.entries, served.entries)
		}
		if got.title != served.title || got.links["self"] != served.links["self"] {
			t.Errorf("%s: title %q self %q; served %q %q", p, got.title, got.links["self"], served.title, served.links["self"])
		}
		for _, rel := range []string{"first", "next", "prev", "last"} {
			if got.links[rel] != "" {
				t.Errorf("%s: %s link %q in a static file", p, rel, got.links[rel])
			}
		}
		if p == "feed.atom" && served.links["next"] == "" {
			t.Errorf("served feed.atom has no next link: the test no longer shows it is left out")
		}
	}
}

func TestPublishStopsAtAWriteError(t *testing.T) {
	s := corpusServer(t, openCorpus(t), 50)
	full := errors.New("disk full")
	n := 0
	err := s.Publish(context.Background(), func(string, []byte) error { n++; return full })
	if !errors.Is(err, full) || n != 1 {
		t.Errorf("Publish = %v after %d writes; want the write's error after the first", err, n)
	}
}

func TestPublishedPath(t *testing.T) {
	for p, want := range map[string]bool{
		"feed.atom": true, "tags/ünïcödé/feed.atom": true, "sources/a_b-c/feed.json": true,
		"": false, "/etc/passwd": false, "../x": false, "tags/../../x": false, "tags//x": false,
		"tags/.hidden/feed.atom": false, "tags/x/": false,
	} {
		if got := PublishedPath(p); got != want {
			t.Errorf("PublishedPath(%q) = %v, want %v", p, got, want)
		}
	}
}
