package identify

import (
	"slices"
	"testing"
	"time"

	"github.com/tributary/tributary/feed"
)

const body = "After twelve months of hearings, postponed votes and two engineering reviews, " +
	"the town council voted six to three on Tuesday night to build a floodwall along the eastern " +
	"waterfront. Supporters said the plan was overdue and opponents questioned the price."

func src(id, name, site string) Source {
	return Source{Source: feed.Source{ID: id, Name: name}, FeedURL: site + "feed", SiteURL: site}
}

var (
	blog     = src("harbor", "Harbor Light", "https://harborlight.example/")
	group    = src("group", "Commonplace", "https://commonplace.example/")
	comments = src("harbor-comments", "Comments on Harbor Light", "https://harborlight.example/")
	alice    = src("alice", "Alice Example (Mastodon)", "https://social.example/@alice")
	bob      = src("bob", "Bob Other (Mastodon)", "https://other.example/@bob")
)

// Texts that different posts share, from real feeds' shapes: a podcast
// network's notice under every show's notes, a job board's boilerplate, a
// status page's notice, a dependency bot's release notes.
const (
	networkNotice = "This show is part of the Riverside Audio network. Support independent audio by becoming a " +
		"member: members hear every episode without adverts, get early access to live recordings, and keep " +
		"the lights on for the twelve shows we make. Our advertising partners help too: find out about them " +
		"and their offers for listeners on our website. Thanks to our producers and to everyone who sent in " +
		"questions this week; keep them coming, by email or voice memo."
	jobBoilerplate = "About us: we are a team of forty people building tools that newsrooms rely on every day. " +
		"We work remotely across Europe with a shared core of hours, meet twice a year, and publish our salary " +
		"bands. Benefits include a learning budget, four weeks of paid leave plus public holidays, parental " +
		"leave of sixteen weeks, and a new laptop of your choice. We welcome applications from people of every " +
		"background and will adjust the interview process to your needs. How we hire: a short call with the " +
		"hiring manager, a paid take-home exercise of no more than four hours, and a conversation with two " +
		"future colleagues about the exercise. We answer every application within ten working days, and we " +
		"tell you why if we do not go ahead. Questions about the role, the team or the process are welcome " +
		"at any stage: write to the address below and a person will answer."
	goJob             = "You will build our ingestion pipeline in Go, fetching a million feeds a day politely and parsing what publishers get wrong."
	frontendJob       = "You will build the reader our subscribers open every morning, in TypeScript, with fast lists and offline reading on phones."
	maintenanceNotice = "We will perform scheduled maintenance on the primary database cluster. During the " +
		"window the dashboard will be read-only and API writes will be queued and applied once the work " +
		"is complete. No data will be lost."
	releaseNotes = "What's Changed: bump golang.org/x/net from 0.30.0 to 0.31.0, bump golang.org/x/text " +
		"from 0.19.0 to 0.20.0, bump actions/checkout from 4.1 to 4.2, and update the README badges."
)

// episode is a podcast episode: its notes and its audio file.
func episode(s Source, guid, title, notes, audio string, length int64) *feed.Article {
	a := article(s, guid, "https://"+s.ID+".example/"+guid, title, notes, t0)
	a.Enclosures = []feed.Enclosure{{URL: audio, Type: "audio/mpeg", Length: length}}
	return a
}

func article(s Source, guid, link, title, text string, published time.Time) *feed.Article {
	return &feed.Article{SourceID: s.ID, GUID: guid, Link: link, Title: title,
		Content: "<p>" + text + "</p>", Text: text, Published: published, Updated: published}
}

func apply(t *testing.T, id *Identifier, tx feed.Tx, s Source, a *feed.Article, now time.Time) (Outcome, *feed.Entry) {
	t.Helper()
	out, e, err := id.Apply(tx, s, a, now)
	if err != nil {
		t.Fatalf("Apply(%s): %v", a.Title, err)
	}
	return out, e
}

