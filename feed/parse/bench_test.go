package parse

import (
	"bytes"
	"fmt"
	"html"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"
)

// benchFeed returns an RSS 2.0 feed of n items, each with about 3 KB of
// escaped HTML content, like a blog's full-content feed.
func benchFeed(n int) []byte {
	para := `<p>Tributary collapses <a href="https://example.com/x">cross-posted</a> copies of the same article ` +
		`into one entry, with <em>emphasis</em>, <strong>strength</strong> and an image ` +
		`<img src="https://example.com/i.png" alt="x" width="600" height="400">.</p>`
	content := strings.Repeat(para, 3000/len(para)+1)
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">` +
		"<channel><title>Bench</title><link>https://example.com/</link><description>bench</description>\n")
	for i := range n {
		fmt.Fprintf(&b, "<item><title>Item %d</title><link>https://example.com/%d</link><guid>https://example.com/%d</guid>"+
			"<pubDate>Fri, 01 Mar 2024 10:00:00 +0000</pubDate><dc:creator>Ana</dc:creator><category>go</category>"+
			"<description>%s</description></item>\n", i, i, i, html.EscapeString(content))
	}
	b.WriteString("</channel></rss>\n")
	return b.Bytes()
}

func BenchmarkParse(b *testing.B) {
	body := benchFeed(50)
	p := New()
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		f, err := p.Parse(body, "application/rss+xml")
		if err != nil || len(f.Items) != 50 {
			b.Fatalf("%v, %d items", err, len(f.Items))
		}
	}
	b.ReportMetric(float64(50*b.N)/b.Elapsed().Seconds(), "items/s")
}

// BenchmarkParseGofeed is the baseline: gofeed's universal parser with the
// same translator, no preparation of the bytes.
func BenchmarkParseGofeed(b *testing.B) {
	body := benchFeed(50)
	gp := gofeed.NewParser()
	gp.RSSTranslator = &gofeed.DefaultRSSTranslator{DisableContentImageScan: true}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := gp.Parse(bytes.NewReader(body)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(50*b.N)/b.Elapsed().Seconds(), "items/s")
}

// BenchmarkPrepare is what Parse adds before gofeed: charset, character
// cleanup, type sniffing and the depth check.
func BenchmarkPrepare(b *testing.B) {
	body := benchFeed(50)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		u, err := ToUTF8(body, "")
		if err != nil {
			b.Fatal(err)
		}
		u = stripInvalidCharRefs(stripInvalidXMLChars(u))
		if k, _ := sniff(u, ""); k != kindRSS {
			b.Fatal(k)
		}
		if err := checkShape(u); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseDeep measures a hostile body: 100,000 nested elements,
// refused by the depth check before gofeed recurses into them.
func BenchmarkParseDeep(b *testing.B) {
	body := nested(100_000)
	p := New()
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Parse(body, ""); err == nil {
			b.Fatal("no error")
		}
	}
}

// BenchmarkParseManyElements measures the costliest bodies the element and
// JSON value limits let through (empty items, the most structure per
// byte), and one over the limit, refused by the scan before gofeed builds
// anything: B/op is what a parse may allocate at most.
func BenchmarkParseManyElements(b *testing.B) {
	items := func(n int) []byte {
		return []byte(`<rss version="2.0"><channel><title>t</title>` + strings.Repeat("<item/>", n) + `</channel></rss>`)
	}
	jsonItems := func(n int) []byte {
		return []byte(`{"version":"https://jsonfeed.org/version/1.1","items":[` + strings.TrimSuffix(strings.Repeat("{},", n), ",") + `]}`)
	}
	for _, bc := range []struct {
		name string
		body []byte
		ok   bool
	}{
		{"xml-at-limit", items(maxElements - 3), true},
		{"json-at-limit", jsonItems((maxJSONValues - 2) / 2), true},
		{"xml-10MB-refused", items(1_400_000), false},
	} {
		b.Run(bc.name, func(b *testing.B) {
			p := New()
			b.SetBytes(int64(len(bc.body)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := p.Parse(bc.body, ""); (err == nil) != bc.ok {
					b.Fatalf("error %v", err)
				}
			}
		})
	}
}
