package ingest

import (
	"context"
	"sync"
	"time"
)

// hostGate keeps a round polite to each host: at most perHost requests in
// flight and at least delay between the starts of two requests to it.
type hostGate struct {
	perHost int
	delay   time.Duration
	mu      sync.Mutex
	hosts   map[string]*hostSlot
}

type hostSlot struct {
	slots chan struct{}
	mu    sync.Mutex
	next  time.Time // earliest start of the next request
}

func newHostGate(perHost int, delay time.Duration) *hostGate {
	return &hostGate{perHost: perHost, delay: delay, hosts: map[string]*hostSlot{}}
}

func (g *hostGate) slot(host string) *hostSlot {
	g.mu.Lock()
	defer g.mu.Unlock()
	s := g.hosts[host]
	if s == nil {
		s = &hostSlot{slots: make(chan struct{}, g.perHost)}
		g.hosts[host] = s
	}
	return s
}

// acquire waits for a free slot and for the host's delay to pass.
func (g *hostGate) acquire(ctx context.Context, host string) error {
	s := g.slot(host)
	select {
	case s.slots <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	if host == "" || g.delay <= 0 {
		return nil
	}
	s.mu.Lock()
	now := time.Now()
	start := s.next
	if start.Before(now) {
		start = now
	}
	s.next = start.Add(g.delay)
	s.mu.Unlock()
	if wait := time.Until(start); wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			<-s.slots
			return ctx.Err()
		}
	}
	return nil
}

func (g *hostGate) release(host string) { <-g.slot(host).slots }
