package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/render"
	"github.com/tributary/tributary/storage"
	"golang.org/x/net/html"
)

// memStore is an in-memory Store: entries newest first, cursors are the
// index of the next entry as "c<n>".
type memStore struct {
	entries []*feed.Entry
	states  []feed.SourceState
	err     error
}

func (m *memStore) Newest(_ context.Context, limit int, before string) ([]*feed.Entry, string, error) {
	if m.err != nil {
		return nil, "", m.err
	}
	start := 0
	if before != "" {
		if _, err := fmt.Sscanf(before, "c%d", &start); err != nil || start < 0 || start > len(m.entries) {
			return nil, "", fmt.Errorf("newest before %q: %w", before, storage.ErrBadCursor)
		}
	}
	end := min(start+limit, len(m.entries))
	next := ""
	if end < len(m.entries) {
		next = fmt.Sprintf("c%d", end)
	}
	return m.entries[start:end], next, nil
}

func (m *memStore) Entry(_ context.Context, id string) (*feed.Entry, error) {
	if m.err != nil {
		return nil, m.err
	}
	for _, e := range m.entries {
		if e.ID == id {
			return e, nil
		}
	}
	return nil, fmt.Errorf("entry %q: %w", id, feed.ErrNotFound)
}

func (m *memStore) Sources(context.Context) ([]feed.SourceState, error) { return m.states, m.err }

var t0 = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)

// floodwall is an article published by Harbor Light and cross-posted by
// The Commonplace Collective.
func floodwall() *feed.Entry {
	return &feed.Entry{
		ID: "a1b2c3d4e5f60718", Title: "Council Approves Floodwall Plan",
		Link:      "https://harborlight.example/floodwall/",
		Author:    "Maren Holt",
		Content:   `<p>After twelve months of hearings, the council voted <em>six to three</em> to build a floodwall.</p><p>Opponents questioned the price.</p>`,
		Image:     "https://harborlight.example/floodwall.jpg",
		Published: t0.Add(-2 * time.Hour), Updated: t0.Add(-2 * time.Hour),
		Categories: []string{"news"},
		Copies: []feed.Copy{
			{SourceID: "harbor-light", SourceName: "Harbor Light", SiteURL: "https://harborlight.example/",
				Link: "https://harborlight.example/floodwall/", Title: "Council Approves Floodwall Plan",
				Published: t0.Add(-2 * time.Hour), Rule: "new"},
			{SourceID: "commonplace", SourceName: "The Commonplace Collective", SiteURL: "https://commonplace.example/",
				Link: "https://commonplace.example/posts/floodwall", Title: "Council Approves Floodwall Plan",
				Published: t0.Add(-1 * time.Hour), Rule: "text"},
		},
	}
}

func newTestSite(store Store, opts Options) *Site {
	if opts.BaseURL == "" {
		opts.BaseURL = "https://river.example/"
	}
	if opts.Sources == nil {
		opts.Sources = func() []feed.Source {
			return []feed.Source{
				{ID: "harbor-light", Name: "Harbor Light", URL: "https://harborlight.example/feed/"},
				{ID: "broken", Name: "Broken Blog", URL: "https://broken.example/rss"},
				{ID: "fresh", Name: "Fresh Start", URL: "https://fresh.example/atom"},
			}
		}
	}
	opts.Now = func() time.Time { return t0 }
	return New(store, opts)
}

// get serves one request and parses the page.
func get(t *testing.T, h http.Handler, path string, header ...string) (*httptest.ResponseRecorder, *html.Node) {
	t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	doc, err := html.Parse(strings.NewReader(rec.Body.String()))
	if err != nil {
		t.Fatalf("GET %s: page does not parse: %v", path, err)
	}
	return rec, doc
}

