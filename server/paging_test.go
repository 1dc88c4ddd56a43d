package server

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/tributary/tributary/feed/render"
)

// parsedDoc is what the paging and sub-feed tests read back from a served
// document, whatever its format.
type parsedDoc struct {
	title, id string
	links     map[string]string // rel → href (self, alternate, first, prev, next, last, hub)
	entries   []string          // entry ids, in document order
}

type xmlLink struct {
	Rel  string `xml:"rel,attr"`
	Href string `xml:"href,attr"`
}

func parseDoc(t *testing.T, f render.Format, body []byte) parsedDoc {
	t.Helper()
	d := parsedDoc{links: map[string]string{}}
	switch f {
	case render.Atom:
		var doc struct {
			Title   string    `xml:"http://www.w3.org/2005/Atom title"`
			ID      string    `xml:"http://www.w3.org/2005/Atom id"`
			Links   []xmlLink `xml:"http://www.w3.org/2005/Atom link"`
			Entries []string  `xml:"http://www.w3.org/2005/Atom entry>id"`
		}
		if err := xml.Unmarshal(body, &doc); err != nil {
			t.Fatalf("atom: %v", err)
		}
		d.title, d.id, d.entries = doc.Title, doc.ID, doc.Entries
		for _, l := range doc.Links {
			d.links[l.Rel] = l.Href
		}
	case render.RSS:
		var doc struct {
			Title string    `xml:"channel>title"`
			Links []xmlLink `xml:"http://www.w3.org/2005/Atom channel>link"`
			Items []string  `xml:"channel>item>guid"`
		}
		if err := xml.Unmarshal(body, &doc); err != nil {
			t.Fatalf("rss: %v", err)
		}
		d.title, d.entries = doc.Title, doc.Items
		for _, l := range doc.Links {
			d.links[l.Rel] = l.Href
		}
	case render.JSON:
		var doc struct {
			Title   string                `json:"title"`
			Home    string                `json:"home_page_url"`
			FeedURL string                `json:"feed_url"`
			NextURL string                `json:"next_url"`
			Items   []struct{ ID string } `json:"items"`
		}
		if err := json.Unmarshal(body, &doc); err != nil {
			t.Fatalf("json: %v", err)
		}
		d.title = doc.Title
		d.links["self"], d.links["alternate"] = doc.FeedURL, doc.Home
		if doc.NextURL != "" {
			d.links["next"] = doc.NextURL
		}
		for _, it := range doc.Items {
			d.entries = append(d.entries, it.ID)
		}
	}
	return d
}

// get fetches an absolute URL of the test base from h and parses it.
func get(t *testing.T, h http.Handler, f render.Format, url string) parsedDoc {
	t.Helper()
	path, ok := strings.CutPrefix(url, base)
	if !ok {
		t.Fatalf("link %q is not below %s", url, base)
	}
	w := do(h, "GET", "/"+path)
	if w.Code != 200 {
		t.Fatalf("GET %s: %d %s", url, w.Code, w.Body)
	}
	d := parseDoc(t, f, w.Body.Bytes())
	self := url
	if f == render.JSON {
		// JSON Feed's feed_url names the feed: its subscription document.
		self, _, _ = strings.Cut(url, "?")
	}
	if d.links["self"] != self {
		t.Errorf("GET %s: self link %q, want %q", url, d.links["self"], self)
	}
	return d
}

func entryIDs(ids ...string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = base + "entries/" + id
	}
	return out
}

