package ingest_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/fetch"
	"github.com/tributary/tributary/feed/ingest"
)

// liveFeed serves whatever body was last set, as an upstream whose feed
// changes between fetches.
type liveFeed struct{ body atomic.Value }

func (f *liveFeed) set(body string) { f.body.Store(body) }

func (f *liveFeed) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/rss+xml")
	_, _ = w.Write([]byte(f.body.Load().(string)))
}

// threadText is a templated body that a blog publishes, word for word,
// under every post of a series: long enough for a text key.
const threadText = "This is our weekly open thread. Talk about anything you like, " +
	"be kind to each other, and remember that the comment policy still applies here. " +
	"See you next week."

// TestEveryPostOfAFeedOnce is the promise to a subscriber that each post a
// feed lists is one entry: items with their own GUIDs stay apart whatever
// they share, an item listed twice is stored once, at its first listing,
// and a post whose GUID changed is its own edit, not a second post.
func TestEveryPostOfAFeedOnce(t *testing.T) {
	tests := []struct {
		name   string
		rounds [][]rssItem
		// titles are the stored entries' titles, newest first, after the
		// last round.
		titles []string
		// last is what the last round reported.
		last feed.SourceReport
	}{{
		name: "items of a changelog share the page they link to",
		rounds: [][]rssItem{{
			{GUID: "changelog-40", Link: "https://app.test/changelog", Title: "Version 2.4", Description: "<p>Dark mode.</p>", PubDate: "Mon, 02 Mar 2026 10:00:00 GMT"},
			{GUID: "changelog-39", Link: "https://app.test/changelog", Title: "Maintenance", Description: "<p>Scheduled maintenance on Sunday.</p>", PubDate: "Sun, 01 Mar 2026 10:00:00 GMT"},
			{GUID: "changelog-38", Link: "https://app.test/changelog", Title: "Version 2.3", Description: "<p>Faster search.</p>", PubDate: "Sat, 28 Feb 2026 10:00:00 GMT"},
		}, {
			{GUID: "changelog-41", Link: "https://app.test/changelog", Title: "Version 2.5", Description: "<p>Exports.</p>", PubDate: "Tue, 03 Mar 2026 10:00:00 GMT"},
			{GUID: "changelog-40", Link: "https://app.test/changelog", Title: "Version 2.4", Description: "<p>Dark mode.</p>", PubDate: "Mon, 02 Mar 2026 10:00:00 GMT"},
			{GUID: "changelog-39", Link: "https://app.test/changelog", Title: "Maintenance", Description: "<p>Scheduled maintenance on Sunday.</p>", PubDate: "Sun, 01 Mar 2026 10:00:00 GMT"},
			{GUID: "changelog-38", Link: "https://app.test/changelog", Title: "Version 2.3", Description: "<p>Faster search.</p>", PubDate: "Sat, 28 Feb 2026 10:00:00 GMT"},
		}},
		titles: []string{"Version 2.5", "Version 2.4", "Maintenance", "Version 2.3"},
		last:   feed.SourceReport{New: 1},
	}, {
		name: "posts of a series share their whole text",
		rounds: [][]rssItem{{
			{GUID: "ot-2", Link: "https://blog.test/open-thread-2", Title: "Open thread: December 7", Description: threadText, PubDate: "Sun, 07 Dec 2025 08:00:00 GMT"},
			{GUID: "ot-1", Link: "https://blog.test/open-thread-1", Title: "Open thread: November 30", Description: threadText, PubDate: "Sun, 30 Nov 2025 08:00:00 GMT"},
		}, {
			{GUID: "ot-3", Link: "https://blog.test/open-thread-3", Title: "Open thread: December 14", Description: threadText, PubDate: "Sun, 14 Dec 2025 08:00:00 GMT"},
			{GUID: "ot-2", Link: "https://blog.test/open-thread-2", Title: "Open thread: December 7", Description: threadText, PubDate: "Sun, 07 Dec 2025 08:00:00 GMT"},
			{GUID: "ot-1", Link: "https://blog.test/open-thread-1", Title: "Open thread: November 30", Description: threadText, PubDate: "Sun, 30 Nov 2025 08:00:00 GMT"},
		}},
		titles: []string{"Open thread: December 14", "Open thread: December 7", "Open thread: November 30"},
		last:   feed.SourceReport{New: 1},
	}, {
		// QA: every new post replaced the one stored before it.
		name: "every item carries the home page as its GUID",
		rounds: [][]rssItem{{
			{GUID: "https://blog.test/", Link: "https://blog.test/herons", Title: "Herons at dawn", Description: "<p>Three herons on the mudflat.</p>", PubDate: "Mon, 02 Mar 2026 10:00:00 GMT"},
			{GUID: "https://blog.test/", Link: "https://blog.test/eiders", Title: "Eiders return", Description: "<p>The eiders are back in the bay.</p>", PubDate: "Sun, 01 Mar 2026 10:00:00 GMT"},
		}, {
			{GUID: "https://blog.test/", Link: "https://blog.test/terns", Title: "Terns nesting", Description: "<p>Terns nest on the shingle.</p>", PubDate: "Tue, 03 Mar 2026 10:00:00 GMT"},
			{GUID: "https://blog.test/", Link: "https://blog.test/herons", Title: "Herons at dawn", Description: "<p>Three herons on the mudflat.</p>", PubDate: "Mon, 02 Mar 2026 10:00:00 GMT"},
			{GUID: "https://blog.test/", Link: "https://blog.test/eiders", Title: "Eiders return", Description: "<p>The eiders are back in the bay.</p>", PubDate: "Sun, 01 Mar 2026 10:00:00 GMT"},
		}},
		titles: []string{"Terns nesting", "Herons at dawn", "Eiders return"},
		last:   feed.SourceReport{New: 1},
	}, {
		// Review: a GUID spelled as a URL became every item's link.
		name: "every item carries the feed's URL as its GUID and no link",
		rounds: [][]rssItem{{
			{GUID: "https://blog.test/feed", Title: "Herons at dawn", Description: "<p>Three herons on the mudflat.</p>", PubDate: "Mon, 02 Mar 2026 10:00:00 GMT"},
			{GUID: "https://blog.test/feed", Title: "Eiders return", Description: "<p>The eiders are back in the bay.</p>", PubDate: "Sun, 01 Mar 2026 10:00:00 GMT"},
		}, {
			{GUID: "https://blog.test/feed", Title: "Terns nesting", Description: "<p>Terns nest on the shingle.</p>", PubDate: "Tue, 03 Mar 2026 10:00:00 GMT"},
			{GUID: "https://blog.test/feed", Title: "Herons at dawn", Description: "<p>Three herons on the mudflat.</p>", PubDate: "Mon, 02 Mar 2026 10:00:00 GMT"},
			{GUID: "https://blog.test/feed", Title: "Eiders return", Description: "<p>The eiders are back in the bay.</p>", PubDate: "Sun, 01 Mar 2026 10:00:00 GMT"},
		}},
		titles: []string{"Terns nesting", "Herons at dawn", "Eiders return"},
		last:   feed.SourceReport{New: 1},
	}, {
		// QA re-run: without links, the posts collapsed all the same.
		name: "every item carries one GUID and no link",
		rounds: [][]rssItem{{
			{GUID: "same", Title: "Herons at dawn", Description: "<p>Three herons on the mudflat.</p>", PubDate: "Mon, 02 Mar 2026 10:00:00 GMT"},
			{GUID: "same", Title: "Eiders return", Description: "<p>The eiders are back in the bay.</p>", PubDate: "Sun, 01 Mar 2026 10:00:00 GMT"},
		}, {
			{GUID: "same", Title: "Terns nesting", Description: "<p>Terns nest on the shingle.</p>", PubDate: "Tue, 03 Mar 2026 10:00:00 GMT"},
			{GUID: "same", Title: "Herons at dawn", Description: "<p>Three herons on the mudflat.</p>", PubDate: "Mon, 02 Mar 2026 10:00:00 GMT"},
			{GUID: "same", Title: "Eiders return", Description: "<p>The eiders are back in the bay.</p>", PubDate: "Sun, 01 Mar 2026 10:00:00 GMT"},
		}},
		titles: []string{"Terns nesting", "Herons at dawn", "Eiders return"},
		last:   feed.SourceReport{New: 1},
	}, {
		name: "items without GUIDs listing one link are taken at the first",
		rounds: [][]rssItem{{
			{Link: "https://status.test/incidents", Title: "Resolved", Description: "<p>All systems normal.</p>", PubDate: "Mon, 02 Mar 2026 10:00:00 GMT"},
			{Link: "https://status.test/incidents", Title: "Investigating", Description: "<p>Errors on login.</p>", PubDate: "Mon, 02 Mar 2026 09:00:00 GMT"},
			{Link: "https://status.test/incidents", Title: "Degraded performance", Description: "<p>Slow pages.</p>", PubDate: "Sat, 28 Feb 2026 10:00:00 GMT"},
		}},
		titles: []string{"Resolved"},
		last:   feed.SourceReport{New: 1},
	}, {
		name: "a changelog's window moves on: the next release is no edit of the one that left",
		rounds: [][]rssItem{{
			{GUID: "r3", Link: "https://app.test/changelog", Title: "Version 2.3", Description: "<p>Faster search.</p>", PubDate: "Tue, 03 Mar 2026 10:00:00 GMT"},
			{GUID: "r2", Link: "https://app.test/changelog", Title: "Version 2.2", Description: "<p>Exports.</p>", PubDate: "Mon, 02 Mar 2026 10:00:00 GMT"},
		}, {
			// 2.3, whose entry holds the page's link, has left the feed.
			{GUID: "r4", Link: "https://app.test/changelog", Title: "Version 2.4", Description: "<p>Dark mode.</p>", PubDate: "Wed, 04 Mar 2026 10:00:00 GMT"},
			{GUID: "r2", Link: "https://app.test/changelog", Title: "Version 2.2", Description: "<p>Exports.</p>", PubDate: "Mon, 02 Mar 2026 10:00:00 GMT"},
		}},
		titles: []string{"Version 2.4", "Version 2.3", "Version 2.2"},
		last:   feed.SourceReport{New: 1},
	}, {
		name: "items without GUIDs linking to anchors of one page stay apart",
		rounds: [][]rssItem{{
			{Link: "https://app.test/changelog#v2-3", Title: "Version 2.3", Description: "<p>Faster search.</p>", PubDate: "Tue, 03 Mar 2026 10:00:00 GMT"},
			{Link: "https://app.test/changelog#v2-2", Title: "Version 2.2", Description: "<p>Exports.</p>", PubDate: "Mon, 02 Mar 2026 10:00:00 GMT"},
		}, {
			{Link: "https://app.test/changelog#v2-4", Title: "Version 2.4", Description: "<p>Dark mode.</p>", PubDate: "Wed, 04 Mar 2026 10:00:00 GMT"},
			{Link: "https://app.test/changelog#v2-3", Title: "Version 2.3", Description: "<p>Faster search.</p>", PubDate: "Tue, 03 Mar 2026 10:00:00 GMT"},
		}},
		titles: []string{"Version 2.4", "Version 2.3", "Version 2.2"},
		last:   feed.SourceReport{New: 1},
	}, {
		name: "items without GUIDs linking to the home page stay apart",
		rounds: [][]rssItem{{
			{Link: "https://site.test/", Title: "Tuesday", Description: "<p>Rain all day.</p>", PubDate: "Tue, 03 Mar 2026 10:00:00 GMT"},
			{Link: "https://site.test/", Title: "Monday", Description: "<p>Sun, then wind.</p>", PubDate: "Mon, 02 Mar 2026 10:00:00 GMT"},
			{Link: "https://site.test/", Title: "Sunday", Description: "<p>Fog.</p>", PubDate: "Sun, 01 Mar 2026 10:00:00 GMT"},
		}},
		titles: []string{"Tuesday", "Monday", "Sunday"},
		last:   feed.SourceReport{New: 3},
	}, {
		name: "an item with a GUID and one without share a link",
		rounds: [][]rssItem{{
			{GUID: "note-2", Link: "https://site.test/notes", Title: "Second note", Description: "<p>Two.</p>", PubDate: "Tue, 03 Mar 2026 10:00:00 GMT"},
			{Link: "https://site.test/notes", Title: "First note", Description: "<p>One.</p>", PubDate: "Mon, 02 Mar 2026 10:00:00 GMT"},
		}},
		titles: []string{"Second note", "First note"},
		last:   feed.SourceReport{New: 2},
	}, {
		name: "a post whose GUID changed is an edit of itself",
		rounds: [][]rssItem{{
			{GUID: "https://blog.test/?p=7", Link: "https://blog.test/floodwall", Title: "Floodwall", Description: "<p>The wall held.</p>", PubDate: "Mon, 02 Mar 2026 10:00:00 GMT"},
		}, {
			{GUID: "tag:blog.test,2026:floodwall", Link: "https://blog.test/floodwall", Title: "Floodwall", Description: "<p>The wall held, again.</p>", PubDate: "Mon, 02 Mar 2026 10:00:00 GMT"},
		}},
		titles: []string{"Floodwall"},
		last:   feed.SourceReport{Updated: 1},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			up := &liveFeed{}
			// Every round a full pass: every item identified again, as
			// once a day, when items that change back and forth show.
			env := newRoundEnv(t, up, fetch.Options{}, ingest.Options{FullPass: time.Minute})
			src := env.source("blog", "/feed")
			var r feed.SourceReport
			for _, items := range tc.rounds {
				up.set(rssFeed("Blog", items...))
				env.clk.Set(env.clk.Now().Add(time.Hour))
				r = env.round(ingest.Force, src).Sources[0]
				if r.Outcome != feed.Fetched {
					t.Fatalf("%s %q", r.Outcome, r.Error)
				}
			}
			if r.New != tc.last.New || r.Updated != tc.last.Updated || r.Merged != 0 {
				t.Errorf("last round: %d new, %d updated, %d merged; want %d new, %d updated",
					r.New, r.Updated, r.Merged, tc.last.New, tc.last.Updated)
			}
			var titles []string
			for _, e := range env.entries("blog") {
				titles = append(titles, e.Title)
			}
			if fmt.Sprint(titles) != fmt.Sprint(tc.titles) {
				t.Errorf("entries %q, want %q", titles, tc.titles)
			}
			// Fetched again as it is, nothing changes back and forth.
			env.clk.Set(env.clk.Now().Add(time.Hour))
			if r := env.round(ingest.Force, src).Sources[0]; r.New+r.Updated+r.Merged != 0 {
				t.Errorf("fetched again: %d new, %d updated, %d merged", r.New, r.Updated, r.Merged)
			}
		})
	}
}

