package corpus

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Kinds of original articles.
const (
	kindNormal    = "normal"
	kindShort     = "short"
	kindBoiler    = "boiler"
	kindTitleOnly = "title-only"
	kindGeneric   = "generic"
	kindSeries    = "series"
	kindPart1     = "part1"
	kindPart2     = "part2"
	kindSameTopic = "same-topic"
)

// article is one article as its original blog published it.
type article struct {
	id        string
	kase      string
	kind      string
	blog      *blog
	title     string
	link      string
	guid      string // RSS guid, JSON Feed id, Atom id unless tagIDs
	tagID     string
	published time.Time
	author    string
	tags      []string
	blocks    []block
	rev       *revision // the round-2 edit, if any
	hidden1   bool      // missing from its own feeds in round 1
	copies    []string  // copy kinds planned
	sites     []*blog   // where they go
	partOf    *article  // a Part 2's Part 1
	words     int       // of the body, counted when needed
}

// revision is an original as edited upstream before round 2.
type revision struct {
	title   string
	blocks  []block
	updated time.Time
	marker  string
}

func (a *article) html() string { return blocksHTML(a.blocks) }

func blocksHTML(bs []block) string {
	parts := make([]string, len(bs))
	for i, b := range bs {
		parts[i] = b.html()
	}
	return strings.Join(parts, "\n")
}

func (a *article) paragraphs() int {
	n := 0
	for _, b := range a.blocks {
		if b.tag == "p" {
			n++
		}
	}
	return n
}

// newArticle registers an article of b published at t and gives it its
// permalink and GUID.
func (g *gen) newArticle(b *blog, kind, title string, t time.Time) *article {
	a := &article{id: fmt.Sprintf("a%04d", len(g.arts)+1), kase: CaseOriginal, kind: kind, blog: b,
		title: title, published: t, author: b.authors[g.r.IntN(len(b.authors))]}
	a.link, a.guid, a.tagID = g.permalink(b, title, t)
	switch kind {
	case kindSeries:
		a.kase = NeverSeries
	case kindGeneric:
		a.kase = NeverGenericTitle
	case kindPart1, kindPart2:
		a.kase = NeverPart2
	case kindSameTopic:
		a.kase = NeverSameTopic
	case kindTitleOnly:
		a.kase = NeverTitleOnly
	case kindBoiler:
		a.kase = NeverBoilerplate
	}
	if b.links == linkPostN {
		a.kase = NeverGUIDCollision
	}
	g.arts = append(g.arts, a)
	return a
}

// permalink spells a post's link and GUID the way its site does.
func (g *gen) permalink(b *blog, title string, t time.Time) (link, guid, tagID string) {
	lt := t.In(b.zone)
	s := slug(title)
	if s == "" {
		s = fmt.Sprint(g.next())
	}
	// Sites keep permalinks distinct: a second "Open Thread" becomes
	// open-thread-2 (open-thread_2 on Blogger).
	if b.slugs == nil {
		b.slugs = map[string]int{}
	}
	b.slugs[s]++
	if n := b.slugs[s]; n > 1 {
		sep := "-"
		if b.links == linkBlogger {
			sep = "_"
		}
		s = fmt.Sprintf("%s%s%d", s, sep, n)
	}
	switch b.links {
	case linkWordPress:
		b.posts += g.between(1, 9)
		link = fmt.Sprintf("%s%s/%s/", b.site, lt.Format("2006/01/02"), s)
		guid = fmt.Sprintf("%s?p=%d", b.site, b.posts)
	case linkBlogger:
		link = fmt.Sprintf("%s%s/%s.html", b.site, lt.Format("2006/01"), s)
		guid = fmt.Sprintf("tag:blogger.com,1999:blog-%d.post-%d", b.blogID, g.r.Int64N(1e18))
	case linkPostN:
		b.posts++
		link = fmt.Sprintf("%snotes/%d/", b.site, b.posts)
		guid = fmt.Sprintf("post-%d", b.posts)
	default:
		link = fmt.Sprintf("%sposts/%s/", b.site, s)
		guid = link
	}
	tagID = fmt.Sprintf("tag:%s,%s:/posts/%s/", b.host, lt.Format("2006-01-02"), s)
	return link, guid, tagID
}

