package main

import (
	"context"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// privateSecret is the capability in a private feed's URL: a path segment
// (Pinboard's /secret:…/) and a query parameter under an ordinary name,
// neither of which the credential rules can recognise.
const privateSecret = "c4pab1l1ty"

// privateFeed links itself at its own secret URL, as such feeds do.
const privateFeed = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>
<title>My bookmarks</title><link>https://bookmarks.example/u:reader/</link>
<atom:link rel="self" href="https://feeds.bookmarks.example/secret:` + privateSecret + `/u:reader/?t=` + privateSecret + `"/>
<description>Saved links</description>
<item><title>A paper worth reading</title><link>https://papers.example/worth-reading</link>
<guid isPermaLink="false">bm-1</guid><pubDate>Thu, 19 Nov 2026 08:15:00 +0000</pubDate>
<description>Notes on a paper about feeds and the people who read them.</description></item>
</channel></rss>`

// podcastFeed is a private feed that repeats its URL the ways feeds do: a
// home page link "./", relative item links, an enclosure and images under
// the secret path, and a GUID that is the episode's secret URL.
const podcastFeed = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
<title>Members' podcast</title><link>./</link><description>Episodes for members</description>
<item><title>Episode one</title><link>ep1.html</link>
<guid>EPISODE-GUID</guid><pubDate>Fri, 20 Nov 2026 08:15:00 +0000</pubDate>
<enclosure url="ep1.mp3" type="audio/mpeg" length="1234"/>
<description><![CDATA[<p>We talk about feeds. <a href="notes.html">Show notes</a> <img src="cover.png" alt="cover"></p>]]></description></item>
</channel></rss>`

// threadsFeed has two GUID-less items alike but for their links, which
// are relative: identity rests on the links, which must survive the
// source being marked private.
const threadsFeed = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Threads</title><description>Open threads</description>
<item><title>Open thread</title><link>thread-41.html</link><pubDate>Mon, 16 Nov 2026 08:00:00 +0000</pubDate><description>Talk here.</description></item>
<item><title>Open thread</title><link>thread-42.html</link><pubDate>Mon, 23 Nov 2026 08:00:00 +0000</pubDate><description>Talk here.</description></item>
</channel></rss>`

// TestPrivateSourcePublishesNoURL: a source marked private is fetched at
// its URL, but no public document, page or file names it, nor the URL
// the feed gives for itself; its copies are attributed by their site, and
// a failing private source's error names only the host.
func TestPrivateSourcePublishesNoURL(t *testing.T) {
	up := newUpstream(t)
	path := "/secret:" + privateSecret + "/u:reader/"
	up.set(path, privateFeed)
	up.fail("/secret:"+privateSecret+"/gone/", http.StatusInternalServerError)
	podcast := "/pod/" + privateSecret + "/"
	up.set(podcast, strings.Replace(podcastFeed, "EPISODE-GUID", up.URL+podcast+"ep1.mp3", 1))
	addr := freeAddr(t)
	p := newProject(t, addr, map[string]string{
		"Bookmarks": up.URL + path + "?t=" + privateSecret,
		"Old":       up.URL + "/secret:" + privateSecret + "/gone/",
		"Podcast":   up.URL + podcast,
		"Threads":   up.URL + "/t/" + privateSecret + "/threads.xml",
	})
	up.set("/t/"+privateSecret+"/threads.xml", threadsFeed)
	ctx := context.Background()
	// Fetched before the sources are marked private: what was stored then
	// is published clean once they are, without waiting for a change.
	tributary(t, ctx, "fetch", "-config", p.config)
	b, err := os.ReadFile(p.config)
	if err != nil {
		t.Fatal(err)
	}
	conf := regexp.MustCompile(`(?m)^(    url: .*)$`).ReplaceAllString(string(b), "$1\n    private: true")
	if err := os.WriteFile(p.config, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := tributary(t, ctx, "fetch", "-config", p.config); code != exitFailure {
		t.Fatalf("fetch exited %d, want %d (one source fails): %s%s", code, exitFailure, out, errOut)
	}
	noCapability := func(what, out string) {
		t.Helper()
		if i := strings.Index(out, privateSecret); i >= 0 {
			t.Errorf("%s publishes the private feed's URL: …%s…", what, out[max(0, i-80):min(len(out), i+40)])
		}
	}
	for _, format := range []string{"atom", "rss", "json"} {
		code, out, errOut := tributary(t, ctx, "render", "-config", p.config, "-format", format)
		if code != 0 || !strings.Contains(out, "A paper worth reading") || !strings.Contains(out, "We talk about feeds") {
			t.Fatalf("render -format %s exited %d without the entry: %s%s", format, code, out, errOut)
		}
		noCapability("render -format "+format, out)
		if format == "json" && strings.Count(out, `"title":"Open thread"`) != 2 {
			t.Errorf("the two open threads are not two entries:\n%s", out)
		}
		// RSS's <source> needs the feed's URL: the copy goes without one.
		if format != "rss" && !strings.Contains(out, "https://bookmarks.example/u:reader/") {
			t.Errorf("render -format %s does not attribute the copy by its site:\n%s", format, out)
		}
	}
	site := filepath.Join(p.dir, "site")
	if code, out, errOut := tributary(t, ctx, "render", "-config", p.config, "-dir", site); code != 0 {
		t.Fatalf("render -dir exited %d: %s%s", code, out, errOut)
	}
	err = filepath.WalkDir(site, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		noCapability("render -dir "+strings.TrimPrefix(path, site), string(b))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}

	d := startServe(t, p.config, addr, time.Hour)
	_, river := d.get(t, "/")
	entries := regexp.MustCompile(`entries/[^"/?#]+`).FindAllString(river, -1)
	if len(entries) < 2 {
		t.Fatalf("the river links %d entries, want 2:\n%s", len(entries), river)
	}
	paths := []string{"/feed.atom", "/feed.rss", "/feed.json",
		"/sources/bookmarks/feed.atom", "/sources/bookmarks/feed.json", "/sources/podcast/feed.atom",
		"/sources/podcast/feed.rss", "/sources/podcast/feed.json", "/sources.opml", "/feeds.opml", "/", "/sources"}
	for _, e := range entries {
		paths = append(paths, "/"+e, "/"+e+"/explain")
	}
	for _, path := range paths {
		code, body := d.get(t, path)
		if code != http.StatusOK {
			t.Errorf("GET %s: %d", path, code)
		}
		noCapability("GET "+path, body)
	}
	if _, opml := d.get(t, "/sources.opml"); !strings.Contains(opml, `xmlUrl="http://feeds.example/sources/bookmarks/feed.atom"`) {
		t.Errorf("sources.opml does not list the private source by its feed here:\n%s", opml)
	}
	_, page := d.get(t, "/sources")
	if !strings.Contains(page, "private feed") || !strings.Contains(page, up.URL+"/…") {
		t.Errorf("/sources does not mark the private sources, or hides the failing one's host:\n%s", page)
	}
}