// TestNewestItemsOfALongFeed: a feed that lists its oldest post first and
// more posts than are taken keeps its newest, as a reader shows them.
func TestNewestItemsOfALongFeed(t *testing.T) {
	var items []rssItem
	for i := 1; i <= 30; i++ {
		items = append(items, rssItem{GUID: fmt.Sprintf("ep-%d", i), Title: fmt.Sprintf("Episode %d", i),
			Link:    fmt.Sprintf("https://pod.test/%d", i),
			PubDate: fmt.Sprintf("%s, %02d Jan 2026 10:00:00 GMT", dayName(i), i)})
	}
	up := &liveFeed{}
	up.set(rssFeed("Pod", items...))
	env := newRoundEnv(t, up, fetch.Options{}, ingest.Options{MaxItems: 10})
	if r := env.round(ingest.All, env.source("pod", "/feed")).Sources[0]; r.Outcome != feed.Fetched || r.New != 10 {
		t.Fatalf("%s %q, %d new", r.Outcome, r.Error, r.New)
	}
	var titles []string
	for _, e := range env.entries("pod") {
		titles = append(titles, strings.TrimPrefix(e.Title, "Episode "))
	}
	if got, want := strings.Join(titles, " "), "30 29 28 27 26 25 24 23 22 21"; got != want {
		t.Errorf("stored episodes %s, want %s", got, want)
	}
}

