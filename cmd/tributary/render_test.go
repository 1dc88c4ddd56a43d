package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"
)

// render -dir publishes the whole site for a static host: every feed at
// its URL path, the OPML lists, the cross-post once; running it again
// replaces the files.
func TestRenderDirPublishesEveryFeed(t *testing.T) {
	up := newUpstream(t)
	up.set("/harbor.xml", originalFeed("Council Approves Floodwall Plan"))
	up.set("/commonplace.atom", crossPostFeed)
	p := newProject(t, "127.0.0.1:1", map[string]string{
		"Harbor Light": up.URL + "/harbor.xml",
		"Commonplace":  up.URL + "/commonplace.atom",
	})
	ctx := context.Background()
	if code, out, errOut := tributary(t, ctx, "fetch", "-config", p.config); code != 0 {
		t.Fatalf("fetch exited %d: %s%s", code, out, errOut)
	}
	site := filepath.Join(p.dir, "site")
	for range 2 {
		if code, out, errOut := tributary(t, ctx, "render", "-config", p.config, "-dir", site); code != 0 || out != "" {
			t.Fatalf("render -dir exited %d: %s%s", code, out, errOut)
		}
	}
	for _, f := range []string{"feed.atom", "feed.rss", "feed.json", "sources/harbor-light/feed.atom",
		"sources/commonplace/feed.json", "sources.opml", "feeds.opml"} {
		if _, err := os.Stat(filepath.Join(site, f)); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	b, err := os.ReadFile(filepath.Join(site, "feed.atom"))
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := gofeed.NewParser().ParseString(string(b))
	if err != nil {
		t.Fatalf("published feed.atom does not parse: %v", err)
	}
	var floodwall int
	for _, it := range parsed.Items {
		if it.Title == "Council Approves Floodwall Plan" {
			floodwall++
		}
	}
	if floodwall != 1 {
		t.Errorf("the cross-posted article is in feed.atom %d times, want once", floodwall)
	}
	opml, _ := os.ReadFile(filepath.Join(site, "feeds.opml"))
	if !strings.Contains(string(opml), "sources/harbor-light/feed.atom") {
		t.Errorf("feeds.opml does not list the source feeds:\n%s", opml)
	}
	leftovers, _ := filepath.Glob(filepath.Join(site, ".*"))
	if len(leftovers) > 0 {
		t.Errorf("temporary files left: %q", leftovers)
	}

	code, _, errOut := tributary(t, ctx, "render", "-config", p.config, "-dir", site, "-format", "rss")
	if code != exitUsage || !strings.Contains(errOut, "-format") {
		t.Errorf("render -dir -format: exit %d, %q; want a usage error naming -format", code, errOut)
	}
}
