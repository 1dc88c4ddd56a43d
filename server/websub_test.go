package server

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/render"
)

// hub is an httptest WebSub hub that records publish pings and answers
// them with the statuses queued in answers (204 once they run out).
type hub struct {
	mu      sync.Mutex
	answers []int
	pings   []pingRecord
	got     chan pingRecord
	srv     *httptest.Server
}

type pingRecord struct{ mode, topic, contentType string }

func newHub(t *testing.T, answers ...int) *hub {
	h := &hub{answers: answers, got: make(chan pingRecord, 100)}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			t.Errorf("hub: %v", err)
		}
		p := pingRecord{r.PostForm.Get("hub.mode"), r.PostForm.Get("hub.url"), r.Header.Get("Content-Type")}
		h.mu.Lock()
		h.pings = append(h.pings, p)
		status := http.StatusNoContent
		if len(h.answers) > 0 {
			status, h.answers = h.answers[0], h.answers[1:]
		}
		h.mu.Unlock()
		w.WriteHeader(status)
		h.got <- p
	}))
	t.Cleanup(h.srv.Close)
	return h
}

func (h *hub) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.pings)
}

func TestPingRetries(t *testing.T) {
	tests := []struct {
		name     string
		answers  []int
		attempts int
		ok       bool
		sleeps   []time.Duration
	}{
		{"accepted", []int{202}, 1, true, nil},
		{"hub errors, then accepted", []int{503, 500}, 3, true, []time.Duration{2 * time.Second, 4 * time.Second}},
		{"rate limited, then accepted", []int{429}, 2, true, []time.Duration{2 * time.Second}},
		{"refused: not retried", []int{400}, 1, false, nil},
		{"gone: not retried", []int{404}, 1, false, nil},
		{"failing throughout", []int{502, 502, 502, 502, 502, 502}, pingAttempts, false,
			[]time.Duration{2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hb := newHub(t, tt.answers...)
			s := newTest(t, &fakeStore{}, nil, Options{UserAgent: "Tributary/test"})
			var sleeps []time.Duration
			s.sleep = func(ctx context.Context, d time.Duration) error { sleeps = append(sleeps, d); return nil }
			err := s.ping(context.Background(), hb.srv.URL, base+"feed.atom")
			if (err == nil) != tt.ok {
				t.Errorf("ping: %v, want ok=%v", err, tt.ok)
			}
			if hb.count() != tt.attempts || !slices.Equal(sleeps, tt.sleeps) {
				t.Errorf("%d attempts with sleeps %v, want %d and %v", hb.count(), sleeps, tt.attempts, tt.sleeps)
			}
			for _, p := range hb.pings {
				if p != (pingRecord{"publish", base + "feed.atom", "application/x-www-form-urlencoded"}) {
					t.Errorf("ping %+v", p)
				}
			}
		})
	}

	// An unreachable hub is retried like a failing one.
	hb := newHub(t)
	hb.srv.Close()
	s := newTest(t, &fakeStore{}, nil, Options{})
	n := 0
	s.sleep = func(ctx context.Context, d time.Duration) error { n++; return nil }
	if err := s.ping(context.Background(), hb.srv.URL, base+"feed.atom"); err == nil || n != pingAttempts-1 {
		t.Errorf("unreachable hub: %v after %d retries, want an error after %d", err, n, pingAttempts-1)
	}
}

