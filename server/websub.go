package server

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/tributary/tributary/storage"
)

// Retry policy of a publish ping: a hub that fails is asked again after 2 s,
// 4 s, 8 s, 16 s; then the ping is given up (the next change pings again).
const (
	pingAttempts   = 5
	pingBackoff    = 2 * time.Second
	maxPingBackoff = 5 * time.Minute
)

// publish announces feed changes to the WebSub hubs until ctx is done. It
// polls the store's version (an atomic read, so ingestion never waits for
// it) and after a change pings each hub with the URL, in every format, of
// each feed whose subscription document changed. Each hub has its own
// queue and goroutine, so a slow or failing hub delays neither the others
// nor the next detection. The hubs are those of the config in effect
// (Options.Current): a reload that adds or removes one takes effect at the
// next poll. With no hub, a poll reads nothing but the config.
func (s *Server) publish(ctx context.Context) {
	tick := time.NewTicker(s.opts.WebSubPoll)
	defer tick.Stop()
	s.watch(ctx, tick.C)
}

// announced is the Server whose feeds are announced (Options.Current).
func (s *Server) announced() *Server {
	if s.opts.Current != nil {
		if c := s.opts.Current(); c != nil {
			return c
		}
	}
	return s
}

// watch runs the announcing at every tick, and once before the first: it
// brings the hubs' queues in line with the hubs in effect, and queues the
// URLs of the feeds that changed since the signatures last seen.
func (s *Server) watch(ctx context.Context, tick <-chan time.Time) {
	hubs := &hubSet{deliver: s.deliver, running: map[string]*hubRun{}}
	defer hubs.stop()
	var (
		watching bool // there were hubs at the last check
		last     uint64
		seen     map[string]string
	)
	check := func() {
		cur := s.announced()
		hubs.set(ctx, cur.opts.Page.Hubs)
		switch {
		case len(hubs.running) == 0:
			watching = false
		case !watching:
			// The feeds as they are when announcing starts are what
			// subscribers may already have: only later changes are
			// announced.
			var err error
			watching = true
			if last, seen, err = cur.feedSignatures(ctx); err != nil {
				s.log.WarnContext(ctx, "websub: cannot read the feeds; the next change will be announced for every feed", "err", err)
				last, seen = 0, nil
			}
		case s.store.Version() != last:
			changed, version, now, err := cur.changedFeeds(ctx, seen)
			if err != nil {
				// Keep the old state: the next tick tries again.
				s.log.WarnContext(ctx, "websub: cannot tell which feeds changed", "err", err)
				return
			}
			last, seen = version, now
			hubs.add(changed)
		}
	}
	check()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick:
			check()
		}
	}
}

// hubSet is the hubs being announced to, each with its queue and the
// goroutine delivering it.
type hubSet struct {
	deliver func(ctx context.Context, q *hubQueue)
	running map[string]*hubRun
}

type hubRun struct {
	q    *hubQueue
	stop context.CancelFunc
	done chan struct{}
}

// set starts a queue for each hub in hubs not running yet and stops those
// of hubs no longer in it, dropping their pending pings.
func (h *hubSet) set(ctx context.Context, hubs []string) {
	for hub, r := range h.running {
		if !slices.Contains(hubs, hub) {
			r.stop()
			<-r.done
			delete(h.running, hub)
		}
	}
	for _, hub := range hubs {
		if _, ok := h.running[hub]; ok {
			continue
		}
		rctx, stop := context.WithCancel(ctx)
		r := &hubRun{q: newHubQueue(hub), stop: stop, done: make(chan struct{})}
		go func() {
			defer close(r.done)
			h.deliver(rctx, r.q)
		}()
		h.running[hub] = r
	}
}

// add queues topics for every hub.
func (h *hubSet) add(topics []string) {
	for _, r := range h.running {
		r.q.add(topics)
	}
}

// stop stops every hub's goroutine and waits for them.
func (h *hubSet) stop() { h.set(context.Background(), nil) }

// feedSignatures returns a digest of every feed's subscription document,
// keyed by the feed's path, and the version they belong to. All three
// formats are rendered from the same entries, so one digest stands for all.
func (s *Server) feedSignatures(ctx context.Context) (uint64, map[string]string, error) {
	version := s.store.Version()
	cat, err := s.catalog(ctx)
	if err != nil {
		return 0, nil, err
	}
	sigs := map[string]string{}
	for _, sc := range cat.scopes() {
		sig, err := s.feedSignature(ctx, sc)
		if err != nil {
			return 0, nil, fmt.Errorf("signature of %sfeed: %w", sc.dir(), err)
		}
		sigs[sc.dir()] = sig
	}
	return version, sigs, nil
}

