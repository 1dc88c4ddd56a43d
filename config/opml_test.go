package config

import (
	"bytes"
	"flag"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tributary/tributary/feed"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

var exportSources = []feed.Source{
	{ID: "american-power", Name: "American Power", URL: "https://example.org/feed.xml", Tags: []string{"politics", "us"}},
	{ID: "quotes-brackets", Name: `"Quotes" & <Brackets>`, URL: "https://q.example/rss?a=1&b=2"},
	{ID: "local", Name: "Local", URL: "/srv/feeds/local notes.xml", Tags: []string{"notes"}},
}

func TestWriteOPMLGolden(t *testing.T) {
	var b bytes.Buffer
	now := time.Date(2024, 3, 5, 14, 4, 5, 0, time.FixedZone("CET", 3600))
	if err := writeOPML(&b, "My Tributary", exportSources, now); err != nil {
		t.Fatal(err)
	}
	golden := "testdata/export.opml"
	if *update {
		if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b.Bytes(), want) {
		t.Errorf("WriteOPML =\n%s\nwant (%s)\n%s", b.Bytes(), golden, want)
	}
}

func TestOPMLRoundTrip(t *testing.T) {
	var b bytes.Buffer
	if err := WriteOPML(&b, "t", exportSources); err != nil {
		t.Fatal(err)
	}
	got, err := ReadOPML(&b)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(exportSources) {
		t.Fatalf("read back %d sources, want %d", len(got), len(exportSources))
	}
	for i, s := range got {
		w := exportSources[i]
		url := resolveLocation("", s.URL)
		if s.Name != w.Name || url != w.URL || s.ID != w.ID || !reflect.DeepEqual(s.Tags, w.Tags) || !s.FromOPML {
			t.Errorf("source %d read back as %+v (url %q), want %+v", i, s, url, w)
		}
	}
}

func TestReadOPML(t *testing.T) {
	tests := []struct {
		name string
		opml string
		want []string // "name|url|tags"
		err  string
	}{
		{
			name: "folders nest and become tags",
			opml: `<opml version="2.0"><body>
  <outline text="Tech">
    <outline text="Go">
      <outline type="rss" text="Go Blog" xmlUrl="https://go.dev/blog/feed.atom"/>
    </outline>
    <outline type="rss" text="LWN" xmlUrl="https://lwn.net/headlines/rss" category="/Linux,/news/Kernel Dev"/>
  </outline>
  <outline type="rss" text="Top" xmlUrl="https://top.example/"/>
</body></opml>`,
			want: []string{
				"Go Blog|https://go.dev/blog/feed.atom|tech,go",
				"LWN|https://lwn.net/headlines/rss|linux,kernel-dev,tech",
				"Top|https://top.example/|",
			},
		},
		{
			name: "title, then text, then URL name a feed",
			opml: `<opml><body>
  <outline title="By Title" text="ignored" xmlUrl="https://a.example/"/>
  <outline text="By Text" xmlUrl="https://b.example/"/>
  <outline xmlUrl="https://c.example/"/>
</body></opml>`,
			want: []string{"By Title|https://a.example/|", "By Text|https://b.example/|", "https://c.example/|https://c.example/|"},
		},
		{
			name: "lenient: attribute case, HTML entities, URI categories",
			opml: `<opml><body><outline TEXT="Caf&eacute;" xmlurl="https://cafe.example/" category="http://taxonomy.example/x,/Food"/></body></opml>`,
			want: []string{"Café|https://cafe.example/|food"},
		},
		{
			// Review: a long folder name made every feed in it refused.
			name: "a folder name longer than a tag is cut to one",
			opml: `<opml><body><outline text="Things I read when the train is late again, and again"><outline text="A" xmlUrl="https://a.example/"/></outline></body></opml>`,
			want: []string{"A|https://a.example/|things-i-read-when-the-train-is-late-aga"},
		},
		{
			name: "folders named for languages keep their marks",
			opml: `<opml><body><outline text="C++"><outline text="A" xmlUrl="https://a.example/" category="/C#,/C"/></outline></body></opml>`,
			want: []string{"A|https://a.example/|c#,c,c++"},
		},
		{
			name: "an outline titled without a letter or digit is named by its URL",
			opml: `<opml><body><outline text="★" xmlUrl="https://a.example/"/></body></opml>`,
			want: []string{"https://a.example/|https://a.example/|"},
		},
		{
			name: "declared Latin-1",
			opml: "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><opml><body><outline text=\"Z\xfcrich\" xmlUrl=\"https://z.example/\"/></body></opml>",
			want: []string{"Zürich|https://z.example/|"},
		},
		{name: "not OPML", opml: `<rss version="2.0"></rss>`, err: "root element is <rss>"},
		{name: "empty", opml: ``, err: "no <opml> element"},
		{name: "broken XML", opml: `<opml><body><outline text="x" xmlUrl="u"`, err: "parse OPML"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srcs, err := ReadOPML(strings.NewReader(tt.opml))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, s := range srcs {
				got = append(got, s.Name+"|"+s.URL+"|"+strings.Join(s.Tags, ","))
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}