func TestApplyLifecycle(t *testing.T) {
	id, tx := New(nil), newMemTx()
	a := article(blog, "p-1042", "https://harborlight.example/floodwall/", "Floodwall approved", body, t0)
	out, e := apply(t, id, tx, blog, a, t0)
	if out != Created {
		t.Fatalf("first apply: got %v, want created", out)
	}
	firstID := e.ID

	out, _ = apply(t, id, tx, blog, a, t0.Add(time.Hour))
	if out != Unchanged {
		t.Errorf("same item again: got %v, want unchanged", out)
	}

	edited := *a
	edited.Title = "Floodwall approved after a year"
	out, e = apply(t, id, tx, blog, &edited, t0.Add(2*time.Hour))
	if out != Updated || e.ID != firstID || e.Title != edited.Title {
		t.Errorf("edit: got %v id %s title %q; want updated, id %s, the new title", out, e.ID, e.Title, firstID)
	}
	if !e.Modified.Equal(t0.Add(2 * time.Hour)) {
		t.Errorf("edit: Modified = %v, want the time of the edit", e.Modified)
	}
	if len(e.Copies) != 1 {
		t.Errorf("edit made %d copies, want 1", len(e.Copies))
	}
}

func TestCrossPostMergesAndAttributesOriginal(t *testing.T) {
	footer := &feed.Attribution{Name: "Harbor Light", URL: "https://harborlight.example/"}
	orig := article(blog, "p-1042", "https://harborlight.example/floodwall/", "Floodwall approved", body, t0)
	copyA := article(group, "tag:commonplace.example,2026:5521",
		"https://commonplace.example/posts/floodwall?utm_source=rss", "Floodwall approved", body, t0.Add(-time.Hour))
	copyA.CrossPostedFrom = footer

	for _, order := range []string{"original first", "copy first"} {
		t.Run(order, func(t *testing.T) {
			id, tx := New(nil), newMemTx()
			first, second := orig, copyA
			fs, ss := blog, group
			if order == "copy first" {
				first, second, fs, ss = copyA, orig, group, blog
			}
			_, e1 := apply(t, id, tx, fs, first, t0)
			out, e := apply(t, id, tx, ss, second, t0.Add(time.Hour))
			if out != Merged {
				t.Fatalf("second copy: got %v, want merged", out)
			}
			if e.ID != e1.ID {
				t.Errorf("id changed from %s to %s", e1.ID, e.ID)
			}
			if got := e.OriginalCopy().SourceID; got != blog.ID {
				t.Errorf("original is %s, want %s (named by the copy's footer, though published later)", got, blog.ID)
			}
			if e.Link != orig.Link {
				t.Errorf("entry link %s, want the original's %s", e.Link, orig.Link)
			}
			if len(e.Copies) != 2 || e.Copies[1].Rule != RuleText {
				t.Errorf("copies %+v, want two, the second merged by text", e.Copies)
			}
		})
	}
}

