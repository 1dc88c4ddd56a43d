package render

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
	"github.com/tributary/tributary/feed"
)

// parsedItem is what a reader sees of one entry after parsing a feed.
type parsedItem struct {
	ID, Title, Link, Author string
	Published, Updated      time.Time
	Categories              []string
	Enclosures              []gofeed.Enclosure
}

// TestParseBack parses every format with a widely used reader library and
// checks that each entry reads back as it was given: ids, titles, links,
// dates, categories and enclosures.
func TestParseBack(t *testing.T) {
	entries := append(unifiedEntries(), trickyEntries()...)
	for _, f := range formats {
		t.Run(string(f), func(t *testing.T) {
			out := render(t, f, testPage(f), entries, testOptions())
			parsed, err := gofeed.NewParser().Parse(bytes.NewReader(out))
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			if want := map[Format]string{Atom: "atom", RSS: "rss", JSON: "json"}[f]; parsed.FeedType != want {
				t.Errorf("feed type = %q, want %q", parsed.FeedType, want)
			}
			if parsed.Title != "Tributary test feed" {
				t.Errorf("feed title = %q", parsed.Title)
			}
			if len(parsed.Items) != len(entries) {
				t.Fatalf("%d items, want %d", len(parsed.Items), len(entries))
			}
			for i, e := range entries {
				got := fromGofeed(f, parsed.Items[i])
				want := expectItem(f, e)
				if !equalItems(got, want) {
					t.Errorf("item %d (%s):\n got %+v\nwant %+v", i, e.ID, got, want)
				}
				// The content must survive intact, "]]>" and all, with
				// the footer after it.
				body := e.Content
				if body == "" {
					body = e.Summary
				}
				content := parsed.Items[i].Content
				if !strings.HasPrefix(content, xmlSafe(body)) {
					t.Errorf("item %d (%s): content does not start with the entry's:\n got %.300q\nwant %.300q", i, e.ID, content, xmlSafe(body))
				}
				if len(e.Copies) > 0 && !strings.Contains(content, `<p class="tributary-attribution">Originally published at `) {
					t.Errorf("item %d (%s): content has no attribution footer", i, e.ID)
				}
			}
		})
	}
}

func fromGofeed(f Format, it *gofeed.Item) parsedItem {
	p := parsedItem{ID: it.GUID, Title: it.Title, Link: it.Link, Categories: it.Categories}
	if it.Author != nil {
		p.Author = it.Author.Name
	}
	if it.PublishedParsed != nil {
		p.Published = it.PublishedParsed.UTC()
	}
	// RSS has no modification date of its own.
	if it.UpdatedParsed != nil && f != RSS {
		p.Updated = it.UpdatedParsed.UTC()
	}
	for _, enc := range it.Enclosures {
		p.Enclosures = append(p.Enclosures, *enc)
	}
	return p
}

// expectItem states how each format carries an entry, including where the
// formats legitimately differ (RSS requires an enclosure type and length,
// Atom's published falls back to updated in readers).
func expectItem(f Format, e *feed.Entry) parsedItem {
	updated := firstTime(e.Updated, e.Published)
	p := parsedItem{
		ID:     "https://feeds.example.org/entries/" + e.ID,
		Title:  strings.TrimSpace(xmlSafe(e.Title)),
		Link:   e.Link,
		Author: e.Author,
	}
	if p.Title == "" && f != JSON {
		// Atom and RSS readers list an item by its title: an untitled
		// one is titled with its first words.
		p.Title = Headline(e)
	}
	if p.Link == "" && e.OriginalCopy() != nil {
		p.Link = e.OriginalCopy().Link
	}
	switch {
	case !e.Published.IsZero():
		p.Published = e.Published.UTC()
	case f != JSON:
		p.Published = updated
	}
	if f != RSS {
		p.Updated = updated
	}
	p.Categories = append(p.Categories, e.Categories...)
	for _, enc := range e.Enclosures {
		g := gofeed.Enclosure{URL: enc.URL, Type: enc.Type}
		if g.Type == "" && f != Atom {
			g.Type = "application/octet-stream"
		}
		if enc.Length > 0 || f == RSS {
			g.Length = strconv.FormatInt(enc.Length, 10)
		}
		p.Enclosures = append(p.Enclosures, g)
	}
	return p
}

func equalItems(a, b parsedItem) bool {
	return a.ID == b.ID && a.Title == b.Title && a.Link == b.Link && a.Author == b.Author &&
		a.Published.Equal(b.Published) && a.Updated.Equal(b.Updated) &&
		slices.Equal(a.Categories, b.Categories) && slices.Equal(a.Enclosures, b.Enclosures)
}
