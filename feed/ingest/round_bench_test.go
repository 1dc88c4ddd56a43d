package ingest_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/fetch"
	"github.com/tributary/tributary/feed/ingest"
	"github.com/tributary/tributary/scripts/benchdata"
	"github.com/tributary/tributary/storage"
)

// BenchmarkRoundManySources times one fetch round over many sources on a
// local upstream: ten sources per host, host names (hNNNN.test) resolved to
// 127.0.0.1, 90% of the sources answering 304 and 10% serving their feed
// again with one new item on top of nine already stored. The round runs with
// the config's default politeness (8 requests at once, 2 per host, 1 s
// between two request starts to one host); the upstream counts the requests
// it has in flight, overall and per host, and the benchmark fails when they
// exceed those limits.
//
// The upstream runs in a process of its own (this test binary again, see
// TestManySourcesUpstream), so that the peak resident memory reported is
// the fetching side's alone (its Go heap, its stacks and the pages of the
// store's file it mapped). It runs 200 sources with a 20 ms host delay
// unless TRIBUTARY_BENCH_SOURCES says how many (the target is about 10000,
// with the 1 s delay). Reported: the round's duration (ns/op), sources/s,
// peak-RSS-MB (VmHWM during the round) and what the upstream saw.
func BenchmarkRoundManySources(b *testing.B) {
	n, delay := 200, 20*time.Millisecond
	if v := os.Getenv("TRIBUTARY_BENCH_SOURCES"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 10 {
			b.Fatalf("TRIBUTARY_BENCH_SOURCES=%q: want a number of at least 10", v)
		}
		delay = time.Second
	}
	up := startUpstream(b, n)
	db, err := storage.Open(filepath.Join(b.TempDir(), "round.db"), storage.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	f := fetch.New(fetch.Options{
		Timeout: 10 * time.Second,
		// Every upstream host is the upstream process.
		LookupNetIP: func(context.Context, string) ([]netip.Addr, error) {
			return []netip.Addr{netip.MustParseAddr("127.0.0.1")}, nil
		},
	})
	defer f.CloseIdleConnections()
	in := ingest.New(db, f, ingest.Options{})
	srcs := make([]feed.Source, n)
	for k := range srcs {
		srcs[k] = feed.Source{ID: fmt.Sprintf("s%05d", k), Name: fmt.Sprintf("Source %d", k),
			URL: fmt.Sprintf("http://h%04d.test:%d/feed/%d.xml", k/10, up.port, k)}
	}
	ctx := context.Background()
	// The first round stores every source's feed and validators.
	if _, err := in.Round(ctx, srcs, ingest.Force, ingest.Politeness{Concurrency: 8, PerHost: 2}); err != nil {
		b.Fatal(err)
	}
	polite := ingest.Politeness{Concurrency: 8, PerHost: 2, HostDelay: delay}
	var stats upstreamStats
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		up.call(b, fmt.Sprintf("/-/publish?v=%d", i+1), nil) // a new item in every tenth feed
		runtime.GC()
		resetPeakRSS()
		b.StartTimer()
		rep, err := in.Round(ctx, srcs, ingest.All, polite)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		outcomes := map[feed.Outcome]int{}
		for _, r := range rep.Sources {
			outcomes[r.Outcome]++
			if r.Outcome == feed.Fetched && r.New != 1 {
				b.Fatalf("%s: %d new entries, want 1", r.Name, r.New)
			}
		}
		if outcomes[feed.NotModified] != n-n/10 || outcomes[feed.Fetched] != n/10 {
			b.Fatalf("outcomes %v, want %d not modified and %d fetched", outcomes, n-n/10, n/10)
		}
		up.call(b, "/-/stats", &stats)
		if stats.MaxInFlight > polite.Concurrency || stats.MaxPerHost > polite.PerHost {
			b.Fatalf("upstream saw %d requests in flight, %d to one host; the limits are %d and %d",
				stats.MaxInFlight, stats.MaxPerHost, polite.Concurrency, polite.PerHost)
		}
		b.StartTimer()
	}
	b.StopTimer()
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "sources/s")
	b.ReportMetric(float64(peakRSS())/(1<<20), "peak-RSS-MB")
	// The Go runtime's share of it (the rest is mostly the store's file,
	// mapped by bbolt): memory obtained from the OS, which the runtime
	// keeps at its high-water mark.
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.Sys)/(1<<20), "go-sys-MB")
	b.ReportMetric(float64(stats.MaxInFlight), "max-in-flight")
	b.ReportMetric(float64(stats.MaxPerHost), "max-per-host")
	// Only reported: the upstream sees a request a little after the round
	// starts it, so a gap may look shorter than the delay the round kept.
	b.ReportMetric(stats.MinHostGapMS, "min-host-gap-ms")
}

// upstreamStats is what the upstream saw since the last publish.
type upstreamStats struct {
	MaxInFlight  int     `json:"max_in_flight"`
	MaxPerHost   int     `json:"max_per_host"`
	MinHostGapMS float64 `json:"min_host_gap_ms"`
}

// upstreamProcess is the upstream of BenchmarkRoundManySources.
type upstreamProcess struct{ port int }