// TestPagingWalk follows next links from each feed's subscription document
// in every format: every entry of the feed once, in order; prev leads back;
// first and last are where they say.
func TestPagingWalk(t *testing.T) {
	h := corpusServer(t, openCorpus(t), 2).Handler()
	feeds := []struct {
		dir  string
		want []string
	}{
		{"", entryIDs("floodwall", "eiders", "creme", "control", "long", "empty", "cdata", "rtl", "spaced")},
		{"sources/harbor-light/", entryIDs("floodwall", "creme", "empty", "spaced")},
		{"tags/essays/", entryIDs("floodwall", "control", "cdata")},
	}
	for _, fd := range feeds {
		for _, f := range formats {
			t.Run(fd.dir+string(f), func(t *testing.T) {
				sub := base + fd.dir + "feed." + string(f)
				var pages []parsedDoc
				var all []string
				for url := sub; url != ""; {
					d := get(t, h, f, url)
					if len(pages) > 10 {
						t.Fatal("next links do not end")
					}
					pages = append(pages, d)
					all = append(all, d.entries...)
					url = d.links["next"]
				}
				if !slices.Equal(all, fd.want) {
					t.Fatalf("pages hold %q, want %q", all, fd.want)
				}
				if f == render.JSON {
					return // JSON Feed has next_url only
				}
				last := base + fd.dir + "feed." + string(f) + fmt.Sprintf("?page=%d", len(pages))
				for i, d := range pages {
					if d.links["first"] != sub || d.links["last"] != last {
						t.Errorf("page %d: first %q last %q, want %q and %q", i+1, d.links["first"], d.links["last"], sub, last)
					}
					if i == 0 {
						if d.links["prev"] != "" {
							t.Errorf("first page has prev %q", d.links["prev"])
						}
						continue
					}
					if back := get(t, h, f, d.links["prev"]); !slices.Equal(back.entries, pages[i-1].entries) {
						t.Errorf("page %d: prev holds %q, want %q", i+1, back.entries, pages[i-1].entries)
					}
				}
				if end := get(t, h, f, last); !slices.Equal(end.entries, pages[len(pages)-1].entries) || end.links["next"] != "" {
					t.Errorf("last page holds %q (next %q), want %q", end.entries, end.links["next"], pages[len(pages)-1].entries)
				}
			})
		}
	}
}

// TestPagingNoLinksOnOnePage: a feed that fits one document is not paged.
func TestPagingNoLinksOnOnePage(t *testing.T) {
	h := corpusServer(t, openCorpus(t), 50).Handler()
	for _, f := range formats {
		d := get(t, h, f, base+"feed."+string(f))
		for _, rel := range []string{"first", "prev", "next", "last"} {
			if d.links[rel] != "" {
				t.Errorf("%s: %s link %q on a one-page feed", f, rel, d.links[rel])
			}
		}
	}
}

func TestPagingRequests(t *testing.T) {
	h := corpusServer(t, openCorpus(t), 4).Handler()
	first := do(h, "GET", "/feed.atom")
	cursor := strings.TrimPrefix(parseDoc(t, render.Atom, first.Body.Bytes()).links["next"], base+"feed.atom?before=")
	tests := []struct {
		target string
		status int
		body   string // a substring of the answer
	}{
		{"/feed.atom?page=1", 200, ""},
		{"/feed.atom?utm_source=x", 200, ""},
		{"/feed.atom?page=3", 200, ""},
		{"/feed.atom?page=4", 404, "past its end"},
		{"/feed.atom?page=99999999999999999999", 404, "past its end"},
		{"/feed.atom?page=-99999999999999999999", 400, "not a page number"},
		{"/feed.atom?page=%ZZ", 400, "cannot be read"},
		{"/feed.atom?before=%ZZ", 400, "cannot be read"},
		{"/feed.atom?page=2;x=1", 400, "cannot be read"},
		{"/feed.atom?page=3&page=%ZZ", 400, "cannot be read"},
		{"/feed.atom?utm_source=a;b", 200, ""},
		{"/feed.atom?utm_source=%ZZ", 200, ""},
		// An unreadable parameter beside the page is not the page's (QA:
		// a shortener's parameter broke paging).
		{"/feed.atom?x=%ZZ&page=2", 200, ""},
		{"/feed.atom?utm=a;b&page=2", 200, ""},
		{"/feed.atom?utm=a;page=3", 400, "cannot be read"},
		{"/feed.atom?page%ZZ=2", 400, "cannot be read"},
		{"/feed.rss?page=0", 400, "not a page number"},
		{"/feed.rss?page=-1", 400, "not a page number"},
		{"/feed.json?page=two", 400, "not a page number"},
		{"/feed.json?page=02", 400, "not a page number"},
		{"/feed.json?page=1.5", 400, "not a page number"},
		{"/feed.atom?page=2&page=3", 400, "once"},
		{"/feed.atom?before=" + cursor, 200, ""},
		// A cursor older than every entry: the storage's cursor of a
		// position at the Unix epoch.
		{"/feed.atom?before=" + fakeCursor("x"), 404, "past its end"},
		{"/feed.atom?page=2&before=" + cursor, 400, "not both"},
		{"/feed.atom?before=", 400, "not a cursor"},
		{"/feed.atom?before=AAAA", 400, "not a cursor"},
		{"/feed.atom?before=%21%21", 400, "not a cursor"},
		{"/sources/harbor-light/feed.rss?page=x", 400, "not a page number"},
		{"/tags/news/feed.json?page=9", 404, "past its end"},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			w := do(h, "GET", tt.target)
			if w.Code != tt.status || !strings.Contains(w.Body.String(), tt.body) {
				t.Errorf("answered %d %q, want %d with %q", w.Code, w.Body, tt.status, tt.body)
			}
			if tt.status != 200 && w.Header().Get("ETag") != "" {
				t.Errorf("error answer carries an ETag")
			}
		})
	}
	// Page 1 and other parameters are the subscription document itself.
	for _, target := range []string{"/feed.atom?page=1", "/feed.atom?utm_source=x"} {
		if w := do(h, "GET", target); w.Body.String() != first.Body.String() || w.Header().Get("ETag") != first.Header().Get("ETag") {
			t.Errorf("%s differs from /feed.atom", target)
		}
	}
}

