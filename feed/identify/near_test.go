package identify

import (
	"strings"
	"testing"
	"time"

	"github.com/tributary/tributary/feed"
)

var paragraphs = []string{
	"After twelve months of hearings, postponed votes and two engineering reviews, the town council voted six to three on Tuesday night to build a floodwall along the eastern waterfront.",
	"Supporters said the plan was overdue. We have pumped out the same basements four winters in a row, said councillor Ada Brennan, who chairs the public works committee.",
	"Opponents questioned the price, now estimated at 41 million dollars, and the loss of the harbor view from Front Street. Several fishing families asked that the gates stay wide.",
	"The engineering firm hired by the town expects construction to start next spring and to take about three years. The first section will protect the ferry terminal.",
	"Residents can review the final drawings at the library until the end of the month, and the council will hold one more hearing on the gate design in January.",
}

func text(ps ...string) string { return strings.Join(ps, "\n") }

func TestNearDuplicates(t *testing.T) {
	full := text(paragraphs...)
	other := src("planet", "Planet Harbor", "https://planet.example/")
	tests := []struct {
		name      string
		origTitle string
		orig      string
		copyTitle string
		copyText  string
		merged    bool
		rule      string
	}{
		{"excerpt with the same title", "Floodwall approved", full, "Floodwall approved", paragraphs[0], true, RuleExcerpt},
		{"retitled by a planet", "Floodwall approved", full, "Harbor Light: Floodwall approved", full, true, RuleText},
		{"retitled and reformatted", "Floodwall approved", full, "[Cross-post] Floodwall approved",
			strings.ReplaceAll(full, "\n", " ") + " An editor's note at the end.", true, RuleNear},
		{"a date added to the title", "Floodwall approved", full, "27 November: Floodwall approved", full, true, RuleText},
		{"retitled with no word of the title kept", "Floodwall approved", full, "A big week for the town",
			strings.ReplaceAll(full, "\n", " ") + " An editor's note at the end.", true, RuleNear},
		{"a paragraph dropped, words changed", "Floodwall approved", full, "Floodwall approved at last",
			text(paragraphs[0], paragraphs[1], strings.Replace(paragraphs[3], "three years", "four years", 1), paragraphs[4]), true, RuleEdited},
		{"part 2 quotes part 1's opening", "Floodwall, part 1", full, "Floodwall, part 2",
			text(paragraphs[0], "In the second part we look at the money: where the 41 million dollars come from, which grants the town applied for, and what happens to property taxes if the state says no to the loan it asked for last year."), false, ""},
		{"excerpt under another title", "Floodwall approved", full, "Ferry timetable changes", paragraphs[0], false, ""},
		{"series with the same intro", "Weekly links #41", text(paragraphs[0], "Links: the harbor authority budget, a new bakery on Main Street, the winter ferry schedule, a history of the lighthouse."),
			"Weekly links #42", text(paragraphs[0], "Links: school board minutes, the fishing quota debate, a recipe for chowder, photos from the regatta, the new bus stops."), false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, tx := New(nil), newMemTx()
			_, e1 := apply(t, id, tx, blog, article(blog, "1", "https://harborlight.example/x/", tt.origTitle, tt.orig, t0), t0)
			out, e2 := apply(t, id, tx, other, article(other, "2", "https://planet.example/y", tt.copyTitle, tt.copyText, t0.Add(48*time.Hour)), t0)
			if got := out == Merged; got != tt.merged {
				t.Fatalf("merged = %v (%v), want %v", got, out, tt.merged)
			}
			if !tt.merged {
				return
			}
			if e2.ID != e1.ID {
				t.Errorf("merged into %s, want %s", e2.ID, e1.ID)
			}
			if c := e2.Copies[1]; c.Rule != tt.rule {
				t.Errorf("rule %q (score %.2f), want %q", c.Rule, c.Score, tt.rule)
			}
			if e2.OriginalCopy().SourceID != blog.ID || e2.Title != tt.origTitle {
				t.Errorf("original %s title %q, want the earlier %s", e2.OriginalCopy().SourceID, e2.Title, blog.ID)
			}
		})
	}
}

