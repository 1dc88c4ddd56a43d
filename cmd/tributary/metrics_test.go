package main

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestMetricsEndpoint: after the first round over the sample feeds the
// scrape counts the fetches, the stored entries and the cross-post's merge
// by its rule, and the requests made so far.
func TestMetricsEndpoint(t *testing.T) {
	addr := freeAddr(t)
	path := filepath.Join(t.TempDir(), "config.yaml")
	reloadConfig(t, path, addr, addr, "Metrics", "Harbor Light", "The Commonplace Collective", "Field Notes")
	d := startServe(t, path, addr, time.Hour)
	// The round rendered the unified feed's three documents before any
	// reader asked: the first request finds them ready.
	_, before := d.get(t, "/metrics")
	if got := metricValue(before, `tributary_render_duration_seconds_count{document="feed"}`); got != "3" {
		t.Errorf("feeds rendered after the first round: %q, want 3", got)
	}
	d.get(t, "/feed.atom")
	d.get(t, "/")
	code, scrape := d.get(t, "/metrics")
	if code != 200 {
		t.Fatalf("GET /metrics: %d", code)
	}
	for series, want := range map[string]string{
		`tributary_entries`: "7",
		`tributary_source_fetches_total{source="harbor-light",outcome="fetched"}`:            "1",
		`tributary_source_entries_created_total{source="field-notes"}`:                       "2",
		`tributary_http_requests_total{route="/{$}",code="200"}`:                             "1",
		`tributary_render_duration_seconds_count{document="feed"}`:                           "3",
		`tributary_source_consecutive_failures{source="harbor-light"}`:                       "0",
		`tributary_source_fetch_duration_seconds_count{source="the-commonplace-collective"}`: "1",
	} {
		if got := metricValue(scrape, series); got != want {
			t.Errorf("%s = %q, want %q", series, got, want)
		}
	}
	// Sources are fetched concurrently: whichever copy is stored second is
	// the one merged.
	merged := metricValue(scrape, `tributary_source_copies_merged_total{source="the-commonplace-collective"}`) +
		metricValue(scrape, `tributary_source_copies_merged_total{source="harbor-light"}`)
	if merged != "01" && merged != "10" {
		t.Errorf("copies merged (commonplace, harbor) = %q, want one of them 1", merged)
	}
	var merges []string
	for line := range strings.SplitSeq(scrape, "\n") {
		if strings.HasPrefix(line, "tributary_merges_total{") {
			merges = append(merges, line)
		}
	}
	if len(merges) != 1 || !strings.HasSuffix(merges[0], " 1") {
		t.Errorf("merges by rule: %q, want the one cross-post", merges)
	}
	if !strings.Contains(scrape, `tributary_build_info{version="dev",go_version="go`) {
		t.Errorf("no build info")
	}
	if metricValue(scrape, "go_goroutines") == "" || runtime.GOOS == "linux" && metricValue(scrape, "process_open_fds") == "" {
		t.Errorf("no process gauges")
	}

	// The pages and the metrics are read with GET (or HEAD) only, like
	// the feeds: another method is 405, not the feeds server's 404.
	for _, path := range []string{"/", "/sources", "/metrics", "/entries/x", "/entries/x/explain", "/assets/style.css"} {
		req, _ := http.NewRequest("POST", d.base+path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "GET, HEAD" {
			t.Errorf("POST %s: %d, Allow %q; want 405, GET, HEAD", path, resp.StatusCode, resp.Header.Get("Allow"))
		}
	}

	// Without a token, loopback is not the operator: a proxy or port
	// forwarder on this host that adds no forwarding header connects from
	// here for anyone. Nor is a wrong token, or one sent by another user.
	for _, tc := range []struct {
		name, header, value string
		want                int
	}{
		{"loopback", "", "", http.StatusUnauthorized},
		{"through a proxy", "X-Forwarded-For", "203.0.113.9", http.StatusUnauthorized},
		{"a wrong token", "Authorization", "Bearer " + strings.Repeat("0", 64), http.StatusForbidden},
	} {
		req, _ := http.NewRequest("GET", d.base+"/metrics", nil)
		if tc.header != "" {
			req.Header.Set(tc.header, tc.value)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.want || strings.Contains(string(body), "tributary_entries") {
			t.Errorf("GET /metrics, %s: %d %q, want %d without metrics", tc.name, resp.StatusCode, body, tc.want)
		}
	}
}

// A daemon that cannot write its local token beside the store (a
// directory only the store file may be written in) serves all the same,
// and says that the operator endpoints answer server.token only.
func TestServeWithoutLocalToken(t *testing.T) {
	addr := freeAddr(t)
	path := filepath.Join(t.TempDir(), "config.yaml")
	reloadConfig(t, path, addr, addr, "No token", "Harbor Light")
	// Root writes anywhere: a directory where the file goes stops the rename.
	if err := os.MkdirAll(filepath.Join(filepath.Dir(path), "tributary.db.token", "in-the-way"), 0o755); err != nil {
		t.Fatal(err)
	}
	d := startServe(t, path, addr, time.Hour)
	if !strings.Contains(d.log.String(), "no local token") {
		t.Errorf("the missing local token is not logged:\n%s", d.log)
	}
	if code, _ := d.get(t, "/feed.atom"); code != http.StatusOK {
		t.Errorf("GET /feed.atom: %d", code)
	}
	resp, err := http.Get(d.base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("GET /metrics without any token configured: %d, want 403", resp.StatusCode)
	}
}
