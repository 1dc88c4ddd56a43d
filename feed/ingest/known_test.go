package ingest_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/fetch"
	"github.com/tributary/tributary/feed/ingest"
	"github.com/tributary/tributary/storage"
)

// knownItem is one item of a test feed, published on day of November 2026.
// Its link and the link in its HTML are relative, so that where the feed
// says its home page is changes what is stored.
type knownItem struct {
	guid, title, body string
	day               int
}

func knownFeed(home string, items ...knownItem) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `<rss version="2.0"><channel><title>Blog</title><link>%s</link>`, home)
	for _, it := range items {
		fmt.Fprintf(&b, `<item><title>%s</title><link>posts/%s</link><guid>%s</guid><pubDate>%s</pubDate>`+
			`<description><![CDATA[<p>%s <a href="more">More</a></p>]]></description></item>`,
			it.title, it.guid, it.guid, time.Date(2026, 11, it.day, 0, 0, 0, 0, time.UTC).Format(time.RFC1123Z), it.body)
	}
	b.WriteString(`</channel></rss>`)
	return []byte(b.String())
}

var (
	postA = knownItem{"a", "Alpha", "The first post says one thing about rivers and their many tributaries.", 3}
	postB = knownItem{"b", "Beta", "The second post says another thing about deltas and the sea beyond them.", 2}
	postC = knownItem{"c", "Gamma", "The third post is about the sources of rivers high in the mountains.", 1}
	postD = knownItem{"d", "Delta", "A fourth post, newly published, about floods and the walls against them.", 4}
)

// TestKnownItemsAreNotProcessedAgain: of a feed fetched again, the items
// that come back as they were are recognised without being processed, and
// everything else still reaches the store: new items, edited ones, a change
// of the feed that changes every item, and the daily full pass.
func TestKnownItemsAreNotProcessedAgain(t *testing.T) {
	edited := postB
	edited.title = "Beta, corrected"
	cases := []struct {
		name  string
		after time.Duration // since the first fetch
		body  []byte
		// what the second fetch reports
		known, created, updated int
		full                    bool // a full pass: every item processed
		check                   func(t *testing.T, entries []*feed.Entry)
	}{
		{name: "unchanged", after: time.Hour, body: knownFeed("https://blog.example/", postA, postB, postC),
			known: 3},
		{name: "a new item", after: time.Hour, body: knownFeed("https://blog.example/", postD, postA, postB, postC),
			known: 3, created: 1},
		{name: "an edited item", after: time.Hour, body: knownFeed("https://blog.example/", postA, edited, postC),
			known: 2, updated: 1, check: func(t *testing.T, entries []*feed.Entry) {
				if !hasTitle(entries, "Beta, corrected") || hasTitle(entries, "Beta") {
					t.Errorf("titles %v, want the edit stored", titles(entries))
				}
			}},
		{name: "the home page moved", after: time.Hour, body: knownFeed("https://blog.example/new/", postA, postB, postC),
			updated: 3, full: true, check: func(t *testing.T, entries []*feed.Entry) {
				for _, e := range entries {
					if !strings.Contains(e.Content, "https://blog.example/new/posts/") {
						t.Errorf("%s: content %q does not resolve against the new home page", e.Title, e.Content)
					}
				}
			}},
		{name: "a day later", after: 25 * time.Hour, body: knownFeed("https://blog.example/", postA, postB, postC),
			full: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := newKnownRig(t, postA, postB, postC)
			db, f, in := r.db, r.up, r.in
			src := feed.Source{ID: "blog", Name: "Blog", URL: "https://blog.example/feed/"}
			ctx := context.Background()
			first, err := in.Ingest(ctx, src)
			if err != nil || first.New != 3 || first.Known != 0 {
				t.Fatalf("first fetch: %v; report %+v", err, first)
			}
			r.now = r.now.Add(tc.after)
			f.body = tc.body
			rep, err := in.Ingest(ctx, src)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Known != tc.known || rep.New != tc.created || rep.Updated != tc.updated {
				t.Errorf("second fetch: %d known, %d new, %d updated; want %d, %d, %d",
					rep.Known, rep.New, rep.Updated, tc.known, tc.created, tc.updated)
			}
			states, err := db.Sources(ctx)
			if err != nil || len(states) != 1 {
				t.Fatalf("states: %v, %d", err, len(states))
			}
			st := states[0]
			if full := st.FullPass.Equal(r.now); full != tc.full {
				t.Errorf("full pass at %v, fetched at %v: full = %v, want %v", st.FullPass, r.now, full, tc.full)
			}
			if len(st.Known) != rep.Items {
				t.Errorf("%d digests kept for %d items", len(st.Known), rep.Items)
			}
			entries, _, err := db.Newest(ctx, 0, "")
			if err != nil {
				t.Fatal(err)
			}
			if want := 3 + tc.created; len(entries) != want {
				t.Errorf("%d entries, want %d", len(entries), want)
			}
			if tc.check != nil {
				tc.check(t, entries)
			}
		})
	}
}

