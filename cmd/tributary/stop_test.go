package main

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// QA: SIGTERM while a round triggered over HTTP waited on a hanging
// upstream did not stop the round; the server gave up draining after its
// grace period, the store was closed under the round, the states it had
// fetched were lost, and serve exited 1. The round must stop with the
// daemon, keep what it fetched, and serve exit 0.
func TestStopDuringATriggeredRound(t *testing.T) {
	up := newUpstream(t)
	up.set("/fast.xml", originalFeed("Council Approves Floodwall Plan"))
	var hang atomic.Bool
	arrived := make(chan struct{}, 1)
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hang.Load() {
			arrived <- struct{}{}
			<-r.Context().Done() // until the fetch is cancelled
			return
		}
		io.WriteString(w, `<rss version="2.0"><channel><title>Slow</title><link>https://slow.example/</link>
<item><title>Tide tables for December</title><link>https://slow.example/tides</link><guid>slow-1</guid>
<description>High water at the harbour mouth is at 06:12 and 18:40 on the first.</description></item></channel></rss>`)
	}))
	defer slow.Close()
	addr := freeAddr(t)
	p := newProject(t, addr, map[string]string{"Fast": up.URL + "/fast.xml", "Slow": slow.URL + "/slow.xml"})
	// A fetch timeout longer than the server's grace period for draining
	// requests; both upstreams are on 127.0.0.1, and the fast one must not
	// wait for the slow one's turn.
	cfg, _ := os.ReadFile(p.config)
	os.WriteFile(p.config, []byte(strings.NewReplacer("timeout: 5s", "timeout: 60s",
		"host_delay: 0s", "host_delay: 0s\n  concurrency: 4\n  per_host: 4").Replace(string(cfg))), 0o644)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	type result struct {
		code      int
		out, errs string
	}
	done := make(chan result, 1)
	go func() {
		code, out, errs := tributary(t, ctx, "serve", "-config", p.config)
		done <- result{code, out, errs}
	}()
	waitHealthy(t, "http://"+addr+"/readyz")

	up.set("/fast.xml", originalFeed("Council Approves Floodwall Plan, Second Reading"))
	hang.Store(true)
	answered := make(chan error, 1)
	tokenPath := filepath.Join(p.dir, "data", "tributary.db.token")
	// The local token is readable by the daemon's user only.
	if fi, err := os.Stat(tokenPath); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("local token file: %v, %v; want mode 0600", fi, err)
	}
	token := readToken(t, tokenPath)
	go func() {
		resp, err := postOperator(http.DefaultClient, "http://"+addr+"/-/fetch?force=1", token)
		if err == nil {
			resp.Body.Close()
		}
		answered <- err
	}()
	<-arrived
	waitFor(t, "the fast source's new title served", func() bool { return serves(addr, "Second Reading") })

	cancel() // SIGTERM
	r := <-done
	if r.code != exitOK {
		t.Errorf("serve exited %d after a stop during a triggered round, want 0:\n%s", r.code, r.errs)
	}
	if i, j := strings.Index(r.errs, `"msg":"stopping`), strings.Index(r.errs, `"msg":"stopped"`); i < 0 || j < i {
		t.Errorf("the stop is not logged before the end of it:\n%s", r.errs)
	}
	if !strings.Contains(r.errs, `"fetch stopped","source":"Slow","reason":"not fetched: the daemon is stopping"`) ||
		strings.Contains(r.errs, "fetch failed") || strings.Contains(r.errs, "database not open") {
		t.Errorf("log of the stop:\n%s", r.errs)
	}
	if err := <-answered; err != nil {
		t.Errorf("the client that triggered the round got no answer: %v", err)
	}
	if _, err := os.Stat(tokenPath); !os.IsNotExist(err) {
		t.Errorf("the local token outlived the daemon: %v", err)
	}

	// The round stored the fast source's state: fetched again, it is
	// asked conditionally and answers 304.
	hang.Store(false)
	before := up.notModified("/fast.xml")
	if code, out, errs := tributary(t, context.Background(), "fetch", "-config", p.config, "-force"); code != exitOK {
		t.Fatalf("fetch after the stop exited %d:\n%s%s", code, out, errs)
	}
	if up.notModified("/fast.xml") != before+1 {
		t.Errorf("the fast source was not fetched conditionally after the stop: its state was lost")
	}
}

// notModified is how many times path was answered 304.
func (u *upstream) notModified(path string) int {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.got304[path]
}

// QA: a cron fetch stopped (SIGTERM) while it waited for the daemon's
// round said no daemon had answered; one had.
func TestCronFetchStoppedWhileTheDaemonWorks(t *testing.T) {
	release := make(chan struct{})
	var hang atomic.Bool
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hang.Load() {
			select {
			case <-r.Context().Done():
				return
			case <-release:
			}
			io.WriteString(w, originalFeed("Council Approves Floodwall Plan, Second Reading"))
			return
		}
		io.WriteString(w, originalFeed("Council Approves Floodwall Plan"))
	}))
	defer slow.Close()
	addr := freeAddr(t)
	p := newProject(t, addr, map[string]string{"Slow": slow.URL + "/slow.xml"})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		code, _, _ := tributary(t, ctx, "serve", "-config", p.config)
		done <- code
	}()
	defer func() {
		cancel()
		<-done
	}()
	waitHealthy(t, "http://"+addr+"/readyz")

	hang.Store(true)
	fctx, stop := context.WithCancelCause(context.Background())
	time.AfterFunc(300*time.Millisecond, func() { stop(errors.New("terminated signal received")) })
	code, out, errs := tributary(t, fctx, "fetch", "-config", p.config, "-force")
	if code != exitFailure || !strings.Contains(errs, "stopped waiting for the daemon's round") || strings.Contains(errs, "no daemon answered") {
		t.Errorf("cron fetch stopped while the daemon worked: exit %d:\n%s%s", code, out, errs)
	}
	// The round goes on without its caller (review: it was cancelled
	// with the request) and stores what the upstream sends at last.
	close(release)
	waitFor(t, "the round's result served after its caller left", func() bool { return serves(addr, "Second Reading") })
}

// serves reports whether the daemon at addr serves text in its unified
// feed now.
func serves(addr, text string) bool {
	resp, err := http.Get("http://" + addr + "/feed.atom")
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return strings.Contains(string(b), text)
}