// find returns the elements matching a tiny selector: "tag", ".class",
// "tag.class" or "tag[attr=value]".
func find(n *html.Node, sel string) []*html.Node {
	tag, class, attr, val := sel, "", "", ""
	if i := strings.IndexByte(sel, '['); i >= 0 {
		tag = sel[:i]
		attr, val, _ = strings.Cut(strings.TrimSuffix(sel[i+1:], "]"), "=")
	}
	if i := strings.IndexByte(tag, '.'); i >= 0 {
		tag, class = tag[:i], tag[i+1:]
	}
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && (tag == "" || n.Data == tag) &&
			(class == "" || slices.Contains(strings.Fields(attrOf(n, "class")), class)) &&
			(attr == "" || attrOf(n, attr) == val) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

func attrOf(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

func meta(doc *html.Node, key string) string {
	for _, m := range find(doc, "meta") {
		if attrOf(m, "property") == key || attrOf(m, "name") == key {
			return attrOf(m, "content")
		}
	}
	return ""
}

func TestRiverPage(t *testing.T) {
	older := &feed.Entry{ID: "0000000000000002", Title: "Ferry timetable", Link: "https://harborlight.example/ferry/",
		Summary: "<p>The island ferry moves to its winter timetable.</p>", Published: t0.Add(-48 * time.Hour),
		Copies: []feed.Copy{{SourceID: "harbor-light", SourceName: "Harbor Light", Link: "https://harborlight.example/ferry/", Rule: "new"}}}
	site := newTestSite(&memStore{entries: []*feed.Entry{floodwall(), older}}, Options{
		Title: "Test river", Share: []render.ShareLink{{Name: "email"}, {Name: "mastodon"}},
	})
	rec, doc := get(t, site, "/")
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
		t.Fatalf("status %d, Content-Type %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	entries := find(doc, "article.entry")
	if len(entries) != 2 {
		t.Fatalf("%d entries on the river, want 2", len(entries))
	}
	first := entries[0]
	if got := textOf(find(first, "h2")[0]); got != "Council Approves Floodwall Plan" {
		t.Errorf("first title %q", got)
	}
	if href := attrOf(find(find(first, "h2")[0], "a")[0], "href"); href != "entries/a1b2c3d4e5f60718" {
		t.Errorf("title links to %q, want the entry page (relative)", href)
	}
	if got := textOf(find(first, "span.attribution")[0]); got != "Originally at Harbor Light, also at The Commonplace Collective" {
		t.Errorf("attribution %q", got)
	}
	times := find(first, "time")
	if len(times) == 0 || attrOf(times[0], "datetime") != "2026-11-20T07:00:00Z" || textOf(times[0]) != "20 November 2026" {
		t.Errorf("date not in a <time datetime>: %v", times)
	}
	if got := textOf(find(first, "p.excerpt")[0]); got != "After twelve months of hearings, the council voted six to three to build a floodwall. Opponents questioned the price." {
		t.Errorf("excerpt %q", got)
	}
	share := find(first, "ul.share")
	if len(share) != 1 {
		t.Fatalf("no share list")
	}
	links := find(share[0], "a")
	if len(links) != 2 || textOf(links[0]) != "Email" || textOf(links[1]) != "Mastodon" {
		t.Fatalf("share links %v", links)
	}
	if href := attrOf(links[0], "href"); href != "mailto:?subject=Council%20Approves%20Floodwall%20Plan&body=https%3A%2F%2Fharborlight.example%2Ffloodwall%2F" {
		t.Errorf("email share %q", href)
	}

	// Autodiscovery of the three formats and a visible Subscribe link.
	var alternates []string
	for _, l := range find(doc, "link[rel=alternate]") {
		alternates = append(alternates, attrOf(l, "type")+" "+attrOf(l, "href"))
	}
	want := []string{"application/atom+xml feed.atom", "application/rss+xml feed.rss", "application/feed+json feed.json"}
	if !slices.Equal(alternates, want) {
		t.Errorf("alternate links %q, want %q", alternates, want)
	}
	if sub := find(doc, "a.subscribe"); len(sub) != 1 || textOf(sub[0]) != "Subscribe" {
		t.Errorf("no visible Subscribe link")
	}
	for key, want := range map[string]string{
		"og:type": "website", "og:title": "Test river", "og:url": "https://river.example/",
		"twitter:card": "summary", "viewport": "width=device-width, initial-scale=1",
	} {
		if got := meta(doc, key); got != want {
			t.Errorf("meta %s = %q, want %q", key, got, want)
		}
	}
	if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "script-src") {
		t.Errorf("CSP %q should allow no script", csp)
	}
	if len(find(doc, "script")) != 0 {
		t.Errorf("the page has a script")
	}
}

func TestRiverPaging(t *testing.T) {
	var entries []*feed.Entry
	for i := range 5 {
		entries = append(entries, &feed.Entry{ID: fmt.Sprintf("e%d", i), Title: fmt.Sprintf("Entry %d", i), Published: t0.Add(-time.Duration(i) * time.Hour)})
	}
	site := newTestSite(&memStore{entries: entries}, Options{PageSize: 2})
	tests := []struct {
		path         string
		status       int
		titles       []string
		older, first bool
	}{
		{"/", 200, []string{"Entry 0", "Entry 1"}, true, false},
		{"/?before=c2", 200, []string{"Entry 2", "Entry 3"}, true, true},
		{"/?before=c4", 200, []string{"Entry 4"}, false, true},
		{"/?before=garbage", 400, nil, false, false},
		{"/?before=%ZZ", 400, nil, false, false},
		{"/?utm_source=a;b", 200, []string{"Entry 0", "Entry 1"}, true, false},
		{"/?before=c5", 404, nil, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			rec, doc := get(t, site, tt.path)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d", rec.Code, tt.status)
			}
			var titles []string
			for _, h := range find(doc, "h2") {
				titles = append(titles, textOf(h))
			}
			if tt.status == 200 && !slices.Equal(titles, tt.titles) {
				t.Errorf("titles %q, want %q", titles, tt.titles)
			}
			older := find(doc, "a[rel=next]")
			if (len(older) == 1) != tt.older {
				t.Errorf("older link present %v, want %v", len(older) == 1, tt.older)
			}
			if tt.older && attrOf(older[0], "href") != "./?before="+fmt.Sprintf("c%d", len(titles)+strings.Count(tt.path, "c")*0+indexAfter(tt.path)) {
				t.Errorf("older link %q", attrOf(older[0], "href"))
			}
			if first := find(doc, "a[rel=first]"); (len(first) == 1) != tt.first {
				t.Errorf("newest link present %v, want %v", len(first) == 1, tt.first)
			}
		})
	}
}

