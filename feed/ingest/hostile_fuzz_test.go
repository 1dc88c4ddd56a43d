package ingest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"math/bits"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/fetch"
	"github.com/tributary/tributary/feed/ingest"
	"github.com/tributary/tributary/feed/render"
)

// The fuzzers below feed arbitrary bodies to the whole pipeline, as if an
// upstream had served them: fetch is a stub, the store lives in memory (a
// bbolt commit per input would make fuzzing crawl). Their seed corpora under
// testdata/fuzz/ hold the XSS corpus, the hostile round's bodies and a
// sample of the feedparser corpus.

// FuzzIngestIdempotent: whatever an upstream serves, ingesting it a second
// time finds every item again and creates or merges nothing: at the second
// fetch, which recognises items as known without processing them, and at
// the full pass a day later, which identifies every item again.
func FuzzIngestIdempotent(f *testing.F) {
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		store, in, src := fuzzIngester(body, contentType)
		first, err := in.Ingest(context.Background(), src)
		if err != nil {
			t.Fatalf("first ingest: %v", err)
		}
		n := store.count()
		second, err := in.Ingest(context.Background(), src)
		if err != nil {
			t.Fatalf("second ingest: %v", err)
		}
		if second.Outcome != first.Outcome || second.New != 0 || second.Merged != 0 || store.count() != n {
			t.Fatalf("second ingest of the same body: %s, %d new, %d merged, %d entries (first: %s, %d new, %d entries)",
				second.Outcome, second.New, second.Merged, store.count(), first.Outcome, first.New, n)
		}
		store.now = store.now.Add(25 * time.Hour)
		full, err := in.Ingest(context.Background(), src)
		if err != nil {
			t.Fatalf("ingest a day later: %v", err)
		}
		if full.Known != 0 || full.New != 0 || full.Merged != 0 || store.count() != n {
			t.Fatalf("full pass over the same body: %d known, %d new, %d merged, %d entries (first: %d entries)",
				full.Known, full.New, full.Merged, store.count(), n)
		}
	})
}

// FuzzServedFeedsSafe: whatever an upstream serves, the unified feed in each
// format holds nothing executable.
func FuzzServedFeedsSafe(f *testing.F) {
	page := render.Page{Title: "Tributary", BaseURL: "https://tributary.example/"}
	opts := render.Options{Share: []render.ShareLink{{Name: "email"}, {Name: "mastodon"}}}
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		store, in, src := fuzzIngester(body, contentType)
		if _, err := in.Ingest(context.Background(), src); err != nil {
			t.Fatalf("ingest: %v", err)
		}
		entries := store.newest()
		for _, e := range entries {
			if p := storedProblems(e); len(p) > 0 {
				t.Fatalf("stored entry %q: %q", e.Title, p)
			}
		}
		for _, format := range []render.Format{render.Atom, render.RSS, render.JSON} {
			var buf bytes.Buffer
			if err := render.Write(&buf, format, page, entries, opts); err != nil {
				t.Fatalf("render %s: %v", format, err)
			}
			problems := xmlFeedProblems
			if format == render.JSON {
				problems = jsonFeedProblems
			}
			if p := problems(buf.Bytes()); len(p) > 0 {
				t.Fatalf("%s output: %q", format, p)
			}
		}
	})
}

func fuzzIngester(body []byte, contentType string) (*memStore, *ingest.Ingester, feed.Source) {
	store := newMemStore()
	store.now = time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	in := ingest.New(store, stubFetcher{body: body, contentType: contentType}, ingest.Options{
		MaxItems: 50,
		Now:      func() time.Time { return store.now },
		Jitter:   func() float64 { return 0 },
	})
	return store, in, feed.Source{ID: "fuzz", Name: "Fuzz", URL: "https://fuzz.example/feed"}
}

// stubFetcher answers every request with the same body.
type stubFetcher struct {
	body        []byte
	contentType string
}

func (s stubFetcher) Fetch(_ context.Context, req fetch.Request) (*fetch.Response, error) {
	return &fetch.Response{URL: req.URL, Status: 200, Body: bytes.Clone(s.body), ContentType: s.contentType,
		Bytes: int64(len(s.body))}, nil
}

// memStore is an ingest.Store in memory. Entries are kept encoded, as the
// real store keeps them, so that nothing the pipeline holds aliases them.
type memStore struct {
	// now is the ingester's clock.
	now     time.Time
	mu      sync.Mutex
	entries map[string][]byte
	keys    map[string]string
	states  map[string]feed.SourceState
}

func newMemStore() *memStore {
	return &memStore{entries: map[string][]byte{}, keys: map[string]string{}, states: map[string]feed.SourceState{}}
}

func (m *memStore) Update(_ context.Context, fn func(tx feed.Tx) error) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	return fn(memTx{m})
}

func (m *memStore) View(ctx context.Context, fn func(tx feed.Tx) error) error {
	return m.Update(ctx, fn)
}

func (m *memStore) count() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.entries)
}

// newest returns every entry, newest first.
func (m *memStore) newest() []*feed.Entry {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []*feed.Entry
	for id := range m.entries {
		e, _ := memTx{m}.Entry(id)
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Published.Equal(out[j].Published) {
			return out[i].Published.After(out[j].Published)
		}
		return out[i].ID > out[j].ID
	})
	return out
}

// memTx is feed.Tx over a locked memStore.
type memTx struct{ m *memStore }

func (t memTx) Lookup(key string) (string, error) { return t.m.keys[key], nil }

func (t memTx) Entry(id string) (*feed.Entry, error) {
	b, ok := t.m.entries[id]
	if !ok {
		return nil, feed.ErrNotFound
	}
	var e feed.Entry
	if err := json.Unmarshal(b, &e); err != nil {
		return nil, err
	}
	return &e, nil
}

func (t memTx) PutEntry(e *feed.Entry) error {
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	for k, id := range t.m.keys {
		if id == e.ID {
			delete(t.m.keys, k)
		}
	}
	for _, k := range e.Keys() {
		t.m.keys[k] = e.ID
	}
	t.m.entries[e.ID] = b
	return nil
}

func (t memTx) DeleteEntry(id string) error {
	if _, ok := t.m.entries[id]; !ok {
		return feed.ErrNotFound
	}
	delete(t.m.entries, id)
	for k, owner := range t.m.keys {
		if owner == id {
			delete(t.m.keys, k)
		}
	}
	return nil
}

func (t memTx) Similar(fp uint64, maxBits int) ([]string, error) {
	var ids []string
	for id := range t.m.entries {
		e, err := t.Entry(id)
		if err != nil {
			return nil, err
		}
		for _, c := range e.Copies {
			if c.Fingerprint != 0 && bits.OnesCount64(fp^c.Fingerprint) <= maxBits {
				ids = append(ids, id)
				break
			}
		}
	}
	slices.Sort(ids)
	return ids, nil
}

func (t memTx) Tombstoned(string, time.Time) (bool, error) { return false, nil }

func (t memTx) SourceState(id string) (feed.SourceState, error) {
	if st, ok := t.m.states[id]; ok {
		return st, nil
	}
	return feed.SourceState{SourceID: id}, nil
}

func (t memTx) PutSourceState(s feed.SourceState) error {
	t.m.states[s.SourceID] = s
	return nil
}
