package server

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/render"
)

func TestSubFeeds(t *testing.T) {
	h := corpusServer(t, openCorpus(t), 50).Handler()
	tests := []struct {
		path      string
		title     string
		alternate string
		want      []string
	}{
		// An entry is in a source's feed when any copy came from it:
		// the floodwall article is Harbor Light's, cross-posted to the
		// Commonplace Collective.
		{"sources/harbor-light/", "Tributary — Harbor Light", "https://harborlight.example/",
			entryIDs("floodwall", "creme", "empty", "spaced")},
		{"sources/commonplace/", "Tributary — The Commonplace Collective", "https://commonplace.example/",
			entryIDs("floodwall", "control", "cdata")},
		// A tag's feed: the sources configured with it, and the entries
		// whose categories give it ("Lower Town" is lower-town).
		{"tags/news/", "Tributary — #news", base,
			entryIDs("floodwall", "creme", "control", "empty", "cdata", "spaced")},
		{"tags/lower-town/", "Tributary — #lower-town", base, entryIDs("eiders")},
		{"tags/birds/", "Tributary — #birds", base, entryIDs("eiders")},
		{"tags/nature/", "Tributary — #nature", base, entryIDs("eiders", "long", "rtl")},
		{"tags/%C3%BCn%C3%AFc%C3%B6d%C3%A9/", "Tributary — #ünïcödé", base, entryIDs("creme")},
	}
	for _, tt := range tests {
		for _, f := range formats {
			t.Run(tt.path+string(f), func(t *testing.T) {
				url := base + tt.path + "feed." + string(f)
				d := get(t, h, f, url)
				if !slices.Equal(d.entries, tt.want) {
					t.Errorf("entries %q, want %q", d.entries, tt.want)
				}
				if d.title != tt.title {
					t.Errorf("title %q, want %q", d.title, tt.title)
				}
				if f == render.Atom && d.id != base+tt.path+"feed.atom" {
					t.Errorf("feed id %q, want its Atom URL", d.id)
				}
				if f != render.RSS && d.links["alternate"] != tt.alternate {
					t.Errorf("alternate %q, want %q", d.links["alternate"], tt.alternate)
				}
			})
		}
	}
}

func TestSubFeedRequests(t *testing.T) {
	h := corpusServer(t, openCorpus(t), 50).Handler()
	tests := []struct {
		target   string
		status   int
		location string
	}{
		{"/sources/nobody/feed.atom", 404, ""},
		{"/sources/Harbor-Light/feed.atom", 404, ""},
		{"/sources/harbor-light/feed.xml", 404, ""},
		{"/sources/harbor-light/", 404, ""},
		{"/sources/harbor-light/feed.atom/x", 404, ""},
		{"/tags/nothing/feed.rss", 404, ""},
		{"/tags/Lower%20Town/feed.atom?page=2", 301, base + "tags/lower-town/feed.atom?page=2"},
		{"/tags/NEWS/feed.json", 301, base + "tags/news/feed.json"},
		{"/tags/news/feed.html", 404, ""},
		{"/tags/news/feed.json", 200, ""},
		{"/sources/field-notes/feed.rss", 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			w := do(h, "GET", tt.target)
			if w.Code != tt.status || w.Header().Get("Location") != tt.location {
				t.Errorf("answered %d (Location %q), want %d (%q)", w.Code, w.Header().Get("Location"), tt.status, tt.location)
			}
		})
	}
	for _, m := range []string{"POST", "PUT"} {
		if w := do(h, m, "/sources/harbor-light/feed.atom"); w.Code != 405 {
			t.Errorf("%s on a source feed: %d, want 405", m, w.Code)
		}
	}
	if w := do(h, "HEAD", "/tags/news/feed.atom"); w.Code != 200 || w.Body.Len() != 0 || w.Header().Get("ETag") == "" {
		t.Errorf("HEAD on a tag feed: %d, %d bytes, ETag %q", w.Code, w.Body.Len(), w.Header().Get("ETag"))
	}
}

// TestSubFeedETags: a feed's ETag changes only when its own content does.
func TestSubFeedETags(t *testing.T) {
	db := openCorpus(t)
	h := corpusServer(t, db, 50).Handler()
	paths := []string{"/feed.atom", "/sources/harbor-light/feed.atom", "/sources/field-notes/feed.rss", "/tags/birds/feed.json", "/tags/news/feed.atom"}
	etags := map[string]string{}
	for _, p := range paths {
		etags[p] = do(h, "GET", p).Header().Get("ETag")
	}
	// A new Field Notes entry about birds changes the unified feed, Field
	// Notes' and the birds tag's, and no other.
	e := corpusEntry("terns", "field-notes", 21, 9, "Terns are back", "<p>Terns.</p>")
	e.Categories = []string{"birds"}
	putEntries(t, db, e)
	changed := map[string]bool{"/feed.atom": true, "/sources/field-notes/feed.rss": true, "/tags/birds/feed.json": true}
	for _, p := range paths {
		w := do(h, "GET", p)
		if got := w.Header().Get("ETag") != etags[p]; got != changed[p] {
			t.Errorf("%s: ETag changed %v, want %v", p, got, changed[p])
		}
		if changed[p] && !strings.Contains(w.Body.String(), "Terns are back") {
			t.Errorf("%s does not show the new entry", p)
		}
	}
}

