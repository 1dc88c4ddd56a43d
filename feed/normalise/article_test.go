package normalise

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/parse"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

var testNow = time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)

func parseFile(t *testing.T, path string, keepOriginal bool) *gofeed.Feed {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// As production parses (feed/parse), which keeps what gofeed's
	// universal Item drops (Atom canonical links, JSON external URLs);
	// gofeed's own parser keeps the original feed for the rest.
	var f *gofeed.Feed
	if keepOriginal {
		p := gofeed.NewParser()
		p.KeepOriginalFeed = true
		f, err = p.Parse(bytes.NewReader(b))
	} else {
		f, err = parse.New().Parse(b, "")
	}
	if err != nil {
		t.Fatalf("parse %s: %v", path, err)
	}
	return f
}

// golden is what a golden file holds: the feed's Meta and its Articles.
type golden struct {
	Meta     Meta
	Articles []feed.Article
}

// TestFeedGolden normalises each testdata/golden/NAME.in.* feed and compares
// the result with NAME.want.json. Run with -update to rewrite the files after
// checking the differences by hand.
func TestFeedGolden(t *testing.T) {
	inputs, err := filepath.Glob(filepath.Join("testdata", "golden", "*.in.*"))
	if err != nil || len(inputs) == 0 {
		t.Fatalf("no golden inputs: %v", err)
	}
	for _, in := range inputs {
		name := strings.SplitN(filepath.Base(in), ".", 2)[0]
		t.Run(name, func(t *testing.T) {
			f := parseFile(t, in, false)
			src := feed.Source{ID: name, Name: name}
			meta, arts := Feed(f, src, "https://feeds.example.net/"+name, Options{Now: testNow})
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false) // keep the HTML in the files readable
			enc.SetIndent("", "  ")
			if err := enc.Encode(golden{Meta: meta, Articles: arts}); err != nil {
				t.Fatal(err)
			}
			got := buf.Bytes()
			want := filepath.Join("testdata", "golden", name+".want.json")
			if *update {
				if err := os.WriteFile(want, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			exp, err := os.ReadFile(want)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got, exp) {
				t.Errorf("%s differs from %s; got:\n%s", in, want, got)
			}
		})
	}
}

