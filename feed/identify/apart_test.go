package identify

import (
	"strings"
	"testing"
	"time"

	"github.com/tributary/tributary/feed"
)

// TestCopiesKeptTogether: the evidence that keeps different posts apart
// (apart.go, and the near rule's titles) must not split real copies
// (review of the QA fixes).
func TestCopiesKeptTogether(t *testing.T) {
	full := text(paragraphs...)
	long := full + "\n" + text(
		"The council also asked the engineers to study a second phase along the northern shore, where the marsh has retreated by forty metres since the survey of 1998 and two boatyards now flood at every spring tide.",
		"A decision on that phase is not expected before the autumn, when the state publishes its revised sea level guidance and the harbor authority finishes counting the moorings that the wall would move.")
	short := "The project passed a thousand stars this week. Thanks to everyone who filed issues, " +
		"sent patches, or simply told a friend about it."
	note := "Moving my notes from the old server to the new one this weekend; the archive stays up and " +
		"every old link keeps working, so nothing you bookmarked should break while I am at it. " +
		"Say hello on the new account."
	withAudio := func(a *feed.Article, url string, length int64) *feed.Article {
		a.Enclosures = []feed.Enclosure{{URL: url, Type: "audio/mpeg", Length: length}}
		return a
	}
	undated := func(a *feed.Article) *feed.Article { a.Undated = true; return a }
	signed := func(a *feed.Article, author string) *feed.Article { a.Author = author; return a }
	tests := []struct {
		name   string
		a1, a2 *feed.Article
	}{
		{"a wire story under another headline, each adding a line at the end",
			article(blog, "w-1", "https://harborlight.example/w", "Council approves floodwall plan",
				full+"\nRead more local news every morning at Harbor Light.", t0),
			article(group, "w-2", "https://commonplace.example/w", "Town backs waterfront barrier",
				full+"\nDistributed by the Regional Wire service to its members.", t0.Add(time.Hour))},
		{"a thousand written two ways",
			article(blog, "s-1", "https://harborlight.example/stars", "1,000 stars for Tributary", short, t0),
			article(group, "s-2", "https://commonplace.example/stars", "Harbor Light: 1000 stars for Tributary", short, t0.Add(time.Hour))},
		{"a version's trailing zero",
			article(blog, "g-1", "https://harborlight.example/go", "Go 1.22 is released", short, t0),
			article(group, "g-2", "https://commonplace.example/go", "Go 1.22.0 is released", short, t0.Add(time.Hour))},
		{"a long article whose copy writes the date its own way",
			article(blog, "m-1", "https://harborlight.example/m", "Meetup notes 27.11.2026", full, t0),
			article(group, "m-2", "https://commonplace.example/m", "Meetup notes, 27 November 2026", full, t0.Add(time.Hour))},
		{"an episode through a redirect that names its file in the query",
			withAudio(article(blog, "e-1", "https://harborlight.example/e44", "Episode 44: Hedges in winter", "Hedges in winter. "+networkNotice, t0),
				"https://cdn.example/garden/ep44.mp3", 41_000_000),
			withAudio(article(group, "e-2", "https://commonplace.example/e44", "Hedges in winter, with Ana Ruiz", "Hedges in winter. "+networkNotice, t0.Add(time.Hour)),
				"https://track.example/r?u=https%3A%2F%2Fcdn.example%2Fgarden%2Fep44.mp3", 0)},
		{"an episode renamed by its network's host, same length",
			withAudio(article(blog, "e-3", "https://harborlight.example/e45", "Episode 45: Roses", "Roses in spring. "+networkNotice, t0),
				"https://cdn.example/garden/ep45.mp3", 41_000_000),
			withAudio(article(group, "e-4", "https://commonplace.example/e45", "Roses, with Ana Ruiz", "Roses in spring. "+networkNotice, t0.Add(time.Hour)),
				"https://hosting.example/shows/abc/f81e2a.mp3", 41_000_000)},
		{"an episode on a host that names every file alike",
			withAudio(article(blog, "e-5", "https://harborlight.example/e46", "Episode 46: Tides", "Tides and moons. "+networkNotice, t0),
				"https://cdn.example/garden/ep46.mp3", 41_000_000),
			withAudio(article(group, "e-6", "https://commonplace.example/e46", "Tides, with Ana Ruiz", "Tides and moons. "+networkNotice, t0.Add(time.Hour)),
				"https://hosting.example/shows/abc/episodes/46/default.mp3", 40_000_000)},
		{"an episode under its show's name, hosted elsewhere",
			withAudio(article(blog, "e-7", "https://harborlight.example/e47", "Episode 47: Frost", "Frost on the beds. "+networkNotice, t0),
				"https://cdn.example/garden/ep47.mp3", 41_000_000),
			withAudio(article(group, "e-8", "https://commonplace.example/e47", "The Garden Hour: Episode 47: Frost", "Frost on the beds. "+networkNotice, t0.Add(time.Hour)),
				"https://network.example/audio/gh-047.mp3", 40_000_000)},
		{"a short post seen again undated in an aggregator months later",
			article(blog, "u-1", "https://harborlight.example/u", "A thousand stars", short, t0),
			undated(article(group, "u-2", "https://commonplace.example/u", "A thousand stars", short, t0.AddDate(0, 3, 0)))},
		{"a wire story under another headline, one opening with a dateline",
			article(blog, "w-3", "https://harborlight.example/w3", "Council approves floodwall plan", full, t0),
			article(group, "w-4", "https://commonplace.example/w3", "Town backs waterfront barrier",
				"HARBOR CITY (Regional Wire) — "+full+"\nDistributed by the Regional Wire service.", t0.Add(time.Hour))},
		{"a long article whose first date was wrong, copied word for word",
			article(blog, "d-1", "https://harborlight.example/d", "Floodwall approved", full, t0.AddDate(-25, 0, 0)),
			article(group, "d-2", "https://commonplace.example/d", "Floodwall approved", full, t0)},
		{"a long article cross-posted months later, word for word",
			article(blog, "l-1", "https://harborlight.example/l", "Floodwall approved", full, t0),
			article(group, "l-2", "https://commonplace.example/l", "Floodwall approved", full, t0.AddDate(0, 3, 0))},
		{"a short post whose first date was wrong, copied",
			article(blog, "f-1", "https://harborlight.example/f", "A thousand stars", short, t0.AddDate(-25, 0, 0)),
			article(group, "f-2", "https://commonplace.example/f", "A thousand stars", short, t0)},
		{"an episode in its network's feed, numbered its own way, hosted elsewhere",
			withAudio(article(blog, "e-9", "https://harborlight.example/e48", "#48 – Hedges in winter", "Hedges in winter. "+networkNotice, t0),
				"https://cdn.example/garden/ep48.mp3", 41_000_000),
			withAudio(article(group, "e-10", "https://commonplace.example/e48", "Garden Hour 48: Hedges in winter", "Hedges in winter. "+networkNotice, t0.Add(time.Hour)),
				"https://network.example/audio/gh-048.mp3", 40_000_000)},
		{"an episode in its network's feed under the show's name",
			withAudio(article(blog, "e-11", "https://harborlight.example/e49", "Ep. 49: Hedges in spring", "Hedges in spring. "+networkNotice, t0),
				"https://cdn.example/garden/ep49.mp3", 41_000_000),
			withAudio(article(group, "e-12", "https://commonplace.example/e49", "The Garden Hour – Hedges in spring", "Hedges in spring. "+networkNotice, t0.Add(time.Hour)),
				"https://network.example/audio/gh-049.mp3", 40_000_000)},
		{"a post reposted by its writer under a newsletter's title, with an introduction",
			signed(article(blog, "i-1", "https://harborlight.example/i", "Council approves floodwall plan",
				long+"\nThanks for reading Harbor Light; replies go straight to my inbox and I read every one.", t0), "Dana Reyes"),
			signed(article(group, "i-2", "https://commonplace.example/i", "Issue 12: a guest post",
				"This week's issue is a guest post from a reporter whose waterfront work I follow closely.\n"+long, t0.Add(time.Hour)), "Dana Reyes")},
		{"a thousand written the German way",
			article(blog, "t-1", "https://harborlight.example/t", "1.000 Besucher am Hafen", short, t0),
			article(group, "t-2", "https://commonplace.example/t", "1000 Besucher am Hafen", short, t0.Add(time.Hour))},
		{"short titles writing one date two ways",
			article(blog, "m-3", "https://harborlight.example/m3", "Meetup 27.11.2026", short, t0),
			article(group, "m-4", "https://commonplace.example/m3", "Meetup 2026-11-27", short, t0.Add(time.Hour))},
		{"an untitled note bridged without its hashtag, signed by its writer",
			signed(article(blog, "n-1", "https://harborlight.example/n", "", note+" #moving", t0), "Ana Ruiz"),
			signed(article(group, "n-2", "https://commonplace.example/n", "", note+" (via Mastodon)", t0.Add(time.Hour)), "Ana Ruiz")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, tx := New(nil), newMemTx()
			_, e1 := apply(t, id, tx, blog, tt.a1, t0)
			out, e2 := apply(t, id, tx, group, tt.a2, t0.Add(time.Hour))
			if out != Merged || e1.ID != e2.ID {
				t.Errorf("got %v (ids %s, %s), want the copy merged", out, e1.ID, e2.ID)
			}
		})
	}
}