// dayName is the weekday of January day, 2026.
func dayName(day int) string {
	return []string{"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"}[(day-1)%7]
}

// TestUndatedItemsKeepFeedOrder: items without dates are dated when first
// seen, all at once; they are shown in the order the feed lists them.
func TestUndatedItemsKeepFeedOrder(t *testing.T) {
	var items []rssItem
	for i := 1; i <= 8; i++ {
		items = append(items, rssItem{GUID: fmt.Sprintf("n%d", i), Title: fmt.Sprintf("Note %d", i),
			Link: fmt.Sprintf("https://notes.test/%d", i)})
	}
	up := &liveFeed{}
	up.set(rssFeed("Notes", items...))
	env := newRoundEnv(t, up, fetch.Options{}, ingest.Options{})
	if r := env.round(ingest.All, env.source("notes", "/feed")).Sources[0]; r.Outcome != feed.Fetched || r.New != 8 {
		t.Fatalf("%s %q, %d new", r.Outcome, r.Error, r.New)
	}
	var titles []string
	for _, e := range env.entries("notes") {
		titles = append(titles, strings.TrimPrefix(e.Title, "Note "))
	}
	if got, want := strings.Join(titles, " "), "1 2 3 4 5 6 7 8"; got != want {
		t.Errorf("shown in the order %s, want the feed's, %s", got, want)
	}
}

