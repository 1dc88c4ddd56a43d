package corpus

import (
	"fmt"
	"math/rand/v2"
	"time"
)

const day = 24 * time.Hour

// gen holds a corpus while it is generated.
type gen struct {
	r      *rand.Rand
	w      *writer
	v      *vocab
	style  int
	start  time.Time // oldest publication
	t1, t2 time.Time // round times
	blogs  []*blog
	arts   []*article
	items  []*item
	titles map[string]bool
	// counters give copies and GUIDs distinct numbers.
	seq int
}

// linkStyle is how a site spells permalinks and GUIDs.
type linkStyle int

const (
	linkWordPress linkStyle = iota // /2025/04/07/slug/, guid https://host/?p=N
	linkBlogger                    // /2025/04/slug.html, guid tag:blogger.com,…
	linkHugo                       // /posts/slug/, guid = link
	linkPostN                      // /notes/N/, guid post-N
)

// blog is one site and its subscriptions.
type blog struct {
	name, host, site string
	role             string
	links            linkStyle
	feeds            []*feedDef
	zone             *time.Location
	authors          []string
	topics           []*topic
	// what the blog's own feed does to its posts
	excerptOnly bool // only an excerpt, "Read more »"
	feedburner  bool // proxied: proxy links, origLink, beacon, flare
	yoast       bool // "The post … appeared first on …" in its RSS
	wpExcerpt   bool // RSS description is a 55-word excerpt
	bio, share  string
	planetFeed  bool // the planet aggregates it
	posts       int  // post numbers
	blogID      int
	slugs       map[string]int // permalink slugs used so far
	// habit is the sentence this blog opens its recurring posts with.
	habit string
}

// feedDef is one subscription of a blog and the items it lists.
type feedDef struct {
	Feed
	blog *blog
	// tagIDs makes Atom ids tag: URIs rather than the RSS guid.
	tagIDs bool
	items  []*item
}

// Generate writes a corpus, deterministically from seed: the same seed and
// options give the same bytes.
func Generate(seed int64, opts Options) *Corpus {
	now := opts.Now
	if now.IsZero() {
		now = time.Date(2025, 6, 2, 9, 0, 0, 0, time.UTC)
	}
	now = now.UTC()
	r := rand.New(rand.NewPCG(uint64(seed), uint64(seed)*0x9e3779b97f4a7c15+uint64(opts.Style)))
	v := vocabFor(opts.Style)
	g := &gen{r: r, v: v, style: opts.Style, t2: now, t1: now.Add(-16 * day), start: now.Add(-60 * day),
		titles: map[string]bool{}}
	g.w = &writer{r: r, v: v}
	g.setupSites()
	g.originals()
	plans := g.planCopies()
	g.planEdits()
	g.originalItems()
	g.copyItems(plans)
	g.windows()
	c := &Corpus{Seed: seed, Style: opts.Style, Times: [2]time.Time{g.t1, g.t2}}
	g.labels(c)
	g.render(c)
	return c
}

// Roles of the personal blogs, by index in the shuffled name list.
const (
	blogRSSAtom0 = iota
	blogRSSAtom1
	blogRSSAtom2
	blogFeedBurner
	blogExcerptOnly
	blogPostN0
	blogPostN1
	blogBoiler0
	blogBoiler1
	blogLinklog0
	blogLinklog1
	blogYoast
	blogPlain0
	blogPlain1
	blogPlain2
	blogPlain3
	blogPlain4
	blogDormant
	personalBlogs
)

