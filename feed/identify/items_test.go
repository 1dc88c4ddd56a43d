package identify

import (
	"testing"
	"time"

	"github.com/tributary/tributary/feed"
)

// entriesOf is how many entries two applied articles ended in: 1 or 2.
func entriesOf(first, second *feed.Entry) int {
	if first.ID == second.ID {
		return 1
	}
	return 2
}

// TestLinkPosts: two link blogs' posts about one article share its link
// but not their words, and stay two entries; a copy with that link and
// the same words, or a bare pointer to it, is one entry with the first.
func TestLinkPosts(t *testing.T) {
	const nyt = "https://news.example/2026/03/02/floodwall.html"
	fireball := src("fireball", "Fireball", "https://fireball.example/")
	kottke := src("kottke", "Kottke", "https://kottke.example/")
	gruber := "Good reporting on why the floodwall held, and on the two engineering reviews that " +
		"nearly sank it before a single pile was driven. Worth your time."
	jason := "A wall, a storm and a town council: a story I did not expect to read start to finish " +
		"on a Sunday morning, with photos of the harbor at high water."
	tests := []struct {
		name    string
		text    string
		entries int
	}{
		{"another writer's commentary", jason, 2},
		{"a copy of the same post", gruber, 1},
		{"a bare link", "Floodwall", 1},
	}
	// Two planets' items of one writer's article, one a summary the
	// planet wrote: one article.
	t.Run("one writer's article on two planets", func(t *testing.T) {
		p1, p2 := src("p1", "Planet One", "https://one.example/"), src("p2", "Planet Two", "https://two.example/")
		id, tx := New(nil), newMemTx()
		a1 := article(p1, "x1", nyt, "Floodwall holds", gruber+" "+jason, t0)
		a1.Author = "Ann Reyes"
		a2 := article(p2, "y1", nyt, "Floodwall holds", "Ann Reyes on the storm that tested the new harbor wall, and what the town council will decide about the second phase next spring.", t0)
		a2.Author = "Ann Reyes"
		_, first := apply(t, id, tx, p1, a1, t0)
		_, second := apply(t, id, tx, p2, a2, t0)
		if second.ID != first.ID {
			t.Errorf("two entries, want one")
		}
	})
	// A news site's own teaser of a story, then a planet's full text of it
	// under the same permalink: one article.
	t.Run("the publisher's teaser and a full copy", func(t *testing.T) {
		news := src("news", "News", "https://news.example/")
		id, tx := New(nil), newMemTx()
		_, first := apply(t, id, tx, news, article(news, "n1", nyt, "Floodwall holds", "The floodwall held through the storm, the first real test since spring.", t0), t0)
		_, second := apply(t, id, tx, kottke, article(kottke, "https://kottke.example/26/03/fw", nyt, "Floodwall holds", gruber+" "+jason, t0), t0)
		if second.ID != first.ID {
			t.Errorf("two entries, want one")
		}
	})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			id, tx := New(nil), newMemTx()
			_, first := apply(t, id, tx, fireball, article(fireball, "tag:fireball.example,2026:1", nyt, "The floodwall", gruber, t0), t0)
			_, second := apply(t, id, tx, kottke, article(kottke, "https://kottke.example/26/03/floodwall", nyt, "Floodwall", tc.text, t0), t0)
			if got := entriesOf(first, second); got != tc.entries {
				t.Errorf("%d entries, want %d", got, tc.entries)
			}
		})
	}
}

// TestStockText: two photographers' posts, each a photo over the same
// licence note, are two posts; a short cross-post keeping a word of its
// title, and a long one under a new title, are one article.
func TestStockText(t *testing.T) {
	ann := src("ann", "Ann", "https://ann.example/")
	ben := src("ben", "Ben", "https://ben.example/")
	licence := "This photograph is published under a Creative Commons Attribution licence: you may share " +
		"and adapt it for any purpose, provided you credit the photographer and link to the licence."
	tests := []struct {
		name, title, text string
		entries           int
	}{
		{"another photo over the licence note", "Heron at low tide", licence, 2},
		{"titles sharing only a little word", "Heron on the mudflat", licence, 2},
		{"a short cross-post keeping a title word", "Fog returns", licence, 1},
		{"a long cross-post under a new title", "Council votes for the wall", body + " " + body, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			id, tx := New(nil), newMemTx()
			text := licence
			if tc.entries == 1 && len(tc.text) > len(licence) {
				text = tc.text
			}
			_, first := apply(t, id, tx, ann, article(ann, "a1", "https://ann.example/fog", "Fog over the breakwater", text, t0), t0)
			_, second := apply(t, id, tx, ben, article(ben, "b1", "https://ben.example/p", tc.title, tc.text, t0), t0)
			if got := entriesOf(first, second); got != tc.entries {
				t.Errorf("%d entries, want %d", got, tc.entries)
			}
		})
	}
}

