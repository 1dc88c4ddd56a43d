package render

import (
	"strings"
	"time"

	"github.com/tributary/tributary/feed"
)

// The fixtures are fixed in time and content so that the golden files only
// change when the rendering does.

func day(d int, h int) time.Time {
	return time.Date(2025, time.March, d, h, 30, 0, 0, time.UTC)
}

func testPage(f Format) Page {
	ext := map[Format]string{Atom: "atom", RSS: "rss", JSON: "json"}[f]
	return Page{
		Title:        "Tributary test feed",
		Author:       "Ada Lovelace",
		Description:  "Everything Ada wrote, wherever she wrote it.",
		Language:     "en",
		SelfURL:      "https://feeds.example.org/feed." + ext,
		AlternateURL: "https://example.org/",
		BaseURL:      "https://feeds.example.org/",
		Updated:      day(12, 9),
		Hubs:         []string{"https://hub.example.net/"},
		Next:         "https://feeds.example.org/feed." + ext + "?page=2",
	}
}

func testOptions() Options {
	return Options{
		Share: []ShareLink{
			{Name: "email"},
			{Name: "mastodon"},
			{Name: "hackernews"},
			{Name: "lobsters", Template: "https://lobste.rs/stories/new?url={url}&title={title}"},
		},
		UTM: "tributary",
	}
}

func blogCopy(path string, published time.Time) feed.Copy {
	return feed.Copy{
		SourceID: "blog", SourceName: "Ada's Blog",
		FeedURL: "https://ada.example.com/feed.xml", SiteURL: "https://ada.example.com/",
		Link: "https://ada.example.com/" + path, Published: published, FirstSeen: published, Rule: "new",
	}
}

func mirrorCopy(id, name, host, path string, published time.Time) feed.Copy {
	return feed.Copy{
		SourceID: id, SourceName: name,
		FeedURL: "https://" + host + "/rss", SiteURL: "https://" + host + "/",
		Link: "https://" + host + "/" + path, Published: published, FirstSeen: published, Rule: "link",
	}
}

// unifiedEntries is an ordinary page: a cross-posted article, a podcast
// episode and a short note.
func unifiedEntries() []*feed.Entry {
	return []*feed.Entry{
		{
			ID: "e3", Title: "Notes on the Analytical Engine",
			Link:   "https://ada.example.com/notes",
			Author: "Ada Lovelace",
			Content: "<p>The Analytical Engine weaves algebraic patterns just as the Jacquard loom " +
				"weaves flowers and leaves.</p>",
			Summary:    "<p>On weaving algebra.</p>",
			Categories: []string{"computing", "history"},
			Image:      "https://ada.example.com/engine.jpg",
			Lang:       "en",
			Published:  day(12, 8), Updated: day(12, 9),
			Copies: []feed.Copy{
				blogCopy("notes", day(12, 8)),
				mirrorCopy("medium", "Ada on Medium", "medium.example.net", "@ada/notes-1234", day(12, 10)),
			},
		},
		{
			ID: "e2", Title: "Episode 7: Bernoulli numbers",
			Link:       "https://ada.example.com/podcast/7",
			Author:     "Ada Lovelace",
			Content:    "<p>We compute Bernoulli numbers by hand.</p>",
			Categories: []string{"podcast"},
			Enclosures: []feed.Enclosure{{URL: "https://cdn.example.com/ep7.mp3", Type: "audio/mpeg", Length: 31415926}},
			Published:  day(10, 7),
			Copies:     []feed.Copy{blogCopy("podcast/7", day(10, 7))},
		},
		{
			ID: "e1", Title: "Hello, world",
			Link:      "https://ada.example.com/hello",
			Summary:   "<p>First post.</p>",
			Published: day(1, 12), Updated: day(2, 12),
			Copies: []feed.Copy{blogCopy("hello", day(1, 12))},
		},
	}
}

// trickyEntries collects what has broken feed renderers before.
func trickyEntries() []*feed.Entry {
	long := strings.Repeat("A very long title, ", 106)[:2000]
	return []*feed.Entry{
		{
			ID: "t1", Title: "Crème brûlée & <b>bold</b> “quotes” 日本語 🎉",
			Link:       "https://ada.example.com/cr%C3%A8me?a=1&b=2",
			Author:     "Zoë O'Brien",
			Content:    `<p>Tom &amp; Jerry say "hi" &lt;3 — naïve café</p><pre>if a ]]> b { x[y[0]]>1 }</pre>`,
			Summary:    "",
			Categories: []string{"C&C", "a<b>", "ünïcödé"},
			Lang:       "fr-CA",
			Published:  day(5, 5), Updated: day(6, 6),
			Copies: []feed.Copy{
				blogCopy("cr%C3%A8me?a=1&b=2", day(5, 5)),
				mirrorCopy("dev", "DEV <Community>", "dev.example.io", "ada/creme", day(5, 6)),
				mirrorCopy("hashnode", `Ada's "Hashnode"`, "ada.hashnode.example", "creme?x=1&y=2", day(5, 7)),
			},
		},
		{
			ID: "t2", Title: "Control\x08 characters\x00 and bad \xff UTF-8 \uFFFE",
			Link:      "https://ada.example.com/control",
			Content:   "<p>Back\x08space, bell\x07, vertical\x0btab, and a tab\there.</p>",
			Summary:   "<p>Sum\x01mary</p>",
			Published: day(4, 4),
			Enclosures: []feed.Enclosure{
				{URL: "https://cdn.example.com/file.bin"},
				{URL: "https://cdn.example.com/photo.jpg", Type: "image/jpeg", Length: 12345},
			},
			Copies: []feed.Copy{{SourceID: "noname", FeedURL: "https://anon.example.org/atom.xml", Link: "https://ada.example.com/control", Published: day(4, 4)}},
		},
		{
			ID: "t3", Title: long,
			Link:      "https://ada.example.com/long",
			Content:   "<p>No author, no summary, no update date.</p>",
			Published: day(3, 3),
			Copies:    []feed.Copy{blogCopy("long", day(3, 3))},
		},
		{
			ID: "t4", Title: "",
			Content: "<p>No title, no link, no copies, no dates.</p>",
		},
	}
}
