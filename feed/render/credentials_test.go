package render

import (
	"strings"
	"testing"

	"github.com/tributary/tributary/feed"
)

// A source fetched as http://user:password@host/feed stores that URL in its
// copies (and links resolved against it carry it too): every format
// attributes the source at its URL without the userinfo, and publishes no
// URL with it.
func TestNoFormatPublishesSourceCredentials(t *testing.T) {
	const (
		password = "s3cretpw"
		creds    = "http://reader:" + password + "@127.0.0.1:18101"
		public   = "http://127.0.0.1:18101"
	)
	secret := feed.Copy{
		SourceID: "secret", SourceName: "Secret",
		FeedURL: creds + "/auth/rss20.xml", SiteURL: creds + "/members/",
		Link: creds + "/members/minutes/", Published: day(3, 8), FirstSeen: day(3, 8), Rule: "new",
	}
	unnamed := secret
	unnamed.SourceID, unnamed.SourceName, unnamed.Link = "unnamed", "", creds+"/elsewhere/minutes/"
	e := &feed.Entry{
		ID: "minutes", Title: "Minutes", Link: creds + "/members/minutes/",
		// Stored before links were resolved without the credentials.
		Content:    `<p>The board met; <a href="` + creds + `/members/agenda/">the agenda</a>.</p>`,
		Summary:    `<p>The board met (<a href="` + creds + `/members/agenda/">agenda</a>).</p>`,
		Image:      creds + "/members/board.jpg",
		Enclosures: []feed.Enclosure{{URL: creds + "/members/minutes.pdf", Type: "application/pdf"}},
		Published:  day(3, 8), Updated: day(3, 8),
		Copies: []feed.Copy{secret, unnamed},
	}
	noLink := &feed.Entry{ID: "no-link", Title: "No link", Content: "<p>x</p>", Published: day(2, 8),
		Copies: []feed.Copy{secret}}
	noLink.Copies[0].Link = creds + "/members/other/"
	tests := []struct {
		format Format
		want   []string // the source, attributed without credentials
	}{
		{Atom, []string{"<id>" + public + "/auth/rss20.xml</id>", `<link href="` + public + `/auth/rss20.xml" rel="self">`,
			`href="` + public + `/members/"`, `<link href="` + public + `/members/minutes/" rel="alternate"`}},
		{RSS, []string{`<source url="` + public + `/auth/rss20.xml">Secret</source>`, "<link>" + public + "/members/minutes/</link>"}},
		{JSON, []string{`"feed_url":"` + public + `/auth/rss20.xml"`, `"site_url":"` + public + `/members/"`,
			`"url":"` + public + `/members/minutes/"`}},
	}
	for _, tt := range tests {
		t.Run(string(tt.format), func(t *testing.T) {
			out := string(render(t, tt.format, testPage(tt.format), []*feed.Entry{e, noLink}, testOptions()))
			if i := strings.Index(out, password); i >= 0 {
				t.Errorf("the source's password is published: …%s…", out[max(0, i-100):min(len(out), i+40)])
			}
			if strings.Contains(out, "xxxxx") || strings.Contains(out, "reader") {
				t.Errorf("the source's userinfo is published (masked or not):\n%s", out)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %s:\n%s", w, out)
				}
			}
		})
	}
	// The web pages share entries with the same Sharer.
	s, err := NewSharer([]ShareLink{{Name: "email"}}, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range s.Links(creds+"/members/minutes/", "Minutes") {
		if strings.Contains(l.URL, password) || strings.Contains(l.URL, "reader") {
			t.Errorf("share link %s carries the userinfo", l.URL)
		}
	}
}