// TestFutureDatedItemDatedOnce: an item dated years ahead (a clock or zone
// error upstream) is dated when first seen, and stays so: re-dating it at
// every fetch changed it, and the unified feed, at every round.
func TestFutureDatedItemDatedOnce(t *testing.T) {
	up := &liveFeed{}
	up.set(rssFeed("Blog", rssItem{GUID: "f1", Link: "https://blog.test/f1", Title: "From the future",
		Description: "<p>Posted with a clock gone wrong.</p>", PubDate: "Sat, 01 Jan 2039 00:00:00 GMT"}))
	env := newRoundEnv(t, up, fetch.Options{}, ingest.Options{})
	src := env.source("blog", "/feed")
	first := env.clk.Now()
	for round := range 3 {
		env.clk.Set(first.Add(time.Duration(round) * time.Hour))
		r := env.round(ingest.Force, src).Sources[0]
		if r.Outcome != feed.Fetched || round > 0 && r.New+r.Updated != 0 {
			t.Fatalf("round %d: %s %q, %d new, %d updated", round, r.Outcome, r.Error, r.New, r.Updated)
		}
	}
	if e := env.entries("blog"); len(e) != 1 || !e[0].Published.Round(time.Second).Equal(first) {
		t.Fatalf("entries %v, want one published when first seen, %s", e, first)
	}
}

