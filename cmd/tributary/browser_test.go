package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

var screenshots = flag.Bool("screenshots", false,
	"browser test: also take phone-width screenshots and write all of them to docs/screenshots/")

// chromiumPath finds Debian's chromium. Without it the browser test is
// skipped, except in CI (CI=true), whose .ci/run installs it.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("starts a browser; skipped in -short mode")
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is not installed; .ci/run installs it with apt-get")
	}
	t.Skip("chromium is not installed (apt-get install chromium)")
	return ""
}

// consoleLine matches what Chromium logs for a console message (with
// --enable-logging=stderr): these pages have no script, so any message is
// the browser complaining (a blocked resource, a CSP violation).
var consoleLine = regexp.MustCompile(`:CONSOLE[:(]`)

// browse loads url in headless Chromium at the given window size, saves a
// screenshot to shot and returns the DOM after load and the console
// messages.
func browse(t *testing.T, chromium, url string, width, height int, shot string) (*html.Node, []string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium,
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
		"--user-data-dir="+t.TempDir(), "--enable-logging=stderr", "--v=0",
		fmt.Sprintf("--window-size=%d,%d", width, height), "--screenshot="+shot, "--dump-dom", url)
	var stderr syncBuffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium %s: %v\n%s", url, err, stderr.String())
	}
	doc, err := html.Parse(strings.NewReader(string(out)))
	if err != nil {
		t.Fatalf("DOM of %s does not parse: %v", url, err)
	}
	if fi, err := os.Stat(shot); err != nil || fi.Size() == 0 {
		t.Errorf("no screenshot of %s: %v", url, err)
	}
	var console []string
	for line := range strings.SplitSeq(stderr.String(), "\n") {
		if consoleLine.MatchString(line) {
			console = append(console, line)
		}
	}
	return doc, console
}

