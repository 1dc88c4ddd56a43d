package corpus

import (
	"fmt"
	"html"
	"slices"
	"strings"
	"time"
)

// item is one entry of one feed, in both rounds.
type item struct {
	lab       Item
	art       *article
	feed      *feedDef
	guid      string
	permaGUID bool // an RSS guid that is the permalink
	link      string
	origLink  string // feedburner:origLink
	author    string
	tags      []string
	published time.Time
	ver       [2]version
	hidden    [2]bool // kept out of a round whatever its date
}

// version is what an item shows in one round.
type version struct {
	title, content, summary string
	updated                 time.Time
}

func (g *gen) addItem(f *feedDef, it *item) {
	it.feed = f
	it.lab.Feed, it.lab.GUID, it.lab.Link = f.ID, it.guid, it.link
	it.lab.Article, it.lab.Published = it.art.id, it.published
	f.items = append(f.items, it)
	g.items = append(g.items, it)
}

// originalItems lists every article in its own blog's feeds.
func (g *gen) originalItems() {
	for _, a := range g.arts {
		b := a.blog
		for _, f := range b.feeds {
			it := &item{art: a, guid: a.guid, link: a.link, author: a.author, tags: a.tags,
				published: a.published, hidden: [2]bool{a.hidden1, false}}
			it.permaGUID = it.guid == a.link
			if f != b.feeds[0] {
				it.lab.Case = CaseRSSAtom
			}
			if f.Format == "atom" && f.tagIDs {
				it.guid = a.tagID
			}
			if b.feedburner {
				it.origLink = a.link
				it.link = fmt.Sprintf("https://feeds.feedburner.com/~r/%s/~3/%s/%s", strings.ReplaceAll(b.name, " ", ""),
					g.code(), slug(a.title))
			}
			it.ver[0] = g.ownVersion(a, f, a.title, a.blocks, a.published)
			it.ver[1] = it.ver[0]
			if a.rev != nil {
				it.ver[1] = g.ownVersion(a, f, a.rev.title, a.rev.blocks, a.rev.updated)
			}
			it.lab.Original, it.lab.Title = true, a.title
			switch {
			case it.lab.Case != "":
			case strings.HasPrefix(a.kase, "never:"):
				it.lab.Case = a.kase
			case b.feedburner:
				it.lab.Case = CaseOrigLink
			case b.excerptOnly:
				it.lab.Case, it.lab.Variant = CaseExcerpt, "excerpt-only-feed"
			default:
				it.lab.Case = CaseOriginal
			}
			g.addItem(f, it)
		}
	}
}

// code is a FeedBurner-style opaque path segment.
func (g *gen) code() string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	var b strings.Builder
	for range 11 {
		b.WriteByte(alphabet[g.r.IntN(len(alphabet))])
	}
	return b.String()
}

// ownVersion is how a blog's own feed f shows its article: the body, and
// whatever the blog's software adds to it.
func (g *gen) ownVersion(a *article, f *feedDef, title string, blocks []block, updated time.Time) version {
	b := a.blog
	v := version{title: title, updated: updated}
	if a.kind == kindTitleOnly {
		return v
	}
	body := blocksHTML(blocks)
	switch {
	case b.excerptOnly:
		more := g.v.readMore[0]
		v.summary = blocks[0].html() + "\n" + fmt.Sprintf(`<p><a href="%s">%s</a></p>`, a.link, more)
		return v
	case b.bio != "":
		body += "\n<div class=\"author-bio\">" + b.bio + "</div>\n" + shareFill(b.share, a.link, title)
	case b.feedburner:
		name := strings.ReplaceAll(b.name, " ", "")
		body += fmt.Sprintf("\n"+`<div class="feedflare"><a href="https://feeds.feedburner.com/~ff/%s?a=%s"><img src="https://feeds.feedburner.com/~ff/%s?d=yIl2AUoC8zA" border="0" /></a></div>`,
			name, g.code(), name)
		body += fmt.Sprintf(`<img src="https://feeds.feedburner.com/~r/%s/~4/%s" height="1" width="1" alt="" />`, name, g.code())
	case b.yoast && f.Format == "rss":
		body += fmt.Sprintf("\n"+`<p>The post <a rel="nofollow" href="%s">%s</a> appeared first on <a rel="nofollow" href="%s">%s</a>.</p>`,
			a.link, escapeText(title), b.site, escapeText(b.name))
	}
	v.content = body
	if b.wpExcerpt && f.Format == "rss" {
		v.summary = escapeText(firstWords(body, 55)) + " [&#8230;]"
	}
	return v
}