// TestNearFutureDateCorrected: an item dated a day ahead of the time it
// was first seen (within the allowance; a zone error, a scheduled post)
// takes the date its feed corrects it to, and its edits move updated on:
// a future updated hid every edit until that day (QA over time).
func TestNearFutureDateCorrected(t *testing.T) {
	up := &liveFeed{}
	env := newRoundEnv(t, up, fetch.Options{}, ingest.Options{})
	src := env.source("blog", "/feed")
	start := env.clk.Now().Truncate(time.Second)
	env.clk.Set(start)
	item := rssItem{GUID: "n1", Link: "https://blog.test/n1", Title: "Tomorrow's post",
		Description: floodText, PubDate: start.Add(30 * time.Hour).Format(time.RFC1123Z)}
	up.set(rssFeed("Blog", item))
	env.round(ingest.Force, src)

	env.clk.Set(start.Add(time.Hour))
	item.PubDate, item.Title = start.Add(-time.Hour).Format(time.RFC1123Z), "Today's post"
	up.set(rssFeed("Blog", item))
	if r := env.round(ingest.Force, src).Sources[0]; r.Updated != 1 {
		t.Fatalf("correction: %s %q, %d updated", r.Outcome, r.Error, r.Updated)
	}
	e := env.entries("blog")
	if len(e) != 1 || !e[0].Published.Equal(start.Add(-time.Hour)) || e[0].Updated.After(env.clk.Now()) {
		t.Fatalf("entries %+v, want one published at the corrected date, updated by now", e)
	}

	env.clk.Set(start.Add(2 * time.Hour))
	item.Description = strings.Replace(floodText, "second mark", "third mark", 1)
	up.set(rssFeed("Blog", item))
	env.round(ingest.Force, src)
	if e := env.entries("blog"); len(e) != 1 || !e[0].Updated.Equal(env.clk.Now()) {
		t.Errorf("after an edit: updated %s, want %s", e[0].Updated, env.clk.Now())
	}
}

