package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/tributary/tributary/storage"
)

// buildBinary compiles the command once per test binary run, so crash tests
// can kill a real process.
func buildBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and kills processes; skipped in -short mode")
	}
	bin := filepath.Join(t.TempDir(), "tributary")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// growingUpstream serves sources whose feeds gain items every round: round
// r of source s lists items 0..r*perRound of that source (the newest 60).
type growingUpstream struct {
	mu    sync.Mutex
	round int
}

func (g *growingUpstream) next() {
	g.mu.Lock()
	g.round++
	g.mu.Unlock()
}

func (g *growingUpstream) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	round := g.round
	g.mu.Unlock()
	src := strings.Trim(r.URL.Path, "/")
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0"?><rss version="2.0"><channel><title>%s</title><link>https://%s.example/</link><description>d</description>`, src, src)
	last := 3 + round*3
	for i := last; i >= 0 && i > last-60; i-- {
		fmt.Fprintf(&b, `<item><title>%s post %d</title><link>https://%s.example/p/%d</link><guid>%s-%d</guid>`+
			`<pubDate>%s</pubDate><description>Post number %d of %s: %s</description></item>`,
			src, i, src, i, src, i, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i)*time.Hour).Format(time.RFC1123Z),
			i, src, strings.Repeat("words of the article body ", 20))
	}
	b.WriteString(`</channel></rss>`)
	w.Header().Set("Content-Type", "application/rss+xml")
	fmt.Fprint(w, b.String())
}

// snapshot maps each stored copy's GUID to its entry id.
func snapshot(t *testing.T, path string) map[string]string {
	t.Helper()
	db, err := storage.Open(path, storage.Options{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatalf("store does not open after a kill: %v", err)
	}
	defer db.Close()
	entries, _, err := db.Newest(context.Background(), 0, "")
	if err != nil {
		t.Fatalf("read entries after a kill: %v", err)
	}
	ids := map[string]string{}
	for _, e := range entries {
		for _, c := range e.Copies {
			if prev, dup := ids[c.GUID]; dup {
				t.Fatalf("item %s stored twice, in entries %s and %s", c.GUID, prev, e.ID)
			}
			ids[c.GUID] = e.ID
		}
	}
	return ids
}

func crashCycles() int {
	if n, err := strconv.Atoi(os.Getenv("TRIBUTARY_CRASH_CYCLES")); err == nil && n > 0 {
		return n
	}
	return 25
}

// TestKillDuringFetchLosesNothing kills `tributary fetch` with SIGKILL at
// random points of its rounds, again and again, and checks after each kill
// that the store opens, that nothing committed before is lost or stored
// twice and that ids did not change; then a last round completes.
func TestKillDuringFetchLosesNothing(t *testing.T) {
	bin := buildBinary(t)
	up := &growingUpstream{}
	srv := httptest.NewServer(up)
	defer srv.Close()
	sources := map[string]string{}
	for i := range 12 {
		sources[fmt.Sprintf("Blog %02d", i)] = fmt.Sprintf("%s/blog%02d", srv.URL, i)
	}
	p := newProject(t, "127.0.0.1:1", sources)
	dbPath := filepath.Join(p.dir, "data", "tributary.db")
	rng := rand.New(rand.NewPCG(1, 2))

	before := map[string]string{}
	kills := 0
	for cycle := range crashCycles() {
		up.next()
		cmd := exec.Command(bin, "fetch", "-force", "-config", p.config)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(rng.IntN(60)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		if err := cmd.Wait(); err != nil {
			kills++ // killed before it finished (an exit 0 means it won the race)
		}
		after := snapshot(t, dbPath)
		for guid, id := range before {
			if after[guid] != id {
				t.Fatalf("cycle %d: item %s was in entry %s before the kill, now %q", cycle, guid, id, after[guid])
			}
		}
		before = after
	}
	out, err := exec.Command(bin, "fetch", "-force", "-config", p.config).CombinedOutput()
	if err != nil {
		t.Fatalf("round after %d kills failed: %v\n%s", kills, err, out)
	}
	final := snapshot(t, dbPath)
	last := 3 + up.round*3
	for i := range 12 {
		for n := max(0, last-59); n <= last; n++ {
			if guid := fmt.Sprintf("blog%02d-%d", i, n); final[guid] == "" {
				t.Errorf("after the final round, item %s (in its feed now) is not stored", guid)
			}
		}
	}
	t.Logf("%d cycles, %d killed before they finished; %d items stored", crashCycles(), kills, len(final))
}

// TestSIGTERMShutsDownCleanly stops a serving daemon with SIGTERM and checks
// that it exits 0 promptly and leaves the store closed and whole.
func TestSIGTERMShutsDownCleanly(t *testing.T) {
	bin := buildBinary(t)
	up := &growingUpstream{}
	srv := httptest.NewServer(up)
	defer srv.Close()
	addr := freeAddr(t)
	p := newProject(t, addr, map[string]string{"Blog": srv.URL + "/blog"})
	cmd := exec.Command(bin, "serve", "-config", p.config)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	waitHealthy(t, "http://"+addr+"/readyz")
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve exited with %v after SIGTERM, want status 0", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not exit within 20s of SIGTERM")
	}
	if got := len(snapshot(t, filepath.Join(p.dir, "data", "tributary.db"))); got != 4 {
		t.Errorf("store holds %d items after shutdown, want 4", got)
	}
}