// TestFullPassKeepsRemovedEntriesOut: an entry that retention removed stays
// removed while its source lists it, on the fetches that skip it as known
// and on the daily full pass that identifies it again.
func TestFullPassKeepsRemovedEntriesOut(t *testing.T) {
	r := newKnownRig(t, postA, postB, postC, postD)
	db, in := r.db, r.in
	src := []feed.Source{{ID: "blog", Name: "Blog", URL: "https://blog.example/feed/"}}
	p := ingest.Politeness{Retention: ingest.Retention{MaxEntries: 2}}
	ctx := context.Background()
	for _, after := range []time.Duration{0, time.Hour, 25 * time.Hour, time.Hour} {
		r.now = r.now.Add(after)
		if _, err := in.Round(ctx, src, ingest.Force, p); err != nil {
			t.Fatal(err)
		}
		entries, _, err := db.Newest(ctx, 0, "")
		if err != nil {
			t.Fatal(err)
		}
		if got := titles(entries); len(got) != 2 || got[0] != "Delta" || got[1] != "Alpha" {
			t.Fatalf("at %v: entries %v, want the newest two", r.now, got)
		}
	}
}

func hasTitle(entries []*feed.Entry, title string) bool {
	for _, e := range entries {
		if e.Title == title {
			return true
		}
	}
	return false
}

// TestFullPassRefreshesTombstones: a source that lists a removed entry's
// item unchanged for more than a year, fetched every 20 hours, keeps it out
// when it is edited at last. Between full passes the item is skipped as
// known and never reaches the store; only the daily full pass tells the
// store that the item's keys are still listed, which keeps their tombstones
// from expiring after a year (storage/tombstones.go).
func TestFullPassRefreshesTombstones(t *testing.T) {
	r := newKnownRig(t, postD, postA, postB, postC)
	yearOfListing(t, r, r.in, func(body []byte) { r.up.body = body })
}

// TestMonthlyFullFetchKeepsTombstones: a source that answers 304 for more
// than a year while it lists an entry that retention removed keeps it out
// when it edits it at last. A 304 reads no items, so once a month the
// source is asked without validators: its feed comes whole, a full pass
// identifies every item, and the removed entry's tombstones are kept.
func TestMonthlyFullFetchKeepsTombstones(t *testing.T) {
	r := newKnownRig(t, postD, postA, postB, postC)
	up := &conditionalFetcher{body: r.up.body, etag: `"v1"`}
	in := ingest.New(r.db, up, ingest.Options{Now: func() time.Time { return r.now }})
	yearOfListing(t, r, in, func(body []byte) {
		// Once every 23 to 30 days: each source has its own period.
		if up.full < 13 || up.full > 17 {
			t.Errorf("%d fetches without validators in 367 days, want one every 23 to 30 days", up.full-1)
		}
		up.body, up.etag = body, `"v2"`
	})
}