// browserProject is the bundled sample feeds plus a source that fails.
func browserProject(t *testing.T, addr, failing string) string {
	t.Helper()
	examples, err := filepath.Abs("../../examples/feeds")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cfg := fmt.Sprintf(`storage:
  path: %s/tributary.db
server:
  listen: %s
  base_url: http://%s/
output:
  title: Tributary demo
  description: Harbor Light, The Commonplace Collective and Field Notes, each article once.
  share: [email, mastodon, bluesky, hackernews]
fetch:
  host_delay: 0s
sources:
  - name: Harbor Light
    url: %s/harbor-light.xml
  - name: The Commonplace Collective
    url: %s/commonplace.atom
  - name: Field Notes
    url: %s/field-notes.json
  - name: Lighthouse Log
    url: %s/feed.xml
`, dir, addr, addr, examples, examples, examples, failing)
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestPagesInChromium serves the sample feeds, loads the river, an entry and
// the sources page in headless Chromium and checks the DOM the browser
// built: entries, attribution, share links, feed autodiscovery, failing
// sources first, and no console message nor failed request.
func TestPagesInChromium(t *testing.T) {
	chromium := chromiumPath(t)
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "maintenance", http.StatusServiceUnavailable)
	}))
	defer down.Close()
	addr := freeAddr(t)
	d := startServe(t, browserProject(t, addr, down.URL), addr, 0)

	_, river := d.get(t, "/")
	m := regexp.MustCompile(`href="entries/([0-9a-f]+)"`).FindStringSubmatch(river)
	if m == nil {
		t.Fatalf("the river links no entry:\n%s", river)
	}
	floodwall := m[1] // the newest entry: the cross-posted floodwall article

	pages := []struct {
		name, path string
		check      func(t *testing.T, doc *html.Node)
	}{
		{"river", "/", func(t *testing.T, doc *html.Node) {
			entries := findAll(doc, "article", "entry")
			if len(entries) < 5 {
				t.Fatalf("%d entries on the river, want the sample feeds' 7", len(entries))
			}
			var crossPosted int
			for _, e := range entries {
				if strings.Contains(text(first(e, "h2", "")), "Floodwall") {
					crossPosted++
				}
			}
			if crossPosted != 1 {
				t.Errorf("the cross-posted article appears %d times, want once", crossPosted)
			}
			if got := text(first(entries[0], "span", "attribution")); got != "Originally at Harbor Light, also at The Commonplace Collective" {
				t.Errorf("attribution %q", got)
			}
			for _, e := range entries {
				checkShare(t, e)
			}
			var feeds []string
			for _, l := range findAll(doc, "link", "") {
				if attr(l, "rel") == "alternate" {
					feeds = append(feeds, attr(l, "href"))
				}
			}
			if !slices.Equal(feeds, []string{"feed.atom", "feed.rss", "feed.json"}) {
				t.Errorf("autodiscovery links %q", feeds)
			}
			if s := first(doc, "a", "subscribe"); s == nil || text(s) != "Subscribe" {
				t.Errorf("no visible Subscribe link")
			}
		}},
		{"entry", "/entries/" + floodwall, func(t *testing.T, doc *html.Node) {
			h1 := text(first(doc, "h1", ""))
			if !strings.Contains(h1, "Floodwall") {
				t.Errorf("entry title %q", h1)
			}
			if c := first(doc, "div", "content"); c == nil || len(findAll(c, "p", "")) < 2 {
				t.Errorf("the entry's full content is missing")
			}
			if copies := findAll(first(doc, "section", "copies"), "li", ""); len(copies) != 2 {
				t.Errorf("%d copies listed, want 2", len(copies))
			}
			checkShare(t, first(doc, "article", "entry"))
			og := map[string]string{}
			for _, m := range findAll(doc, "meta", "") {
				if p := attr(m, "property"); p != "" {
					og[p] = attr(m, "content")
				}
			}
			if og["og:title"] != h1 || og["og:type"] != "article" || og["og:url"] != d.base+"/entries/"+floodwall {
				t.Errorf("Open Graph: %v", og)
			}
		}},
		{"sources", "/sources", func(t *testing.T, doc *html.Node) {
			rows := findAll(first(doc, "tbody", ""), "tr", "")
			if len(rows) != 4 {
				t.Fatalf("%d sources listed, want 4", len(rows))
			}
			if attr(rows[0], "id") != "source-lighthouse-log" || !strings.Contains(text(rows[0]), "503") {
				t.Errorf("the failing source is not first with its status: %q", text(rows[0]))
			}
			for _, r := range rows[1:] {
				if !strings.Contains(text(r), "fetched") {
					t.Errorf("source row %q", text(r))
				}
			}
		}},
	}
	sizes := []struct {
		name          string
		width, height int
	}{{"desktop", 1280, 900}}
	if *screenshots {
		sizes = append(sizes, struct {
			name          string
			width, height int
		}{"phone", 390, 844})
	}
	// Each page in its own browser, in parallel: a browser's start-up is
	// mostly waiting.
	t.Run("pages", func(t *testing.T) {
		for _, p := range pages {
			for _, size := range sizes {
				t.Run(p.name+"/"+size.name, func(t *testing.T) {
					t.Parallel()
					shot := filepath.Join(t.ArtifactDir(), p.name+"-"+size.name+".png")
					if *screenshots {
						shot, _ = filepath.Abs(filepath.Join("../../docs/screenshots", p.name+"-"+size.name+".png"))
					}
					doc, console := browse(t, chromium, d.base+p.path, size.width, size.height, shot)
					for _, line := range console {
						t.Errorf("console: %s", line)
					}
					p.check(t, doc)
				})
			}
		}
	})

	// Every request the browser made (pages, stylesheet, icon) succeeded:
	// the daemon's own metrics count them by route and status.
	_, scrape := d.get(t, "/metrics")
	for line := range strings.SplitSeq(scrape, "\n") {
		if strings.HasPrefix(line, "tributary_http_requests_total{") && !strings.Contains(line, `route="/readyz"`) &&
			regexp.MustCompile(`code="[45]\d\d"`).MatchString(line) {
			t.Errorf("a request failed: %s", line)
		}
	}
	if metricValue(scrape, `tributary_http_requests_total{route="/assets/{name}",code="200"}`) == "" {
		t.Errorf("the browser fetched no asset:\n%s", scrape)
	}
}

// checkShare checks an entry's share links: the four configured, each
// sharing the entry's original link.
func checkShare(t *testing.T, entry *html.Node) {
	t.Helper()
	var original string
	for _, a := range findAll(entry, "a", "") {
		if text(a) == "Read at the source" {
			original = attr(a, "href")
		}
	}
	links := findAll(first(entry, "ul", "share"), "a", "")
	var labels []string
	for _, a := range links {
		labels = append(labels, text(a))
	}
	if !slices.Equal(labels, []string{"Email", "Mastodon", "Bluesky", "Hacker News"}) {
		t.Errorf("share links %q", labels)
		return
	}
	prefixes := []string{"mailto:?subject=", "https://s2f.kytta.dev/?text=", "https://bsky.app/intent/compose?text=",
		"https://news.ycombinator.com/submitlink?u="}
	escaped := strings.ReplaceAll(strings.ReplaceAll(original, ":", "%3A"), "/", "%2F")
	for i, a := range links {
		href := attr(a, "href")
		if !strings.HasPrefix(href, prefixes[i]) || original == "" || !strings.Contains(href, escaped) {
			t.Errorf("%s share link %q does not share %q", labels[i], href, original)
		}
	}
}

// findAll returns the elements under n with tag and, when class is not
// empty, that class.
func findAll(n *html.Node, tag, class string) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == tag &&
			(class == "" || slices.Contains(strings.Fields(attr(n, "class")), class)) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	if n != nil {
		walk(n)
	}
	return out
}

func first(n *html.Node, tag, class string) *html.Node {
	if all := findAll(n, tag, class); len(all) > 0 {
		return all[0]
	}
	return nil
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// text is the element's text, whitespace folded.
func text(n *html.Node) string {
	if n == nil {
		return ""
	}
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
