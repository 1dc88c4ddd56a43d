package render

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/tributary/tributary/feed"
)

type renderedItem struct {
	ID          string `json:"id"`
	ContentHTML string `json:"content_html"`
	Tributary   struct {
		Original struct {
			Source, URL string
		} `json:"original"`
		AlsoPublishedAt []struct{ Source, URL string } `json:"also_published_at"`
		Share           []struct{ Name, URL string }   `json:"share"`
	} `json:"_tributary"`
}

// renderOne renders one entry as JSON Feed and returns its item.
func renderOne(t *testing.T, e *feed.Entry, opts Options) renderedItem {
	t.Helper()
	var doc struct{ Items []renderedItem }
	if err := json.Unmarshal(render(t, JSON, testPage(JSON), []*feed.Entry{e}, opts), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Items) != 1 {
		t.Fatalf("%d items, want 1", len(doc.Items))
	}
	return doc.Items[0]
}

func shareEntry(title, link string) *feed.Entry {
	return &feed.Entry{
		ID: "s1", Title: title, Link: link, Content: "<p>Body</p>",
		Copies: []feed.Copy{{SourceID: "blog", SourceName: "Blog", Link: link}},
	}
}

func TestShareLinks(t *testing.T) {
	const title = `Q&A: 50% off? "Yes" #1`
	tests := []struct {
		name    string
		link    string
		share   []ShareLink
		utm     string
		want    []string // share URLs, in order
		display []string // anchor texts in the footer, in order
	}{
		{
			name:  "every builtin, no UTM",
			link:  "https://blog.example/post?id=7#top",
			share: []ShareLink{{Name: "email"}, {Name: "mastodon"}, {Name: "bluesky"}, {Name: "x"}, {Name: "facebook"}, {Name: "linkedin"}, {Name: "reddit"}, {Name: "hackernews"}},
			want: []string{
				"mailto:?subject=Q%26A%3A%2050%25%20off%3F%20%22Yes%22%20%231&body=https%3A%2F%2Fblog.example%2Fpost%3Fid%3D7%23top",
				"https://s2f.kytta.dev/?text=Q%26A%3A%2050%25%20off%3F%20%22Yes%22%20%231%20https%3A%2F%2Fblog.example%2Fpost%3Fid%3D7%23top",
				"https://bsky.app/intent/compose?text=Q%26A%3A%2050%25%20off%3F%20%22Yes%22%20%231%20https%3A%2F%2Fblog.example%2Fpost%3Fid%3D7%23top",
				"https://x.com/intent/tweet?text=Q%26A%3A%2050%25%20off%3F%20%22Yes%22%20%231&url=https%3A%2F%2Fblog.example%2Fpost%3Fid%3D7%23top",
				"https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fblog.example%2Fpost%3Fid%3D7%23top",
				"https://www.linkedin.com/sharing/share-offsite/?url=https%3A%2F%2Fblog.example%2Fpost%3Fid%3D7%23top",
				"https://www.reddit.com/submit?url=https%3A%2F%2Fblog.example%2Fpost%3Fid%3D7%23top&title=Q%26A%3A%2050%25%20off%3F%20%22Yes%22%20%231",
				"https://news.ycombinator.com/submitlink?u=https%3A%2F%2Fblog.example%2Fpost%3Fid%3D7%23top&t=Q%26A%3A%2050%25%20off%3F%20%22Yes%22%20%231",
			},
			display: []string{"Email", "Mastodon", "Bluesky", "X", "Facebook", "LinkedIn", "Reddit", "Hacker News"},
		},
		{
			name:    "UTM goes into the query, before the fragment",
			link:    "https://blog.example/post?id=7#top",
			share:   []ShareLink{{Name: "facebook"}},
			utm:     "my feed",
			want:    []string{"https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fblog.example%2Fpost%3Fid%3D7%26utm_source%3Dmy%2Bfeed%26utm_medium%3Dfeed%23top"},
			display: []string{"Facebook"},
		},
		{
			name:    "UTM starts a query when there is none",
			link:    "https://blog.example/post",
			share:   []ShareLink{{Name: "linkedin"}},
			utm:     "tributary",
			want:    []string{"https://www.linkedin.com/sharing/share-offsite/?url=https%3A%2F%2Fblog.example%2Fpost%3Futm_source%3Dtributary%26utm_medium%3Dfeed"},
			display: []string{"LinkedIn"},
		},
		{
			name:    "an existing utm_source is kept",
			link:    "https://blog.example/post?utm_source=newsletter",
			share:   []ShareLink{{Name: "linkedin"}},
			utm:     "tributary",
			want:    []string{"https://www.linkedin.com/sharing/share-offsite/?url=https%3A%2F%2Fblog.example%2Fpost%3Futm_source%3Dnewsletter"},
			display: []string{"LinkedIn"},
		},
		{
			name:    "unknown name with a custom template",
			link:    "https://blog.example/post",
			share:   []ShareLink{{Name: "<Lobsters>", Template: "https://lobste.rs/stories/new?url={url}&title={title}&x={text}&y={other}"}},
			want:    []string{"https://lobste.rs/stories/new?url=https%3A%2F%2Fblog.example%2Fpost&title=Q%26A%3A%2050%25%20off%3F%20%22Yes%22%20%231&x=Q%26A%3A%2050%25%20off%3F%20%22Yes%22%20%231%20https%3A%2F%2Fblog.example%2Fpost&y={other}"},
			display: []string{"<Lobsters>"},
		},
		{
			name:    "a builtin name with its own template keeps the display name",
			link:    "https://blog.example/post",
			share:   []ShareLink{{Name: "Mastodon", Template: "https://social.example/share?text={text}"}},
			want:    []string{"https://social.example/share?text=Q%26A%3A%2050%25%20off%3F%20%22Yes%22%20%231%20https%3A%2F%2Fblog.example%2Fpost"},
			display: []string{"Mastodon"},
		},
		{
			name: "no share links, no share paragraph",
			link: "https://blog.example/post",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := renderOne(t, shareEntry(title, tt.link), Options{Share: tt.share, UTM: tt.utm})
			var urls []string
			for _, s := range got.Tributary.Share {
				urls = append(urls, s.URL)
			}
			if !slices.Equal(urls, tt.want) {
				t.Errorf("share URLs:\n got %q\nwant %q", urls, tt.want)
			}
			if got.ID != "https://feeds.example.org/entries/s1" {
				t.Errorf("id = %q: ids must never carry share parameters", got.ID)
			}
			if got.Tributary.Original.URL != tt.link {
				t.Errorf("original url = %q, want %q (UTM belongs in share links only)", got.Tributary.Original.URL, tt.link)
			}
			footer := shareFooter(tt.want, tt.display)
			if !strings.Contains(got.ContentHTML, footer) {
				t.Errorf("content_html lacks the share footer\n got %s\nwant …%s", got.ContentHTML, footer)
			}
			if len(tt.want) == 0 && strings.Contains(got.ContentHTML, "tributary-share") {
				t.Errorf("share paragraph rendered without share links: %s", got.ContentHTML)
			}
		})
	}
}

