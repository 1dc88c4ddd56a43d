package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestServingWhileFetchRoundsWrite keeps many concurrent readers on the
// feeds while fetch rounds write new entries, and checks that every request
// is answered (200 or 304, never an error). Latencies are logged, not
// asserted: timings belong to benchmarks.
func TestServingWhileFetchRoundsWrite(t *testing.T) {
	if testing.Short() {
		t.Skip("load run; skipped in -short mode")
	}
	up := &growingUpstream{}
	srv := httptest.NewServer(up)
	defer srv.Close()
	sources := map[string]string{}
	for i := range 8 {
		sources[fmt.Sprintf("Blog %d", i)] = fmt.Sprintf("%s/blog%d", srv.URL, i)
	}
	addr := freeAddr(t)
	p := newProject(t, addr, sources)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	go func() {
		code, _, _ := tributary(t, ctx, "serve", "-config", p.config)
		done <- code
	}()
	defer func() {
		cancel()
		<-done
	}()
	base := "http://" + addr
	waitHealthy(t, base+"/readyz")

	const readers, rounds = 32, 6
	stop := make(chan struct{})
	var requests, failures atomic.Int64
	var mu sync.Mutex
	var latencies []time.Duration
	var wg sync.WaitGroup
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: readers}}
	for r := range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			path := []string{"/feed.atom", "/feed.rss", "/feed.json"}[r%3]
			etag := ""
			for {
				select {
				case <-stop:
					return
				default:
				}
				req, _ := http.NewRequest(http.MethodGet, base+path, nil)
				if r%2 == 0 {
					req.Header.Set("Accept-Encoding", "gzip")
				}
				if r%4 == 1 && etag != "" {
					req.Header.Set("If-None-Match", etag)
				}
				start := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					failures.Add(1)
					t.Errorf("GET %s: %v", path, err)
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				d := time.Since(start)
				requests.Add(1)
				if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusNotModified {
					failures.Add(1)
					t.Errorf("GET %s: %s", path, resp.Status)
				}
				etag = resp.Header.Get("ETag")
				mu.Lock()
				latencies = append(latencies, d)
				mu.Unlock()
			}
		}()
	}
	token := readToken(t, filepath.Join(p.dir, "data", "tributary.db.token"))
	for range rounds {
		up.next()
		resp, err := postOperator(client, base+"/-/fetch", token)
		if err != nil {
			t.Fatalf("trigger a round: %v", err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("trigger a round: %s", resp.Status)
		}
	}
	close(stop)
	wg.Wait()
	if failures.Load() > 0 {
		t.Fatalf("%d of %d requests failed while rounds wrote", failures.Load(), requests.Load())
	}
	slices.Sort(latencies)
	q := func(f float64) time.Duration { return latencies[int(f*float64(len(latencies)-1))] }
	t.Logf("%d readers, %d rounds: %d requests, none failed; latency p50 %v p99 %v max %v",
		readers, rounds, len(latencies), q(0.5), q(0.99), latencies[len(latencies)-1])
}
