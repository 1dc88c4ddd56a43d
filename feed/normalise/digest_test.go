package normalise

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
	ext "github.com/mmcdole/gofeed/extensions"

	"github.com/tributary/tributary/feed"
)

const digestFeed = `<?xml version="1.0"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Blog</title><link>https://blog.example/</link>
<item><title>One</title><link>https://blog.example/one</link><guid>1</guid>
<pubDate>Mon, 02 Jan 2023 10:00:00 +0000</pubDate><dc:creator>Ann</dc:creator><category>a</category>
<description>&lt;p&gt;The first post, with &lt;a href="/x"&gt;a link&lt;/a&gt;.&lt;/p&gt;</description>
<enclosure url="https://blog.example/one.mp3" length="10" type="audio/mpeg"/>
<media:thumbnail url="https://blog.example/one.jpg"/></item>
<item><title>Two</title><link>https://blog.example/two</link><guid>2</guid>
<description>&lt;p&gt;The second post.&lt;/p&gt;</description></item>
</channel></rss>`

func parseString(t *testing.T, s string) *gofeed.Feed {
	t.Helper()
	f, err := gofeed.NewParser().Parse(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestDigestSeesEveryEdit: an upstream edit of any kind changes the edited
// item's digest and no other's, so that a caller skipping items by digest
// never misses an edit.
func TestDigestSeesEveryEdit(t *testing.T) {
	edits := []struct {
		name string
		edit func(it *gofeed.Item)
	}{
		{"title", func(it *gofeed.Item) { it.Title = "One, revised" }},
		{"description", func(it *gofeed.Item) { it.Description += " " }},
		{"content", func(it *gofeed.Item) { it.Content = "<p>Full text</p>" }},
		{"link", func(it *gofeed.Item) { it.Link = "https://blog.example/1" }},
		{"guid", func(it *gofeed.Item) { it.GUID = "one" }},
		{"date", func(it *gofeed.Item) { t := it.PublishedParsed.Add(time.Second); it.PublishedParsed = &t }},
		{"date's zone", func(it *gofeed.Item) {
			t := it.PublishedParsed.In(time.FixedZone("X", 3600))
			it.PublishedParsed = &t
		}},
		{"updated", func(it *gofeed.Item) { t := time.Unix(1e9, 0); it.UpdatedParsed = &t }},
		{"author", func(it *gofeed.Item) { it.Authors = append(it.Authors, &gofeed.Person{Name: "Bo"}) }},
		{"author email", func(it *gofeed.Item) { it.Authors[0].Email = "ann@blog.example" }},
		{"dc:creator", func(it *gofeed.Item) { it.DublinCoreExt.Creator = []string{"Bo"} }},
		{"category", func(it *gofeed.Item) { it.Categories = append(it.Categories, "b") }},
		{"categories' order", func(it *gofeed.Item) { it.Categories = []string{"b", "a"} }},
		{"enclosure length", func(it *gofeed.Item) { it.Enclosures[0].Length = "11" }},
		{"image", func(it *gofeed.Item) { it.Image = &gofeed.Image{URL: "https://blog.example/i.png"} }},
		{"media thumbnail", func(it *gofeed.Item) {
			it.Extensions["media"]["thumbnail"][0].Attrs["url"] = "https://blog.example/two.jpg"
		}},
		{"new extension", func(it *gofeed.Item) {
			it.Extensions["feedburner"] = map[string][]ext.Extension{"origLink": {{Name: "origLink", Value: "https://x.example/"}}}
		}},
		{"custom", func(it *gofeed.Item) { it.Custom = map[string]string{"k": "v"} }},
	}
	base := Prepare(parseString(t, digestFeed), feed.Source{ID: "s"}, "https://blog.example/feed", Options{Now: testNow})
	if base.Len() != 2 || base.Digest(0) == base.Digest(1) {
		t.Fatalf("%d items, digests %x %x", base.Len(), base.Digest(0), base.Digest(1))
	}
	for _, tc := range edits {
		t.Run(tc.name, func(t *testing.T) {
			f := parseString(t, digestFeed)
			tc.edit(f.Items[0])
			p := Prepare(f, feed.Source{ID: "s"}, "https://blog.example/feed", Options{Now: testNow})
			if p.Digest(0) == base.Digest(0) {
				t.Errorf("edited item keeps its digest %x", p.Digest(0))
			}
			if p.Digest(1) != base.Digest(1) {
				t.Errorf("the other item's digest changed")
			}
			if p.Context() != base.Context() {
				t.Errorf("an item's edit changed the context")
			}
		})
	}
}

// TestDigestCoversEveryField guards against a gofeed upgrade adding an item
// field that the digest would not see: setting any field of an empty item
// changes its digest.
func TestDigestCoversEveryField(t *testing.T) {
	empty := Digest(gofeed.Item{})
	typ := reflect.TypeFor[gofeed.Item]()
	for i := range typ.NumField() {
		field := typ.Field(i)
		if !field.IsExported() {
			continue
		}
		var it gofeed.Item
		fill(reflect.ValueOf(&it).Elem().Field(i), 3)
		if Digest(it) == empty {
			t.Errorf("setting Item.%s leaves the digest unchanged", field.Name)
		}
	}
}

// fill sets v to a non-zero value of its type, down to depth levels of
// nesting (an extension holds extensions).
func fill(v reflect.Value, depth int) {
	if depth == 0 {
		return
	}
	depth--
	switch v.Kind() {
	case reflect.String:
		v.SetString("x")
	case reflect.Pointer:
		if v.Type().Elem() == reflect.TypeFor[time.Time]() {
			t := time.Unix(1, 0)
			v.Set(reflect.ValueOf(&t))
			return
		}
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), depth)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fill(v.Index(0), depth)
	case reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fill(k, depth)
		fill(e, depth)
		v.SetMapIndex(k, e)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), depth)
			}
		}
	}
}