// startUpstream runs TestManySourcesUpstream in a child process and returns
// its address; the child ends when the benchmark does.
func startUpstream(b *testing.B, n int) *upstreamProcess {
	cmd := exec.Command(os.Args[0], "-test.run=^TestManySourcesUpstream$", "-test.count=1")
	cmd.Env = append(os.Environ(), fmt.Sprintf("TRIBUTARY_BENCH_UPSTREAM=%d", n))
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		_ = stdin.Close() // the child serves until its stdin closes
		_ = cmd.Wait()
	})
	var port int
	if _, err := fmt.Fscanf(bufio.NewReader(stdout), "upstream port %d\n", &port); err != nil {
		b.Fatalf("upstream did not start: %v", err)
	}
	go func() { _, _ = io.Copy(io.Discard, stdout) }()
	return &upstreamProcess{port: port}
}

// call asks the upstream's control endpoint; into, when not nil, receives
// its JSON answer.
func (p *upstreamProcess) call(b *testing.B, path string, into any) {
	resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d%s", p.port, path))
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b.Fatalf("%s: %s", path, resp.Status)
	}
	if into != nil {
		if err := json.NewDecoder(resp.Body).Decode(into); err != nil {
			b.Fatalf("%s: %v", path, err)
		}
	}
}

// TestManySourcesUpstream is not a test: it is the upstream process of
// BenchmarkRoundManySources, which starts it with TRIBUTARY_BENCH_UPSTREAM
// set to the number of sources. It prints its port and serves until its
// standard input closes.
func TestManySourcesUpstream(t *testing.T) {
	n, err := strconv.Atoi(os.Getenv("TRIBUTARY_BENCH_UPSTREAM"))
	if err != nil {
		t.Skip("the upstream of BenchmarkRoundManySources; runs only as its child process")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	up := &upstream{n: n, perHost: map[string]int{}, starts: map[string][]time.Time{}, bodies: map[int][]byte{}}
	srv := &http.Server{Handler: up}
	go func() { _ = srv.Serve(ln) }()
	fmt.Printf("upstream port %d\n", ln.Addr().(*net.TCPAddr).Port)
	_, _ = io.Copy(io.Discard, os.Stdin)
	_ = srv.Close()
}

// upstream serves every source's feed: sources k%10 == 0 change with each
// publish, the others answer 304 to their ETag. It records what politeness
// requires: requests in flight overall and per host, and the starts of the
// requests to each host.
type upstream struct {
	n int

	mu       sync.Mutex
	version  int // of the changing feeds
	inFlight int
	maxIn    int
	perHost  map[string]int
	maxHost  int
	starts   map[string][]time.Time
	bodies   map[int][]byte // changing feeds at this version
}

// publish moves the changing feeds to version v: one new item on top. The
// bodies are made here, outside the timed round.
func (up *upstream) publish(v int) {
	bodies := map[int][]byte{}
	for k := 0; k < up.n; k += 10 {
		bodies[k] = benchdata.FeedRange(uint64(k+1), 1000-v, 10, 1500)
	}
	up.mu.Lock()
	defer up.mu.Unlock()
	up.version, up.bodies = v, bodies
	up.maxIn, up.maxHost = 0, 0
	up.starts = map[string][]time.Time{}
}

func (up *upstream) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/-/publish":
		v, err := strconv.Atoi(r.URL.Query().Get("v"))
		if err != nil {
			http.Error(w, "bad version", http.StatusBadRequest)
			return
		}
		up.publish(v)
		return
	case "/-/stats":
		_ = json.NewEncoder(w).Encode(up.stats())
		return
	}
	host := r.Host
	up.mu.Lock()
	up.inFlight++
	up.perHost[host]++
	up.maxIn = max(up.maxIn, up.inFlight)
	up.maxHost = max(up.maxHost, up.perHost[host])
	up.starts[host] = append(up.starts[host], time.Now())
	version, body := up.version, []byte(nil)
	k, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/feed/"), ".xml"))
	if err == nil && k%10 == 0 {
		body = up.bodies[k]
	} else {
		version = 0 // never changes
	}
	up.mu.Unlock()
	defer func() {
		up.mu.Lock()
		up.inFlight--
		up.perHost[host]--
		up.mu.Unlock()
	}()
	if err != nil || k < 0 || k >= up.n {
		http.NotFound(w, r)
		return
	}
	etag := fmt.Sprintf(`"%d-%d"`, k, version)
	w.Header().Set("ETag", etag)
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	if body == nil {
		// Feeds before the first publish: the changing ones hold the nine
		// items their next version keeps, the others one short item.
		if k%10 == 0 {
			body = benchdata.FeedRange(uint64(k+1), 1000, 9, 1500)
		} else {
			body = benchdata.FeedRange(uint64(k+1), 0, 1, 600)
		}
	}
	w.Header().Set("Content-Type", "application/rss+xml; charset=UTF-8")
	_, _ = w.Write(body)
}

// stats reports what the upstream saw since the last publish.
func (up *upstream) stats() upstreamStats {
	up.mu.Lock()
	defer up.mu.Unlock()
	gap := time.Duration(-1)
	for _, starts := range up.starts {
		for i := 1; i < len(starts); i++ {
			if d := starts[i].Sub(starts[i-1]); gap < 0 || d < gap {
				gap = d
			}
		}
	}
	return upstreamStats{MaxInFlight: up.maxIn, MaxPerHost: up.maxHost,
		MinHostGapMS: float64(gap) / float64(time.Millisecond)}
}

// resetPeakRSS starts a new peak of resident memory (Linux; elsewhere the
// peak is the process's).
func resetPeakRSS() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// peakRSS is the process's peak resident memory in bytes since the last
// resetPeakRSS, 0 where /proc does not tell.
func peakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}