// copyItems publishes the planned copies.
func (g *gen) copyItems(plans []copyPlan) {
	for _, p := range plans {
		a, site := p.a, p.site
		f := site.feeds[0]
		it := &item{art: a, author: a.author, tags: a.tags, published: p.published}
		it.lab.Case = p.kase
		var body copyBody
		switch site.role {
		case "planet":
			g.planetItem(it, a)
			g.addItem(f, it)
			continue
		case "aggregator":
			it.link, body.variant = g.trackedLink(a)
			it.guid = fmt.Sprintf("tag:%s,2025:item-%d", site.host, g.next())
		case "digest":
			it.link = fmt.Sprintf("%spicks/%d/", site.site, 4000+g.next())
			it.guid, it.permaGUID = it.link, true
		default:
			it.link, it.guid, _ = g.permalink(site, a.title, p.published)
			it.permaGUID = it.guid == it.link
		}
		switch p.form {
		case "verbatim", "verbatim-share-only", CaseVerbatimFooter:
			body = g.verbatim(a, site, it.link, p.form == "verbatim-share-only")
		case CaseMarkup:
			body = g.markup(a, site, it.link)
		case CaseExcerpt:
			body = g.excerpt(a)
		case "full-copy":
			body = g.verbatim(a, site, it.link, false)
		case CaseRetitled:
			body = g.retitled(a, site, it.link)
		case CaseEditedVersion:
			body = g.editedVersion(a, site, it.link)
		case CaseTrackingLink:
			variant := body.variant
			body = g.aggregated(a)
			body.variant = variant + "+" + body.variant
		}
		it.lab.Variant = body.variant
		if p.form != p.kase {
			it.lab.Variant = p.form + ":" + body.variant
		}
		it.lab.Title = body.title
		it.ver[0] = version{title: body.title, content: body.content, updated: p.published}
		it.ver[1] = it.ver[0]
		g.addItem(f, it)
	}
}

// aggregated is what a link aggregator shows: a line of summary, nothing
// but the title, or the whole article.
func (g *gen) aggregated(a *article) copyBody {
	switch x := g.r.IntN(4); {
	case x < 2:
		s := g.w.newScope(a.blog.topics[0])
		line := strings.ReplaceAll(g.w.fill(g.w.pick(g.v.summaries), s), "{blog}", escapeText(a.blog.name))
		return copyBody{title: a.title, content: "<p>" + line + "</p>", variant: "summary"}
	case x == 2:
		return copyBody{title: a.title, variant: "title-only"}
	}
	return copyBody{title: a.title, content: a.html(), variant: "full"}
}

// planetItem is a planet's copy: the original's feed content, retitled
// "Blog: T", with the original's link, id and date, in both rounds.
func (g *gen) planetItem(it *item, a *article) {
	src := a.blog.feeds[0]
	var orig *item
	for _, o := range src.items {
		if o.art == a {
			orig = o
		}
	}
	it.link, it.guid = a.link, a.guid
	it.lab.Variant = "planet"
	it.lab.Title = strings.NewReplacer("{blog}", a.blog.name, "{t}", a.title).Replace(g.v.planetTitle)
	for r := range 2 {
		v := orig.ver[r]
		v.title = strings.NewReplacer("{blog}", a.blog.name, "{t}", v.title).Replace(g.v.planetTitle)
		if v.content == "" {
			v.content = v.summary
		}
		v.summary = ""
		it.ver[r] = v
	}
}

// windows decides which rounds list each item: round 1 everything
// published by then, round 2 the last 30 days or at least the ten newest.
func (g *gen) windows() {
	for _, b := range g.blogs {
		for _, f := range b.feeds {
			items := slices.Clone(f.items)
			slices.SortStableFunc(items, func(x, y *item) int { return y.published.Compare(x.published) })
			rank := 0
			for _, it := range items {
				it.lab.Rounds[0] = !it.published.After(g.t1) && !it.hidden[0]
				if it.published.After(g.t2) || it.hidden[1] {
					continue
				}
				it.lab.Rounds[1] = rank < 10 || !it.published.Before(g.t2.Add(-30*day))
				rank++
			}
		}
	}
}

// labels fills the corpus's ground truth.
func (g *gen) labels(c *Corpus) {
	for _, b := range g.blogs {
		for _, f := range b.feeds {
			c.Feeds = append(c.Feeds, f.Feed)
		}
	}
	for _, a := range g.arts {
		lab := Article{ID: a.id, Case: a.kase, Title: a.title, Link: a.link, Feed: a.blog.feeds[0].ID}
		if a.rev != nil {
			lab.Edit = &Edit{Title: a.rev.title, Marker: foldTypography(html.UnescapeString(a.rev.marker))}
		}
		c.Articles = append(c.Articles, lab)
	}
	for _, it := range g.items {
		if it.lab.Rounds[0] || it.lab.Rounds[1] {
			c.Items = append(c.Items, it.lab)
		}
	}
}

// foldTypography spells curly quotes, dashes and ellipses in ASCII, as
// feed/normalise folds text.
func foldTypography(s string) string {
	return strings.NewReplacer("“", `"`, "”", `"`, "‘", "'", "’", "'", "—", "-", "–", "-", "…", "...").Replace(s)
}