func TestFeedItems(t *testing.T) {
	f := parseFile(t, filepath.Join("testdata", "golden", "rss-relative.in.xml"), false)
	_, all := Feed(f, feed.Source{ID: "s"}, "https://feeds.example.net/levee", Options{Now: testNow})
	byTitle := map[string]feed.Article{}
	for _, a := range all {
		byTitle[a.Title] = a
	}
	tests := []struct {
		name  string
		title string
		check func(a feed.Article) string
	}{
		{"relative link resolved against the feed's home page", "The river rose & fell", func(a feed.Article) string {
			return want(a.Link, "https://levee.example/blog/2024/05/river/")
		}},
		{"title entities decoded and tags stripped", "The river rose & fell", func(a feed.Article) string {
			return want(a.Title, "The river rose & fell")
		}},
		{"content URLs resolved against the item link", "The river rose & fell", func(a feed.Article) string {
			for _, s := range []string{`href="https://levee.example/blog/2024/04/levee/"`, `src="https://levee.example/images/flood.jpg"`,
				`https://levee.example/images/flood@2x.jpg 2x`} {
				if !strings.Contains(a.Content, s) {
					return "content lacks " + s + ": " + a.Content
				}
			}
			return ""
		}},
		{"cross-post footer removed and attributed", "The river rose & fell", func(a feed.Article) string {
			if strings.Contains(a.Content, "Share") || a.CrossPostedFrom == nil {
				return "footer left or no attribution: " + a.Content
			}
			return want(a.CrossPostedFrom.Name, "American Power")
		}},
		{"categories trimmed and deduplicated", "The river rose & fell", func(a feed.Article) string {
			return want(strings.Join(a.Categories, "|"), "Floods|River|Lower Town")
		}},
		{"image from the content", "The river rose & fell", func(a feed.Article) string {
			return want(a.Image, "https://levee.example/images/flood.jpg")
		}},
		{"origLink wins over the proxy link", "Proxied through FeedBurner", func(a feed.Article) string {
			return want(a.Link, "https://levee.example/blog/2024/05/proxied/")
		}},
		{"read-more link and pixel removed", "Proxied through FeedBurner", func(a feed.Article) string {
			return want(a.Text, "Short and bold.")
		}},
		{"undated item gets now", "Undated note", func(a feed.Article) string {
			// A nanosecond earlier per place in the feed: feed order.
			if early := testNow.Sub(a.Published); !a.Undated || early < 0 || early > time.Microsecond || !a.Updated.Equal(a.Published) {
				return "not undated at now: " + a.Published.String()
			}
			return ""
		}},
		{"plain text description keeps its paragraphs", "Undated note", func(a feed.Article) string {
			return want(a.Text, "A plain text note.\nIt has two paragraphs\nand a line break.")
		}},
		{"future date taken as missing", "From the future", func(a feed.Article) string {
			if early := testNow.Sub(a.Published); !a.Undated || early < 0 || early > time.Microsecond {
				return "published " + a.Published.String()
			}
			return ""
		}},
		{"pre-1990 date is missing", "Epoch date, no link", func(a feed.Article) string {
			if !a.Undated {
				return "1970 date kept"
			}
			return ""
		}},
		{"permalink guid is the link when there is none", "Epoch date, no link", func(a feed.Article) string {
			return want(a.Link, "https://levee.example/blog/epoch")
		}},
		{"item with nothing but a title kept", "Nothing but a title", func(a feed.Article) string {
			return want(a.Link+a.GUID+a.Content+a.Text, "")
		}},
		{"feed author when the item has none", "Nothing but a title", func(a feed.Article) string {
			return want(a.Author, "The Editor")
		}},
		{"dc:creator author", "The river rose & fell", func(a feed.Article) string {
			return want(a.Author, "Ann Author")
		}},
		{"enclosures absolute, lengths parsed, repeats dropped", "Episode 12: the water", func(a feed.Article) string {
			got, _ := json.Marshal(a.Enclosures)
			return want(string(got), `[{"url":"https://levee.example/media/ep12.mp3","type":"audio/mpeg","length":12345678},{"url":"https://cdn.example.org/ep12.ogg","type":"audio/ogg"}]`)
		}},
		{"media thumbnail is the image", "Episode 12: the water", func(a feed.Article) string {
			return want(a.Image, "https://levee.example/media/ep12.jpg")
		}},
		{"language from the feed", "Episode 12: the water", func(a feed.Article) string {
			return want(a.Lang, "en-us")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, ok := byTitle[tt.title]
			if !ok {
				t.Fatalf("no item titled %q", tt.title)
			}
			if msg := tt.check(a); msg != "" {
				t.Error(msg)
			}
		})
	}
	if len(all) != 7 {
		t.Errorf("%d articles, want every one of the 7 items", len(all))
	}
}

func want(got, want string) string {
	if got != want {
		return "got " + got + ", want " + want
	}
	return ""
}

