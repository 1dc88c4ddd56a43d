package ingest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/fetch"
	"github.com/tributary/tributary/feed/ingest"
	"github.com/tributary/tributary/scripts/benchdata"
)

// TestSkippingStoresWhatProcessingAllWould: skipping the items a fetch
// brings back unchanged stores exactly what processing every item at every
// fetch stores. Two ingesters follow the same history of two sources — a
// blog that publishes, edits, schedules posts ahead and drops old ones, and
// a planet that cross-posts some of them, some twice (edited in between) — one skipping known items, one
// making a full pass at every fetch; after each fetch their reports and
// stores must agree. The histories are generated from fixed seeds.
func TestSkippingStoresWhatProcessingAllWould(t *testing.T) {
	for seed := range uint64(6) {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			h := newHistory(seed)
			skip, full := newDiffSide(h, 0), newDiffSide(h, time.Nanosecond)
			merged := 0
			for step := range 40 {
				h.advance()
				for _, src := range h.sources() {
					a, errA := skip.in.Ingest(context.Background(), src)
					b, errB := full.in.Ingest(context.Background(), src)
					if errA != nil || errB != nil {
						t.Fatalf("step %d, %s: %v, %v", step, src.ID, errA, errB)
					}
					skip.known += a.Known
					merged += a.Merged
					if a.New != b.New || a.Updated != b.Updated || a.Merged != b.Merged || a.Items != b.Items {
						t.Fatalf("step %d, %s: skipping reports %d new, %d updated, %d merged of %d; processing all %d, %d, %d of %d",
							step, src.ID, a.New, a.Updated, a.Merged, a.Items, b.New, b.Updated, b.Merged, b.Items)
					}
				}
				ea, eb := skip.store.newest(), full.store.newest()
				if !reflect.DeepEqual(ea, eb) {
					t.Fatalf("step %d: the stores differ:\n%s", step, firstDifference(ea, eb))
				}
			}
			if skip.known == 0 || merged == 0 {
				t.Errorf("%d items skipped, %d copies merged: the history tests too little", skip.known, merged)
			}
		})
	}
}

// diffSide is one ingester of the comparison, on a store of its own.
type diffSide struct {
	store *memStore
	in    *ingest.Ingester
	known int
}

func newDiffSide(h *history, fullPass time.Duration) *diffSide {
	s := &diffSide{store: newMemStore()}
	s.in = ingest.New(s.store, historyFetcher{h}, ingest.Options{
		Now:      func() time.Time { return h.now },
		Jitter:   func() float64 { return 0 },
		FullPass: fullPass,
	})
	return s
}

// history is the evolving content of the two sources.
type history struct {
	rng    *rand.Rand
	now    time.Time
	next   uint64 // seed of the next post
	blog   []post // newest first
	planet []post
}

type post struct {
	seed    uint64
	title   string
	at      time.Time
	crossed bool // a planet's copy of a blog post
}

func newHistory(seed uint64) *history {
	return &history{rng: rand.New(rand.NewPCG(seed, 7)), now: time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC), next: 1}
}

func (h *history) sources() []feed.Source {
	return []feed.Source{
		{ID: "blog", Name: "Blog", URL: "https://blog.example/feed/"},
		{ID: "planet", Name: "Planet", URL: "https://planet.example/rss"},
	}
}

// advance moves the clock and changes the sources as publishers do.
func (h *history) advance() {
	h.now = h.now.Add(time.Duration(1+h.rng.IntN(8)) * time.Hour)
	if h.rng.IntN(8) == 0 {
		h.now = h.now.Add(30 * time.Hour) // past a full pass
	}
	r := h.rng.IntN(10)
	switch {
	case r < 5 || len(h.blog) == 0:
		h.blog = append([]post{h.newPost(h.now.Add(-time.Minute))}, h.blog...)
	case r < 7:
		i := h.rng.IntN(len(h.blog))
		h.blog[i].title += " (updated)"
	case r < 8:
		// Scheduled ahead: dated beyond what is believed for now.
		h.blog = append([]post{h.newPost(h.now.Add(72 * time.Hour))}, h.blog...)
	}
	if len(h.blog) > 8 {
		h.blog = h.blog[:8]
	}
	if len(h.blog) > 0 && h.rng.IntN(3) == 0 {
		p := h.blog[h.rng.IntN(len(h.blog))]
		p.crossed = true
		h.planet = append([]post{p}, h.planet...)
		if len(h.planet) > 6 {
			h.planet = h.planet[:6]
		}
	}
}

func (h *history) newPost(at time.Time) post {
	p := post{seed: h.next, title: fmt.Sprintf("Post %d", h.next), at: at}
	h.next++
	return p
}

// body is the RSS a source serves now.
func (h *history) body(url string) []byte {
	posts, self := h.blog, "https://blog.example/"
	if strings.Contains(url, "planet") {
		posts, self = h.planet, "https://planet.example/"
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<rss version="2.0"><channel><title>%s</title><link>%s</link>`, self, self)
	for _, p := range posts {
		a := benchdata.NewArticle(p.seed, 1200)
		link, guid, html := fmt.Sprintf("https://blog.example/p/%d", p.seed), fmt.Sprintf("blog-%d", p.seed), a.HTML
		if p.crossed {
			guid = fmt.Sprintf("planet-%d", p.seed)
			html = `<p>Cross-posted from <a href="https://blog.example/">Blog</a>.</p>` + html
		}
		fmt.Fprintf(&b, `<item><title>%s</title><link>%s</link><guid>%s</guid><pubDate>%s</pubDate>`+
			`<description><![CDATA[%s]]></description></item>`,
			p.title, link, guid, p.at.Format(time.RFC1123Z), html)
	}
	b.WriteString(`</channel></rss>`)
	return []byte(b.String())
}

// historyFetcher serves each source's body as the history has it now.
type historyFetcher struct{ h *history }

func (f historyFetcher) Fetch(_ context.Context, req fetch.Request) (*fetch.Response, error) {
	body := f.h.body(req.URL)
	return &fetch.Response{URL: req.URL, Status: 200, Body: body, ContentType: "application/rss+xml",
		Bytes: int64(len(body))}, nil
}

// firstDifference shows the first entry that differs between two stores.
func firstDifference(a, b []*feed.Entry) string {
	for i := range max(len(a), len(b)) {
		var x, y *feed.Entry
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if !reflect.DeepEqual(x, y) {
			jx, _ := json.MarshalIndent(x, "", " ")
			jy, _ := json.MarshalIndent(y, "", " ")
			return fmt.Sprintf("entry %d, skipping:\n%s\nprocessing all:\n%s", i, jx, jy)
		}
	}
	return "(none)"
}