// Tags of languages are three feeds, not one, each served at the URL its
// feed gives as self (RFC 3986: "#" escaped, "+" as it is) and listed so
// in feeds.opml.
func TestSubFeedLanguageTags(t *testing.T) {
	db := openCorpus(t)
	var entries []*feed.Entry
	for i, cat := range []string{"C", "C++", "C#"} {
		e := corpusEntry(fmt.Sprintf("lang%d", i), "field-notes", 22, i, "Notes on "+cat, "<p>"+cat+"</p>")
		e.Categories = []string{cat}
		entries = append(entries, e)
	}
	putEntries(t, db, entries...)
	h := corpusServer(t, db, 50).Handler()
	for path, want := range map[string][]string{
		"tags/c/": entryIDs("lang0"), "tags/c++/": entryIDs("lang1"), "tags/c%23/": entryIDs("lang2"),
	} {
		for _, f := range formats {
			if d := get(t, h, f, base+path+"feed."+string(f)); !slices.Equal(d.entries, want) {
				t.Errorf("%s%s: entries %q, want %q", path, f, d.entries, want)
			}
		}
	}
	if w := do(h, "GET", "/tags/c%2B%2B/feed.atom"); w.Code != 200 || !strings.Contains(w.Body.String(), "Notes on C++") {
		t.Errorf("/tags/c%%2B%%2B/feed.atom: %d", w.Code)
	}
	if w := do(h, "GET", "/tags/C%23/feed.rss"); w.Code != 301 || w.Header().Get("Location") != base+"tags/c%23/feed.rss" {
		t.Errorf("/tags/C%%23/feed.rss: %d to %q, want 301 to the canonical tag", w.Code, w.Header().Get("Location"))
	}
	opml := do(h, "GET", "/feeds.opml").Body.String()
	for _, u := range []string{base + "tags/c/feed.atom", base + "tags/c++/feed.atom", base + "tags/c%23/feed.atom"} {
		if !strings.Contains(opml, `xmlUrl="`+u+`"`) {
			t.Errorf("feeds.opml does not list %s", u)
		}
	}
}

// A tag's feed is a subscription: once no entry has the tag (retention
// pruned them, or the upstream dropped the category), it is answered with
// no entries, not 404, and no longer listed; a tag never seen is 404.
func TestRetiredTagFeed(t *testing.T) {
	db := openCorpus(t)
	h := corpusServer(t, db, 50).Handler()
	if d := get(t, h, render.Atom, base+"tags/birds/feed.atom"); len(d.entries) != 1 {
		t.Fatalf("birds: %d entries, want 1", len(d.entries))
	}
	var eiders *feed.Entry
	for _, e := range corpus() {
		if e.ID == "eiders" {
			eiders = e
		}
	}
	eiders.Categories = []string{"lower-town"}
	putEntries(t, db, eiders)
	for _, f := range formats {
		if d := get(t, h, f, base+"tags/birds/feed."+string(f)); len(d.entries) != 0 || d.title != "Tributary — #birds" {
			t.Errorf("birds, retired, %s: %d entries, title %q; want none, the tag's title", f, len(d.entries), d.title)
		}
	}
	if w := do(h, "GET", "/tags/Birds/feed.atom"); w.Code != 301 {
		t.Errorf("/tags/Birds/feed.atom: %d, want 301 to the retired tag's feed", w.Code)
	}
	if w := do(h, "GET", "/tags/never-seen/feed.atom"); w.Code != 404 {
		t.Errorf("a tag never seen: %d, want 404", w.Code)
	}
	if opml := do(h, "GET", "/feeds.opml").Body.String(); strings.Contains(opml, "tags/birds/") {
		t.Errorf("feeds.opml still lists the retired tag")
	}
	var paths []string
	err := corpusServer(t, db, 50).Publish(context.Background(), func(p string, _ []byte) error { paths = append(paths, p); return nil })
	if err != nil || !slices.Contains(paths, "tags/birds/feed.atom") {
		t.Errorf("render -dir does not write the retired tag's feed (%v): %q", err, paths)
	}
}