// setupSites creates every site and its subscriptions.
func (g *gen) setupSites() {
	names := append([]string{}, g.v.blogs...)
	g.r.Shuffle(len(names), func(i, j int) { names[i], names[j] = names[j], names[i] })
	zones := []*time.Location{time.UTC, time.FixedZone("EST", -5*3600), time.FixedZone("CET", 3600),
		time.FixedZone("PDT", -7*3600), time.FixedZone("AEST", 10*3600)}
	newBlog := func(name, role string, links linkStyle) *blog {
		b := &blog{name: name, host: host(name), role: role, links: links,
			zone: zones[g.r.IntN(len(zones))], blogID: 1000000 + g.r.IntN(9000000), posts: g.between(100, 4000)}
		b.site = "https://" + b.host + "/"
		for range g.between(1, 2) {
			b.authors = append(b.authors, g.w.person())
		}
		perm := g.r.Perm(len(g.v.topics))
		for _, i := range perm[:2] {
			b.topics = append(b.topics, &g.v.topics[i])
		}
		g.blogs = append(g.blogs, b)
		return b
	}
	for i := range personalBlogs {
		links := []linkStyle{linkWordPress, linkBlogger, linkHugo}[g.r.IntN(3)]
		b := newBlog(names[i], "blog", links)
		format := []string{"rss", "rss", "atom", "json"}[g.r.IntN(4)]
		switch i {
		case blogRSSAtom0, blogRSSAtom1, blogRSSAtom2:
			b.links = []linkStyle{linkWordPress, linkBlogger, linkHugo}[i]
			b.wpExcerpt = b.links == linkWordPress
			g.addFeed(b, "rss", "")
			g.addFeed(b, "atom", " (Atom)").tagIDs = b.links == linkHugo
			b.planetFeed = i == blogRSSAtom0
			continue
		case blogFeedBurner:
			b.links, b.feedburner, b.planetFeed, format = linkWordPress, true, true, "rss"
		case blogExcerptOnly:
			b.excerptOnly, b.planetFeed, format = true, true, "rss"
		case blogPostN0:
			b.links, format = linkPostN, "rss"
		case blogPostN1:
			b.links, format = linkPostN, "json"
		case blogBoiler0, blogBoiler1:
			b.links = linkWordPress
			format = []string{"rss", "atom"}[i-blogBoiler0]
			b.bio = g.w.fill(g.v.bio[i-blogBoiler0], &scope{t: b.topics[0], cast: b.authors[:1], places: b.topics[0].places[:1], focus: 1})
			b.share = g.v.shareBlocks[i-blogBoiler0].html
		case blogLinklog0:
			format = "rss"
		case blogLinklog1:
			format = "atom"
		case blogYoast:
			b.links, b.yoast, b.wpExcerpt, format = linkWordPress, true, true, "rss"
		case blogPlain0:
			b.planetFeed = true
			format = "json"
		case blogDormant:
			format = "rss"
		}
		if format == "rss" && b.links == linkWordPress {
			b.wpExcerpt = b.wpExcerpt || g.chance(0.5)
		}
		g.addFeed(b, format, "")
	}
	for _, name := range g.v.groups {
		b := newBlog(name, "group", []linkStyle{linkWordPress, linkHugo}[g.r.IntN(2)])
		b.authors = append(b.authors, g.w.person(), g.w.person())
		g.addFeed(b, []string{"rss", "atom"}[g.r.IntN(2)], "")
	}
	for _, name := range g.v.news {
		b := newBlog(name, "news", linkHugo)
		b.authors = append(b.authors, g.w.person(), g.w.person())
		g.addFeed(b, []string{"rss", "atom", "rss"}[g.r.IntN(3)], "")
	}
	g.addFeed(newBlog(g.v.planet, "planet", linkHugo), "atom", "")
	g.addFeed(newBlog(g.v.digest, "digest", linkHugo), "rss", "")
	g.addFeed(newBlog(g.v.aggregator, "aggregator", linkHugo), "json", "")
	g.addFeed(newBlog(g.v.syndication, "syndication", linkWordPress), "rss", "")
	hosts := make([]string, len(g.blogs))
	for i, b := range g.blogs {
		hosts[i] = b.host
	}
	g.w.hosts = hosts
}

func (g *gen) addFeed(b *blog, format, suffix string) *feedDef {
	name := b.name + suffix
	id := slug(name)
	path := "/" + id + map[string]string{"rss": "/feed.xml", "atom": "/atom.xml", "json": "/feed.json"}[format]
	f := &feedDef{Feed: Feed{ID: id, Name: name, Path: path, Format: format, SiteURL: b.site, Role: b.role}, blog: b}
	b.feeds = append(b.feeds, f)
	return f
}

// the sites of one role, in creation order.
func (g *gen) role(role string) []*blog {
	var out []*blog
	for _, b := range g.blogs {
		if b.role == role {
			out = append(out, b)
		}
	}
	return out
}

func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

func (g *gen) between(lo, hi int) int { return lo + g.r.IntN(hi-lo+1) }

// within returns a time in [from, to).
func (g *gen) within(from, to time.Time) time.Time {
	d := to.Sub(from)
	if d <= 0 {
		return from
	}
	t := from.Add(time.Duration(g.r.Int64N(int64(d))))
	return t.Truncate(time.Minute)
}

// next returns a fresh number for ids.
func (g *gen) next() int {
	g.seq++
	return g.seq
}

// uniqueTitle draws titles until one is new to the corpus.
func (g *gen) uniqueTitle(draw func() string) string {
	for range 50 {
		t := draw()
		if !g.titles[t] {
			g.titles[t] = true
			return t
		}
	}
	t := fmt.Sprintf("%s (%d)", draw(), g.next())
	g.titles[t] = true
	return t
}
