package main

import (
	"context"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tributary/tributary/feed"
)

// The password of a source URL with credentials, and its masked form.
const (
	secretPassword = "s3cretpw"
	secretMasked   = "reader:xxxxx@"
)

// credentialedFeed is a feed read with credentials whose channel and item
// links are relative: resolved against the feed URL, they would carry its
// userinfo.
const credentialedFeed = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Members Only</title><link>/members/</link>
<description>Behind a password</description>
<item><title>Minutes of the March meeting</title><link>/members/minutes-march/</link>
<guid isPermaLink="false">mo-7</guid><pubDate>Thu, 19 Nov 2026 08:15:00 +0000</pubDate>
<enclosure url="/members/minutes.pdf" type="application/pdf" length="1234"/>
<description>The board met on Tuesday and approved the budget.</description></item>
</channel></rss>`

func withCredentials(u string) string {
	return strings.Replace(u, "http://", "http://reader:"+secretPassword+"@", 1)
}

// noSecret fails the test when an output shows the password.
func noSecret(t *testing.T, what, out string) {
	t.Helper()
	if i := strings.Index(out, secretPassword); i >= 0 {
		t.Errorf("%s publishes the source's password: …%s…", what, out[max(0, i-80):min(len(out), i+40)])
	}
}

// TestNothingPublishedCarriesSourceCredentials: a source configured as
// http://user:password@host/feed is fetched with its credentials, but no
// feed, OPML list, metric, report or trigger answer shows the password;
// the operator's outputs show the URL masked as the logs do.
func TestNothingPublishedCarriesSourceCredentials(t *testing.T) {
	up := newUpstream(t)
	up.set("/auth/rss20.xml", credentialedFeed)
	up.fail("/500", http.StatusInternalServerError)
	addr := freeAddr(t)
	p := newProject(t, addr, map[string]string{
		"Secret": withCredentials(up.URL + "/auth/rss20.xml"),
		"Broken": withCredentials(up.URL + "/500?token=abc"),
	})
	ctx := context.Background()
	public := up.URL + "/auth/rss20.xml"

	// fetch from cron: the failure is reported with the URL masked.
	code, out, errOut := tributary(t, ctx, "fetch", "-config", p.config, "-v")
	if code != exitFailure {
		t.Fatalf("fetch exited %d, want %d: %s%s", code, exitFailure, out, errOut)
	}
	noSecret(t, "fetch output", out)
	noSecret(t, "fetch -v log", errOut)
	if !strings.Contains(out, "FAILED Broken (http://"+secretMasked) {
		t.Errorf("fetch output does not show the failing URL masked:\n%s", out)
	}
	code, out, _ = tributary(t, ctx, "fetch", "-config", p.config)
	noSecret(t, "fetch output of a source backing off", out)
	if code != exitFailure || !strings.Contains(out, "FAILING Broken (http://"+secretMasked) {
		t.Errorf("second fetch exited %d, want the backing-off source masked:\n%s", code, out)
	}

	// render: every format, and every file of render -dir.
	for _, format := range []string{"atom", "rss", "json"} {
		code, out, errOut := tributary(t, ctx, "render", "-config", p.config, "-format", format)
		if code != 0 {
			t.Fatalf("render -format %s exited %d: %s", format, code, errOut)
		}
		if !strings.Contains(out, "Minutes of the March meeting") {
			t.Fatalf("render -format %s lacks the entry:\n%s", format, out)
		}
		noSecret(t, "render -format "+format, out)
		// The source is still attributed, at its URL without credentials.
		if want := map[string]string{
			"atom": "<id>" + public + "</id>",
			"rss":  `<source url="` + public + `">Secret</source>`,
			"json": `"feed_url":"` + public + `"`,
		}[format]; !strings.Contains(out, want) {
			t.Errorf("render -format %s does not attribute the source as %s", format, want)
		}
	}
	site := filepath.Join(p.dir, "site")
	if code, out, errOut := tributary(t, ctx, "render", "-config", p.config, "-dir", site); code != 0 {
		t.Fatalf("render -dir exited %d: %s%s", code, out, errOut)
	}
	var files int
	err := filepath.WalkDir(site, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		files++
		noSecret(t, "render -dir "+strings.TrimPrefix(path, site), string(b))
		return err
	})
	if err != nil || files < 10 {
		t.Fatalf("render -dir wrote %d files (%v)", files, err)
	}
	opml, _ := os.ReadFile(filepath.Join(site, "sources.opml"))
	if !strings.Contains(string(opml), `xmlUrl="`+public+`"`) {
		t.Errorf("sources.opml does not list the source without its credentials:\n%s", opml)
	}

	// serve: the same documents, the web pages, the metrics and the fetch
	// trigger.
	d := startServe(t, p.config, addr, time.Hour)
	_, river := d.get(t, "/")
	entry := "/" + regexp.MustCompile(`entries/[^"/?#]+`).FindString(river)
	if entry == "/" {
		t.Fatalf("the river links no entry:\n%s", river)
	}
	for _, path := range []string{"/feed.atom", "/feed.rss", "/feed.json",
		"/sources/secret/feed.atom", "/sources/secret/feed.rss", "/sources/secret/feed.json",
		"/sources.opml", "/feeds.opml", "/metrics", "/", "/sources", entry, entry + "/explain"} {
		code, body := d.get(t, path)
		if code != http.StatusOK {
			t.Errorf("GET %s: %d", path, code)
		}
		noSecret(t, "GET "+path, body)
	}
	_, scrape := d.get(t, "/metrics")
	if !strings.Contains(scrape, `url="http://`+secretMasked) {
		t.Errorf("tributary_source_info does not show the URL masked")
	}
	resp, err := postOperator(http.DefaultClient, d.base+"/-/fetch?force=1", d.token(t))
	if err != nil {
		t.Fatal(err)
	}
	b := new(strings.Builder)
	_, _ = io.Copy(b, resp.Body)
	resp.Body.Close()
	noSecret(t, "POST /-/fetch", b.String())
	if !strings.Contains(b.String(), `"url":"http://`+secretMasked) {
		t.Errorf("POST /-/fetch does not show the URLs masked:\n%s", b)
	}
	// fetch while serve holds the store prints the daemon's report.
	code, out, _ = tributary(t, ctx, "fetch", "-config", p.config, "-force")
	noSecret(t, "fetch through the daemon", out)
	if code != exitFailure || !strings.Contains(out, "FAILED Broken (http://"+secretMasked) {
		t.Errorf("fetch through the daemon exited %d, want the failure masked:\n%s", code, out)
	}
	noSecret(t, "serve's log", d.log.String())
}