// shareFooter is the share paragraph readers see, escaped as HTML.
func shareFooter(urls, names []string) string {
	if len(urls) == 0 {
		return ""
	}
	esc := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;")
	var b strings.Builder
	b.WriteString(`<p class="tributary-share">Share: `)
	for i := range urls {
		if i > 0 {
			b.WriteString(" · ")
		}
		b.WriteString(`<a href="` + esc.Replace(urls[i]) + `">` + esc.Replace(names[i]) + `</a>`)
	}
	b.WriteString("</p>")
	return b.String()
}

func TestAttributionFooter(t *testing.T) {
	three := &feed.Entry{
		ID: "a1", Title: "Post", Link: "https://blog.example/post", Content: "<p>Body</p>",
		Original: 1,
		Copies: []feed.Copy{
			{SourceID: "mirror", SourceName: "Mirror & Co", Link: "https://mirror.example/post"},
			{SourceID: "blog", SourceName: "Blog", Link: "https://blog.example/post"},
			{SourceID: "again", SourceName: "Blog again", Link: "https://blog.example/post"},
			{SourceID: "site", SiteURL: "https://site.example/", Link: "https://site.example/p?a=1&b=2"},
		},
	}
	tests := []struct {
		name string
		e    *feed.Entry
		want string
	}{
		{
			name: "original first, duplicates of its link left out, unnamed sources named by host",
			e:    three,
			want: `<p>Body</p><p class="tributary-attribution">Originally published at <a href="https://blog.example/post">Blog</a>, ` +
				`also at <a href="https://mirror.example/post">Mirror &amp; Co</a>, <a href="https://site.example/p?a=1&amp;b=2">site.example</a>.</p>`,
		},
		{
			name: "one copy: no also-at",
			e:    shareEntry("Post", "https://blog.example/post"),
			want: `<p>Body</p><p class="tributary-attribution">Originally published at <a href="https://blog.example/post">Blog</a>.</p>`,
		},
		{
			name: "no copies: no footer; summary stands in for empty content",
			e:    &feed.Entry{ID: "a2", Summary: "<p>Only a summary</p>"},
			want: `<p>Only a summary</p>`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := renderOne(t, tt.e, Options{}).ContentHTML; got != tt.want {
				t.Errorf("content_html:\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestBuiltinShareTemplates(t *testing.T) {
	m := BuiltinShareTemplates()
	names := slices.Sorted(maps.Keys(m))
	want := []string{"bluesky", "email", "facebook", "hackernews", "linkedin", "mastodon", "reddit", "x"}
	if !slices.Equal(names, want) {
		t.Errorf("builtin names = %q, want %q", names, want)
	}
	m["custom"] = "https://example.org/?u={url}"
	delete(m, "email")
	if again := BuiltinShareTemplates(); again["email"] == "" || again["custom"] != "" {
		t.Errorf("BuiltinShareTemplates returned a shared map")
	}
}