func TestFeedOptions(t *testing.T) {
	f := parseFile(t, filepath.Join("testdata", "golden", "atom-xmlbase.in.xml"), false)
	t.Run("max items keeps feed order", func(t *testing.T) {
		_, arts := Feed(f, feed.Source{}, "", Options{Now: testNow, MaxItems: 2})
		if len(arts) != 2 || arts[0].Title != "Canonical and base" {
			t.Fatalf("got %d articles, first %q", len(arts), arts[0].Title)
		}
	})
	t.Run("sanitiser applied to content and summary", func(t *testing.T) {
		mark := func(s string) string { return "[" + s + "]" }
		_, arts := Feed(f, feed.Source{}, "", Options{Now: testNow, Sanitize: mark})
		a := arts[0]
		if !strings.HasPrefix(a.Content, "[") || !strings.HasPrefix(a.Summary, "[") {
			t.Errorf("content %q, summary %q not sanitised", a.Content, a.Summary)
		}
	})
	t.Run("canonical link read from what parse keeps", func(t *testing.T) {
		_, arts := Feed(f, feed.Source{}, "", Options{Now: testNow})
		if got := arts[0].Link; got != "https://ann.example/blog/2024/05/the-canonical/" {
			t.Errorf("link %q, want the canonical link", got)
		}
	})
	t.Run("source id on every article", func(t *testing.T) {
		_, arts := Feed(f, feed.Source{ID: "planet"}, "", Options{Now: testNow})
		for _, a := range arts {
			if a.SourceID != "planet" {
				t.Errorf("source %q", a.SourceID)
			}
		}
	})
	t.Run("zero options", func(t *testing.T) {
		_, arts := Feed(f, feed.Source{}, "", Options{})
		if len(arts) != 3 {
			t.Errorf("%d articles", len(arts))
		}
	})
	t.Run("nil feed", func(t *testing.T) {
		meta, arts := Feed(nil, feed.Source{}, "", Options{})
		if meta != (Meta{}) || arts != nil {
			t.Errorf("got %+v %v", meta, arts)
		}
	})
	t.Run("relative links without base stay empty", func(t *testing.T) {
		f := &gofeed.Feed{Items: []*gofeed.Item{{Title: "x", Link: "/rel", Content: `<a href="/a">a</a>`}}}
		_, arts := Feed(f, feed.Source{}, "/var/feeds/local.xml", Options{Now: testNow})
		if arts[0].Link != "" || !strings.Contains(arts[0].Content, `href="/a"`) {
			t.Errorf("link %q content %q", arts[0].Link, arts[0].Content)
		}
	})
	t.Run("relative links against the feed url", func(t *testing.T) {
		f := &gofeed.Feed{Items: []*gofeed.Item{{Title: "x", Link: "/rel"}}}
		_, arts := Feed(f, feed.Source{}, "https://feeds.example.net/x.xml", Options{Now: testNow})
		if arts[0].Link != "https://feeds.example.net/rel" {
			t.Errorf("link %q", arts[0].Link)
		}
	})
}

func BenchmarkFeed(b *testing.B) {
	para := `<p>The river rose three feet overnight, and by morning the <a href="/lower">lower town</a> was under water. ` +
		`Volunteers worked through the day to move what they could to <em>higher ground</em>, and the shelter filled.</p>`
	content := strings.Repeat(para, 14) + `<p>Cross-posted from <a href="https://ap.example/">American Power</a>.</p><p>Share this!</p>`
	f := &gofeed.Feed{Title: "Bench", Link: "https://bench.example/"}
	for i := 0; i < 50; i++ {
		f.Items = append(f.Items, &gofeed.Item{
			Title: "Item", Link: "/post/" + string(rune('a'+i%26)), GUID: "g",
			Content: content, Description: para,
		})
	}
	b.SetBytes(int64(50 * len(content)))
	for b.Loop() {
		Feed(f, feed.Source{ID: "bench"}, "https://bench.example/feed", Options{Now: testNow})
	}
}

// A source fetched with credentials in its URL does not lend them to the
// links resolved against it: what is stored is republished (QA found the
// password in the feeds, by way of relative links).
func TestRelativeLinksDoNotInheritCredentials(t *testing.T) {
	f, err := gofeed.NewParser().ParseString(`<rss version="2.0"><channel><title>Members</title><link>/members/</link>
<item><title>Minutes</title><link>/members/minutes/</link><guid isPermaLink="false">m-1</guid>
<enclosure url="/members/minutes.pdf" type="application/pdf" length="1"/>
<description>&lt;p&gt;See &lt;a href="/members/agenda/"&gt;the agenda&lt;/a&gt; and &lt;img src="chart.png"&gt;.&lt;/p&gt;</description>
</item></channel></rss>`)
	if err != nil {
		t.Fatal(err)
	}
	meta, arts := Feed(f, feed.Source{ID: "m"}, "https://reader:s3cret@members.example/feed.xml", Options{Now: testNow})
	if len(arts) != 1 {
		t.Fatalf("%d articles", len(arts))
	}
	a := arts[0]
	for what, got := range map[string]string{
		"site URL": meta.SiteURL, "link": a.Link, "enclosure": a.Enclosures[0].URL,
		"summary": a.Summary, "content": a.Content, "image": a.Image,
	} {
		if strings.Contains(got, "s3cret") || strings.Contains(got, "reader@") {
			t.Errorf("%s carries the credentials: %s", what, got)
		}
	}
	if a.Link != "https://members.example/members/minutes/" {
		t.Errorf("link %q, want it resolved against the feed URL without its userinfo", a.Link)
	}
}