// indexAfter is the cursor index a test path starts at.
func indexAfter(path string) int {
	var n int
	if _, err := fmt.Sscanf(path, "/?before=c%d", &n); err != nil {
		return 0
	}
	return n
}

func TestEntryPage(t *testing.T) {
	site := newTestSite(&memStore{entries: []*feed.Entry{floodwall()}}, Options{
		Title: "Test river", Share: []render.ShareLink{{Name: "bluesky"}, {Name: "hackernews"}},
	})
	rec, doc := get(t, site, "/entries/a1b2c3d4e5f60718")
	if rec.Code != 200 {
		t.Fatalf("status %d", rec.Code)
	}
	if got := textOf(find(doc, "h1")[0]); got != "Council Approves Floodwall Plan" {
		t.Errorf("h1 %q", got)
	}
	content := find(doc, "div.content")
	if len(content) != 1 || len(find(content[0], "em")) != 1 || !strings.Contains(textOf(content[0]), "Opponents questioned the price.") {
		t.Errorf("full content not shown as HTML")
	}
	copies := find(find(doc, "section.copies")[0], "li")
	if len(copies) != 2 || !strings.Contains(textOf(copies[0]), "Harbor Light original") || !strings.Contains(textOf(copies[1]), "same text") {
		t.Errorf("copies: %q / %q", textOf(copies[0]), textOf(copies[1]))
	}
	links := find(find(doc, "ul.share")[0], "a")
	if len(links) != 2 || textOf(links[1]) != "Hacker News" ||
		attrOf(links[0], "href") != "https://bsky.app/intent/compose?text=Council%20Approves%20Floodwall%20Plan%20https%3A%2F%2Fharborlight.example%2Ffloodwall%2F" {
		t.Errorf("share links: %s %s", attrOf(links[0], "href"), textOf(links[1]))
	}
	for key, want := range map[string]string{
		"og:type": "article", "og:title": "Council Approves Floodwall Plan",
		"og:url":                 "https://river.example/entries/a1b2c3d4e5f60718",
		"og:image":               "https://harborlight.example/floodwall.jpg",
		"twitter:card":           "summary_large_image",
		"article:published_time": "2026-11-20T07:00:00Z",
		"og:description":         "After twelve months of hearings, the council voted six to three to build a floodwall. Opponents questioned the price.",
	} {
		if got := meta(doc, key); got != want {
			t.Errorf("meta %s = %q, want %q", key, got, want)
		}
	}
	// Pages below the root link back up relatively.
	if l := find(doc, "link[rel=alternate]"); len(l) == 0 || attrOf(l[0], "href") != "../feed.atom" {
		t.Errorf("alternate link from an entry page: %v", l)
	}
	if c := find(doc, "link[rel=canonical]"); len(c) != 1 || attrOf(c[0], "href") != "https://river.example/entries/a1b2c3d4e5f60718" {
		t.Errorf("canonical link missing")
	}
}