func TestExcerptFirstThenFullText(t *testing.T) {
	// The planet's excerpt arrives before the original: once the full text
	// arrives, it is what the entry republishes, under the same id.
	planet := src("planet", "Planet Harbor", "https://planet.example/")
	id, tx := New(nil), newMemTx()
	ex := article(planet, "p1", "https://planet.example/y", "Harbor Light: Floodwall approved", paragraphs[0], t0)
	_, e1 := apply(t, id, tx, planet, ex, t0)
	out, e := apply(t, id, tx, blog, article(blog, "1", "https://harborlight.example/x/", "Floodwall approved", text(paragraphs...), t0.Add(-time.Hour)), t0)
	if out != Merged || e.ID != e1.ID {
		t.Fatalf("got %v id %s, want merged into %s", out, e.ID, e1.ID)
	}
	if e.Link != "https://harborlight.example/x/" || e.Title != "Floodwall approved" {
		t.Errorf("entry %q %s, want the original's title and link", e.Title, e.Link)
	}
	if !strings.Contains(e.Content, paragraphs[4][:40]) {
		t.Errorf("entry republishes the excerpt, want the full text")
	}
}

// A planet's excerpt arrives first; another writer's commentary under the
// same headline quotes the article's opening paragraph, then the original
// arrives (QA found the commentary merged with the excerpt, so that the
// original came out a separate entry). The excerpt holds the author's
// name, the commentary another: they are different articles, and the
// excerpt and the original are one.
func TestExcerptIsNotAnotherWritersQuote(t *testing.T) {
	planet := src("planet", "Planet Harbor", "https://planet.example/")
	rundown := src("rundown", "Harbor Rundown", "https://rundown.example/")
	id, tx := New(nil), newMemTx()
	ex := article(planet, "p1", "https://planet.example/y", "Ada Brennan: Council approves the floodwall", paragraphs[0], t0)
	ex.Author = "Ada Brennan"
	_, excerpt := apply(t, id, tx, planet, ex, t0)

	quote := article(rundown, "r1", "https://rundown.example/z", "Council approves the floodwall",
		text(paragraphs[0], "This is a terrible decision. The waterfront belongs to the fishing families, and the council "+
			"should have asked the voters before spending forty million dollars on a wall nobody in Front Street wants."), t0.Add(time.Hour))
	quote.Author = "Bob Smith"
	if out, e := apply(t, id, tx, rundown, quote, t0); out == Merged {
		t.Fatalf("the commentary was merged into %s by %q", e.ID, e.Copies[len(e.Copies)-1].Rule)
	}

	orig := article(blog, "1", "https://harborlight.example/x/", "Council approves the floodwall", text(paragraphs...), t0.Add(-time.Hour))
	orig.Author = "Ada Brennan"
	if out, e := apply(t, id, tx, blog, orig, t0); out != Merged || e.ID != excerpt.ID {
		t.Errorf("the original: %v into %s, want merged into the excerpt's entry %s", out, e.ID, excerpt.ID)
	}

	// Without a name on either side the texts decide, as before.
	id, tx = New(nil), newMemTx()
	ex.Author = ""
	apply(t, id, tx, planet, ex, t0)
	if out, _ := apply(t, id, tx, blog, orig, t0); out != Merged {
		t.Errorf("an unsigned excerpt and its original: %v, want merged", out)
	}

	// An unsigned commentary that opens with its own words and then
	// quotes the article contains the excerpt too, but an excerpt is an
	// opening: it is not one of the commentary's.
	id, tx = New(nil), newMemTx()
	_, excerpt = apply(t, id, tx, planet, ex, t0)
	quoting := article(rundown, "r2", "https://rundown.example/q", "Council approves the floodwall",
		text("From the Harbor Light, on the vote that nobody on Front Street wanted to hear about:", paragraphs[0],
			"Forty million dollars, and not one voter asked. The fishing families will lose their view, the ferry "+
				"will lose a season of traffic while the wall goes up, and the basements it is meant to save are "+
				"the same ones the town refused to help with a pump grant two years ago. Write to your councillor "+
				"before the hearing on the gates in January, and ask why the drawings went to the library and not "+
				"to the ballot."), t0.Add(time.Hour))
	if out, e := apply(t, id, tx, rundown, quoting, t0); out == Merged {
		t.Errorf("the unsigned commentary was merged into %s by %q (the excerpt's entry is %s)", e.ID, e.Copies[len(e.Copies)-1].Rule, excerpt.ID)
	}

	// A planet that signs the excerpt with the blog's name rather than
	// the writer's still gives its excerpt to the original.
	id, tx = New(nil), newMemTx()
	ex.Author = "Harbor Light"
	apply(t, id, tx, planet, ex, t0)
	if out, _ := apply(t, id, tx, blog, orig, t0); out != Merged {
		t.Errorf("an excerpt signed with the blog's name: %v, want merged with the original by Ada Brennan", out)
	}
}

