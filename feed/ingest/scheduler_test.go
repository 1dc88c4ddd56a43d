package ingest

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/storage"
)

// runScheduler hands jobs out to workers goroutines and records, per job,
// which host it went to and when, and the most jobs in flight overall and
// per host.
func runScheduler(t *testing.T, jobs []roundJob, workers, perHost int, delay time.Duration) (order map[string][]int, starts map[string][]time.Time, maxAll int, maxHost map[string]int) {
	t.Helper()
	s := newScheduler(jobs, perHost, delay)
	order, starts, maxHost = map[string][]int{}, map[string][]time.Time{}, map[string]int{}
	inHost := map[string]int{}
	var mu sync.Mutex
	all := 0
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				j, h, ok := s.take(context.Background())
				if !ok {
					return
				}
				mu.Lock()
				all++
				inHost[h.name]++
				maxAll = max(maxAll, all)
				maxHost[h.name] = max(maxHost[h.name], inHost[h.name])
				order[h.name] = append(order[h.name], j.i)
				// When the scheduler handed it out: a worker's own clock
				// read after a wait for this lock came late, and two
				// starts 5 ms apart were seen 4.98 ms apart.
				starts[h.name] = append(starts[h.name], j.taken)
				mu.Unlock()
				time.Sleep(time.Millisecond) // a request
				mu.Lock()
				all--
				inHost[h.name]--
				mu.Unlock()
				s.done(h)
			}
		})
	}
	wg.Wait()
	return order, starts, maxAll, maxHost
}

func jobsOn(hosts, perHost int) []roundJob {
	var jobs []roundJob
	for i := range hosts * perHost {
		// Sources listed host by host, as configs often are.
		host := i / perHost
		jobs = append(jobs, roundJob{i: i, src: feed.Source{URL: fmt.Sprintf("https://h%d.example/feed/%d", host, i)}})
	}
	return jobs
}

// TestSchedulerPoliteness: every source is fetched once, a host's sources
// in the round's order, with at most PerHost requests in flight to a host
// and the round's concurrency overall, and each host's requests started at
// least HostDelay apart.
func TestSchedulerPoliteness(t *testing.T) {
	tests := []struct {
		name             string
		hosts, each      int
		workers, perHost int
		delay            time.Duration
	}{
		{"many hosts, no delay", 20, 5, 8, 2, 0},
		{"one host", 1, 12, 8, 2, 0},
		{"one at a time per host", 4, 6, 8, 1, 0},
		{"with a delay", 3, 3, 4, 2, 5 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			jobs := jobsOn(tt.hosts, tt.each)
			order, starts, maxAll, maxHost := runScheduler(t, jobs, tt.workers, tt.perHost, tt.delay)
			var seen []int
			for host, idx := range order {
				// Two jobs of a host taken at once may be recorded in
				// either order; one at a time, they are in the round's.
				if tt.perHost == 1 && !slices.IsSorted(idx) {
					t.Errorf("%s: sources fetched in order %v", host, idx)
				}
				seen = append(seen, idx...)
				if maxHost[host] > tt.perHost {
					t.Errorf("%s: %d requests in flight, per-host limit %d", host, maxHost[host], tt.perHost)
				}
				// Recorded in the order the workers took the lock.
				slices.SortFunc(starts[host], time.Time.Compare)
				for i := 1; i < len(starts[host]); i++ {
					if gap := starts[host][i].Sub(starts[host][i-1]); gap < tt.delay {
						t.Errorf("%s: requests started %v apart, delay %v", host, gap, tt.delay)
					}
				}
			}
			slices.Sort(seen)
			if len(seen) != len(jobs) || len(slices.Compact(seen)) != len(jobs) {
				t.Errorf("%d of %d jobs handed out, some twice or never", len(seen), len(jobs))
			}
			if maxAll > tt.workers {
				t.Errorf("%d requests in flight, concurrency %d", maxAll, tt.workers)
			}
		})
	}
}

// TestSchedulerCancel: a cancelled round hands out no more jobs, even to a
// worker waiting for a host's delay.
func TestSchedulerCancel(t *testing.T) {
	s := newScheduler(jobsOn(1, 3), 1, time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	_, h, ok := s.take(ctx)
	if !ok {
		t.Fatal("first job not handed out")
	}
	s.done(h)
	done := make(chan bool)
	go func() {
		_, _, ok := s.take(ctx) // waits an hour for the host
		done <- ok
	}()
	cancel()
	if <-done {
		t.Error("a job was handed out after the round was cancelled")
	}
}

var errFailing = errors.New("this function fails")

// TestCommitterGroups: functions that reach the committer together share a
// transaction; one that fails is left out with its error and the others are
// committed.
func TestCommitterGroups(t *testing.T) {
	db, err := storage.Open(filepath.Join(t.TempDir(), "c.db"), storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	c := &committer{store: db}
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make([]error, 20)
	for i := range errs {
		wg.Go(func() {
			errs[i] = c.do(ctx, func(tx feed.Tx) error {
				if i == 7 {
					return errFailing
				}
				return tx.PutSourceState(feed.SourceState{SourceID: fmt.Sprintf("s%02d", i), Items: i})
			})
		})
	}
	wg.Wait()
	for i, err := range errs {
		if i == 7 && !errors.Is(err, errFailing) || i != 7 && err != nil {
			t.Errorf("function %d: error %v", i, err)
		}
	}
	states, err := db.Sources(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(states) != 19 {
		t.Fatalf("%d states stored, want 19", len(states))
	}
	for _, st := range states {
		if st.SourceID == "s07" || st.SourceID != fmt.Sprintf("s%02d", st.Items) {
			t.Errorf("stored %+v", st)
		}
	}
}

// TestStateBatch: states put in a batch are all stored once it is flushed,
// the last of a source's states winning.
func TestStateBatch(t *testing.T) {
	db, err := storage.Open(filepath.Join(t.TempDir(), "b.db"), storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	out := newRoundSink(db)
	ctx := context.Background()
	n := batchStates*2 + 10
	for i := range n {
		if err := out.state(ctx, feed.SourceState{SourceID: fmt.Sprintf("s%04d", i%(n-5)), Items: i}); err != nil {
			t.Fatal(err)
		}
	}
	if err := out.batch.flush(ctx); err != nil {
		t.Fatal(err)
	}
	states, err := db.Sources(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(states) != n-5 {
		t.Fatalf("%d states stored, want %d", len(states), n-5)
	}
	for _, st := range states {
		var k int
		_, _ = fmt.Sscanf(st.SourceID, "s%04d", &k)
		want := k
		if k < 5 {
			want = k + n - 5 // put twice: the later state
		}
		if st.Items != want {
			t.Errorf("%s: items %d, want %d", st.SourceID, st.Items, want)
		}
	}
}