func TestEntryNotFoundAndStoreErrors(t *testing.T) {
	tests := []struct {
		name   string
		store  *memStore
		path   string
		status int
	}{
		{"unknown entry", &memStore{}, "/entries/nope", 404},
		{"store error on an entry", &memStore{err: fmt.Errorf("disk on fire")}, "/entries/x", 500},
		{"store error on the river", &memStore{err: fmt.Errorf("disk on fire")}, "/", 500},
		{"store error on sources", &memStore{err: fmt.Errorf("disk on fire")}, "/sources", 500},
		{"unknown asset", &memStore{}, "/assets/nope.css", 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, _ := get(t, newTestSite(tt.store, Options{}), tt.path)
			if rec.Code != tt.status {
				t.Errorf("status %d, want %d", rec.Code, tt.status)
			}
			if strings.Contains(rec.Body.String(), "disk on fire") {
				t.Errorf("the store's error text was shown to the reader")
			}
		})
	}
}

func TestHostileTextIsEscaped(t *testing.T) {
	e := floodwall()
	e.Title = `<script>alert("title")</script> & "quotes"`
	e.Author = `<img src=x onerror=alert(1)>`
	e.Content = `<p onclick="alert(1)">Hi<script>alert("content")</script><a href="javascript:alert(1)">link</a></p>`
	e.Copies[1].SourceName = `</span><script>alert("source")</script>`
	e.Categories = []string{`"><script>alert(1)</script>`}
	e.Image = `javascript:alert(1)`
	site := newTestSite(&memStore{entries: []*feed.Entry{e}}, Options{
		Title: `<b>Site</b>`, Description: `"><script>alert(1)</script>`,
		Share: []render.ShareLink{{Name: "email"}, {Name: "evil", Template: "javascript:alert('{title}')"}},
	})
	for _, path := range []string{"/", "/entries/a1b2c3d4e5f60718"} {
		rec, doc := get(t, site, path)
		if rec.Code != 200 {
			t.Fatalf("%s: status %d", path, rec.Code)
		}
		if n := len(find(doc, "script")); n != 0 {
			t.Errorf("%s: %d script elements made it into the page", path, n)
		}
		for _, n := range find(doc, "") {
			for _, a := range n.Attr {
				if strings.HasPrefix(a.Key, "on") || strings.HasPrefix(strings.TrimSpace(strings.ToLower(a.Val)), "javascript:") {
					t.Errorf("%s: <%s %s=%q>", path, n.Data, a.Key, a.Val)
				}
			}
			if n.Data == "b" {
				t.Errorf("%s: the site title's markup was not escaped", path)
			}
		}
		body := rec.Body.String()
		if !strings.Contains(body, "&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt;") {
			t.Errorf("%s: the hostile title is not shown escaped", path)
		}
	}
}