// originals writes every blog's own articles.
func (g *gen) originals() {
	personal := g.role("blog")
	for i, b := range personal {
		if b.links == linkPostN {
			b.posts = 0 // both blogs count from post-1: their GUIDs collide
		}
		var kinds []string
		n := 32
		switch i {
		case blogFeedBurner:
			n = 30
		case blogExcerptOnly:
			n = 22
		case blogPostN0, blogPostN1:
			n = 22
		case blogBoiler0, blogBoiler1:
			kinds = repeat(kindBoiler, 21)
		case blogLinklog0:
			kinds = append(repeat(kindTitleOnly, 10), repeat(kindNormal, 20)...)
		case blogLinklog1:
			kinds = append(repeat(kindTitleOnly, 8), repeat(kindNormal, 22)...)
		case blogDormant:
			kinds = repeat(kindNormal, 8)
		}
		if kinds == nil {
			kinds = repeat(kindNormal, n)
		}
		for k := range kinds {
			if kinds[k] == kindNormal && g.chance(0.13) {
				kinds[k] = kindShort
			}
		}
		switch i {
		case blogPlain0, blogPlain1, blogPlain2, blogPlain3, blogYoast, blogRSSAtom1:
			kinds = append(kinds, repeat(kindGeneric, 3)...)
		}
		switch i {
		case blogPlain0, blogPlain1, blogPlain2, blogPlain3, blogPlain4, blogRSSAtom0, blogRSSAtom2, blogYoast:
			kinds = append(kinds, kindPart1, kindPart2)
		}
		to := g.t2.Add(-2 * time.Hour)
		if i == blogDormant {
			// Nothing new since before round 1 and few enough items to
			// stay in the window: its feed is answered 304 in round 2.
			to = g.start.Add(15 * day)
		}
		g.blogArticles(b, kinds, g.start, to)
	}
	for _, b := range g.role("group") {
		kinds := append(repeat(kindNormal, 16), kindGeneric, kindGeneric)
		g.blogArticles(b, kinds, g.start, g.t2.Add(-2*time.Hour))
	}
	news := g.role("news")
	for _, b := range news {
		g.blogArticles(b, repeat(kindNormal, 11), g.start, g.t2.Add(-2*time.Hour))
	}
	for i, def := range g.v.series {
		g.series(news[i], def)
	}
	g.sameTopic(news, personal[blogPlain4])
}

func repeat(kind string, n int) []string { return slices.Repeat([]string{kind}, n) }

// blogArticles writes a blog's articles of the given kinds at random times
// in [from, to), a Part 1 always before its Part 2.
func (g *gen) blogArticles(b *blog, kinds []string, from, to time.Time) {
	g.r.Shuffle(len(kinds), func(i, j int) { kinds[i], kinds[j] = kinds[j], kinds[i] })
	p1, p2 := slices.Index(kinds, kindPart1), slices.Index(kinds, kindPart2)
	if p1 > p2 {
		kinds[p1], kinds[p2] = kinds[p2], kinds[p1]
	}
	times := make([]time.Time, len(kinds))
	for i := range times {
		times[i] = g.within(from, to)
	}
	slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
	generic := g.v.generic[g.r.IntN(len(g.v.generic))]
	var part1 *article
	for i, kind := range kinds {
		t := times[i]
		topic := b.topics[g.r.IntN(len(b.topics))]
		s := g.w.newScope(topic)
		switch kind {
		case kindNormal, kindShort, kindBoiler:
			a := g.newArticle(b, kind, g.uniqueTitle(func() string { return g.w.title(s) }), t)
			words := g.w.articleLength()
			if kind != kindNormal {
				words = g.between(40, 80)
			}
			a.blocks = g.w.body(s, words)
			a.tags = []string{topic.name}
		case kindTitleOnly:
			title := g.uniqueTitle(func() string { return g.w.title(s) })
			if b == g.role("blog")[blogLinklog1] && g.chance(0.6) {
				title = g.sharedTitleOnly(i)
			}
			g.newArticle(b, kind, title, t)
		case kindGeneric:
			g.generic(b, generic, t, s)
		case kindPart1:
			title := g.uniqueTitle(func() string { return g.w.title(s) })
			part1 = g.newArticle(b, kind, strings.ReplaceAll(g.v.partTitles[0], "{t}", title), t)
			part1.blocks = g.w.body(s, g.between(250, 700))
			part1.tags = []string{topic.name}
			part1.partOf = &article{title: title}
		case kindPart2:
			p2 := g.newArticle(b, kind, strings.ReplaceAll(g.v.partTitles[1], "{t}", part1.partOf.title), t)
			p2.partOf = part1
			p2.tags = part1.tags
			quote := block{"blockquote", part1.blocks[0].html()}
			p2.blocks = append([]block{{"p", g.v.part2Intro}, quote}, g.w.body(s, g.between(200, 600))...)
		}
	}
}

