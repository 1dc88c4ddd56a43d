package web

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/render"
	"golang.org/x/net/html"
)

// TestShareLinksMatchTheFeeds renders entries as JSON Feed with feed/render
// and checks that the pages offer exactly the share URLs and labels the
// feeds carry.
func TestShareLinksMatchTheFeeds(t *testing.T) {
	share := []render.ShareLink{
		{Name: "email"}, {Name: "Mastodon"}, {Name: "bluesky"}, {Name: "x"}, {Name: "facebook"},
		{Name: "linkedin"}, {Name: "reddit"}, {Name: "hackernews"},
		{Name: "Pinboard", Template: "https://pinboard.in/add?url={url}&title={title}&x={unknown}"},
	}
	tests := []struct {
		name, title, link, utm string
	}{
		{"plain", "Council Approves Floodwall Plan", "https://harborlight.example/floodwall/", ""},
		{"utm", "Ferry & timetable: “winter”", "https://harborlight.example/ferry/?a=1#top", "tributary"},
		{"utm already there", "Q&A", "https://x.example/p?utm_source=them", "tributary"},
		{"no title", "", "https://x.example/untitled", ""},
		{"spaces and plus", "1 + 1 = 2 ", "https://x.example/a b?q=c+d", "my river"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := &feed.Entry{ID: "e1", Title: tt.title, Link: tt.link, Content: "<p>text</p>",
				Copies: []feed.Copy{{SourceID: "s", SourceName: "S", Link: tt.link}}}
			var buf bytes.Buffer
			if err := render.Write(&buf, render.JSON, render.Page{Title: "T", BaseURL: "https://river.example/"},
				[]*feed.Entry{e}, render.Options{Share: share, UTM: tt.utm}); err != nil {
				t.Fatal(err)
			}
			var doc struct {
				Items []struct {
					ContentHTML string `json:"content_html"`
					Tributary   struct {
						Share []struct{ Name, URL string } `json:"share"`
					} `json:"_tributary"`
				} `json:"items"`
			}
			if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
				t.Fatal(err)
			}
			feedShare := doc.Items[0].Tributary.Share
			labels := footerLabels(t, doc.Items[0].ContentHTML)
			// What an entry's page offers (an untitled one is titled
			// with its first words, as in the feeds).
			got := (&Site{}).newEntryView(e, &Options{sharer: newSharer(share, tt.utm)}).Share
			if len(got) != len(feedShare) || len(labels) != len(got) {
				t.Fatalf("pages offer %d share links, the feed %d (%d labels)", len(got), len(feedShare), len(labels))
			}
			for i := range got {
				if got[i].URL != feedShare[i].URL {
					t.Errorf("%s: page URL\n  %s\nfeed URL\n  %s", feedShare[i].Name, got[i].URL, feedShare[i].URL)
				}
				if got[i].Label != labels[i] {
					t.Errorf("%s: page label %q, feed label %q", feedShare[i].Name, got[i].Label, labels[i])
				}
			}
		})
	}
}

// footerLabels returns the link texts of the feed content's share paragraph.
func footerLabels(t *testing.T, content string) []string {
	doc, err := html.Parse(strings.NewReader(content))
	if err != nil {
		t.Fatal(err)
	}
	var labels []string
	for _, p := range find(doc, "p.tributary-share") {
		for _, a := range find(p, "a") {
			labels = append(labels, textOf(a))
		}
	}
	return labels
}

func TestNoLinkNothingToShare(t *testing.T) {
	if got := newSharer([]render.ShareLink{{Name: "email"}}, "").Links("", "Title"); got != nil {
		t.Errorf("share links without a link: %v", got)
	}
	if got := newSharer([]render.ShareLink{{Name: "nonesuch"}}, "").Links("https://x.example/", "T"); len(got) != 0 {
		t.Errorf("a name without template was offered: %v", got)
	}
}