func TestSourcesPage(t *testing.T) {
	states := []feed.SourceState{
		{SourceID: "harbor-light", SiteURL: "https://harborlight.example/", LastAttempt: t0.Add(-5 * time.Minute),
			LastSuccess: t0.Add(-5 * time.Minute), NextFetch: t0.Add(10 * time.Minute), LastStatus: 304,
			Items: 12, New: 9, Merged: 3},
		{SourceID: "broken", LastAttempt: t0.Add(-2 * time.Hour), NextFetch: t0.Add(3 * time.Hour), LastStatus: 503,
			LastError: "GET https://broken.example/rss: 503 Service Unavailable <oops>", Failures: 4},
		{SourceID: "removed-from-config", LastAttempt: t0},
	}
	site := newTestSite(&memStore{states: states}, Options{})
	rec, doc := get(t, site, "/sources")
	if rec.Code != 200 {
		t.Fatalf("status %d", rec.Code)
	}
	rows := find(doc, "tr")[1:] // after the header row
	var order []string
	for _, r := range rows {
		order = append(order, attrOf(r, "id"))
	}
	if want := []string{"source-broken", "source-fresh", "source-harbor-light"}; !slices.Equal(order, want) {
		t.Fatalf("rows %q, want failing first, then never fetched, then the rest: %q", order, want)
	}
	cell := func(row *html.Node, label string) string {
		for _, c := range append(find(row, "td"), find(row, "th")...) {
			if attrOf(c, "data-label") == label {
				return textOf(c)
			}
		}
		return "(none)"
	}
	tests := []struct {
		row         int
		label, want string
	}{
		{0, "Status", "failed (4 in a row) GET https://broken.example/rss: 503 Service Unavailable <oops>"},
		{0, "HTTP", "503"},
		{0, "Last fetch", "2 h ago"},
		{0, "Next fetch", "in 3 h"},
		{0, "Duplicates", "–"},
		{1, "Status", "not fetched yet"},
		{1, "Last fetch", "never"},
		{2, "Source", "Harbor Light https://harborlight.example/feed/"},
		{2, "Status", "not modified"},
		{2, "HTTP", "304"},
		{2, "Last fetch", "5 min ago"},
		{2, "Next fetch", "in 10 min"},
		{2, "Items", "12"},
		{2, "Duplicates", "25%"},
	}
	for _, tt := range tests {
		if got := cell(rows[tt.row], tt.label); got != tt.want {
			t.Errorf("%s / %s = %q, want %q", order[tt.row], tt.label, got, tt.want)
		}
	}
	if strings.Contains(rec.Body.String(), "removed-from-config") {
		t.Errorf("a source no longer configured is listed")
	}
	if got := textOf(find(doc, "p.lede")[0]); !strings.Contains(got, "1 failing") {
		t.Errorf("summary %q does not count the failing source", got)
	}

	// After a reload that lowered an interval, the page shows when the
	// ingester in effect will fetch, not the time stored before.
	site = newTestSite(&memStore{states: states}, Options{Due: func(st feed.SourceState, _ feed.Source) time.Time {
		return st.LastAttempt.Add(time.Hour)
	}})
	_, doc = get(t, site, "/sources")
	if got := cell(find(doc, "tr")[3], "Next fetch"); got != "in 55 min" {
		t.Errorf("Harbor Light's next fetch with the config in effect: %q, want in 55 min", got)
	}
}