// TestKeptApartWithoutGUIDs: posts kept apart that have no GUID (so their
// first key is the link or text they share) are two entries, the second
// not written over the first, and stay two when fetched again.
func TestKeptApartWithoutGUIDs(t *testing.T) {
	const nyt = "https://news.example/2026/03/02/floodwall.html"
	fireball := src("fireball", "Fireball", "https://fireball.example/")
	kottke := src("kottke", "Kottke", "https://kottke.example/")
	gruber := "Good reporting on why the floodwall held, and on the two engineering reviews that " +
		"nearly sank it before a single pile was driven. Worth your time."
	jason := "A wall, a storm and a town council: a story I did not expect to read start to finish " +
		"on a Sunday morning, with photos of the harbor at high water."
	id, tx := New(nil), newMemTx()
	a1 := article(fireball, "", nyt, "The floodwall", gruber, t0)
	a2 := article(kottke, "", nyt, "Floodwall", jason, t0)
	for round := range 2 {
		out1, e1 := apply(t, id, tx, fireball, a1, t0)
		out2, e2 := apply(t, id, tx, kottke, a2, t0)
		if e1.ID == e2.ID {
			t.Fatalf("round %d: one entry for both posts", round)
		}
		if len(tx.entries) != 2 {
			t.Fatalf("round %d: %d entries stored, want 2", round, len(tx.entries))
		}
		if round > 0 && (out1 != Unchanged || out2 != Unchanged) {
			t.Errorf("fetched again: %v, %v; want both unchanged", out1, out2)
		}
	}
}

// TestUnspacedTitles: a lightly retitled copy of a Japanese article (one
// particle changed) keeps most of its title's characters, so the titles
// are compatible.
func TestUnspacedTitles(t *testing.T) {
	if !titlesCompatible("防潮堤は嵐を耐えた", "防潮堤が嵐を耐えた") {
		t.Error("a retitled Japanese copy's title is not compatible with its original's")
	}
	if titlesCompatible("防潮堤が嵐を耐えた", "新しい図書館が開館") {
		t.Error("two unrelated Japanese titles are compatible")
	}
}

