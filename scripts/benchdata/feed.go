package benchdata

import (
	"bytes"
	"fmt"
	"time"
)

// Epoch is the publication date of the oldest generated item; item i of a
// store is published i minutes later.
var Epoch = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// FeedItem says which article item i of a feed carries: its seed, and the
// GUID and link it is published under.
func FeedItem(feedSeed uint64, i int) (seed uint64, guid, link string) {
	seed = feedSeed<<20 | uint64(i)
	return seed, fmt.Sprintf("https://blog%d.example/?p=%d", feedSeed, seed),
		fmt.Sprintf("https://blog%d.example/%d/post-%d/", feedSeed, 2024+i%3, seed)
}

// Feed returns an RSS 2.0 feed as WordPress writes it: items newest first,
// each with a GUID, a permalink, a date, an author, two categories, an
// excerpt in <description> and about bytesPerItem of HTML in a CDATA
// <content:encoded>. Every item of every feedSeed is a distinct article.
func Feed(feedSeed uint64, items, bytesPerItem int) []byte {
	return FeedRange(feedSeed, 0, items, bytesPerItem)
}

// FeedRange is Feed with items first … first+items-1 of the feed, item 0
// being the newest: FeedRange(s, 1, 9, n) is the feed FeedRange(s, 0, 10, n)
// was before its newest item was published.
func FeedRange(feedSeed uint64, first, items, bytesPerItem int) []byte {
	var b bytes.Buffer
	b.Grow(items * (bytesPerItem + 800))
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>Blog %[1]d</title>
<atom:link href="https://blog%[1]d.example/feed/" rel="self" type="application/rss+xml"/>
<link>https://blog%[1]d.example/</link>
<description>Notes from blog %[1]d</description>
<language>en-US</language>
`, feedSeed)
	for i := first; i < first+items; i++ {
		seed, guid, link := FeedItem(feedSeed, i)
		a := NewArticle(seed, bytesPerItem)
		pub := Epoch.Add(time.Duration(feedSeed%100000)*time.Hour - time.Duration(i)*time.Hour)
		fmt.Fprintf(&b, `<item>
<title>%s</title>
<link>%s</link>
<dc:creator><![CDATA[Author %d]]></dc:creator>
<pubDate>%s</pubDate>
<category><![CDATA[%s]]></category>
<category><![CDATA[%s]]></category>
<guid isPermaLink="false">%s</guid>
<description><![CDATA[%s]]></description>
<content:encoded><![CDATA[%s]]></content:encoded>
</item>
`, a.Title, link, seed%7, pub.Format(time.RFC1123Z), vocabulary[seed%40], vocabulary[40+seed%23], guid, a.Excerpt, a.HTML)
	}
	b.WriteString("</channel>\n</rss>\n")
	return b.Bytes()
}