func TestConditionalGetAndHead(t *testing.T) {
	site := newTestSite(&memStore{entries: []*feed.Entry{floodwall()}}, Options{})
	rec, _ := get(t, site, "/")
	etag := rec.Header().Get("ETag")
	if etag == "" || rec.Header().Get("Cache-Control") != "no-cache" {
		t.Fatalf("ETag %q, Cache-Control %q", etag, rec.Header().Get("Cache-Control"))
	}
	rec2, _ := get(t, site, "/", "If-None-Match", etag)
	if rec2.Code != http.StatusNotModified || rec2.Body.Len() != 0 {
		t.Errorf("If-None-Match with the current ETag: %d, %d bytes", rec2.Code, rec2.Body.Len())
	}
	head := httptest.NewRecorder()
	site.ServeHTTP(head, httptest.NewRequest("HEAD", "/", nil))
	if head.Code != 200 || head.Body.Len() != 0 || head.Header().Get("ETag") != etag {
		t.Errorf("HEAD: %d, %d bytes, ETag %q", head.Code, head.Body.Len(), head.Header().Get("ETag"))
	}
}

func TestAssetsAreServedWithTheirHash(t *testing.T) {
	site := newTestSite(&memStore{}, Options{})
	_, doc := get(t, site, "/")
	var css string
	for _, l := range find(doc, "link[rel=stylesheet]") {
		css = attrOf(l, "href")
	}
	if !strings.HasPrefix(css, "assets/style.css?v=") {
		t.Fatalf("stylesheet href %q", css)
	}
	rec, _ := get(t, site, "/"+css)
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "text/css; charset=utf-8" ||
		!strings.Contains(rec.Header().Get("Cache-Control"), "immutable") || !strings.Contains(rec.Body.String(), "prefers-color-scheme: dark") {
		t.Errorf("stylesheet: %d %q %q", rec.Code, rec.Header().Get("Content-Type"), rec.Header().Get("Cache-Control"))
	}
}

func TestSetOptionsTakesEffect(t *testing.T) {
	site := newTestSite(&memStore{}, Options{Title: "Before"})
	site.SetOptions(Options{Title: "After", BaseURL: "https://river.example/"})
	_, doc := get(t, site, "/")
	if got := textOf(find(doc, "title")[0]); got != "After" {
		t.Errorf("title %q after SetOptions", got)
	}
}

// A source read from a local file has a path as its feed URL (and may have
// one as its site): the pages show neither, as the feeds publish neither,
// while web URLs still show.
func TestLocalPathsAreNotShown(t *testing.T) {
	sources := func() []feed.Source {
		return []feed.Source{
			{ID: "harbor-light", Name: "Harbor Light", URL: "/srv/feeds/harbor-light.xml"},
			{ID: "notes", Name: "Field Notes", URL: "file:///srv/feeds/field-notes.json"},
			{ID: "commonplace", Name: "Commonplace", URL: "https://commonplace.example/feed"},
		}
	}
	states := []feed.SourceState{
		{SourceID: "harbor-light", SiteURL: "/srv/feeds/", LastAttempt: t0.Add(-time.Minute)},
		{SourceID: "notes", SiteURL: "https://notes.example/", LastAttempt: t0.Add(-time.Minute), Failures: 1,
			LastError: "fetch file:///srv/feeds/field-notes.json: open /srv/feeds/field-notes.json: no such file or directory"},
		{SourceID: "commonplace", SiteURL: "https://commonplace.example/", LastAttempt: t0.Add(-time.Minute)},
	}
	e := floodwall()
	e.Copies[0].FeedURL, e.Copies[0].SiteURL = "/srv/feeds/harbor-light.xml", "/srv/feeds/"
	e.Copies[1].FeedURL = "https://commonplace.example/feed"
	site := newTestSite(&memStore{entries: []*feed.Entry{e}, states: states}, Options{Sources: sources})

	rec, doc := get(t, site, "/sources")
	if rec.Code != 200 {
		t.Fatalf("status %d", rec.Code)
	}
	if strings.Contains(rec.Body.String(), "/srv/feeds") {
		t.Errorf("/sources shows a server path:\n%s", rec.Body.String())
	}
	urls := map[string]string{}
	sites := map[string]string{}
	for _, row := range find(doc, "tr")[1:] {
		id := attrOf(row, "id")
		if u := find(row, "span.source-url"); len(u) == 1 {
			urls[id] = textOf(u[0])
		}
		if a := find(row, "a"); len(a) == 1 {
			sites[id] = attrOf(a[0], "href")
		}
	}
	for id, want := range map[string]string{
		"source-harbor-light": "local file",
		"source-notes":        "local file",
		"source-commonplace":  "https://commonplace.example/feed",
	} {
		if urls[id] != want {
			t.Errorf("%s: feed shown as %q, want %q", id, urls[id], want)
		}
	}
	for id, want := range map[string]string{
		"source-harbor-light": "",
		"source-notes":        "https://notes.example/",
		"source-commonplace":  "https://commonplace.example/",
	} {
		if sites[id] != want {
			t.Errorf("%s: site linked as %q, want %q", id, sites[id], want)
		}
	}

	for _, path := range []string{"/", "/entries/a1b2c3d4e5f60718"} {
		rec, doc := get(t, site, path)
		if rec.Code != 200 {
			t.Fatalf("%s: status %d", path, rec.Code)
		}
		if strings.Contains(rec.Body.String(), "/srv/feeds") {
			t.Errorf("%s shows a server path", path)
		}
		if path == "/" {
			continue
		}
		var hrefs []string
		for _, a := range find(find(doc, "section.copies")[0], "a") {
			hrefs = append(hrefs, attrOf(a, "href"))
		}
		if !slices.Contains(hrefs, "https://commonplace.example/") || !slices.Contains(hrefs, "https://harborlight.example/floodwall/") {
			t.Errorf("%s: copies link %q, want the web site and the original's link", path, hrefs)
		}
	}
}