// TestAnnounceChangedFeeds: after a change, exactly the feeds whose
// documents changed are announced, in every format.
func TestAnnounceChangedFeeds(t *testing.T) {
	db := openCorpus(t)
	s := corpusServer(t, db, 50, "https://hub.example.net/")
	// A feed already in the cache is compared through it, the others
	// without being cached.
	do(s.Handler(), "GET", "/feed.atom")
	_, before, err := s.feedSignatures(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got := len(before); got != 1+3+9 {
		t.Fatalf("%d feeds signed, want 13", got)
	}
	e := corpusEntry("terns", "field-notes", 21, 9, "Terns are back", "<p>Terns.</p>")
	e.Categories = []string{"Birds", "Terns"}
	putEntries(t, db, e)
	changed, version, _, err := s.changedFeeds(context.Background(), before)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, dir := range []string{"", "sources/field-notes/", "tags/birds/", "tags/nature/", "tags/terns/"} {
		for _, f := range formats {
			want = append(want, base+dir+"feed."+string(f))
		}
	}
	slices.Sort(want)
	slices.Sort(changed)
	if !slices.Equal(changed, want) || version != db.Version() {
		t.Errorf("announced %q at version %d, want %q at %d", changed, version, want, db.Version())
	}
	if len(s.docs.byKey) != 1 {
		t.Errorf("announcing cached %d documents, want only the one requested", len(s.docs.byKey))
	}
}

// TestPublishLoop runs the watcher and a hub's delivery as Serve does, with
// the ticks driven by the test: a change reaches the hub; an unchanged
// version pings nothing; a hub that hangs blocks neither writes to the
// store nor feed requests.
func TestPublishLoop(t *testing.T) {
	db := openCorpus(t)
	release := make(chan struct{})
	var calls sync.WaitGroup
	hb := newHub(t)
	hanging := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Done()
		<-release
	}))
	// Cleanups run last first: the watch stops before the hanging hub
	// is released, so that it cannot send the hub another ping.
	t.Cleanup(hanging.Close)
	t.Cleanup(func() { close(release) })
	calls.Add(1)
	s := corpusServer(t, db, 50, hb.srv.URL, hanging.URL)
	tick := startWatch(t, s)

	tick <- time.Time{} // nothing changed: nothing to announce
	putEntries(t, db, corpusEntry("terns", "field-notes", 21, 9, "Terns are back", "<p>Terns.</p>"))
	tick <- time.Time{}
	want := fieldNotesTopics()
	for range len(want) {
		p := <-hb.got
		if p.mode != "publish" || !want[p.topic] {
			t.Errorf("unexpected ping %+v", p)
		}
		delete(want, p.topic)
	}
	// The hanging hub holds its first ping; writes and reads go on.
	calls.Wait()
	putEntries(t, db, corpusEntry("gulls", "harbor-light", 22, 9, "Gulls", "<p>Gulls.</p>"))
	if w := do(s.Handler(), "GET", "/sources/harbor-light/feed.atom"); w.Code != 200 {
		t.Errorf("feed request while a hub hangs: %d", w.Code)
	}
	tick <- time.Time{}
	if p := <-hb.got; p.topic != base+"feed.atom" {
		t.Errorf("second change announced %q first, want the unified feed", p.topic)
	}
}

