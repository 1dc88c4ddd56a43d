package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"regexp"
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

// get returns a page's status and body; an operator endpoint is asked
// with the daemon's local token, as the operator's tools ask.
func (d *daemonUnderTest) get(t *testing.T, path string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, d.base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasPrefix(path, "/metrics") || strings.HasPrefix(path, "/-/") {
		req.Header.Set("Authorization", "Bearer "+d.token(t))
	}
	resp, err := http.DefaultClient.Do(req)
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

// token is the local token the daemon wrote; its "serving" log line names
// the file.
func (d *daemonUnderTest) token(t *testing.T) string {
	t.Helper()
	// Logs are JSON when not on a terminal, text on one.
	m := regexp.MustCompile(`"?operator_token"?[=:]"?([^"\s]+)`).FindStringSubmatch(d.log.String())
	if m == nil {
		t.Fatalf("the serving log line names no operator token:\n%s", d.log)
	}
	return readToken(t, m[1])
}

// readToken reads a local token file as the operator's tools do.
func readToken(t *testing.T, path string) string {
	t.Helper()
	token, err := readLocalToken(path)
	if err != nil || token == "" {
		t.Fatalf("local token %s: %q, %v", path, token, err)
	}
	return token
}

// postOperator posts to an operator endpoint with a local token.
func postOperator(client *http.Client, url, token string) (*http.Response, error) {
	req, err := http.NewRequest(http.MethodPost, url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	return client.Do(req)
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