func TestNeverMerged(t *testing.T) {
	other := "The public library stays open until nine on Tuesdays and Thursdays from next week, paid " +
		"for by a grant from the regional arts council, and the reading room and computer lab open too."
	tests := []struct {
		name   string
		a1, a2 *feed.Article
		s1, s2 Source
	}{
		{"same GUID in two blogs", article(blog, "post-1", "", "Open thread", body, t0),
			article(group, "post-1", "", "Open thread", other, t0), blog, group},
		{"title only, same title, different links",
			article(blog, "", "https://harborlight.example/open-thread-41", "Open Thread", "", t0),
			article(group, "", "https://commonplace.example/open-thread", "Open Thread", "", t0), blog, group},
		{"short identical text is not identity",
			article(blog, "a", "https://harborlight.example/a", "Photo", "Photo of the day.", t0),
			article(group, "b", "https://commonplace.example/b", "Photo", "Photo of the day.", t0), blog, group},
		{"links to the home page do not identify",
			article(blog, "", "https://harborlight.example/", "One", "first short text", t0),
			article(blog, "", "https://harborlight.example/", "Two", "second short text", t0), blog, blog},
		// QA, real-world shapes: each of these lost a post in another's entry.
		{"a comment is not the post it links to",
			article(blog, "https://harborlight.example/?p=12", "https://harborlight.example/2026/11/floodwall/", "Floodwall approved", body, t0),
			article(comments, "https://harborlight.example/2026/11/floodwall/#comment-31", "https://harborlight.example/2026/11/floodwall/#comment-31",
				"Comment on Floodwall approved by Pat", "Finally. My basement flooded three winters running.", t0), blog, comments},
		{"episodes of two shows around one network notice, numbered",
			article(blog, "g-44", "https://garden.example/44", "Episode 44", "Hedges in winter: why we cut back the hawthorn late, "+
				"which birds still need its berries in January, and a listener's question about privet. "+networkNotice, t0),
			article(group, "k-12", "https://kitchen.example/12", "12: Sourdough", "Sourdough starters: how to wake one from the fridge, "+
				"what the smell tells you, and why rye flour helps a sleepy starter more than sugar. "+networkNotice, t0), blog, group},
		{"episodes of two shows through one measurement redirect",
			episode(blog, "g-46", "The Garden Hour: frost on the beds", "Frost on the beds. "+networkNotice, "https://track.example/r?u=https%3A%2F%2Fcdn.example%2Fgarden%2Fep46.mp3", 0),
			episode(group, "k-14", "The Kitchen Table: frost fairs", "Frost fairs on the river. "+networkNotice, "https://track.example/r?u=https%3A%2F%2Fcdn.example%2Fkitchen%2Fep14.mp3", 0), blog, group},
		{"episodes of two shows around one network notice, other audio",
			episode(blog, "g-45", "The Garden Hour: hedges in winter", "Hedges in winter. "+networkNotice, "https://cdn.example/garden/ep45.mp3", 41_000_000),
			episode(group, "k-13", "The Garden Hour: roses in spring", "Roses in spring. "+networkNotice, "https://cdn.example/kitchen/ep13.mp3", 39_500_000), blog, group},
		{"episodes of two shows around one network notice, lengths a placeholder",
			episode(blog, "g-48", "Episode 48", "Hedges in winter. "+networkNotice, "https://cdn.example/garden/ep48.mp3", 1234),
			episode(group, "k-15", "15: Sourdough", "Sourdough starters. "+networkNotice, "https://cdn.example/kitchen/ep15.mp3", 1234), blog, group},
		{"two shows' episodes of one number, other audio",
			episode(blog, "g-47", "Episode 47", "Hedges in winter. "+networkNotice, "https://cdn.example/garden/ep47.mp3", 41_000_000),
			episode(group, "k-47", "Episode 47", "Sourdough starters. "+networkNotice, "https://cdn.example/kitchen/ep47-final.mp3", 39_000_000), blog, group},
		{"two shows' trailers, other audio",
			episode(blog, "g-0", "Trailer", "Coming soon. "+networkNotice, "https://cdn.example/garden/trailer.mp3", 2_000_000),
			episode(group, "k-0", "Trailer", "Coming soon. "+networkNotice, "https://cdn.example/kitchen/trailer-v2.mp3", 2_500_000), blog, group},
		{"adverts of two jobs in one long boilerplate",
			article(blog, "job-1", "https://jobs.example/1", "Senior Go engineer", goJob+" "+jobBoilerplate, t0),
			article(group, "job-2", "https://jobs.example/2", "Frontend developer", frontendJob+" "+jobBoilerplate, t0), blog, group},
		{"adverts of two jobs after one long boilerplate",
			article(blog, "job-3", "https://jobs.example/3", "Senior Go engineer", jobBoilerplate+" "+goJob, t0),
			article(group, "job-4", "https://jobs.example/4", "Frontend developer", jobBoilerplate+" "+frontendJob, t0), blog, group},
		{"one short notice again months later",
			article(blog, "inc-1", "https://status.example/1", "Scheduled database maintenance", maintenanceNotice, t0),
			article(group, "inc-9", "https://status.other.example/9", "Scheduled database maintenance", maintenanceNotice, t0.Add(-118*24*time.Hour)), blog, group},
		{"releases of two repositories with the same notes",
			article(blog, "tag:code.example,2008:Repository/111/v1.3.0", "https://code.example/a/tool/releases/v1.3.0", "v1.3.0", releaseNotes, t0),
			article(group, "tag:code.example,2008:Repository/222/v0.9.0", "https://code.example/b/sdk/releases/v0.9.0", "v0.9.0", releaseNotes, t0), blog, group},
		{"untitled notes of two accounts named alike, a hashtag apart",
			article(alice, "toot-3", "https://social.example/@alice/3", "", "Just shipped the new release of our parser, with faster builds and fewer allocations. #golang", t0),
			article(bob, "toot-4", "https://other.example/@bob/4", "", "Just shipped the new release of our parser, with faster builds and fewer allocations. #rust", t0), alice, bob},
		{"untitled notes of two accounts, a hashtag apart",
			article(blog, "toot-1", "https://social.example/@alice/1", "", "Just shipped the new release of our parser, with faster builds and fewer allocations. #golang", t0),
			article(group, "toot-2", "https://other.example/@bob/2", "", "Just shipped the new release of our parser, with faster builds and fewer allocations. #rust", t0), blog, group},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, tx := New(nil), newMemTx()
			_, e1 := apply(t, id, tx, tt.s1, tt.a1, t0)
			out, e2 := apply(t, id, tx, tt.s2, tt.a2, t0)
			if out != Created || e1.ID == e2.ID {
				t.Errorf("got %v (ids %s, %s), want two entries", out, e1.ID, e2.ID)
			}
		})
	}
}

