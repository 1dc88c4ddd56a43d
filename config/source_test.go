package config

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/render"
)

func TestSlug(t *testing.T) {
	tests := []struct{ in, want string }{
		{"American Power", "american-power"},
		{"  A  &  B  ", "a-b"},
		{"C++ Weekly!", "c-weekly"},
		{"Café Zürich", "café-zürich"},
		{"Cafe\u0301", "café"}, // decomposed é composes to the same id
		{"日本語ニュース", "日本語ニュース"},
		{"2024 Review", "2024-review"},
		{"---", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Slug(tt.in); got != tt.want {
			t.Errorf("Slug(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSources(t *testing.T) {
	c := mustParse(t, `sources:
  - name: American Power
    url: https://example.org/feed.xml
    interval: 1h
    tags: [Politics]
    priority: 2
  - name: Notes
    url: notes.xml
`)
	want := []feed.Source{
		{ID: "american-power", Name: "American Power", URL: "https://example.org/feed.xml", Interval: time.Hour, Tags: []string{"politics"}, Priority: 2},
		{ID: "notes", Name: "Notes", URL: "notes.xml"},
	}
	if got := c.Sources(); !reflect.DeepEqual(got, want) {
		t.Errorf("Sources() =\n%+v\nwant\n%+v", got, want)
	}

	// A Config built in code gets its ids from the names too.
	d := Default()
	d.SourceList = []Source{{Name: "Built In", URL: "https://b.example/"}}
	if got := d.Sources()[0].ID; got != "built-in" {
		t.Errorf("id of a source built in code = %q, want built-in", got)
	}
}

func TestShareLinks(t *testing.T) {
	builtins := render.BuiltinShareTemplates()
	c := mustParse(t, `output:
  share: [reddit, Mastodon, mine]
  share_templates:
    mastodon: "https://toot.example/share?text={text}"
    mine: "mailto:me@example.org?subject={title}&body={url}"
`+minimal)
	want := []render.ShareLink{
		{Name: "reddit", Template: builtins["reddit"]},
		{Name: "Mastodon", Template: "https://toot.example/share?text={text}"},
		{Name: "mine", Template: "mailto:me@example.org?subject={title}&body={url}"},
	}
	if got := c.ShareLinks(); !reflect.DeepEqual(got, want) {
		t.Errorf("ShareLinks() =\n%+v\nwant\n%+v", got, want)
	}
	if got := mustParse(t, "output: {share: []}\n"+minimal).ShareLinks(); len(got) != 0 {
		t.Errorf("share: [] gives %+v, want no links", got)
	}
	if got := Default().ShareLinks(); len(got) != 8 || got[0].Name != "email" || got[0].Template != builtins["email"] {
		t.Errorf("default share links = %+v, want the eight builtins", got)
	}
}

func TestSourceCheck(t *testing.T) {
	tests := []struct {
		name string
		src  Source
		want string // "" for no error, else a part of it
	}{
		{"fine", Source{Name: "News", URL: "https://n.example/feed", Tags: []string{"news"}}, ""},
		{"local file", Source{Name: "News", URL: "/srv/feeds/news.xml"}, ""},
		{"no name", Source{URL: "https://n.example/feed"}, "no name"},
		{"name without letters", Source{Name: "★", URL: "https://n.example/feed"}, `name "★" has no letter or digit`},
		{"scheme", Source{Name: "Old", URL: "ftp://n.example/feed"}, `scheme "ftp" is not supported`},
		// QA: check, fetch and a failed reload printed the password.
		{"password masked", Source{Name: "Old", URL: "ftp://user:s3cret@n.example/feed"}, `"ftp://xxxxx@n.example/feed": scheme "ftp"`},
		{"token masked", Source{Name: "Old", URL: "ftp://tok3n@n.example/feed"}, `"ftp://xxxxx@n.example/feed": scheme "ftp"`},
		// Review: a password with "#", "?" or "/" in it made the URL
		// unparsable, and the message quoted it whole.
		{"password with a hash", Source{Name: "P", URL: "https://user:p4#ss@n.example/feed"}, `"https://xxxxx@n.example/feed" is not a valid URL (write "/", "?", "#" or "@" in a user name or password as %2F, %3F, %23, %40)`},
		{"password with a slash", Source{Name: "P", URL: "ftp://user:p/ss@n.example/feed"}, `"ftp://xxxxx@n.example/feed"`},
		{"port out of range", Source{Name: "P", URL: "http://n.example:99999/feed"}, `port 99999 is not one (1 to 65535)`},
		{"port zero", Source{Name: "P", URL: "http://n.example:0/feed"}, `port 0 is not one`},
		{"raw URL is what is checked", Source{Name: "Old", URL: "/x", RawURL: "gopher://n.example/"}, `scheme "gopher"`},
		{"tag", Source{Name: "News", URL: "https://n.example/feed", Tags: []string{"a b"}}, `tag "a b" may hold only`},
		// One line, as it ends a line of the import's report.
		{"two problems", Source{Name: "★", URL: "ftp://n.example/feed"}, `id from; "ftp://n.example/feed": scheme`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.src.Check()
			if err != nil && (strings.Contains(err.Error(), "s3cret") || strings.Contains(err.Error(), "p4")) {
				t.Errorf("Check() = %v: shows the password", err)
			}
			if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
				t.Errorf("Check() = %v, want %q", err, tt.want)
			}
		})
	}
}