// feedSignature digests what decides a feed's subscription document: its
// metadata, how many entries it has (its last-page link) and the id and
// stored bytes of each entry on it. The store checksums the bytes without
// decoding them (storage.WindowDigests): every field a format renders is
// among them, so no change of the document goes unannounced; a change of a
// field no format renders announces the feed once more than needed.
// Decoding the entries and digesting their rendered fields, as this did
// before, cost several times as much (BenchmarkFeedSignatures).
func (s *Server) feedSignature(ctx context.Context, sc scope) (string, error) {
	page, sel, ok, err := s.feedSelection(ctx, sc)
	if err != nil || !ok {
		return "none", err
	}
	win, err := s.store.WindowDigests(ctx, storage.Query{Selection: sel, Limit: s.opts.MaxItems})
	if err != nil {
		return "", err
	}
	h := sha256.New()
	fmt.Fprintf(h, "%q %q %q %q %d\n", page.Title, page.Description, page.AlternateURL, page.Author, win.Total)
	// Each id is written with its length, so that no two pages write the
	// same bytes.
	buf := make([]byte, 0, len(win.Entries)*64)
	for _, d := range win.Entries {
		buf = binary.BigEndian.AppendUint64(buf, uint64(len(d.ID)))
		buf = append(buf, d.ID...)
		buf = binary.BigEndian.AppendUint64(buf, d.Sum)
	}
	h.Write(buf)
	return hex.EncodeToString(h.Sum(nil)), nil
}

// changedFeeds returns the URLs (every format) of the feeds whose signature
// differs from before, with the new signatures and their version.
func (s *Server) changedFeeds(ctx context.Context, before map[string]string) ([]string, uint64, map[string]string, error) {
	version, now, err := s.feedSignatures(ctx)
	if err != nil {
		return nil, 0, nil, err
	}
	var urls []string
	for _, dir := range slices.Sorted(maps.Keys(now)) {
		if before != nil && before[dir] == now[dir] {
			continue
		}
		for _, f := range formats {
			urls = append(urls, s.opts.Page.BaseURL+dir+"feed."+string(f))
		}
	}
	return urls, version, now, nil
}

// hubQueue is the topics waiting to be announced to one hub: a set, so a
// feed that changes again before its ping went out is pinged once.
type hubQueue struct {
	hub     string
	mu      sync.Mutex
	pending map[string]bool
	wake    chan struct{}
}

func newHubQueue(hub string) *hubQueue {
	return &hubQueue{hub: hub, pending: map[string]bool{}, wake: make(chan struct{}, 1)}
}

func (q *hubQueue) add(topics []string) {
	if len(topics) == 0 {
		return
	}
	q.mu.Lock()
	for _, t := range topics {
		q.pending[t] = true
	}
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default: // already woken
	}
}

func (q *hubQueue) take() []string {
	q.mu.Lock()
	defer q.mu.Unlock()
	topics := slices.Sorted(maps.Keys(q.pending))
	clear(q.pending)
	return topics
}

// deliver pings q's hub with its pending topics, one at a time, until ctx
// is done.
func (s *Server) deliver(ctx context.Context, q *hubQueue) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-q.wake:
		}
		for _, topic := range q.take() {
			if err := s.ping(ctx, q.hub, topic); err != nil && ctx.Err() == nil {
				s.log.WarnContext(ctx, "websub: publish ping failed", "hub", q.hub, "topic", topic, "err", err)
			}
		}
	}
}

// errPermanent marks a hub's refusal that asking again will not change.
var errPermanent = errors.New("refused")

// ping tells hub that topic changed, retrying with backoff while the hub is
// unreachable or answers 5xx, 408 or 429.
func (s *Server) ping(ctx context.Context, hub, topic string) error {
	delay := pingBackoff
	for attempt := 1; ; attempt++ {
		err := s.pingOnce(ctx, hub, topic)
		if err == nil {
			s.log.DebugContext(ctx, "websub: published", "hub", hub, "topic", topic, "attempt", attempt)
			return nil
		}
		if errors.Is(err, errPermanent) || attempt == pingAttempts || ctx.Err() != nil {
			return fmt.Errorf("after %d attempt(s): %w", attempt, err)
		}
		s.log.DebugContext(ctx, "websub: ping failed, retrying", "hub", hub, "topic", topic, "in", delay, "err", err)
		if err := s.sleep(ctx, delay); err != nil {
			return err
		}
		delay = min(2*delay, maxPingBackoff)
	}
}

// pingOnce posts one publish notification: hub.mode=publish and hub.url,
// form-encoded, as hubs have accepted since PubSubHubbub 0.3.
func (s *Server) pingOnce(ctx context.Context, hub, topic string) error {
	form := url.Values{"hub.mode": {"publish"}, "hub.url": {topic}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, hub, strings.NewReader(form.Encode()))
	if err != nil {
		return fmt.Errorf("ping %s: %w: %w", hub, errPermanent, err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	// The config in effect names the agent: a reload may change it.
	req.Header.Set("User-Agent", s.announced().opts.UserAgent)
	resp, err := s.opts.WebSubClient.Do(req)
	if err != nil {
		return fmt.Errorf("ping %s: %w", hub, err)
	}
	defer resp.Body.Close()
	// Read a little so the connection can be reused; hubs answer briefly.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	switch c := resp.StatusCode; {
	case c >= 200 && c < 300:
		return nil
	case c >= 400 && c < 500 && c != http.StatusRequestTimeout && c != http.StatusTooManyRequests:
		return fmt.Errorf("ping %s: %w with %s", hub, errPermanent, resp.Status)
	default:
		return fmt.Errorf("ping %s: answered %s", hub, resp.Status)
	}
}

// sleepCtx waits d or until ctx is done.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
