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
	if len(leftovers) != 1 || filepath.Base(leftovers[0]) != publishedList {
		t.Errorf("hidden files %q, want only the list of published files", leftovers)
	}

	// A source leaves the config: its files go at the next run, the
	// others and a file the operator put there stay.
	if err := os.WriteFile(filepath.Join(site, "index.html"), []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, _ := os.ReadFile(p.config)
	var kept []string
	skip := false
	for line := range strings.SplitSeq(string(cfg), "\n") {
		if strings.Contains(line, "name: Commonplace") {
			skip = true
			continue
		}
		if skip && strings.Contains(line, "url:") {
			skip = false
			continue
		}
		kept = append(kept, line)
	}
	if err := os.WriteFile(p.config, []byte(strings.Join(kept, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := tributary(t, ctx, "render", "-config", p.config, "-dir", site); code != 0 {
		t.Fatalf("render -dir after removing a source exited %d: %s%s", code, out, errOut)
	}
	if _, err := os.Stat(filepath.Join(site, "sources", "commonplace")); !os.IsNotExist(err) {
		t.Errorf("the removed source's directory is still there: %v", err)
	}
	for _, f := range []string{"index.html", "feed.atom", "sources/harbor-light/feed.rss"} {
		if _, err := os.Stat(filepath.Join(site, f)); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}

	code, _, errOut := tributary(t, ctx, "render", "-config", p.config, "-dir", site, "-format", "rss")
	if code != exitUsage || !strings.Contains(errOut, "-format") {
		t.Errorf("render -dir -format: exit %d, %q; want a usage error naming -format", code, errOut)
	}
}

// A damaged or hostile list of published files cannot make render -dir
// delete anything outside the directory or anything hidden.
func TestReadPublishedKeepsToTheDirectory(t *testing.T) {
	dir := t.TempDir()
	list := "feed.atom\n../outside\n/etc/passwd\nsources/a/../../x\n.hidden\n.git/config\nsources/a/feed.rss\n\n"
	if err := os.WriteFile(filepath.Join(dir, publishedList), []byte(list), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := readPublished(dir)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"feed.atom", "sources/a/feed.rss"}; strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("readPublished = %q, want %q", got, want)
	}
}

// The commands that only read the store refuse a storage.path where there
// is none (a typo, a volume not mounted) rather than create an empty store:
// render -dir would publish its empty feeds over the site.
func TestReadingCommandsNeedAStore(t *testing.T) {
	p := newProject(t, "127.0.0.1:1", map[string]string{"Harbor Light": "http://127.0.0.1:1/feed.xml"})
	site := filepath.Join(p.dir, "site")
	if err := os.MkdirAll(site, 0o755); err != nil {
		t.Fatal(err)
	}
	kept := filepath.Join(site, "feed.atom")
	if err := os.WriteFile(kept, []byte("published before"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, args := range [][]string{
		{"render", "-config", p.config, "-dir", site},
		{"render", "-config", p.config},
		{"backup", "-config", p.config, "-o", filepath.Join(p.dir, "backup.db")},
		{"explain", "-config", p.config, "some-entry"},
	} {
		code, _, errOut := tributary(t, ctx, args...)
		if code != 1 || !strings.Contains(errOut, "no store at") {
			t.Errorf("%s with no store: exit %d, %q; want 1, no store at …", args[0], code, errOut)
		}
	}
	if _, err := os.Stat(filepath.Join(p.dir, "data")); err == nil {
		t.Error("a store directory was created")
	}
	if b, _ := os.ReadFile(kept); string(b) != "published before" {
		t.Errorf("the published feed was replaced: %q", b)
	}

	// An empty file where the store should be is not made a new store.
	store := filepath.Join(p.dir, "data", "tributary.db")
	if err := os.MkdirAll(filepath.Dir(store), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(store, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := tributary(t, ctx, "render", "-config", p.config, "-dir", site); code != 1 || !strings.Contains(errOut, "the file is empty") {
		t.Errorf("render -dir on an empty store file: exit %d, %q; want 1, empty file", code, errOut)
	}
	if fi, err := os.Stat(store); err != nil || fi.Size() != 0 {
		t.Errorf("the empty store file was written to: %v", err)
	}
}

// render -o naming a directory is a usage error up front, pointing at
// -dir, rather than a failed rename once the feed is written; backup and
// sources export refuse it the same way. The directory is left untouched.
func TestOutputFileThatIsADirectory(t *testing.T) {
	p := newProject(t, "127.0.0.1:1", map[string]string{"Harbor Light": "http://127.0.0.1:1/feed.xml"})
	site := filepath.Join(p.dir, "site")
	if err := os.MkdirAll(site, 0o755); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"render", "-config", p.config, "-o", site}, "-o " + site + ": is a directory (did you mean -dir " + site + "?)"},
		{[]string{"backup", "-config", p.config, "-o", site}, "-o " + site + ": is a directory"},
		{[]string{"sources", "export", "-config", p.config, "-o", site}, "-o " + site + ": is a directory"},
	} {
		code, out, errOut := tributary(t, ctx, tt.args...)
		if code != exitUsage || !strings.Contains(errOut, tt.want) || strings.Contains(errOut, "file exists") {
			t.Errorf("%s -o DIR: exit %d, %q; want %d, %q", tt.args[0], code, out+errOut, exitUsage, tt.want)
		}
	}
	if left, _ := os.ReadDir(site); len(left) != 0 {
		t.Errorf("files left in the directory: %v", left)
	}
}