func TestAuthorsAgree(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"Donald Douglas", "Donald Douglas", true},
		{"Donald Douglas", "D. Douglas", true},
		{"Donald Douglas", "donald douglas (American Power)", true},
		{"", "Bob Smith", true},
		{"Donald Douglas", "", true},
		{"Donald Douglas", "Bob Smith", false},
		{"admin", "Donald Douglas", false},
	}
	for _, tt := range tests {
		if got := authorsAgree(tt.a, tt.b); got != tt.want {
			t.Errorf("authorsAgree(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestNeverNearMergedWithinOneSource(t *testing.T) {
	id, tx := New(nil), newMemTx()
	full := text(paragraphs...)
	apply(t, id, tx, blog, article(blog, "1", "https://harborlight.example/x/", "Floodwall approved", full, t0), t0)
	out, _ := apply(t, id, tx, blog, article(blog, "2", "https://harborlight.example/y/", "Floodwall approved again",
		full+" Update: the vote was confirmed.", t0.Add(time.Hour)), t0)
	if out != Created {
		t.Errorf("got %v, want a second entry", out)
	}
}

func TestTitles(t *testing.T) {
	tests := []struct {
		a, b string
		ok   bool
	}{
		{"Floodwall approved", "Harbor Light: Floodwall approved", true},
		{"Floodwall approved", "Floodwall approved | Other Blog", true},
		{"Floodwall approved", "[Cross-post] Floodwall approved", true},
		{"Floodwall approved", "Floodwall approved (cross-post)", true},
		{"Weekly Links Roundup #41", "Weekly Links Roundup #42", false},
		{"Floodwall, part 1", "Floodwall, part 2", false},
		{"Open Thread", "Library hours", false},
		{"", "Anything", false},
	}
	for _, tt := range tests {
		if got := titlesCompatible(tt.a, tt.b); got != tt.ok {
			t.Errorf("titlesCompatible(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.ok)
		}
	}
	if got := titleCore("Harbor Light: Council approves the floodwall plan"); got != "council approves the floodwall plan" {
		t.Errorf("titleCore = %q", got)
	}
}

func TestExplain(t *testing.T) {
	id, tx := New(nil), newMemTx()
	orig := article(blog, "1", "https://harborlight.example/x/", "Floodwall approved", text(paragraphs...), t0)
	cp := article(group, "2", "https://commonplace.example/y", "Floodwall approved", text(paragraphs...), t0.Add(-time.Hour))
	cp.CrossPostedFrom = &feed.Attribution{Name: "Harbor Light"}
	apply(t, id, tx, blog, orig, t0)
	_, e := apply(t, id, tx, group, cp, t0)
	x := id.Explain(e)
	if x.Original != "Harbor Light" || !strings.Contains(x.Why, "footer of Commonplace") {
		t.Errorf("original %q why %q", x.Original, x.Why)
	}
	if len(x.Copies) != 2 || x.Copies[1].Rule != RuleText || x.Rules[RuleText] == "" {
		t.Errorf("copies %+v rules %v", x.Copies, x.Rules)
	}

	// Links stored with a source's credentials (before links were
	// resolved without them) are explained without.
	e.Link = "https://reader:s3cret@harborlight.example/x/"
	e.Copies[0].Link = e.Link
	x = id.Explain(e)
	if x.Link != "https://harborlight.example/x/" || x.Copies[0].Link != x.Link {
		t.Errorf("explained links %q, %q: want them without credentials", x.Link, x.Copies[0].Link)
	}
}

// TestJoinsEntriesAnArticleProvesAreOne: a verbatim copy (known by its
// text) and an aggregator's title-only item (known by the original's link)
// arrive first and share no key; the original has both keys and joins them.
func TestJoinsEntriesAnArticleProvesAreOne(t *testing.T) {
	id, tx, planet, full, e1, e2 := twoEntriesApart(t)
	out, e := apply(t, id, tx, blog, article(blog, "1", "https://harborlight.example/x/", "Floodwall approved", full, t0.Add(-time.Hour)), t0.Add(time.Hour))
	if out != Merged || e.ID != e1.ID || len(e.Copies) != 3 {
		t.Fatalf("got %v into %s with %d copies; want merged into the older entry %s with 3", out, e.ID, len(e.Copies), e1.ID)
	}
	if _, err := tx.Entry(e2.ID); err == nil {
		t.Errorf("entry %s still stored after the join", e2.ID)
	}
	if got, _ := tx.Lookup(Keys(&feed.Article{SourceID: planet.ID, GUID: "l1"})[0]); got != e1.ID {
		t.Errorf("the joined copy's key points at %q, want %s", got, e1.ID)
	}
	if e.OriginalCopy().SourceID != blog.ID || !strings.Contains(e.Content, "final drawings") {
		t.Errorf("original %s, content %.40q; want the blog's and the full text", e.OriginalCopy().SourceID, e.Content)
	}
}

// Another writer's post takes the headline first (its title key), then the
// original arrives, then a copy of the original edited (its first paragraph
// dropped, a word changed) under the same headline: QA found that copy
// left a separate entry, because the title key led only to the first post.
// A headline several entries share finds them all.
func TestSharedHeadlineFindsEveryEntry(t *testing.T) {
	rundown := src("rundown", "Harbor Rundown", "https://rundown.example/")
	mirror := src("mirror", "Harbor Mirror", "https://mirror.example/")
	id, tx := New(nil), newMemTx()
	other := article(rundown, "r1", "https://rundown.example/z", "Floodwall approved",
		"The council's vote is a mistake, and here is why: the waterfront belongs to the fishing families, "+
			"nobody asked the voters, and forty million dollars would fix every basement in town twice over.", t0)
	apply(t, id, tx, rundown, other, t0)
	_, orig := apply(t, id, tx, blog, article(blog, "1", "https://harborlight.example/x/", "Floodwall approved", text(paragraphs...), t0), t0)

	edited := text(paragraphs[1], strings.Replace(paragraphs[2], "41 million", "forty-one million", 1), paragraphs[3], paragraphs[4])
	out, e := apply(t, id, tx, mirror, article(mirror, "m1", "https://mirror.example/w", "Floodwall approved", edited, t0.Add(time.Hour)), t0)
	if out != Merged || e.ID != orig.ID {
		t.Fatalf("the edited copy: %v into %s, want merged into the original's entry %s", out, e.ID, orig.ID)
	}
}

// An article too old for retention that proves two stored entries one is
// not stored, but the join is: the entry find deleted was lost with its
// copies (review).
func TestTooOldArticleKeepsTheJoin(t *testing.T) {
	id, tx, _, full, e1, _ := twoEntriesApart(t)
	// A month old (copies further apart are a republication, kept apart),
	// past a retention of a week.
	old := article(blog, "1", "https://harborlight.example/x/", "Floodwall approved", full, t0.AddDate(0, 0, -30))
	expiring := blog
	expiring.Expired = t0.AddDate(0, 0, -7)
	out, _, err := id.Apply(tx, expiring, old, t0.Add(time.Hour))
	if err != nil || out != Expired {
		t.Fatalf("Apply = %v, %v; want Expired", out, err)
	}
	joined, err := tx.Entry(e1.ID)
	if err != nil || len(joined.Copies) != 2 {
		t.Fatalf("the joined entry %s: %v, %v; want it stored with both copies", e1.ID, joined, err)
	}
	if !joined.Modified.Equal(t0.Add(time.Hour)) {
		t.Errorf("the joined entry's Modified %s, want the join's time", joined.Modified)
	}
}

// twoEntriesApart stores two copies of one article that nothing yet proves
// one: the group's full text, and a planet's link to the original without
// text. The original's arrival joins them.
func twoEntriesApart(t *testing.T) (id *Identifier, tx *memTx, planet Source, full string, e1, e2 *feed.Entry) {
	t.Helper()
	planet = src("planet", "Linkstream", "https://links.example/")
	id, tx = New(nil), newMemTx()
	full = text(paragraphs...)
	_, e1 = apply(t, id, tx, group, article(group, "g1", "https://commonplace.example/y", "Floodwall approved", full, t0), t0)
	_, e2 = apply(t, id, tx, planet, article(planet, "l1", "https://harborlight.example/x/?utm_source=links", "Floodwall approved", "", t0), t0.Add(time.Minute))
	if e1.ID == e2.ID {
		t.Fatal("the two copies met before the original arrived; the test needs them apart")
	}
	return id, tx, planet, full, e1, e2
}

// QA, upgrading: an alert stored with a redirect link, fetched again with
// the article's own link (now unwrapped), joined its entry with the
// article's; the entry took the article's link and text, and its updated
// went back to the article's date, so readers kept the alert's text. A
// join moves updated on when what readers see changes, never back.
func TestJoinMovesUpdatedOn(t *testing.T) {
	alerts := src("alerts", "Alerts: floodwall", "https://alerts.example/")
	news := src("news", "Harbor News", "https://news.example/")
	at := func(h int) time.Time { return time.Date(2026, 11, 20, h, 0, 0, 0, time.UTC) }
	snippet := "The town council voted six to three on Tuesday night to build a floodwall along the eastern " +
		"waterfront, ending a year of hearings and postponed votes."
	id, tx := New(nil), newMemTx()
	_, alert := apply(t, id, tx, alerts, article(alerts, "tag:alerts.example,2013:feed:1", "https://alerts.example/r?to=1", "Floodwall news", snippet, at(18)), at(18))
	_, story := apply(t, id, tx, news, article(news, "n-1", "https://news.example/floodwall", "Council approves floodwall plan", text(paragraphs...), at(17)), at(18).Add(5*time.Minute))
	if alert.ID == story.ID {
		t.Fatal("the alert and the story met before the alert's link did; the test needs them apart")
	}
	out, e := apply(t, id, tx, alerts, article(alerts, "tag:alerts.example,2013:feed:1", "https://news.example/floodwall", "Floodwall news", snippet, at(18)), at(19))
	if out == Unchanged || e.ID != alert.ID || len(e.Copies) != 2 {
		t.Fatalf("the alert again: %v into %s with %d copies; want the entries joined into %s", out, e.ID, len(e.Copies), alert.ID)
	}
	if e.Link != "https://news.example/floodwall" {
		t.Errorf("link %s, want the story's", e.Link)
	}
	if !e.Updated.Equal(at(19)) || !e.Modified.Equal(at(19)) {
		t.Errorf("updated %s, modified %s; want both the join's time %s (what readers see changed)", e.Updated, e.Modified, at(19))
	}
}