// TestContextSeesTheFeed: what every item is built with (the source, the
// feed's home page, language and author) is in the context.
func TestContextSeesTheFeed(t *testing.T) {
	src := feed.Source{ID: "s", Name: "Blog"}
	prep := func(body string, src feed.Source, feedURL string) *Fetched {
		return Prepare(parseString(t, body), src, feedURL, Options{Now: testNow})
	}
	base := prep(digestFeed, src, "https://blog.example/feed")
	cases := []struct {
		name string
		p    *Fetched
	}{
		{"source name", prep(digestFeed, feed.Source{ID: "s", Name: "Blog 2"}, "https://blog.example/feed")},
		{"home page", prep(strings.Replace(digestFeed, "<link>https://blog.example/</link>", "<link>https://blog.example/home/</link>", 1), src, "https://blog.example/feed")},
		{"language", prep(strings.Replace(digestFeed, "<title>Blog</title>", "<title>Blog</title><language>fr</language>", 1), src, "https://blog.example/feed")},
		{"feed author", prep(strings.Replace(digestFeed, "<title>Blog</title>", "<title>Blog</title><managingEditor>ed@blog.example (Ed)</managingEditor>", 1), src, "https://blog.example/feed")},
	}
	for _, tc := range cases {
		if tc.p.Context() == base.Context() {
			t.Errorf("%s: context unchanged", tc.name)
		}
	}
	if again := prep(digestFeed, src, "https://blog.example/feed"); again.Context() != base.Context() {
		t.Error("the same feed gives another context")
	}
}

// TestArticlesSubset: the Articles made of some items are those Feed makes
// of them among all the others.
func TestArticlesSubset(t *testing.T) {
	for _, path := range []string{
		filepath.Join("testdata", "golden", "atom-xmlbase.in.xml"),
		filepath.Join("testdata", "golden", "rss-relative.in.xml"),
	} {
		f := parseFile(t, path, true)
		src := feed.Source{ID: "s"}
		_, all := Feed(f, src, "https://feeds.example.net/x", Options{Now: testNow})
		p := Prepare(f, src, "https://feeds.example.net/x", Options{Now: testNow, Workers: 2})
		odd := p.Articles(func(i int) bool { return i%2 == 1 })
		var want []feed.Article
		for i := 1; i < len(all); i += 2 {
			want = append(want, all[i])
		}
		if !reflect.DeepEqual(odd, want) && len(want)+len(odd) > 0 {
			t.Errorf("%s: the odd items' Articles differ from Feed's", path)
		}
	}
}

// FuzzDigest: the same bytes parsed twice give the same digests and the
// same Articles, so that an item skipped for an unchanged digest is one
// that would have been stored the same again.
func FuzzDigest(f *testing.F) {
	f.Add([]byte(digestFeed))
	for _, name := range []string{"atom-xmlbase.in.xml", "rss-relative.in.xml", "json-feed.in.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", "golden", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		parse := func() *Fetched {
			p := gofeed.NewParser()
			p.KeepOriginalFeed = true
			fd, err := p.Parse(bytes.NewReader(body))
			if err != nil {
				return nil
			}
			return Prepare(fd, feed.Source{ID: "s"}, "https://feeds.example.net/x", Options{Now: testNow})
		}
		a, b := parse(), parse()
		if a == nil || b == nil {
			return
		}
		if a.Context() != b.Context() {
			t.Fatal("the same bytes give another context")
		}
		for i := range a.Len() {
			if a.Digest(i) != b.Digest(i) {
				t.Fatalf("item %d: the same bytes give another digest", i)
			}
		}
		if !reflect.DeepEqual(a.Articles(nil), b.Articles(nil)) {
			t.Fatal("the same bytes give other Articles")
		}
	})
}

// TestDigestIsUnambiguous: values that differ digest differently, however
// their parts could be run together, and a map's digest does not depend on
// the order it was filled in.
func TestDigestIsUnambiguous(t *testing.T) {
	type pair struct{ A, B string }
	differ := []struct {
		name string
		a, b any
	}{
		{"strings split elsewhere", []string{"ab", "c"}, []string{"a", "bc"}},
		{"fields split elsewhere", pair{"ab", ""}, pair{"a", "b"}},
		{"nil and empty pointer", (*pair)(nil), &pair{}},
		{"empty and missing list", [][]string{{}}, [][]string{}},
		{"numbers", map[int]string{1: "x"}, map[int]string{2: "x"}},
		{"signs", -1, 1},
		{"floats", 0.5, 0.25},
		{"booleans", true, false},
		{"time zones", time.Unix(0, 0).UTC(), time.Unix(0, 0).In(time.FixedZone("X", 60))},
	}
	for _, tc := range differ {
		if Digest(tc.a) == Digest(tc.b) {
			t.Errorf("%s: %v and %v digest alike", tc.name, tc.a, tc.b)
		}
	}
	m1, m2 := map[int]string{}, map[int]string{}
	for i := range 50 {
		m1[i] = strings.Repeat("x", i)
		m2[49-i] = strings.Repeat("x", 49-i)
	}
	if Digest(m1) != Digest(m2) {
		t.Error("the same map filled in another order digests differently")
	}
}
