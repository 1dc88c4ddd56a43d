package corpus

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// GenerateFeed returns one RSS 2.0 feed of n items, each with about
// bytesPerItem bytes of HTML content, deterministically from seed: input
// for parse and ingest benchmarks. Items have distinct GUIDs, links and
// titles, and are dated an hour apart before 2025-06-01.
func GenerateFeed(seed int64, n, bytesPerItem int) []byte {
	r := rand.New(rand.NewPCG(uint64(seed), 0x5eed))
	v := vocabFor(0)
	w := &writer{r: r, v: v, hosts: []string{"example.org", "example.net"}}
	b := &blog{name: "Benchmark Blog", host: "bench.example", site: "https://bench.example/",
		role: "blog", links: linkHugo, zone: time.UTC, authors: []string{w.person()}}
	f := &feedDef{Feed: Feed{ID: "benchmark-blog", Name: b.name, Format: "rss", SiteURL: b.site}, blog: b}
	end := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	items := make([]*item, n)
	for i := range items {
		s := w.newScope(&v.topics[r.IntN(len(v.topics))])
		var body strings.Builder
		for body.Len() < bytesPerItem {
			if body.Len() > 0 {
				body.WriteByte('\n')
			}
			body.WriteString(block{"p", w.paragraph(s, w.between(2, 6))}.html())
		}
		title := fmt.Sprintf("%s (%d)", w.title(s), i+1)
		link := fmt.Sprintf("%sposts/%d-%s/", b.site, i+1, slug(title))
		items[i] = &item{guid: link, permaGUID: true, link: link, author: b.authors[0],
			published: end.Add(-time.Duration(i) * time.Hour), tags: []string{s.t.name},
			ver: [2]version{{title: title, content: body.String()}}}
	}
	return renderRSS(f, items, 0)
}
