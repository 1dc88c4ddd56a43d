package server

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/render"
	"github.com/tributary/tributary/storage"
)

// The corpus below is fixed in time and content, so that golden files change
// only when the output does. Three sources as in the bundled demo; the
// entries carry what has broken feed readers before.

func at(day, hour int) time.Time { return time.Date(2026, time.March, day, hour, 0, 0, 0, time.UTC) }

var corpusSources = []feed.Source{
	{ID: "harbor-light", Name: "Harbor Light", URL: "https://harborlight.example/feed/", Tags: []string{"news"}},
	{ID: "commonplace", Name: "The Commonplace Collective", URL: "https://commonplace.example/atom.xml", Tags: []string{"essays", "news"}},
	{ID: "field-notes", Name: "Field Notes", URL: "/srv/feeds/field-notes.json", Tags: []string{"nature"}},
}

var corpusStates = []feed.SourceState{
	{SourceID: "harbor-light", Title: "Harbor Light", SiteURL: "https://harborlight.example/", URL: "https://harborlight.example/feed/"},
	{SourceID: "commonplace", Title: "The Commonplace Collective", SiteURL: "https://commonplace.example/"},
	{SourceID: "field-notes", Title: "Field Notes", SiteURL: "https://fieldnotes.example/"},
}

func copyOf(src, link string, published time.Time) feed.Copy {
	c := feed.Copy{SourceID: src, Link: link, Published: published, FirstSeen: published, Rule: "new", Keys: []string{"link:" + link}}
	for i, s := range corpusSources {
		if s.ID == src {
			c.SourceName = s.Name
			c.FeedURL = s.URL
			c.SiteURL = corpusStates[i].SiteURL
		}
	}
	return c
}

// sourceHost is the web host of each corpus source.
var sourceHost = map[string]string{
	"harbor-light": "harborlight.example", "commonplace": "commonplace.example", "field-notes": "fieldnotes.example",
}

// corpusEntry is an entry of one source published on day d, hour h.
func corpusEntry(id, src string, d, h int, title, content string) *feed.Entry {
	link := "https://" + sourceHost[src] + "/posts/" + id
	return &feed.Entry{
		ID: id, Title: title, Link: link, Content: content,
		Published: at(d, h), Updated: at(d, h), Created: at(d, h), Modified: at(d, h+1),
		Copies: []feed.Copy{copyOf(src, link, at(d, h))},
	}
}

// corpus returns the test entries, newest first. Titles are as stored:
// wantTitle gives what every reader must show.
func corpus() []*feed.Entry {
	xpost := corpusEntry("floodwall", "harbor-light", 20, 8, "Council Approves Floodwall Plan",
		"<p>After twelve months of hearings the council voted six to three.</p>")
	xpost.Author = "Maren Holt"
	xpost.Categories = []string{"Council", "Climate"}
	xpost.Summary = "<p>The council voted for the eastern floodwall.</p>"
	xpost.Image = "https://harborlight.example/img/wall.jpg"
	xpost.Lang = "en"
	xpost.Copies = append(xpost.Copies, copyOf("commonplace", "https://commonplace.example/posts/floodwall-plan-approved", at(20, 10)))

	podcast := corpusEntry("eiders", "field-notes", 19, 7, "Episode 12: The First Eiders",
		"<p>Listen to the eiders arriving in the bay.</p>")
	podcast.Author = "Ingrid Sato"
	podcast.Categories = []string{"Birds", "Lower Town"}
	podcast.Enclosures = []feed.Enclosure{{URL: "https://cdn.fieldnotes.example/ep12.mp3", Type: "audio/mpeg", Length: 31415926}}

	unicode := corpusEntry("creme", "harbor-light", 18, 6, "Crème brûlée & <b>bold</b> “quotes” 日本語 🎉",
		`<p>Tom &amp; Jerry say "hi" &lt;3 — naïve café</p><pre>if a ]]> b { x[y[0]]>1 }</pre>`)
	unicode.Link = "https://harborlight.example/cr%C3%A8me?a=1&b=2"
	unicode.Author = "Zoë O'Brien"
	unicode.Categories = []string{"C&C", "ünïcödé"}
	unicode.Lang = "fr-CA"

	control := corpusEntry("control", "commonplace", 17, 5, "Control\x08 characters\x07 are\x00 dropped",
		"<p>Back\x08space, bell\x07, vertical\x0btab and a tab\there.</p>")
	control.Summary = "<p>Sum\x01mary</p>"
	control.Enclosures = []feed.Enclosure{
		{URL: "https://cdn.commonplace.example/file.bin"},
		{URL: "https://cdn.commonplace.example/photo.jpg", Type: "image/jpeg", Length: 12345},
	}

	long := corpusEntry("long", "field-notes", 16, 4, strings.Repeat("A very long title, ", 106)[:2000], "<p>Short body.</p>")

	empty := corpusEntry("empty", "harbor-light", 15, 3, "Nothing to read here", "")

	cdata := corpusEntry("cdata", "commonplace", 14, 2, "Arrays: a[b[0]]> and ]]> in a title",
		"<p>Ends a CDATA section: ]]&gt; and ]]> again</p>")
	cdata.Categories = []string{"Essays"}

	rtl := corpusEntry("rtl", "field-notes", 13, 1, "مرحبا بالعالم — שלום 👋",
		"<p dir=\"rtl\">مرحبا</p>")
	rtl.Lang = "ar"

	spaced := corpusEntry("spaced", "harbor-light", 12, 0, "  Spaced   title  ", "<p>Whitespace around the title.</p>")
	return []*feed.Entry{xpost, podcast, unicode, control, long, empty, cdata, rtl, spaced}
}

// wantTitle is the title readers must show for a stored title: the
// renderer drops characters XML cannot carry and trims the ends. Readers
// collapse inner runs of spaces as HTML would, so comparisons fold them.
func wantTitle(stored string) string {
	var b strings.Builder
	for _, r := range stored {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' {
			continue
		}
		b.WriteRune(r)
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// openCorpus returns a store holding the corpus and the source states.
func openCorpus(t testing.TB) *storage.DB {
	t.Helper()
	db, err := storage.Open(filepath.Join(t.TempDir(), "tributary.db"), storage.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	err = db.Update(context.Background(), func(tx feed.Tx) error {
		for _, e := range corpus() {
			if err := tx.PutEntry(e); err != nil {
				return err
			}
		}
		for _, st := range corpusStates {
			if err := tx.PutSourceState(st); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// corpusServer serves the corpus with the real renderer, max entries a page.
func corpusServer(t testing.TB, db Store, max int, hubs ...string) *Server {
	t.Helper()
	return New(db, nil, Options{
		Page: render.Page{
			Title: "Tributary", Author: "Tributary", Description: "Every article once.",
			BaseURL: base, Hubs: hubs,
		},
		Render:   render.Options{Share: []render.ShareLink{{Name: "email"}, {Name: "mastodon"}}},
		Sources:  corpusSources,
		MaxItems: max,
		Now:      func() time.Time { return at(28, 0) },
	})
}

// putEntries stores entries in one transaction.
func putEntries(t testing.TB, db *storage.DB, entries ...*feed.Entry) {
	t.Helper()
	err := db.Update(context.Background(), func(tx feed.Tx) error {
		for _, e := range entries {
			if err := tx.PutEntry(e); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