// The lines of a cron mail show a source URL as the logs do: masked.
func TestReportLinesMaskCredentials(t *testing.T) {
	url := "http://reader:" + secretPassword + "@127.0.0.1:18101/500?token=abc"
	masked := "http://" + secretMasked + "127.0.0.1:18101/500?token=xxxxx"
	tests := []struct {
		name string
		r    feed.SourceReport
		want string
	}{
		{"failed", feed.SourceReport{Name: "Secret", URL: url, Outcome: feed.Failed, Error: "GET " + masked + ": 500"},
			"FAILED Secret (" + masked + "): GET " + masked + ": 500"},
		{"failing", feed.SourceReport{Name: "Secret", URL: url, Outcome: feed.Skipped, Error: "backing off after 2 failures"},
			"FAILING Secret (" + masked + "): backing off after 2 failures"},
		{"cut short", feed.SourceReport{Name: "Secret", URL: url, Outcome: feed.Fetched, Items: 2, Truncated: true},
			"CUT SHORT Secret (" + masked + "): the feed ended early; 2 items that arrived whole were read, the rest come next time"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			printReport(&b, feed.RoundReport{Sources: []feed.SourceReport{tt.r}}, false)
			noSecret(t, "fetch output", b.String())
			if got, _, _ := strings.Cut(b.String(), "\n"); got != tt.want {
				t.Errorf("line %q\nwant %q", got, tt.want)
			}
		})
	}
}