// yearOfListing fetches r's feed (Delta, Alpha, Beta, Gamma) through in and
// has retention keep two entries, then fetches it every 20 hours for a year
// and a month, pruning as it goes; then serve is given the feed with Beta
// edited, and one more fetch must leave Beta and Gamma out.
func yearOfListing(t *testing.T, r *knownRig, in *ingest.Ingester, serve func(body []byte)) {
	t.Helper()
	src := feed.Source{ID: "blog", Name: "Blog", URL: "https://blog.example/feed/"}
	ctx := context.Background()
	retention := ingest.Retention{MaxEntries: 2}
	if _, err := in.Ingest(ctx, src); err != nil {
		t.Fatal(err)
	}
	if n, err := in.Prune(ctx, retention); err != nil || n != 2 {
		t.Fatalf("prune: %d removed, %v; want Beta and Gamma removed", n, err)
	}
	for step := 1; step <= 440; step++ {
		r.now = r.now.Add(20 * time.Hour)
		if _, err := in.Ingest(ctx, src); err != nil {
			t.Fatal(err)
		}
		if step%10 == 0 {
			if _, err := in.Prune(ctx, retention); err != nil {
				t.Fatal(err)
			}
		}
	}
	edited := postB
	edited.title = "Beta, a year on"
	serve(knownFeed("https://blog.example/", postD, postA, edited, postC))
	rep, err := in.Ingest(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	entries, _, err := r.db.Newest(ctx, 0, "")
	if err != nil {
		t.Fatal(err)
	}
	if got := titles(entries); len(got) != 2 || rep.New != 0 {
		t.Errorf("a year on, after an edit: entries %v, %d new; want Delta and Alpha only", got, rep.New)
	}
}

// conditionalFetcher is an upstream that answers 304 to a request carrying
// its current ETag; full counts the requests it answered with the feed.
type conditionalFetcher struct {
	body []byte
	etag string
	full int
}

func (f *conditionalFetcher) Fetch(_ context.Context, req fetch.Request) (*fetch.Response, error) {
	if req.ETag == f.etag {
		return &fetch.Response{URL: req.URL, Status: 304, NotModified: true, ETag: f.etag}, nil
	}
	f.full++
	return &fetch.Response{URL: req.URL, Status: 200, Body: f.body, ContentType: benchType, ETag: f.etag,
		Bytes: int64(len(f.body))}, nil
}

// TestRepeatedGUIDIsNotKnown: the listing of a GUID that was left out as a
// repeat is not known: when it is the first listing at a later fetch, it
// is the one stored.
func TestRepeatedGUIDIsNotKnown(t *testing.T) {
	old, edited := postA, postA
	edited.title = "Alpha, corrected"
	r := newKnownRig(t, old, edited, postB)
	ctx := context.Background()
	src := feed.Source{ID: "blog", Name: "Blog", URL: "https://blog.example/feed/"}
	if _, err := r.in.Ingest(ctx, src); err != nil {
		t.Fatal(err)
	}
	r.now = r.now.Add(time.Hour)
	r.up.body = knownFeed("https://blog.example/", edited, postB)
	rep, err := r.in.Ingest(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	entries, _, err := r.db.Newest(ctx, 0, "")
	if err != nil {
		t.Fatal(err)
	}
	if rep.Updated != 1 || !hasTitle(entries, "Alpha, corrected") {
		t.Errorf("%d updated, titles %v; want the listing that was a repeat stored now", rep.Updated, titles(entries))
	}
}

// TestRevalidation: when sources are asked without validators. Twenty
// sources fetched in one round, then daily, answering 304 while they can:
// each is asked whole once between 23 and 30 days later, not all on the same
// day; that fetch identifies every item even when full passes are set
// further apart; a state from before full passes were recorded starts the
// month at its next 304 instead of being asked whole at once; a failing
// source is asked with its validators.
func TestRevalidation(t *testing.T) {
	r := newKnownRig(t, postA, postB)
	up := &conditionalFetcher{body: r.up.body, etag: `"v1"`}
	in := ingest.New(r.db, up, ingest.Options{Now: func() time.Time { return r.now }, FullPass: 60 * 24 * time.Hour})
	ctx := context.Background()
	var srcs []feed.Source
	for i := range 20 {
		srcs = append(srcs, feed.Source{ID: fmt.Sprintf("s%02d", i), Name: "S", URL: fmt.Sprintf("https://s%02d.example/feed", i)})
	}
	for _, src := range srcs {
		if _, err := in.Ingest(ctx, src); err != nil {
			t.Fatal(err)
		}
	}
	days := map[int]bool{}
	asked := map[string]bool{}
	for day := 1; day <= 31; day++ {
		r.now = r.now.Add(24 * time.Hour)
		for _, src := range srcs {
			before := up.full
			rep, err := in.Ingest(ctx, src)
			if err != nil {
				t.Fatal(err)
			}
			if up.full == before {
				continue
			}
			if day < 23 || asked[src.ID] {
				t.Errorf("%s asked without validators on day %d", src.ID, day)
			}
			if rep.Known != 0 || rep.Items != 2 {
				t.Errorf("%s on day %d: %d of %d items known; a fetch without validators is a full pass", src.ID, day, rep.Known, rep.Items)
			}
			asked[src.ID], days[day] = true, true
		}
	}
	if len(asked) != len(srcs) || len(days) < 3 {
		t.Errorf("%d of %d sources asked whole in a month, on %d different days", len(asked), len(srcs), len(days))
	}

	// A state written before full passes were recorded.
	old := feed.SourceState{SourceID: "old", ConfiguredURL: "https://old.example/feed", URL: "https://old.example/feed",
		ETag: `"v1"`, LastSuccess: r.now.Add(-time.Hour)}
	failing := feed.SourceState{SourceID: "failing", ConfiguredURL: "https://failing.example/feed", URL: "https://failing.example/feed",
		ETag: `"v1"`, Failures: 2, LastError: "503", FullPass: r.now.Add(-40 * 24 * time.Hour)}
	if err := r.db.Update(ctx, func(tx feed.Tx) error {
		return errors.Join(tx.PutSourceState(old), tx.PutSourceState(failing))
	}); err != nil {
		t.Fatal(err)
	}
	before := up.full
	for _, src := range []feed.Source{{ID: "old", Name: "Old", URL: old.URL}, {ID: "failing", Name: "Failing", URL: failing.URL}} {
		if rep, err := in.Ingest(ctx, src); err != nil || rep.Outcome != feed.NotModified {
			t.Errorf("%s: %v, %s; want it asked with its validators and answered 304", src.ID, err, rep.Outcome)
		}
	}
	if up.full != before {
		t.Errorf("%d sources asked whole", up.full-before)
	}
}

// knownRig is a store, an upstream serving one feed and an ingester of it,
// on a clock the test moves.
type knownRig struct {
	db  *storage.DB
	up  *bytesFetcher
	in  *ingest.Ingester
	now time.Time
}

func newKnownRig(t *testing.T, items ...knownItem) *knownRig {
	t.Helper()
	db, err := storage.Open(filepath.Join(t.TempDir(), "t.db"), storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	r := &knownRig{db: db, up: &bytesFetcher{body: knownFeed("https://blog.example/", items...)},
		now: time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)}
	r.in = ingest.New(db, r.up, ingest.Options{Now: func() time.Time { return r.now }})
	return r
}
