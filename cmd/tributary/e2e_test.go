package main

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
)

// upstream is an httptest server playing several blogs. Each feed's body can
// be replaced between rounds; ETags follow the body, so unchanged feeds are
// answered 304.
type upstream struct {
	*httptest.Server
	mu       sync.Mutex
	feeds    map[string]string // path → body
	status   map[string]int    // path → forced status
	requests map[string]int    // path → requests seen
	got304   map[string]int
}

func newUpstream(t *testing.T) *upstream {
	u := &upstream{feeds: map[string]string{}, status: map[string]int{},
		requests: map[string]int{}, got304: map[string]int{}}
	u.Server = httptest.NewServer(http.HandlerFunc(u.serve))
	t.Cleanup(u.Close)
	return u
}

func (u *upstream) set(path, body string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.feeds[path] = body
}

func (u *upstream) fail(path string, status int) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.status[path] = status
}

func (u *upstream) serve(w http.ResponseWriter, r *http.Request) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.requests[r.URL.Path]++
	if s := u.status[r.URL.Path]; s != 0 {
		http.Error(w, "upstream is down", s)
		return
	}
	body, ok := u.feeds[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	etag := fmt.Sprintf(`"%x"`, len(body)*31+strings.Count(body, "e"))
	if r.Header.Get("If-None-Match") == etag {
		u.got304[r.URL.Path]++
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("ETag", etag)
	w.Header().Set("Content-Type", "application/xml")
	fmt.Fprint(w, body)
}

// Feeds of the end-to-end test: an original blog and a group blog that
// cross-posts one of its articles with another GUID, a tracking link, other
// markup and a footer.
const articleText = `After twelve months of hearings, postponed votes and two engineering reviews, the town
council voted six to three on Tuesday night to build a floodwall along the eastern waterfront. Supporters said
the plan was overdue, while opponents questioned the price and the loss of the harbor view from Front Street.`

func originalFeed(title string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Harbor Light</title><link>https://harborlight.example/</link>
<description>Local news</description>
<item><title>` + title + `</title><link>https://harborlight.example/floodwall/</link>
<guid isPermaLink="false">hl-1042</guid><pubDate>Thu, 19 Nov 2026 08:15:00 +0000</pubDate>
<description><![CDATA[<p>` + articleText + `</p>]]></description></item>
<item><title>Ferry timetable</title><link>https://harborlight.example/ferry/</link>
<guid isPermaLink="false">hl-1037</guid><pubDate>Mon, 16 Nov 2026 07:30:00 +0000</pubDate>
<description>The island ferry moves to its winter timetable on the first of December.</description></item>
</channel></rss>`
}

const crossPostFeed = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Commonplace</title><id>tag:commonplace.example,2020:feed</id>
<link href="https://commonplace.example/"/><updated>2026-11-20T18:00:00Z</updated>
<entry><title>Council Approves Floodwall Plan</title><id>tag:commonplace.example,2026:5521</id>
<link href="https://commonplace.example/posts/floodwall?utm_source=rss&amp;utm_medium=feed"/>
<updated>2026-11-20T17:45:00Z</updated><author><name>Maren Holt</name></author>
<content type="html">&lt;div&gt;` + articleText + `&lt;/div&gt;
&lt;p&gt;Cross-posted from &lt;a href="https://harborlight.example/"&gt;Harbor Light&lt;/a&gt;.&lt;/p&gt;
&lt;p&gt;Share this!&lt;/p&gt;&lt;p&gt;Enjoy reading? Share it with your friends!&lt;/p&gt;</content></entry>
</feed>`

// project is a config file and store in a temporary directory.
type project struct {
	dir, config string
}

func newProject(t *testing.T, listen string, sources map[string]string) project {
	t.Helper()
	dir := t.TempDir()
	var b strings.Builder
	fmt.Fprintf(&b, "storage:\n  path: data/tributary.db\n  timeout: 200ms\n")
	fmt.Fprintf(&b, "server:\n  listen: %s\n  base_url: http://feeds.example/\n", listen)
	fmt.Fprintf(&b, "output:\n  title: Test river\n  share: [email, mastodon]\nfetch:\n  timeout: 5s\n  host_delay: 0s\nsources:\n")
	for _, name := range slices.Sorted(maps.Keys(sources)) {
		fmt.Fprintf(&b, "  - name: %s\n    url: %s\n", name, sources[name])
	}
	p := project{dir: dir, config: filepath.Join(dir, "config.yaml")}
	if err := os.WriteFile(p.config, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// tributary runs the command line in-process and returns its exit code and
// output.
func tributary(t *testing.T, ctx context.Context, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	e := &env{stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }}
	code := run(ctx, e, args)
	return code, stdout.String(), stderr.String()
}

func renderAtom(t *testing.T, p project) *gofeed.Feed {
	t.Helper()
	code, out, errOut := tributary(t, context.Background(), "render", "-config", p.config, "-format", "atom")
	if code != 0 {
		t.Fatalf("render exited %d: %s", code, errOut)
	}
	f, err := gofeed.NewParser().ParseString(out)
	if err != nil {
		t.Fatalf("rendered Atom does not parse: %v\n%s", err, out)
	}
	return f
}

func TestEndToEndCrossPostUpdateNotModifiedAndFailure(t *testing.T) {
	up := newUpstream(t)
	up.set("/harbor.xml", originalFeed("Council Approves Floodwall Plan"))
	up.set("/commonplace.atom", crossPostFeed)
	p := newProject(t, "127.0.0.1:1", map[string]string{
		"Harbor Light": up.URL + "/harbor.xml",
		"Commonplace":  up.URL + "/commonplace.atom",
		"Broken Blog":  up.URL + "/broken.xml",
	})
	up.fail("/broken.xml", http.StatusInternalServerError)
	ctx := context.Background()

	// Round 1: one source fails, the others are ingested; exit 1 with the
	// failure on its own line.
	code, out, _ := tributary(t, ctx, "fetch", "-config", p.config)
	if code != 1 {
		t.Errorf("fetch with a failing source exited %d, want 1", code)
	}
	if !strings.Contains(out, "FAILED Broken Blog") || !strings.Contains(out, "500") {
		t.Errorf("fetch output does not name the failing source and its reason:\n%s", out)
	}
	f := renderAtom(t, p)
	var floodwall []*gofeed.Item
	for _, it := range f.Items {
		if strings.Contains(it.Title, "Floodwall") {
			floodwall = append(floodwall, it)
		}
	}
	if len(floodwall) != 1 || len(f.Items) != 2 {
		t.Fatalf("got %d entries (%d for the cross-posted article), want 2 entries, the article once", len(f.Items), len(floodwall))
	}
	entry := floodwall[0]
	if entry.Link != "https://harborlight.example/floodwall/" {
		t.Errorf("entry links to %s, want the original", entry.Link)
	}
	for _, want := range []string{"Originally published at", "Harbor Light", "also at", "Share", "mailto:"} {
		if !strings.Contains(entry.Content, want) {
			t.Errorf("content lacks %q:\n%s", want, entry.Content)
		}
	}
	for _, unwanted := range []string{"Cross-posted from", "Enjoy reading?"} {
		if strings.Contains(entry.Content, unwanted) {
			t.Errorf("content still carries the upstream boilerplate %q", unwanted)
		}
	}
	id := entry.GUID

	// Round 2: the original's title is edited; the same entry changes.
	up.fail("/broken.xml", 0)
	up.set("/broken.xml", `<rss version="2.0"><channel><title>B</title></channel></rss>`)
	up.set("/harbor.xml", originalFeed("Council Approves Floodwall Plan After a Year"))
	// The broken source is backing off; -force fetches it anyway.
	if code, out, _ := tributary(t, ctx, "fetch", "-config", p.config, "-force"); code != 0 {
		t.Fatalf("second fetch exited %d:\n%s", code, out)
	}
	f = renderAtom(t, p)
	if len(f.Items) != 2 || f.Items[0].GUID != id && f.Items[1].GUID != id {
		t.Fatalf("after the edit: %d entries, ids %v; want 2 and the same id %s", len(f.Items), guids(f), id)
	}
	for _, it := range f.Items {
		if it.GUID == id && it.Title != "Council Approves Floodwall Plan After a Year" {
			t.Errorf("edited title not republished: %q", it.Title)
		}
	}

	// Round 3: nothing changed upstream: every source answers 304 and the
	// store is not rewritten (the rendered feed is byte-identical).
	_, before, _ := tributary(t, ctx, "render", "-config", p.config, "-format", "rss")
	if code, out, _ := tributary(t, ctx, "fetch", "-config", p.config, "-v"); code != 0 || !strings.Contains(out, "not modified") {
		t.Fatalf("third fetch exited %d:\n%s", code, out)
	}
	if up.got304["/harbor.xml"] == 0 || up.got304["/commonplace.atom"] == 0 {
		t.Errorf("conditional GET not used: 304s %v", up.got304)
	}
	_, after, _ := tributary(t, ctx, "render", "-config", p.config, "-format", "rss")
	if before != after {
		t.Errorf("a 304 round changed the rendered feed")
	}
}

func guids(f *gofeed.Feed) []string {
	var ids []string
	for _, it := range f.Items {
		ids = append(ids, it.GUID)
	}
	return ids
}

// freeAddr returns a loopback address nobody listens on right now.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func TestFetchWhileServeRunsAsksTheDaemon(t *testing.T) {
	up := newUpstream(t)
	up.set("/harbor.xml", originalFeed("Council Approves Floodwall Plan"))
	addr := freeAddr(t)
	p := newProject(t, addr, map[string]string{"Harbor Light": up.URL + "/harbor.xml"})

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	go func() {
		code, _, _ := tributary(t, ctx, "serve", "-config", p.config)
		done <- code
	}()
	defer func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("serve exited %d after cancel, want 0", code)
		}
	}()
	waitHealthy(t, "http://"+addr+"/healthz")

	fctx, fcancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer fcancel()
	code, out, errOut := tributary(t, fctx, "fetch", "-config", p.config, "-v")
	if code != 0 {
		t.Fatalf("fetch while serve runs exited %d:\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(out, "Harbor Light") {
		t.Errorf("fetch did not report the daemon's round:\n%s", out)
	}
	resp, err := http.Get("http://" + addr + "/feed.atom")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	f, err := gofeed.NewParser().Parse(resp.Body)
	if err != nil || len(f.Items) != 2 {
		t.Fatalf("served feed: %v, %d items; want 2", err, len(f.Items))
	}
}

func waitHealthy(t *testing.T, url string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%s never answered", url)
}

func TestExplainOverHTTP(t *testing.T) {
	up := newUpstream(t)
	up.set("/harbor.xml", originalFeed("Council Approves Floodwall Plan"))
	up.set("/commonplace.atom", crossPostFeed)
	addr := freeAddr(t)
	p := newProject(t, addr, map[string]string{"Harbor Light": up.URL + "/harbor.xml", "Commonplace": up.URL + "/commonplace.atom"})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	go func() {
		code, _, _ := tributary(t, ctx, "serve", "-config", p.config)
		done <- code
	}()
	defer func() { cancel(); <-done }()
	waitHealthy(t, "http://"+addr+"/readyz")

	// The CLI asks the daemon, which holds the store.
	code, out, errOut := tributary(t, context.Background(), "explain", "-config", p.config, "https://commonplace.example/posts/floodwall")
	if code != 0 {
		t.Fatalf("explain exited %d: %s%s", code, out, errOut)
	}
	for _, want := range []string{"original: Harbor Light", "named as the original by the cross-post footer of Commonplace", "text ", "new "} {
		if !strings.Contains(out, want) {
			t.Errorf("explain output lacks %q:\n%s", want, out)
		}
	}
	// By the entry's id URL, as a reader shows it (QA: 404).
	id := strings.Fields(out)[0]
	code, byID, errOut := tributary(t, context.Background(), "explain", "-config", p.config, "http://feeds.example/entries/"+id)
	if code != 0 || !strings.Contains(byID, "original: Harbor Light") {
		t.Errorf("explain by the id URL exited %d: %s%s", code, byID, errOut)
	}
	resp, err := http.Get("http://" + addr + "/entries/nope/explain")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("explain of an unknown entry: %s, want 404", resp.Status)
	}
}