// TestSeriesTitles: posts of a series are told apart by the words that
// number them, not only by digits; copies keep their numbers.
func TestSeriesTitles(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"What I Read in October", "Ada Brennan: What I Read in November", false},
		{"The Harbor Dredging Plan, Part I", "The Harbor Dredging Plan, Part II", false},
		{"The Harbor Dredging Plan, Part One", "The Harbor Dredging Plan, Part Two", false},
		{"The Harbor Dredging Plan, Part 2", "The Harbor Dredging Plan, Part II", true},
		{"What I Read in November", "Ada Brennan: What I Read in November", true},
		{"I Love the Harbor", "I Love the Harbor (cross-post)", true},
	}
	for _, tc := range tests {
		if got := titlesCompatible(tc.a, tc.b); got != tc.want {
			t.Errorf("titlesCompatible(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

// QA, upgrading: a GUID-less comment that an earlier build stored (its
// link key then without "#comment-N") found nothing under its new key and
// was stored again as a new entry, whether that build had kept it apart
// from its post or merged it into the post's entry. It is found where it
// was.
func TestCommentStoredByAnEarlierBuild(t *testing.T) {
	comments := src("comments", "Comments on Harbor Light", "https://harborlight.example/")
	post := "https://harborlight.example/2026/11/floodwall/"
	postKey := "url:https://harborlight.example/2026/11/floodwall"
	comment := func(n string) *feed.Article {
		return article(comments, "", post+"#comment-"+n, "Comment on Floodwall approved", "Finally, after three winters of pumping.", t0)
	}
	// What the earlier build stored: the post's entry, holding comment 35
	// as a copy, and comment 34 kept apart in an entry of its own, both
	// indexed under the fragment-less key.
	stored := func(a *feed.Article, keys ...string) feed.Copy {
		return feed.Copy{SourceID: comments.ID, SourceName: comments.Name, Link: a.Link, Title: a.Title,
			Published: t0, FirstSeen: t0, Keys: keys, Rule: RuleURL, Score: 1, Hash: articleHash(a)}
	}
	tx := newMemTx()
	postCopy := feed.Copy{SourceID: blog.ID, SourceName: blog.Name, GUID: "p-1", Link: post, Title: "Floodwall approved",
		Published: t0, FirstSeen: t0, Keys: []string{"guid:harbor:p-1", postKey}, Rule: RuleNew, Score: 1}
	merged := &feed.Entry{ID: "postentry0000000", Title: "Floodwall approved", Link: post, Published: t0, Updated: t0,
		Created: t0, Modified: t0, Copies: []feed.Copy{postCopy, stored(comment("35"), postKey)}}
	apartEntry := &feed.Entry{ID: apartID(comments, item{id: ItemIdentity("", post+"#comment-34"), keys: []string{postKey}}),
		Title: "Comment on Floodwall approved", Link: post + "#comment-34", Published: t0, Updated: t0, Created: t0, Modified: t0,
		Copies: []feed.Copy{stored(comment("34"), postKey)}}
	for _, e := range []*feed.Entry{merged, apartEntry} {
		if err := tx.PutEntry(e); err != nil {
			t.Fatal(err)
		}
	}
	id := New(nil)
	for _, tt := range []struct {
		n    string
		want string
	}{{"34", apartEntry.ID}, {"35", merged.ID}} {
		out, e := apply(t, id, tx, comments, comment(tt.n), t0.Add(time.Hour))
		if out != Unchanged || e.ID != tt.want {
			t.Errorf("comment %s: %v into %s, want unchanged in %s", tt.n, out, e.ID, tt.want)
		}
		// Stored again under its new key, which the next fetch finds.
		if got, _ := tx.Lookup(Keys(comment(tt.n))[0]); got != tt.want {
			t.Errorf("comment %s: its new key names %q, want %s", tt.n, got, tt.want)
		}
	}
	// A comment the earlier build never saw is a post of its own.
	if out, e := apply(t, id, tx, comments, comment("36"), t0.Add(time.Hour)); out != Created || e.ID == merged.ID {
		t.Errorf("a new comment: %v into %s, want created", out, e.ID)
	}
}

// Review: formerEntry took another comment's copy in the post's entry for
// the item's own, when the two shared a key (a stock "thank you" text):
// the new comment replaced the old one. Only the item's own copy counts.
func TestFormerEntryIsTheItemsOwn(t *testing.T) {
	comments := src("comments", "Comments on Harbor Light", "https://harborlight.example/")
	post := "https://harborlight.example/2026/11/floodwall/"
	postKey := "url:https://harborlight.example/2026/11/floodwall"
	thanks := "Thank you so much for writing this up, it was exactly what I needed to read today and I will share it with my neighbours."
	old := article(comments, "", post+"#comment-35", "Comment on Floodwall approved by Kim", thanks, t0)
	tx := newMemTx()
	postCopy := feed.Copy{SourceID: blog.ID, SourceName: blog.Name, GUID: "p-1", Link: post, Title: "Floodwall approved",
		Published: t0, FirstSeen: t0, Keys: []string{"guid:harbor:p-1", postKey}, Rule: RuleNew, Score: 1}
	oldCopy := feed.Copy{SourceID: comments.ID, SourceName: comments.Name, Link: old.Link, Title: old.Title,
		Published: t0, FirstSeen: t0, Keys: []string{postKey, TextKey(thanks)}, Rule: RuleURL, Score: 1, Hash: articleHash(old)}
	merged := &feed.Entry{ID: "postentry0000000", Title: "Floodwall approved", Link: post, Published: t0, Updated: t0,
		Created: t0, Modified: t0, Copies: []feed.Copy{postCopy, oldCopy}}
	if err := tx.PutEntry(merged); err != nil {
		t.Fatal(err)
	}
	id := New(nil)
	later := t0.AddDate(0, 2, 0)
	newer := article(comments, "", post+"#comment-36", "Comment on Floodwall approved by Lee", thanks, later)
	listing := comments // the feed lists the new comment, no longer the old
	listing.Listed = map[string]bool{ItemIdentity("", newer.Link): true}
	out, e := apply(t, id, tx, listing, newer, later)
	if e.ID == merged.ID {
		t.Fatalf("the new comment: %v into the post's entry, want an entry of its own", out)
	}
	kept, err := tx.Entry(merged.ID)
	if err != nil || len(kept.Copies) != 2 || kept.Copies[1].Link != old.Link {
		t.Errorf("the post's entry after the new comment: %+v, %v; want the old comment's copy kept", kept, err)
	}

	if out, e := apply(t, id, tx, comments, old, later); out != Unchanged || e.ID != merged.ID {
		t.Errorf("the old comment again: %v into %s, want unchanged in %s", out, e.ID, merged.ID)
	}
}