// An entry stored from a source fetched with credentials, before links
// were resolved without them, shows none on the pages.
func TestStoredCredentialsAreNotShown(t *testing.T) {
	e := floodwall()
	e.Link = "https://reader:s3cret@harborlight.example/floodwall/"
	e.Image = "https://reader:s3cret@harborlight.example/wall.jpg"
	e.Content = `<p>See <a href="https://reader:s3cret@harborlight.example/minutes/">the minutes</a>.</p>` + e.Content
	e.Summary = `<p>See <a href="https://reader:s3cret@harborlight.example/minutes/">the minutes</a>.</p>`
	e.Enclosures = []feed.Enclosure{{URL: "https://reader:s3cret@harborlight.example/minutes.pdf", Type: "application/pdf"}}
	for i := range e.Copies {
		e.Copies[i].Link = "https://reader:s3cret@copy.example/" + e.Copies[i].SourceID
	}
	sources := func() []feed.Source {
		return []feed.Source{{ID: "harbor-light", Name: "Harbor Light", URL: "https://tok3nSECRET@harborlight.example/feed"}}
	}
	// The stored error masks a password but not a token user name, and
	// the page is public: it shows neither.
	states := []feed.SourceState{{SourceID: "harbor-light", LastAttempt: t0.Add(-time.Minute), Failures: 1,
		LastError: `fetch https://xxxxx@harborlight.example/feed: Get "https://reader:***@harborlight.example/feed": EOF`}}
	site := newTestSite(&memStore{entries: []*feed.Entry{e}, states: states}, Options{Sources: sources})
	if rec, _ := get(t, site, "/sources"); strings.Contains(rec.Body.String(), "xxxxx") || strings.Contains(rec.Body.String(), "reader:") ||
		strings.Contains(rec.Body.String(), "tok3nSECRET") || !strings.Contains(rec.Body.String(), "https://harborlight.example/feed") {
		t.Errorf("/sources shows credentials, masked or not:\n%s", rec.Body.String())
	}
	for _, path := range []string{"/", "/entries/a1b2c3d4e5f60718"} {
		rec, _ := get(t, site, path)
		if rec.Code != 200 {
			t.Fatalf("%s: status %d", path, rec.Code)
		}
		if body := rec.Body.String(); strings.Contains(body, "s3cret") || strings.Contains(body, "tok3nSECRET") {
			t.Errorf("%s shows stored credentials:\n%s", path, body)
		}
	}
}
