package ingest_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/fetch"
	"github.com/tributary/tributary/feed/ingest"
	"github.com/tributary/tributary/feed/render"
)

// The XSS corpus in testdata/xss/ is three feeds (RSS 2.0, Atom, JSON Feed)
// carrying script, event handlers, javascript:, vbscript: and data: URLs, SVG
// and MathML, style expressions, <base>, <meta refresh>, frames, forms and
// malformed tags, in every field a feed has: titles, content, summaries,
// links, GUIDs, enclosures, thumbnails, authors, categories, the feed's own
// title and links. They go the whole way: served over HTTP, fetched, parsed,
// normalised, identified, stored and rendered in the three formats, which are
// then parsed as a reader would and searched for anything executable.

// TestXSSCorpusNothingExecutableServed is the end-to-end proof of safe output.
func TestXSSCorpusNothingExecutableServed(t *testing.T) {
	env := newRoundEnv(t, http.FileServer(http.Dir("testdata/xss")), fetch.Options{}, ingest.Options{})
	srcs := []feed.Source{
		env.source("xss-rss", "/rss.xml"),
		env.source("xss-atom", "/atom.xml"),
		env.source("xss-json", "/jsonfeed.json"),
	}
	for _, r := range env.round(ingest.Force, srcs...).Sources {
		if r.Outcome != feed.Fetched || r.Items == 0 {
			t.Fatalf("%s: %s %q with %d items", r.Name, r.Outcome, r.Error, r.Items)
		}
	}
	entries, _, err := env.db.Newest(context.Background(), 0, "")
	if err != nil {
		t.Fatal(err)
	}

	// What is stored is already safe: the checks name the stage that failed.
	for _, e := range entries {
		for _, p := range storedProblems(e) {
			t.Errorf("stored entry %q: %s", e.Title, p)
		}
	}

	page := render.Page{
		Title:        "Tributary",
		BaseURL:      "https://tributary.example/",
		AlternateURL: "https://tributary.example/",
	}
	var share []render.ShareLink
	for name := range render.BuiltinShareTemplates() {
		share = append(share, render.ShareLink{Name: name})
	}
	slices.SortFunc(share, func(a, b render.ShareLink) int { return strings.Compare(a.Name, b.Name) })
	for _, f := range []render.Format{render.Atom, render.RSS, render.JSON} {
		t.Run(string(f), func(t *testing.T) {
			page.SelfURL = page.BaseURL + "feed." + string(f)
			var buf bytes.Buffer
			if err := render.Write(&buf, f, page, entries, render.Options{Share: share}); err != nil {
				t.Fatal(err)
			}
			var problems []string
			if f == render.JSON {
				problems = jsonFeedProblems(buf.Bytes())
			} else {
				problems = xmlFeedProblems(buf.Bytes())
			}
			for _, p := range problems {
				t.Error(p)
			}
			// Sanitising must not be wholesale deletion: ordinary content
			// and a safe link with a hostile attribute survive.
			for _, want := range []string{"RSS content 3", "Atom content 3", "JSON content 3", "https://ok.example/"} {
				if !strings.Contains(buf.String(), want) {
					t.Errorf("the %s output lost %q", f, want)
				}
			}
		})
	}
}

// storedProblems checks the fields of a stored entry.
func storedProblems(e *feed.Entry) []string {
	var out []string
	for _, f := range []struct{ name, html string }{{"content", e.Content}, {"summary", e.Summary}} {
		for _, p := range htmlProblems(f.html) {
			out = append(out, f.name+": "+p)
		}
	}
	urls := map[string]string{"link": e.Link, "image": e.Image}
	for i, enc := range e.Enclosures {
		urls[fmt.Sprintf("enclosure %d", i)] = enc.URL
	}
	for i, c := range e.Copies {
		urls[fmt.Sprintf("copy %d link", i)] = c.Link
		urls[fmt.Sprintf("copy %d feed", i)] = c.FeedURL
		urls[fmt.Sprintf("copy %d site", i)] = c.SiteURL
	}
	for name, u := range urls {
		if u != "" && !isWebURL(u) {
			out = append(out, fmt.Sprintf("%s is %q", name, u))
		}
	}
	return out
}
