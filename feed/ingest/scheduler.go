package ingest

import (
	"container/heap"
	"context"
	"sync"
	"time"

	"github.com/tributary/tributary/feed"
)

// roundJob is one source a round fetches.
type roundJob struct {
	i   int // the source's place in the round and in its report
	src feed.Source
	st  feed.SourceState
	// taken is when the scheduler handed the job out: the start its
	// host's delay is counted from.
	taken time.Time
}

// scheduler hands a round's jobs to its workers and keeps the round polite
// to each host: at most perHost requests in flight to one host and at least
// delay between the starts of two requests to it (local files, host "",
// share one host's slots and wait for no delay).
//
// A worker asks for the next job whose host may be contacted now, and
// sleeps, holding nothing, only when no host may: the round's concurrency is
// spent on fetching, never on waiting out one host's delay while others are
// ready. (Taking a global slot first and then waiting for the host made a
// round over ten sources per host take ten host delays per slot.) Hosts are
// served earliest turn first, ties in the order the round first names them,
// and each host's sources in the round's order.
type scheduler struct {
	perHost int
	delay   time.Duration

	mu    sync.Mutex
	ready hostHeap // hosts with a job waiting and a free slot
	left  int      // jobs not handed out yet
	// changed is closed, and replaced, whenever a slot frees: workers
	// waiting for one look again.
	changed chan struct{}
}

// hostQueue is one host's jobs and the state of its politeness.
type hostQueue struct {
	name     string
	jobs     []roundJob
	inFlight int
	next     time.Time // earliest start of its next request
	order    int       // first appearance in the round
	index    int       // position in the ready heap, -1 when not in it
}

func newScheduler(jobs []roundJob, perHost int, delay time.Duration) *scheduler {
	s := &scheduler{perHost: perHost, delay: delay, left: len(jobs), changed: make(chan struct{})}
	byName := map[string]*hostQueue{}
	for _, j := range jobs {
		name := hostOf(j.src.URL)
		h := byName[name]
		if h == nil {
			h = &hostQueue{name: name, order: len(byName), index: -1}
			byName[name] = h
			heap.Push(&s.ready, h)
		}
		h.jobs = append(h.jobs, j)
	}
	return s
}

// paced reports whether requests to h wait for the delay.
func (s *scheduler) paced(h *hostQueue) bool { return h.name != "" && s.delay > 0 }

// take returns the next job and its host, waiting for a host's turn; false
// when every job was handed out or ctx is done.
func (s *scheduler) take(ctx context.Context) (roundJob, *hostQueue, bool) {
	for {
		s.mu.Lock()
		if s.left == 0 {
			s.mu.Unlock()
			return roundJob{}, nil, false
		}
		wait := time.Duration(-1) // until a slot frees
		if len(s.ready) > 0 {
			h := s.ready[0]
			now := time.Now()
			if !s.paced(h) || !now.Before(h.next) {
				j := h.jobs[0]
				j.taken = now
				h.jobs = h.jobs[1:]
				h.inFlight++
				s.left--
				if s.paced(h) {
					h.next = now.Add(s.delay)
				}
				if len(h.jobs) == 0 || h.inFlight >= s.perHost {
					heap.Remove(&s.ready, h.index)
				} else {
					heap.Fix(&s.ready, h.index)
				}
				s.mu.Unlock()
				return j, h, true
			}
			wait = h.next.Sub(now)
		}
		changed := s.changed
		s.mu.Unlock()
		if !sleep(ctx, wait, changed) {
			return roundJob{}, nil, false
		}
	}
}

// done returns a slot of h once its job is finished.
func (s *scheduler) done(h *hostQueue) {
	s.mu.Lock()
	defer s.mu.Unlock()
	h.inFlight--
	if len(h.jobs) > 0 && h.index < 0 {
		heap.Push(&s.ready, h)
	}
	close(s.changed)
	s.changed = make(chan struct{})
}

// sleep waits for d (forever when negative), for changed to close or for ctx
// to be done; false for the last.
func sleep(ctx context.Context, d time.Duration, changed <-chan struct{}) bool {
	var timer <-chan time.Time
	if d >= 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		timer = t.C
	}
	select {
	case <-timer:
	case <-changed:
	case <-ctx.Done():
		return false
	}
	return true
}

// hostHeap orders hosts by the start of their next turn, then by first
// appearance.
type hostHeap []*hostQueue

func (h hostHeap) Len() int { return len(h) }
func (h hostHeap) Less(i, j int) bool {
	if !h[i].next.Equal(h[j].next) {
		return h[i].next.Before(h[j].next)
	}
	return h[i].order < h[j].order
}
func (h hostHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index, h[j].index = i, j
}
func (h *hostHeap) Push(x any) {
	q := x.(*hostQueue)
	q.index = len(*h)
	*h = append(*h, q)
}
func (h *hostHeap) Pop() any {
	old := *h
	q := old[len(old)-1]
	old[len(old)-1] = nil
	q.index = -1
	*h = old[:len(old)-1]
	return q
}
