package corpus_test

import (
	"bytes"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/tributary/tributary/feed/corpus"
	"github.com/tributary/tributary/feed/normalise"
	"github.com/tributary/tributary/feed/parse"
)

// TestCorpus checks, for both corpora the quality test ingests, that
// generation is deterministic, that the corpus has the sizes and cases the
// quality test relies on, and that the feed bodies list exactly the
// labelled items.
func TestCorpus(t *testing.T) {
	for _, s := range []struct {
		seed  int64
		style int
	}{{1, 0}, {2, 1}} {
		t.Run(fmt.Sprint("style", s.style), func(t *testing.T) {
			c := corpus.Generate(s.seed, corpus.Options{Style: s.style})
			t.Run("deterministic", func(t *testing.T) { checkDeterministic(t, c) })
			t.Run("cases", func(t *testing.T) { checkCases(t, c) })
			t.Run("rounds", func(t *testing.T) { checkRounds(t, c) })
		})
	}
}

func checkDeterministic(t *testing.T, a *corpus.Corpus) {
	b := corpus.Generate(a.Seed, corpus.Options{Style: a.Style})
	if !reflect.DeepEqual(a.Items, b.Items) || !reflect.DeepEqual(a.Articles, b.Articles) ||
		!reflect.DeepEqual(a.Feeds, b.Feeds) {
		t.Fatal("the same seed gave different labels")
	}
	for n := 1; n <= 2; n++ {
		if !reflect.DeepEqual(a.Round(n), b.Round(n)) {
			t.Fatalf("the same seed gave different round %d bodies", n)
		}
	}
	if a.Round(0) != nil || a.Round(3) != nil {
		t.Fatal("Round of a round that does not exist is not nil")
	}
	if a.Style == 0 {
		c := corpus.Generate(a.Seed+1, corpus.Options{Style: a.Style})
		if reflect.DeepEqual(a.Round(1), c.Round(1)) {
			t.Fatal("seeds gave the same bodies")
		}
	}
}

// checkCases checks the sizes and cases the quality test relies on.
func checkCases(t *testing.T, c *corpus.Corpus) {
	cases := []string{corpus.CaseOriginal, corpus.CaseVerbatimFooter, corpus.CaseMarkup, corpus.CaseExcerpt,
		corpus.CaseRetitled, corpus.CaseEditedVersion, corpus.CaseTrackingLink, corpus.CaseOrigLink,
		corpus.CaseRSSAtom, corpus.CaseLateCopy, corpus.CaseEarlyCopy, corpus.NeverBoilerplate,
		corpus.NeverSeries, corpus.NeverGenericTitle, corpus.NeverGUIDCollision, corpus.NeverSameTopic,
		corpus.NeverPart2, corpus.NeverTitleOnly}
	if len(c.Feeds) < 30 || len(c.Articles) < 600 || len(c.Items) < 1000 {
		t.Errorf("%d feeds, %d articles, %d items; want at least 30, 600, 1000",
			len(c.Feeds), len(c.Articles), len(c.Items))
	}
	count := map[string]int{}
	formats := map[string]bool{}
	for _, f := range c.Feeds {
		formats[f.Format] = true
	}
	for _, it := range c.Items {
		count[it.Case]++
	}
	for _, k := range cases {
		if count[k] < 10 {
			t.Errorf("case %s has %d items; want at least 10", k, count[k])
		}
	}
	if len(formats) != 3 {
		t.Errorf("formats %v; want rss, atom and json", formats)
	}
	edits := 0
	for _, a := range c.Articles {
		if a.Edit != nil {
			edits++
		}
	}
	if edits < 20 {
		t.Errorf("%d edited originals; want at least 20", edits)
	}
}