// sharedTitleOnly returns a title-only headline that the first linklog
// uses too, so that two blogs publish items with the same title and no text.
func (g *gen) sharedTitleOnly(i int) string {
	b := g.role("blog")[blogLinklog0]
	var titles []string
	for _, a := range g.arts {
		if a.blog == b && a.kind == kindTitleOnly {
			titles = append(titles, a.title)
		}
	}
	return titles[i%len(titles)]
}

// generic writes a post under a title many blogs use. Its body is one of
// the short lines any blog might post, or the blog's own recurring wording:
// a sentence it always opens with and a template with new details.
func (g *gen) generic(b *blog, title string, t time.Time, s *scope) {
	a := g.newArticle(b, kindGeneric, title, t)
	if b.habit == "" {
		b.habit = g.w.sentence(s) + " " + g.v.genericLong[g.r.IntN(len(g.v.genericLong))]
	}
	var body string
	if g.chance(0.4) {
		body = g.v.genericShort[g.r.IntN(len(g.v.genericShort))]
	} else {
		body = g.w.fill(b.habit, s)
	}
	a.blocks = []block{{"p", body}}
}

// series writes eight weekly issues of a recurring post: the same title
// template, intro and sign-off around different links.
func (g *gen) series(b *blog, def seriesDef) {
	first := g.between(20, 60)
	at := g.start.Add(time.Duration(g.between(0, 6))*day + 14*time.Hour)
	for k := 0; at.Before(g.t2.Add(-2 * time.Hour)); k++ {
		a := g.newArticle(b, kindSeries, fmt.Sprintf(def.title, first+k), at)
		var li []string
		for range g.between(6, 10) {
			s := g.w.newScope(&g.v.topics[g.r.IntN(len(g.v.topics))])
			href := fmt.Sprintf("https://%s/%s/", g.w.pick(g.w.hosts), slug(g.w.title(s)))
			li = append(li, fmt.Sprintf(`<li><a href="%s">%s</a> — %s</li>`, href, g.w.title(s), g.w.sentence(s)))
		}
		a.blocks = []block{{"p", def.intro}, {"ul", strings.Join(li, "")}, {"p", def.outro}}
		a.tags = []string{"Roundup"}
		at = at.Add(7 * day)
	}
}

// sameTopic writes up fifteen events, each by two or three outlets: the
// same people, places, figures and one shared quotation, in different
// articles.
func (g *gen) sameTopic(news []*blog, extra *blog) {
	outlets := append(append([]*blog{}, news...), extra)
	for range 15 {
		topic := &g.v.topics[g.r.IntN(len(g.v.topics))]
		s := g.w.newScope(topic)
		s.focus = 0.8
		quote := g.w.fill(g.v.quotes[g.r.IntN(len(g.v.quotes))], s)
		at := g.within(g.start.Add(day), g.t2.Add(-day))
		perm := g.r.Perm(len(outlets))
		for _, i := range perm[:g.between(2, 3)] {
			b := outlets[i]
			a := g.newArticle(b, kindSameTopic, g.uniqueTitle(func() string { return g.w.title(s) }),
				at.Add(time.Duration(g.r.IntN(8*60))*time.Minute))
			a.blocks = g.w.body(s, g.between(150, 450))
			pos := 1 + g.r.IntN(len(a.blocks))
			a.blocks = slices.Insert(a.blocks, min(pos, len(a.blocks)), block{"p", capitalise(quote)})
			a.tags = []string{topic.name}
		}
	}
}
