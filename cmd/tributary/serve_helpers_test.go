package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer a daemon may write while a test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// daemonUnderTest is "tributary serve" running in-process.
type daemonUnderTest struct {
	base   string // http://addr
	log    *syncBuffer
	reload chan os.Signal
}

// startServe runs serve with config until the test ends and waits until it
// answers /readyz (its first round is done). poll is the config file's
// polling interval (0: the default).
func startServe(t *testing.T, config, addr string, poll time.Duration) *daemonUnderTest {
	t.Helper()
	d := &daemonUnderTest{base: "http://" + addr, log: &syncBuffer{}, reload: make(chan os.Signal, 1)}
	e := &env{stdout: io.Discard, stderr: d.log, getenv: func(string) string { return "" },
		reload: d.reload, configPoll: poll}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	go func() { done <- run(ctx, e, []string{"serve", "-config", config}) }()
	t.Cleanup(func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("serve exited %d after cancel, want 0\n%s", code, d.log)
		}
	})
	waitHealthy(t, d.base+"/readyz")
	return d
}

// get returns a page's status and body.
func (d *daemonUnderTest) get(t *testing.T, path string) (int, string) {
	t.Helper()
	resp, err := http.Get(d.base + path)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	return resp.StatusCode, string(b)
}

// waitFor polls cond until it holds, failing the test after a generous
// deadline (a bound on a hang, not a timed assertion).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// metricValue returns the value of one series line of a scrape ("" when
// absent).
func metricValue(scrape, series string) string {
	for line := range strings.SplitSeq(scrape, "\n") {
		if v, ok := strings.CutPrefix(line, series+" "); ok {
			return v
		}
	}
	return ""
}
