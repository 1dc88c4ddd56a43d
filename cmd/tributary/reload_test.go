package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/tributary/tributary/config"
	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/ingest"
	"github.com/tributary/tributary/storage"
)

// reloadConfig writes a config serving the sample feeds named in sources,
// with title as output.title.
func reloadConfig(t *testing.T, path, addr, listen, title string, sources ...string) {
	t.Helper()
	examples, err := filepath.Abs("../../examples/feeds")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{"Harbor Light": "harbor-light.xml", "Field Notes": "field-notes.json",
		"The Commonplace Collective": "commonplace.atom"}
	var b strings.Builder
	fmt.Fprintf(&b, "storage:\n  path: %s\n  timeout: 200ms\n", filepath.Join(filepath.Dir(path), "tributary.db"))
	fmt.Fprintf(&b, "server:\n  listen: %s\n  base_url: http://%s/\noutput:\n  title: %s\n", listen, addr, title)
	b.WriteString("fetch:\n  host_delay: 0s\nsources:\n")
	for _, s := range sources {
		fmt.Fprintf(&b, "  - name: %s\n    url: %s\n", s, filepath.Join(examples, files[s]))
	}
	// Write beside and rename, as editors do, so the poller never reads
	// half a file.
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

// TestReloadKeepsStoreAndListener reloads serve's config by SIGHUP: new
// sources and output settings take effect, the same listener keeps
// answering with the same store, an invalid config is rejected and the one
// in effect kept, and a changed listen address is reported as needing a
// restart.
func TestReloadKeepsStoreAndListener(t *testing.T) {
	addr := freeAddr(t)
	path := filepath.Join(t.TempDir(), "config.yaml")
	reloadConfig(t, path, addr, addr, "Before", "Harbor Light")
	d := startServe(t, path, addr, time.Hour) // only SIGHUP reloads here

	_, river := d.get(t, "/")
	if !strings.Contains(river, "<title>Before</title>") || strings.Contains(river, "Eiders") {
		t.Fatalf("before the reload the river should show Harbor Light's entries only:\n%s", river)
	}

	// A new source, a new title.
	reloadConfig(t, path, addr, addr, "After", "Harbor Light", "Field Notes")
	d.reload <- syscall.SIGHUP
	waitFor(t, "the added source's entries on the river", func() bool {
		_, river := d.get(t, "/")
		return strings.Contains(river, "<title>After</title>") && strings.Contains(river, "The First Eiders of the Winter")
	})
	_, sources := d.get(t, "/sources")
	if !strings.Contains(sources, "Field Notes") || !strings.Contains(sources, "Harbor Light") {
		t.Errorf("sources page after reload:\n%s", sources)
	}
	if _, feed := d.get(t, "/feed.atom"); !strings.Contains(feed, "After") || !strings.Contains(feed, "Eiders") {
		t.Errorf("the feed does not follow the reloaded config")
	}

	// An invalid config: logged, the old one kept.
	if err := os.WriteFile(path, []byte("fetch:\n  interval: 10s\nsources: []\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	d.reload <- syscall.SIGHUP
	waitFor(t, "the invalid config to be reported", func() bool {
		return strings.Contains(d.log.String(), "config reload failed")
	})
	if !strings.Contains(d.log.String(), "fetch.interval") {
		t.Errorf("the rejection does not say what is wrong:\n%s", d.log)
	}
	if code, river := d.get(t, "/"); code != 200 || !strings.Contains(river, "<title>After</title>") {
		t.Errorf("after an invalid config the daemon should keep serving the old one: %d", code)
	}

	// A new listen address cannot be applied without a restart.
	reloadConfig(t, path, addr, "127.0.0.1:1", "Moved", "Harbor Light", "Field Notes")
	d.reload <- syscall.SIGHUP
	waitFor(t, "the listen change to be reported", func() bool {
		return strings.Contains(d.log.String(), "server.listen")
	})
	waitFor(t, "the rest of that config to apply", func() bool {
		_, river := d.get(t, "/")
		return strings.Contains(river, "<title>Moved</title>")
	})
	_, scrape := d.get(t, "/metrics")
	if metricValue(scrape, `tributary_source_info{source="field-notes",name="Field Notes",url="`+
		filepath.Join(filepath.Dir(mustAbs(t, "../../examples/feeds/x")), "field-notes.json")+`"}`) != "1" {
		t.Errorf("metrics do not list the added source:\n%s", scrape)
	}
}

func mustAbs(t *testing.T, p string) string {
	t.Helper()
	abs, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// TestEditedConfigFileReloads: saving the config file is enough, no signal
// needed.
func TestEditedConfigFileReloads(t *testing.T) {
	addr := freeAddr(t)
	path := filepath.Join(t.TempDir(), "config.yaml")
	reloadConfig(t, path, addr, addr, "Before", "Harbor Light")
	d := startServe(t, path, addr, 10*time.Millisecond)
	reloadConfig(t, path, addr, addr, "Edited", "Harbor Light", "The Commonplace Collective")
	waitFor(t, "the edited config to apply", func() bool {
		_, sources := d.get(t, "/sources")
		return strings.Contains(sources, "Edited") && strings.Contains(sources, "The Commonplace Collective")
	})
	if !strings.Contains(d.log.String(), "config file changed") {
		t.Errorf("the reload was not logged:\n%s", d.log)
	}
}

// A key a reload cannot apply is compared with what the process started
// with: changed, it is warned about; changed back, it is in effect again
// and nothing is said.
func TestRestartWarningFollowsWhatIsInEffect(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "config.yaml")
	reloadConfig(t, path, "127.0.0.1:1", "127.0.0.1:1", "Boot", "Harbor Light")
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	db, err := storage.Open(filepath.Join(dir, "tributary.db"), storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var logs strings.Builder
	d := newDaemon(context.Background(), path, cfg, db, slog.New(slog.NewTextHandler(&logs, nil)), new(slog.LevelVar), "")
	for _, step := range []struct {
		listen string
		warned bool
	}{
		{"127.0.0.1:2", true},  // changed: needs a restart
		{"127.0.0.1:1", false}, // changed back: what runs
	} {
		logs.Reset()
		reloadConfig(t, path, "127.0.0.1:1", step.listen, "Boot", "Harbor Light")
		if !d.reload() {
			t.Fatalf("reload with listen %s failed:\n%s", step.listen, logs.String())
		}
		if got := strings.Contains(logs.String(), "key=server.listen"); got != step.warned {
			t.Errorf("listen %s: warned %v, want %v:\n%s", step.listen, got, step.warned, logs.String())
		}
	}
}

// TestReloadShowsNextFetchOfNewInterval: after a reload lowers the fetch
// interval, /sources says when the daemon will fetch under it, not the
// time stored under the old one (review: the first reload dropped this).
func TestReloadShowsNextFetchOfNewInterval(t *testing.T) {
	addr := freeAddr(t)
	path := filepath.Join(t.TempDir(), "config.yaml")
	withInterval := func(interval string) {
		reloadConfig(t, path, addr, addr, "Interval", "Harbor Light")
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(strings.Replace(string(b), "fetch:\n", "fetch:\n  interval: "+interval+"\n", 1)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	withInterval("6h")
	d := startServe(t, path, addr, time.Hour) // only SIGHUP reloads here
	if _, page := d.get(t, "/sources"); !strings.Contains(page, "in 6 h") && !strings.Contains(page, "in 5 h") {
		t.Fatalf("before the reload, /sources should show the next fetch in about 6 h:\n%s", page)
	}
	withInterval("5m")
	d.reload <- syscall.SIGHUP
	waitFor(t, "the next fetch under the new interval on /sources", func() bool {
		_, page := d.get(t, "/sources")
		return strings.Contains(page, "in 5 min") || strings.Contains(page, "in 4 min")
	})
}

// A reload closes the connections the fetcher it replaces keeps alive:
// they lingered until their idle timeout, two goroutines and a socket
// each, so a config rewritten every few seconds held dozens (soak QA).
func TestReloadClosesTheOldFetchersConnections(t *testing.T) {
	var closed atomic.Int32
	up := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		io.WriteString(w, `<rss version="2.0"><channel><title>Up</title><item><title>One</title><guid>1</guid></item></channel></rss>`)
	}))
	up.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateClosed {
			closed.Add(1)
		}
	}
	up.Start()
	defer up.Close()
	dir := t.TempDir()
	path := filepath.Join(dir, "config.yaml")
	conf := fmt.Sprintf("storage:\n  path: %s\nserver:\n  listen: 127.0.0.1:1\nfetch:\n  host_delay: 0s\nsources:\n  - name: Up\n    url: %s/feed\n",
		filepath.Join(dir, "tributary.db"), up.URL)
	if err := os.WriteFile(path, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	db, err := storage.Open(cfg.Storage.Path, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	d := newDaemon(context.Background(), path, cfg, db, slog.New(slog.DiscardHandler), new(slog.LevelVar), "")
	if rep, err := d.round(context.Background(), ingest.All); err != nil || rep.Sources[0].Outcome != feed.Fetched {
		t.Fatalf("round: %+v, %v", rep, err)
	}
	if n := closed.Load(); n != 0 {
		t.Fatalf("%d connections closed before the reload; the fetcher should keep its one alive", n)
	}
	if !d.reload() {
		t.Fatal("reload failed")
	}
	waitFor(t, "the old fetcher's connection closed", func() bool { return closed.Load() == 1 })
}

// TestRestartOnly: a reload warns of every key it cannot apply, the rate
// limiter's among them (it outlives reloads, and its change used to be
// ignored without a word).
func TestRestartOnly(t *testing.T) {
	tests := []struct {
		key    string
		change func(*config.Config)
	}{
		{"server.listen", func(c *config.Config) { c.Server.Listen = "127.0.0.1:9" }},
		{"server.rate_limit", func(c *config.Config) { c.Server.RateLimit = 5 }},
		{"server.rate_burst", func(c *config.Config) { c.Server.RateBurst = 5 }},
		{"server.client_ip_header", func(c *config.Config) { c.Server.ClientIPHeader = "X-Real-IP" }},
		{"server.trusted_proxies", func(c *config.Config) {
			c.Server.ClientIPHeader, c.Server.TrustedProxies = "X-Real-IP", []string{"10.0.0.0/8"}
		}},
		{"server.max_connections", func(c *config.Config) { c.Server.MaxConnections = 100 }},
		{"storage.timeout", func(c *config.Config) { c.Storage.Timeout = time.Minute }},
		{"log.format", func(c *config.Config) { c.Log.Format = "json" }},
	}
	behindProxy := func() *config.Config {
		c := config.Default()
		c.Server.ClientIPHeader = "X-Real-IP"
		return c
	}
	for _, tt := range tests {
		cfg, old := config.Default(), config.Default()
		if tt.key == "server.trusted_proxies" {
			old = behindProxy()
		}
		tt.change(cfg)
		if got := restartOnly(old, cfg); !slices.Equal(got, []string{tt.key}) {
			t.Errorf("changing %s: restartOnly = %q", tt.key, got)
		}
	}
	// Changes that change nothing the limiter does are not warned of.
	same := config.Default()
	same.Server.TrustedProxies = []string{"127.0.0.1/8", "::1/128"}
	noLimit := config.Default()
	noLimit.Server.RateLimit = 0
	noLimitBurst := config.Default()
	noLimitBurst.Server.RateLimit, noLimitBurst.Server.RateBurst = 0, 5
	for _, c := range []struct {
		name     string
		old, cfg *config.Config
	}{
		{"no change", config.Default(), config.Default()},
		{"the proxies written otherwise", behindProxy(), func() *config.Config { c := same; c.Server.ClientIPHeader = "X-Real-IP"; return c }()},
		{"the proxies without a header", config.Default(), func() *config.Config { c := config.Default(); c.Server.TrustedProxies = nil; return c }()},
		{"the burst without a limit", noLimit, noLimitBurst},
	} {
		if got := restartOnly(c.old, c.cfg); len(got) != 0 {
			t.Errorf("%s: restartOnly = %q", c.name, got)
		}
	}
}