func TestTitleNumbers(t *testing.T) {
	tests := []struct{ title, want string }{
		{"Episode 044", "44"},
		{"v1.3.0 and V2.0", "1.3 2"},
		{"Meetup 27.11.2026", "27 11 2026"},
		{"Meetup 01.02.2026 and 2026-02-01", "1 2 2026 2026 2 1"},
		{"1,000 stars", "1000"},
		{"November 27, 2026", "27 2026"},
		{"S03E04: COVID-19 and Web3", "19"},
		{"Go 1.22.0", "1.22"},
		{"1.000 Besucher", "1.000 1000"},
		{"Roundup #41", "41"},
		{"0 days", "0"},
		{"No numbers", ""},
	}
	for _, tt := range tests {
		if got := strings.Join(titleNumbers(tt.title), " "); got != tt.want {
			t.Errorf("titleNumbers(%q) = %q, want %q", tt.title, got, tt.want)
		}
	}
}

// TestItemIdentity: the identity that tells a feed's items apart keeps a
// link's fragment once, as the builds before comment fragments joined the
// key wrote it, so that an item stored then is still found by it.
func TestItemIdentity(t *testing.T) {
	tests := []struct{ guid, link, want string }{
		{" g-1 ", "https://b.example/a", "g-1"},
		{"", "https://b.example/changelog#v2-6", "url:https://b.example/changelog#v2-6"},
		{"", "https://b.example/a/#comment-31", "url:https://b.example/a#comment-31"},
		{"", "https://b.example/", ""},
	}
	for _, tt := range tests {
		if got := ItemIdentity(tt.guid, tt.link); got != tt.want {
			t.Errorf("ItemIdentity(%q, %q) = %q, want %q", tt.guid, tt.link, got, tt.want)
		}
	}
}

// FuzzTitleNumbers: every number read from a title is digits, with dots
// and commas only between them, and none has a leading zero but "0".
func FuzzTitleNumbers(f *testing.F) {
	for _, s := range []string{"Episode 044", "v1.3.0 and V2.0", "1,000 stars", "Meetup 27.11.2026",
		"S03E04", "1.000 Besucher", "0.0.0", "第44回", "..1..", "9,"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, title string) {
		for _, n := range titleNumbers(title) {
			if n == "" || strings.Trim(n, "0123456789.,") != "" || strings.ContainsAny(n[:1], ".,") || strings.ContainsAny(n[len(n)-1:], ".,") {
				t.Fatalf("titleNumbers(%q) gave %q", title, n)
			}
			if len(n) > 1 && n[0] == '0' && n[1] != '.' && n[1] != ',' {
				t.Fatalf("titleNumbers(%q) gave %q, a leading zero", title, n)
			}
		}
	})
}