// TestServeWithoutHubs: without a hub, the publisher reads nothing of the
// store, and stops with its context.
func TestServeWithoutHubs(t *testing.T) {
	store := &fakeStore{}
	s := newTest(t, store, nil, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	tick := make(chan time.Time)
	done := make(chan struct{})
	go func() { s.watch(ctx, tick); close(done) }()
	tick <- time.Time{}
	tick <- time.Time{}
	cancel()
	<-done
	if n := store.reads.Load(); n != 0 {
		t.Errorf("the store's version was read %d times without a hub", n)
	}
}

// TestPublishFollowsReloadedHubs: a reload that adds a hub has it announced
// to from the next poll on, and one that removes it stops its pings.
func TestPublishFollowsReloadedHubs(t *testing.T) {
	db := openCorpus(t)
	hb := newHub(t)
	var current atomic.Pointer[Server]
	noHub := corpusServer(t, db, 50)
	current.Store(noHub)
	first := corpusServer(t, db, 50)
	first.opts.Current = current.Load
	tick := startWatch(t, first)

	putEntries(t, db, corpusEntry("terns", "field-notes", 21, 9, "Terns are back", "<p>Terns.</p>"))
	tick <- time.Time{} // no hub: nothing is announced
	current.Store(corpusServer(t, db, 50, hb.srv.URL))
	tick <- time.Time{} // the hub is added; the feeds as they are now are its start
	tick <- time.Time{} // (a tick is taken once the one before has been handled)
	putEntries(t, db, corpusEntry("gulls", "field-notes", 22, 9, "Gulls", "<p>Gulls.</p>"))
	tick <- time.Time{}
	want := fieldNotesTopics()
	for range len(want) {
		if p := <-hb.got; !want[p.topic] {
			t.Errorf("unexpected ping %+v", p)
		}
	}
	current.Store(noHub)
	tick <- time.Time{} // the hub is removed and its goroutine stopped
	tick <- time.Time{}
	putEntries(t, db, corpusEntry("eiders", "field-notes", 23, 9, "Eiders", "<p>Eiders.</p>"))
	tick <- time.Time{}
	tick <- time.Time{} // the tick before has been handled
	if n := len(hb.got); n != 0 {
		t.Errorf("%d pings reached a hub the config no longer names", n)
	}
}

// TestServeAnnounces runs the publisher as Serve starts it, and checks that
// Serve still shuts down cleanly with a hub configured.
func TestServeAnnounces(t *testing.T) {
	db := openCorpus(t)
	hb := newHub(t)
	s := corpusServer(t, db, 50, hb.srv.URL)
	s.opts.WebSubPoll = time.Millisecond
	ln := listen(t)
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()
	// The publisher signs the feeds as they are when it starts; a change
	// made before that is not news. Write until one is announced.
	retry := time.NewTicker(20 * time.Millisecond)
	defer retry.Stop()
	guard := time.After(time.Minute)
	for i := 0; ; i++ {
		putEntries(t, db, corpusEntry(fmt.Sprintf("new%d", i), "harbor-light", 22, i%20, "New", "<p>New.</p>"))
		select {
		case p := <-hb.got:
			if p.mode != "publish" || !strings.HasPrefix(p.topic, base) {
				t.Errorf("ping %+v", p)
			}
		case <-retry.C:
			continue
		case <-guard:
			t.Fatal("no ping reached the hub")
		}
		break
	}
	cancel()
	if err := <-served; err != nil {
		t.Errorf("Serve: %v", err)
	}
}

// After a config reload the daemon serves from a new Server; the first
// one's publisher announces the feeds of the Server that Current returns,
// here one whose config has a source the first lacked.
func TestPublishAnnouncesTheCurrentServersFeeds(t *testing.T) {
	db := openCorpus(t)
	hb := newHub(t)
	reloaded := corpusServer(t, db, 50, hb.srv.URL)
	current := func() *Server { return reloaded }
	first := New(db, nil, Options{
		Page:     render.Page{Title: "Tributary", BaseURL: base, Hubs: []string{hb.srv.URL}},
		Sources:  corpusSources[:2], // no field-notes yet
		MaxItems: 50,
		Current:  current,
	})
	tick := startWatch(t, first)
	tick <- time.Time{} // the signatures are taken before the first tick
	putEntries(t, db, corpusEntry("terns", "field-notes", 21, 9, "Terns are back", "<p>Terns.</p>"))
	tick <- time.Time{}
	want := base + "sources/field-notes/feed.atom"
	for {
		select {
		case p := <-hb.got:
			if p.topic == want {
				return
			}
		case <-time.After(10 * time.Second): // a bound on a hang, not a timing
			t.Fatalf("no ping for %s, the reloaded config's source", want)
		}
	}
}

// A change to an entry changes the signature of every feed it is on, and
// of no other feed: the set of changed feeds is compared whole, so a feed
// of an unrelated source that changed fails the case too. Changes that
// keep the entry's modification time (an enclosure's length, a copy's
// source name) count, and a field no format renders announces the feed
// once more, which is allowed; missing a change is not.
func TestFeedSignaturesFollowEntryChanges(t *testing.T) {
	corpusByID := func(id string) *feed.Entry {
		for _, e := range corpus() {
			if e.ID == id {
				return e
			}
		}
		t.Fatalf("no corpus entry %q", id)
		return nil
	}
	edit := func(id string, change func(e *feed.Entry)) func(tx feed.Tx) error {
		return func(tx feed.Tx) error {
			e := corpusByID(id)
			change(e)
			return tx.PutEntry(e)
		}
	}
	tests := []struct {
		name   string
		change func(tx feed.Tx) error
		want   []string // the feeds whose signature changes
	}{
		{"put again as it is", edit("eiders", func(e *feed.Entry) {}), nil},
		{"content", edit("eiders", func(e *feed.Entry) { e.Content = "<p>Listen to the eiders, and the gulls.</p>" }),
			[]string{"", "sources/field-notes/", "tags/birds/", "tags/lower-town/", "tags/nature/"}},
		{"a copy's source name", edit("floodwall", func(e *feed.Entry) { e.Copies[1].SourceName = "The Commonplace" }),
			[]string{"", "sources/commonplace/", "sources/harbor-light/", "tags/climate/", "tags/council/", "tags/essays/", "tags/news/"}},
		{"an enclosure length", edit("control", func(e *feed.Entry) { e.Enclosures[1].Length = 54321 }),
			[]string{"", "sources/commonplace/", "tags/essays/", "tags/news/"}},
		{"a field no format renders", edit("rtl", func(e *feed.Entry) { e.Copies[0].Hash = "another" }),
			[]string{"", "sources/field-notes/", "tags/nature/"}},
		{"a new entry", func(tx feed.Tx) error {
			return tx.PutEntry(corpusEntry("terns", "harbor-light", 21, 9, "Terns are back", "<p>Terns.</p>"))
		}, []string{"", "sources/harbor-light/", "tags/news/"}},
		{"a deleted entry", func(tx feed.Tx) error { return tx.DeleteEntry("rtl") },
			[]string{"", "sources/field-notes/", "tags/nature/"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := openCorpus(t)
			s := corpusServer(t, db, 50)
			ctx := context.Background()
			_, before, err := s.feedSignatures(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if err := db.Update(ctx, tt.change); err != nil {
				t.Fatal(err)
			}
			_, after, err := s.feedSignatures(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var changed []string
			for dir, sig := range after {
				if before[dir] != sig {
					changed = append(changed, dir)
				}
			}
			slices.Sort(changed)
			if !slices.Equal(changed, tt.want) {
				t.Errorf("changed %q, want %q (of %q)", changed, tt.want, slices.Sorted(maps.Keys(after)))
			}
		})
	}
}

// fieldNotesTopics are the feeds a new Field Notes entry tagged nature
// changes, in every format: what the hubs are pinged with.
func fieldNotesTopics() map[string]bool {
	want := map[string]bool{}
	for _, dir := range []string{"", "sources/field-notes/", "tags/nature/"} {
		for _, f := range formats {
			want[base+dir+"feed."+string(f)] = true
		}
	}
	return want
}

// startWatch runs s's announcing with ticks the test sends, until the test
// ends.
func startWatch(t *testing.T, s *Server) chan<- time.Time {
	ctx, cancel := context.WithCancel(context.Background())
	tick := make(chan time.Time)
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.watch(ctx, tick)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	return tick
}

// Pings name the agent of the config in effect: the publisher belongs to
// the first Server, but a reload may change fetch.user_agent (QA: pings
// kept the agent the daemon started with).
func TestPingUserAgentFollowsReload(t *testing.T) {
	agents := make(chan string, 1)
	hub := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		agents <- r.UserAgent()
		w.WriteHeader(http.StatusNoContent)
	}))
	defer hub.Close()
	reloaded := newTest(t, &fakeStore{}, nil, Options{UserAgent: "Tributary/reloaded"})
	first := newTest(t, &fakeStore{}, nil, Options{UserAgent: "Tributary/boot", Current: func() *Server { return reloaded }})
	if err := first.ping(context.Background(), hub.URL, base+"feed.atom"); err != nil {
		t.Fatal(err)
	}
	if got := <-agents; got != "Tributary/reloaded" {
		t.Errorf("ping's User-Agent %q, want the reloaded config's", got)
	}
}