// floodText is an article's text, long enough to be known by it.
const floodText = "<p>The new floodwall on the harbor front held through the storm on Sunday night, " +
	"the first real test since it was finished in the spring. Water reached the second mark.</p>"

// TestUpdatedMovesOnWithWhatReadersSee: readers refresh an entry they have
// only when its updated date moves on. It must not go back when the
// original arrives after a copy and changes what the entry shows, and must
// move on when an upstream edits an item without dating the edit.
func TestUpdatedMovesOnWithWhatReadersSee(t *testing.T) {
	// The copy retitled, and word for word: then only the link and the
	// credit change when the original arrives (QA: updated stayed).
	for _, copyTitle := range []string{"Floodwall holds (cross-post)", "Floodwall holds"} {
		t.Run(copyTitle, func(t *testing.T) { testUpdatedMovesOn(t, copyTitle) })
	}
}

func testUpdatedMovesOn(t *testing.T, copyTitle string) {
	copyFeed, origFeed := &liveFeed{}, &liveFeed{}
	mux := http.NewServeMux()
	mux.Handle("/copy", copyFeed)
	mux.Handle("/orig", origFeed)
	env := newRoundEnv(t, mux, fetch.Options{}, ingest.Options{})
	copySrc, origSrc := env.source("group", "/copy"), env.source("harbor", "/orig")
	copyFeed.set(rssFeed("Group", rssItem{GUID: "g1", Link: "https://group.test/floodwall", Title: copyTitle,
		Description: floodText + "<p>Share this!</p>", PubDate: "Mon, 02 Mar 2026 11:00:00 GMT"}))
	origItem := rssItem{GUID: "h1", Link: "https://harbor.test/floodwall", Title: "Floodwall holds",
		Description: floodText, PubDate: "Mon, 02 Mar 2026 08:00:00 GMT"}
	origFeed.set(rssFeed("Harbor", origItem))

	updated := func() time.Time {
		t.Helper()
		e := env.entries("group")
		if len(e) != 1 {
			t.Fatalf("%d entries, want 1", len(e))
		}
		return e[0].Updated
	}
	start := env.clk.Now()
	env.round(ingest.Force, copySrc)
	first := updated()

	env.clk.Set(start.Add(time.Hour))
	if r := env.round(ingest.Force, origSrc).Sources[0]; r.Merged != 1 {
		t.Fatalf("original: %d merged, want 1 (%s %q)", r.Merged, r.Outcome, r.Error)
	}
	if got := updated(); !got.After(first) {
		t.Errorf("after the original arrived: updated %s, was %s; it must move on", got, first)
	}

	env.clk.Set(start.Add(2 * time.Hour))
	origItem.Description = strings.Replace(floodText, "second mark", "third mark", 1)
	origFeed.set(rssFeed("Harbor", origItem))
	if r := env.round(ingest.Force, origSrc).Sources[0]; r.Updated != 1 {
		t.Fatalf("edit: %d updated, want 1 (%s %q)", r.Updated, r.Outcome, r.Error)
	}
	if got := updated(); !got.Equal(env.clk.Now()) {
		t.Errorf("after an undated edit: updated %s, want the time it was seen, %s", got, env.clk.Now())
	}
}