func TestMergedByLink(t *testing.T) {
	// The same blog subscribed as RSS and Atom: other GUIDs, same permalink
	// but for tracking parameters and a trailing slash.
	id, tx := New(nil), newMemTx()
	rss := src("blog-rss", "Blog (RSS)", "https://harborlight.example/")
	atom := src("blog-atom", "Blog (Atom)", "https://harborlight.example/")
	_, e1 := apply(t, id, tx, rss, article(rss, "1042", "https://harborlight.example/floodwall/", "T", "short", t0), t0)
	out, e2 := apply(t, id, tx, atom, article(atom, "urn:x:1042",
		"http://HarborLight.example/floodwall?utm_medium=feed#comments", "T", "short", t0), t0)
	if out != Merged || e1.ID != e2.ID || e2.Copies[1].Rule != RuleURL {
		t.Errorf("got %v, ids %s/%s; want merged by link into one entry", out, e1.ID, e2.ID)
	}
}

func TestTombstoneKeepsRemovedEntriesOut(t *testing.T) {
	id, tx := New(nil), newMemTx()
	a := article(blog, "p-1", "https://harborlight.example/gone/", "Gone", body, t0)
	tx.dead[Keys(a)[0]] = true
	if out, _ := apply(t, id, tx, blog, a, t0); out != Dropped {
		t.Errorf("got %v, want dropped", out)
	}
	// Every key was asked, so that the store marks each of its tombstones
	// as still needed, not only the first.
	if got, want := tx.asked, Keys(a); !slices.Equal(got, want) {
		t.Errorf("asked about %q, want every key %q", got, want)
	}
}

func TestUndatedItemKeepsFirstSeenDate(t *testing.T) {
	id, tx := New(nil), newMemTx()
	a := article(blog, "u-1", "https://harborlight.example/undated/", "Undated", body, t0)
	a.Undated = true
	apply(t, id, tx, blog, a, t0)
	again := *a
	again.Published, again.Updated = t0.Add(time.Hour), t0.Add(time.Hour)
	out, e := apply(t, id, tx, blog, &again, t0.Add(time.Hour))
	if out != Unchanged || !e.Published.Equal(t0) {
		t.Errorf("got %v published %v; want unchanged, first-seen date kept", out, e.Published)
	}
}

func TestPriorityWinsOriginal(t *testing.T) {
	id, tx := New(map[string]int{group.ID: 10}), newMemTx()
	apply(t, id, tx, blog, article(blog, "1", "https://harborlight.example/x/", "T", body, t0), t0)
	_, e := apply(t, id, tx, group, article(group, "2", "https://commonplace.example/x", "T", body, t0.Add(time.Hour)), t0)
	if e.OriginalCopy().SourceID != group.ID {
		t.Errorf("original %s, want the higher-priority source", e.OriginalCopy().SourceID)
	}
}
