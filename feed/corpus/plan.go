package corpus

import (
	"slices"
	"strings"
	"time"
)

// copyPlan is one copy of an article to publish on another site.
type copyPlan struct {
	a    *article
	kase string
	// form is the transformation a late or early copy takes: "verbatim",
	// "markup" or "retitled"; the copy's own case otherwise.
	form      string
	site      *blog
	published time.Time
}

// quota is how many articles get a copy of one case.
type quota struct {
	kase string
	n    int
}

// planCopies decides which articles are copied where, and when.
func (g *gen) planCopies() []copyPlan {
	personal := g.role("blog")
	var pool []*article
	for _, a := range g.arts {
		b := a.blog
		switch {
		case a.kind != kindNormal && a.kind != kindShort:
		case b.role == "group":
			pool = append(pool, a)
		case b.role != "blog", b.excerptOnly, b.links == linkPostN:
		default:
			pool = append(pool, a)
		}
	}
	g.r.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
	groups := g.role("group")
	synd := g.role("syndication")[0]
	var plans []copyPlan
	add := func(a *article, kase, form string, site *blog, at time.Time) {
		a.copies = append(a.copies, kase)
		a.sites = append(a.sites, site)
		if a.kase == CaseOriginal {
			a.kase = kase
		}
		plans = append(plans, copyPlan{a: a, kase: kase, form: form, site: site, published: at})
	}
	// A site republishes an article once, and never its own.
	otherGroup := func(a *article) *blog {
		for {
			if s := groups[g.r.IntN(len(groups))]; s != a.blog && !slices.Contains(a.sites, s) {
				return s
			}
		}
	}
	orGroup := func(a *article, s *blog) *blog {
		if slices.Contains(a.sites, s) {
			return otherGroup(a)
		}
		return s
	}
	soon := func(a *article) time.Time {
		return minTime(a.published.Add(time.Duration(g.between(20, 72*60))*time.Minute), g.t2.Add(-time.Hour))
	}
	quotas := []quota{{CaseEarlyCopy, 22}, {CaseLateCopy, 30}, {CaseExcerpt, 35}, {CaseEditedVersion, 35},
		{CaseMarkup, 40}, {CaseRetitled, 35}, {CaseVerbatimFooter, 45}, {CaseTrackingLink, 30}}
	for _, q := range quotas {
		n := 0
		for _, a := range pool {
			if n == q.n {
				break
			}
			if !g.fits(a, q.kase) {
				continue
			}
			n++
			switch q.kase {
			case CaseEarlyCopy:
				a.hidden1 = true
				form := "verbatim"
				if g.chance(0.3) {
					form = "verbatim-share-only"
				}
				add(a, q.kase, form, otherGroup(a), a.published.Add(time.Duration(g.between(60, 600))*time.Minute))
			case CaseLateCopy:
				form := []string{"verbatim", "verbatim", "markup", "retitled"}[g.r.IntN(4)]
				site := otherGroup(a)
				if form == "markup" {
					site = orGroup(a, synd)
				}
				add(a, q.kase, form, site, g.within(g.t1.Add(12*time.Hour), g.t2.Add(-2*time.Hour)))
			case CaseExcerpt:
				add(a, q.kase, q.kase, g.role("digest")[0], soon(a))
			case CaseEditedVersion:
				site := otherGroup(a)
				if g.chance(0.4) {
					site = orGroup(a, synd)
				}
				add(a, q.kase, q.kase, site, soon(a))
			case CaseMarkup:
				site := orGroup(a, synd)
				if g.chance(0.3) {
					site = otherGroup(a)
				}
				add(a, q.kase, q.kase, site, soon(a))
			case CaseTrackingLink:
				add(a, q.kase, q.kase, g.role("aggregator")[0], soon(a))
			default:
				add(a, q.kase, q.kase, otherGroup(a), soon(a))
			}
		}
	}
	// The excerpt-only blog's articles appear in full on group blogs.
	n := 0
	for _, a := range g.arts {
		if a.blog == personal[blogExcerptOnly] && n < 12 && g.chance(0.7) {
			n++
			add(a, CaseExcerpt, "full-copy", otherGroup(a), soon(a))
		}
	}
	// Digests excerpt some Part 1s: the excerpt is the paragraph the Part
	// 2 quotes.
	n = 0
	for _, a := range g.arts {
		if a.kind == kindPart1 && n < 3 {
			n++
			add(a, CaseExcerpt, CaseExcerpt, g.role("digest")[0], soon(a))
		}
	}
	// Planets carry every recent post of the blogs they aggregate,
	// retitled, with the original's link and date.
	planet := g.role("planet")[0]
	for _, a := range g.arts {
		if a.blog.planetFeed && a.kind != kindTitleOnly && a.published.After(g.t2.Add(-40*day)) {
			plans = append(plans, copyPlan{a: a, kase: CaseRetitled, form: "planet", site: planet, published: a.published})
		}
	}
	return plans
}

// fits reports whether article a can take a copy of case kase.
func (g *gen) fits(a *article, kase string) bool {
	if len(a.copies) >= 2 || slices.Contains(a.copies, kase) ||
		kase == CaseExcerpt && slices.Contains(a.sites, g.role("digest")[0]) {
		return false
	}
	if a.words == 0 {
		a.words = wordCount(a.html())
	}
	words := a.words
	personal := a.blog.role == "blog"
	switch kase {
	case CaseEarlyCopy:
		return personal && len(a.copies) == 0 && !a.published.Before(g.t2.Add(-28*day)) && a.published.Before(g.t1.Add(-day))
	case CaseLateCopy:
		return personal && !a.hidden1 && !a.published.Before(g.t1.Add(-20*day)) && a.published.Before(g.t1.Add(-day))
	case CaseExcerpt:
		return words >= 150 && a.blocks[0].tag == "p"
	case CaseEditedVersion:
		return a.paragraphs() >= 3
	}
	return true
}

// planEdits picks the originals that round 2 republishes edited under the
// same GUID: a new title and one paragraph rewritten.
func (g *gen) planEdits() {
	var cands []*article
	for _, a := range g.arts {
		if a.kind == kindNormal && !a.hidden1 && !a.blog.excerptOnly && a.paragraphs() >= 3 &&
			(a.blog.role == "blog" || a.blog.role == "group") &&
			!a.published.Before(g.t2.Add(-28*day)) && a.published.Before(g.t1.Add(-day)) {
			cands = append(cands, a)
		}
	}
	g.r.Shuffle(len(cands), func(i, j int) { cands[i], cands[j] = cands[j], cands[i] })
	for _, a := range cands[:min(24, len(cands))] {
		s := g.w.newScope(a.blog.topics[0])
		rev := &revision{
			title:   strings.ReplaceAll(g.v.editTitles[g.r.IntN(len(g.v.editTitles))], "{t}", a.title),
			blocks:  slices.Clone(a.blocks),
			updated: g.within(g.t1.Add(day), g.t2.Add(-time.Hour)),
		}
		rev.marker = capitalise(g.w.fill(g.v.editMarkers[g.r.IntN(len(g.v.editMarkers))], s))
		// Rewrite a paragraph other than the first, which excerpts quote.
		var ps []int
		for i, b := range rev.blocks {
			if i > 0 && b.tag == "p" {
				ps = append(ps, i)
			}
		}
		i := ps[g.r.IntN(len(ps))]
		rev.blocks[i] = block{"p", g.w.paragraph(s, g.between(1, 3)) + " " + rev.marker}
		a.rev = rev
	}
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