// TestPublishedIsTheFirstDateSeen: an entry's publication date is the first
// date its feed gave, whatever the feed says later: a pubDate moved back
// to 2001 for one fetch made retention delete the post for good, a CMS
// that regenerates Atom's <published> moved the entry up every round, and
// one fetch without a date let the next date through (QA over time).
func TestPublishedIsTheFirstDateSeen(t *testing.T) {
	upstream := &liveFeed{}
	env := newRoundEnv(t, upstream, fetch.Options{}, ingest.Options{})
	src := env.source("harbor", "/feed")
	item := rssItem{GUID: "h1", Link: "https://harbor.test/floodwall", Title: "Floodwall holds",
		Description: floodText, PubDate: "Mon, 02 Mar 2026 08:00:00 GMT"}
	want := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	for i, date := range []string{
		"Mon, 02 Mar 2026 08:00:00 GMT", // first seen
		"Mon, 01 Jan 2001 00:00:00 GMT", // moved back by mistake
		"Mon, 02 Mar 2026 05:00:00 GMT", // moved back a little
		"",                              // a fetch without the date
		"Tue, 03 Mar 2026 08:00:00 GMT", // moved on after it
	} {
		item.PubDate = date
		item.Title = fmt.Sprintf("Floodwall holds (%d)", i) // an edit each time
		upstream.set(rssFeed("Harbor", item))
		env.clk.Set(want.Add(time.Duration(i+1) * 24 * time.Hour))
		if r := env.round(ingest.Force, src).Sources[0]; r.Outcome != feed.Fetched {
			t.Fatalf("fetch %d: %s %q", i, r.Outcome, r.Error)
		}
		e := env.entries("harbor")
		if len(e) != 1 {
			t.Fatalf("fetch %d (%q): %d entries, want 1", i, date, len(e))
		}
		if !e[0].Published.Equal(want) {
			t.Errorf("fetch %d (%q): published %s, want %s", i, date, e[0].Published, want)
		}
	}
}

// TestTooOldForRetentionNotStored: a new item dated before retention's
// age limit is not stored; stored, retention pruned it at once and its
// tombstones kept it out when the upstream corrected a wrong date (QA re-run).
func TestTooOldForRetentionNotStored(t *testing.T) {
	up := &liveFeed{}
	env := newRoundEnv(t, up, fetch.Options{}, ingest.Options{MaxAge: 365 * 24 * time.Hour})
	src := env.source("blog", "/feed")
	item := rssItem{GUID: "w1", Link: "https://blog.test/w1", Title: "Dated wrong",
		Description: floodText, PubDate: "Mon, 01 Jan 2001 00:00:00 GMT"}
	up.set(rssFeed("Blog", item))
	round := func() feed.SourceReport {
		t.Helper()
		rep, err := env.in.Round(context.Background(), []feed.Source{src}, ingest.Force,
			ingest.Politeness{Retention: ingest.Retention{MaxAge: 365 * 24 * time.Hour}})
		if err != nil {
			t.Fatal(err)
		}
		return rep.Sources[0]
	}
	if r := round(); r.Outcome != feed.Fetched || r.New != 0 {
		t.Fatalf("2001: %s %q, %d new; want fetched, none stored", r.Outcome, r.Error, r.New)
	}
	if e := env.entries("blog"); len(e) != 0 {
		t.Fatalf("%d entries stored, want none", len(e))
	}
	item.PubDate = env.clk.Now().Add(-time.Hour).Format(time.RFC1123Z)
	up.set(rssFeed("Blog", item))
	if r := round(); r.New != 1 {
		t.Fatalf("corrected: %s %q, %d new; want the post stored", r.Outcome, r.Error, r.New)
	}
}

// TestUndatedItemNotDatedPastRetention: an item first seen undated does
// not take a date its feed gives it later that retention would remove it
// for at once (QA: it was pruned, tombstoned and never came back once the
// date was corrected); it takes the corrected one.
func TestUndatedItemNotDatedPastRetention(t *testing.T) {
	up := &liveFeed{}
	maxAge := 365 * 24 * time.Hour
	env := newRoundEnv(t, up, fetch.Options{}, ingest.Options{MaxAge: maxAge})
	src := env.source("blog", "/feed")
	item := rssItem{GUID: "ud1", Link: "https://blog.test/ud1", Title: "Undated", Description: floodText}
	good := env.clk.Now().Add(-2 * time.Hour).Truncate(time.Second)
	for _, date := range []string{"", "Mon, 01 Jan 2001 00:00:00 GMT", good.Format(time.RFC1123Z)} {
		item.PubDate = date
		up.set(rssFeed("Blog", item))
		env.clk.Set(env.clk.Now().Add(time.Hour))
		if _, err := env.in.Round(context.Background(), []feed.Source{src}, ingest.Force,
			ingest.Politeness{Retention: ingest.Retention{MaxAge: maxAge}}); err != nil {
			t.Fatal(err)
		}
		if e := env.entries("blog"); len(e) != 1 {
			t.Fatalf("after the feed gave %q: %d entries, want the item kept", date, len(e))
		}
	}
	if e := env.entries("blog"); !e[0].Published.Equal(good) {
		t.Errorf("published %s, want the corrected date %s", e[0].Published, good)
	}
}