// TestPageCacheIsBounded walks more pages than the cache holds.
func TestPageCacheIsBounded(t *testing.T) {
	s := corpusServer(t, openCorpus(t), 1)
	h := s.Handler()
	for _, f := range formats {
		for _, dir := range []string{"", "sources/harbor-light/", "tags/news/", "tags/essays/"} {
			for p := 1; p <= 9; p++ {
				do(h, "GET", fmt.Sprintf("/%sfeed.%s?page=%d", dir, f, p))
			}
		}
	}
	s.docs.mu.Lock()
	n, m := s.docs.order.Len(), len(s.docs.byKey)
	s.docs.mu.Unlock()
	if n != maxCachedDocs || m != maxCachedDocs {
		t.Errorf("cache holds %d documents (%d keys), want %d", n, m, maxCachedDocs)
	}
	// The most recent is still served from the cache, the evicted ones
	// are rendered again: both answer.
	for _, target := range []string{"/tags/essays/feed.json?page=3", "/feed.atom?page=2"} {
		if w := do(h, "GET", target); w.Code != 200 {
			t.Errorf("GET %s after eviction: %d", target, w.Code)
		}
	}
}

// FuzzParsePosition: any query either fails as a bad request or gives a
// position whose canonical query reads back to the same position.
func FuzzParsePosition(f *testing.F) {
	for _, q := range []string{"", "page=1", "page=2", "page=02", "page=-1", "before=GJ3aEjXBwABjcmVtZQ",
		"before=AAAA", "page=2&before=x", "page=1&page=2", "page=99999999999999999999", "before=%00"} {
		f.Add(q)
	}
	f.Add("x=%zz&page=2")
	f.Add("utm=a;b&before=AAAA")
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := positionQuery(raw)
		if err != nil {
			if !errors.Is(err, errBadPosition) {
				t.Fatalf("%q: error %v is not a bad request", raw, err)
			}
			return
		}
		pos, err := parsePosition(q)
		if err != nil {
			if !errors.Is(err, errBadPosition) {
				t.Fatalf("%q: error %v is not a bad request", raw, err)
			}
			return
		}
		again, err := url.ParseQuery(strings.TrimPrefix(pos.query(), "?"))
		if err != nil {
			t.Fatalf("%q: canonical query %q: %v", raw, pos.query(), err)
		}
		back, err := parsePosition(again)
		if err != nil || back.before != pos.before || back.first() != pos.first() || (!pos.first() && back.page != pos.page) {
			t.Fatalf("%q: %+v reads back as %+v (%v)", raw, pos, back, err)
		}
	})
}