// checkRounds parses every body of both rounds and checks that each feed
// lists exactly the items its labels say, and that round 2 shows the edits.
func checkRounds(t *testing.T, c *corpus.Corpus) {
	p := parse.New()
	parsed := [2]map[string]*gofeed.Feed{{}, {}}
	unchanged := 0
	for n := range 2 {
		bodies := c.Round(n + 1)
		for _, f := range c.Feeds {
			pf, err := p.Parse(bodies[f.Path], f.ContentType())
			if err != nil {
				t.Fatalf("round %d %s: %v", n+1, f.Path, err)
			}
			parsed[n][f.ID] = pf
		}
	}
	for _, f := range c.Feeds {
		if bytes.Equal(c.Round(1)[f.Path], c.Round(2)[f.Path]) {
			unchanged++
		}
	}
	if unchanged == 0 || unchanged == len(c.Feeds) {
		t.Errorf("%d of %d feeds unchanged in round 2; want some, not all", unchanged, len(c.Feeds))
	}
	var only1, only2 int
	for n := range 2 {
		want := map[string][]string{}
		for _, it := range c.Items {
			if it.Rounds[n] {
				want[it.Feed] = append(want[it.Feed], it.GUID)
			}
			if n == 0 && it.Rounds[0] != it.Rounds[1] {
				if it.Rounds[0] {
					only1++
				} else {
					only2++
				}
			}
		}
		for _, f := range c.Feeds {
			var got []string
			for _, it := range parsed[n][f.ID].Items {
				got = append(got, it.GUID)
			}
			slices.Sort(got)
			slices.Sort(want[f.ID])
			if !slices.Equal(got, want[f.ID]) {
				t.Errorf("round %d %s lists %d items, labels say %d", n+1, f.ID, len(got), len(want[f.ID]))
			}
		}
	}
	if only1 < 50 || only2 < 50 {
		t.Errorf("%d items only in round 1, %d only in round 2; want windows to move", only1, only2)
	}
	checkEdits(t, c, parsed[1])
	checkDates(t, c, parsed)
}

// checkEdits: an edited original shows its new title and marker in round 2.
func checkEdits(t *testing.T, c *corpus.Corpus, round2 map[string]*gofeed.Feed) {
	edits := map[string]*corpus.Edit{}
	for _, a := range c.Articles {
		edits[a.ID] = a.Edit
	}
	for _, it := range c.Items {
		e := edits[it.Article]
		if e == nil || !it.Original {
			continue
		}
		if !it.Rounds[0] || !it.Rounds[1] {
			t.Errorf("edited original %s/%s is not in both rounds", it.Feed, it.GUID)
			continue
		}
		for _, pi := range round2[it.Feed].Items {
			if pi.GUID != it.GUID {
				continue
			}
			text := normalise.Text(pi.Content + pi.Description)
			if pi.Title != e.Title || !strings.Contains(text, e.Marker) {
				t.Errorf("round 2 %s/%s: title %q, want %q; marker %q in text: %t",
					it.Feed, it.GUID, pi.Title, e.Title, e.Marker, strings.Contains(text, e.Marker))
			}
		}
	}
}

// checkDates: no item is dated after the round listing it, and copies of
// the late and early cases arrive as labelled.
func checkDates(t *testing.T, c *corpus.Corpus, parsed [2]map[string]*gofeed.Feed) {
	for n := range 2 {
		for id, f := range parsed[n] {
			for _, it := range f.Items {
				for _, d := range []*time.Time{it.PublishedParsed, it.UpdatedParsed} {
					if d != nil && d.After(c.Times[n]) {
						t.Errorf("round %d %s/%s dated %s, after the round", n+1, id, it.GUID, d)
					}
				}
			}
		}
	}
	for _, it := range c.Items {
		switch {
		case it.Case == corpus.CaseLateCopy && (it.Rounds[0] || !it.Rounds[1]):
			t.Errorf("late copy %s/%s listed in rounds %v", it.Feed, it.GUID, it.Rounds)
		case it.Case == corpus.CaseEarlyCopy && !it.Rounds[0]:
			t.Errorf("early copy %s/%s not in round 1", it.Feed, it.GUID)
		}
	}
}

func TestGenerateFeed(t *testing.T) {
	for _, tc := range []struct{ items, size int }{{1, 500}, {50, 3000}, {200, 1000}} {
		body := corpus.GenerateFeed(3, tc.items, tc.size)
		if !bytes.Equal(body, corpus.GenerateFeed(3, tc.items, tc.size)) {
			t.Fatal("GenerateFeed is not deterministic")
		}
		f, err := parse.New().Parse(body, "application/rss+xml")
		if err != nil {
			t.Fatal(err)
		}
		if len(f.Items) != tc.items {
			t.Fatalf("%d items; want %d", len(f.Items), tc.items)
		}
		guids := map[string]bool{}
		for _, it := range f.Items {
			guids[it.GUID] = true
			html := it.Content + it.Description
			if len(html) < tc.size || len(html) > tc.size+1500 {
				t.Errorf("item of %d bytes of HTML; want about %d", len(html), tc.size)
			}
		}
		if len(guids) != tc.items {
			t.Errorf("%d distinct GUIDs among %d items", len(guids), tc.items)
		}
	}
}

func BenchmarkGenerate(b *testing.B) {
	for b.Loop() {
		corpus.Generate(1, corpus.Options{})
	}
}