// TestTooOldCopyDoesNotTakeTheOriginalDown: a copy elsewhere dated before
// retention's cutoff is not merged: dated earliest, it became the entry's
// original, retention removed the entry and tombstoned the real
// original's keys with it (review), in either order of arrival.
func TestTooOldCopyDoesNotTakeTheOriginalDown(t *testing.T) {
	for _, copyFirst := range []bool{false, true} {
		t.Run(fmt.Sprintf("copy first %v", copyFirst), func(t *testing.T) {
			origFeed, copyFeed := &liveFeed{}, &liveFeed{}
			mux := http.NewServeMux()
			mux.Handle("/orig", origFeed)
			mux.Handle("/copy", copyFeed)
			maxAge := 365 * 24 * time.Hour
			env := newRoundEnv(t, mux, fetch.Options{}, ingest.Options{MaxAge: maxAge})
			orig, cp := env.source("harbor", "/orig"), env.source("group", "/copy")
			origFeed.set(rssFeed("Harbor", rssItem{GUID: "h1", Link: "https://harbor.test/floodwall", Title: "Floodwall holds",
				Description: floodText, PubDate: env.clk.Now().Add(-time.Hour).Format(time.RFC1123Z)}))
			copyFeed.set(rssFeed("Group", rssItem{GUID: "g1", Link: "https://group.test/floodwall", Title: "Floodwall holds",
				Description: floodText, PubDate: "Mon, 01 Jan 2001 00:00:00 GMT"}))
			srcs := []feed.Source{orig, cp}
			if copyFirst {
				srcs = []feed.Source{cp, orig}
			}
			for _, src := range append(srcs, srcs...) {
				if _, err := env.in.Round(context.Background(), []feed.Source{src}, ingest.Force,
					ingest.Politeness{Retention: ingest.Retention{MaxAge: maxAge}}); err != nil {
					t.Fatal(err)
				}
			}
			e := env.entries("harbor")
			if len(e) != 1 || e[0].Published.Year() == 2001 {
				t.Fatalf("harbor's entries %+v, want the floodwall article, dated now", e)
			}
		})
	}
}

// TestAtomCanonicalLink: an Atom entry served through a proxy link names
// its permalink with rel="canonical"; that permalink is the entry's link,
// and a copy elsewhere linking to it is recognised by it.
func TestAtomCanonicalLink(t *testing.T) {
	atomFeed := `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Harbor</title><id>tag:harbor.test,2026:feed</id>
<updated>2026-03-02T08:00:00Z</updated>
<entry><title>Floodwall holds</title><id>tag:harbor.test,2026:1</id><updated>2026-03-02T08:00:00Z</updated>
<link rel="alternate" href="https://proxy.test/r/abc123"/>
<link rel="canonical" href="https://harbor.test/2026/03/floodwall"/>
<content type="html">&lt;p&gt;The wall held.&lt;/p&gt;</content></entry></feed>`
	mux := http.NewServeMux()
	mux.HandleFunc("/atom", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/atom+xml")
		_, _ = w.Write([]byte(atomFeed))
	})
	env := newRoundEnv(t, mux, fetch.Options{}, ingest.Options{})
	if r := env.round(ingest.All, env.source("harbor", "/atom")).Sources[0]; r.Outcome != feed.Fetched || r.New != 1 {
		t.Fatalf("%s %q, %d new", r.Outcome, r.Error, r.New)
	}
	e := env.entries("harbor")
	if len(e) != 1 || e[0].Link != "https://harbor.test/2026/03/floodwall" {
		t.Fatalf("entries %v; want the canonical link", e)
	}
}
