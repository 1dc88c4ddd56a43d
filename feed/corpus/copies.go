package corpus

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// copyBody is what a republishing site shows of an article.
type copyBody struct {
	title, content string
	variant        string
}

// footerFill fills a footer or title template for article a republished
// on site.
func footerFill(tmpl string, a *article, site *blog) string {
	return strings.NewReplacer(
		"{blog}", escapeText(a.blog.name),
		"{site}", a.blog.site,
		"{link}", a.link,
		"{t}", escapeText(a.title),
		"{author}", escapeText(a.author),
		"{group}", escapeText(site.name),
	).Replace(tmpl)
}

// shareFill fills a share block for a post at link titled title.
func shareFill(tmpl, link, title string) string {
	return strings.NewReplacer(
		"{link}", link,
		"{enc}", url.QueryEscape(link),
		"{enct}", url.QueryEscape(title),
	).Replace(tmpl)
}

// footers appends the cross-post and share boilerplate of a verbatim
// copy. attribution and share say which to add; at least one is.
func (g *gen) footers(body string, a *article, site *blog, ownLink string, attribution, share bool) (string, string) {
	var names []string
	if attribution {
		notes := append(slices.Clone(g.v.crossFooters), g.v.topNotes...)
		f := notes[g.r.IntN(len(notes))]
		names = append(names, f.name)
		if strings.HasPrefix(f.name, "note-") || f.name == "editors-note" {
			body = footerFill(f.html, a, site) + "\n" + body
		} else {
			body += "\n" + footerFill(f.html, a, site)
		}
	}
	if share {
		f := g.v.shareBlocks[g.r.IntN(len(g.v.shareBlocks))]
		names = append(names, f.name)
		body += "\n" + shareFill(f.html, ownLink, a.title)
	}
	return body, strings.Join(names, "+")
}

// verbatim is the article's HTML as published, plus boilerplate.
func (g *gen) verbatim(a *article, site *blog, ownLink string, shareOnly bool) copyBody {
	attribution := !shareOnly
	share := shareOnly || g.chance(0.45)
	content, names := g.footers(a.html(), a, site, ownLink, attribution, share)
	return copyBody{title: a.title, content: content, variant: names}
}

// markup is the same text in other HTML: two or more of line breaks for
// paragraphs, straight quotes, numeric entities, wrapper divs, an image on
// top, a tracking pixel, non-breaking spaces.
func (g *gen) markup(a *article, site *blog, ownLink string) copyBody {
	all := []string{"br", "straight-quotes", "entities", "wrappers", "image-top", "pixel", "nbsp"}
	var use []string
	for len(use) < 2 {
		use = use[:0]
		for _, m := range all {
			if g.chance(0.4) {
				use = append(use, m)
			}
		}
	}
	has := func(m string) bool { return slices.Contains(use, m) }
	var parts []string
	var run []string
	flush := func() {
		if len(run) > 0 {
			parts = append(parts, "<div>"+strings.Join(run, "<br />\n<br />\n")+"</div>")
			run = nil
		}
	}
	for _, b := range a.blocks {
		if has("br") && b.tag == "p" {
			run = append(run, b.inner)
			continue
		}
		flush()
		parts = append(parts, b.html())
	}
	flush()
	body := strings.Join(parts, "\n")
	if has("straight-quotes") {
		body = strings.NewReplacer("“", `"`, "”", `"`, "‘", "'", "’", "'").Replace(body)
	}
	if has("entities") {
		body = strings.NewReplacer("“", "&#8220;", "”", "&#8221;", "‘", "&#8216;", "’", "&#8217;",
			"—", "&#8212;", "–", "&#8211;", "…", "&#8230;").Replace(body)
	}
	if has("nbsp") {
		body = strings.ReplaceAll(body, ". ", ".&nbsp; ")
	}
	if has("image-top") {
		src := fmt.Sprintf("https://%s/wp-content/uploads/%s/%s-%d.jpg", site.host,
			a.published.Format("2006/01"), slug(a.title), g.between(1, 9))
		img := fmt.Sprintf(`<img src="%s" alt="%s" width="1024" height="683" />`, src, escapeText(a.title))
		if g.chance(0.3) {
			caption := g.w.fill(g.w.pick(g.v.captions), g.w.newScope(a.blog.topics[0]))
			body = "<figure>" + img + "<figcaption>" + caption + "</figcaption></figure>\n" + body
			use[slices.Index(use, "image-top")] = "image-caption"
		} else {
			body = "<p>" + img + "</p>\n" + body
		}
	}
	if has("wrappers") {
		body = `<div class="entry-content"><div class="post-inner">` + "\n" + body + "\n</div></div>"
	}
	if has("pixel") {
		body += fmt.Sprintf("\n"+`<img src="https://pixel.wp.com/b.gif?host=%s&amp;blog=%d&amp;post=%d&amp;feed=1" alt="" width="1" height="1" />`,
			site.host, site.blogID, g.between(1000, 9999))
	}
	variant := strings.Join(use, "+")
	if g.chance(0.4) {
		var names string
		body, names = g.footers(body, a, site, ownLink, true, g.chance(0.3))
		variant += "+" + names
	}
	return copyBody{title: a.title, content: body, variant: variant}
}

// excerpt is the first paragraph, or the first words, and a link to the
// rest.
func (g *gen) excerpt(a *article) copyBody {
	more := g.w.pick(g.v.readMore)
	link := fmt.Sprintf(`<a href="%s">%s</a>`, a.link, more)
	if g.chance(0.5) {
		return copyBody{title: a.title, variant: "first-paragraph",
			content: a.blocks[0].html() + "\n<p>" + link + "</p>"}
	}
	n := g.between(25, 60)
	return copyBody{title: a.title, variant: fmt.Sprintf("first-%d-words", n),
		content: "<p>" + escapeText(firstWords(a.html(), n)) + g.v.ellipsis + " " + link + "</p>"}
}

// retitled is a verbatim copy under a title that names the cross-post or
// the site.
func (g *gen) retitled(a *article, site *blog, ownLink string) copyBody {
	f := g.v.retitles[g.r.IntN(len(g.v.retitles))]
	title := strings.NewReplacer("{t}", a.title, "{group}", site.name).Replace(f.html)
	body := a.html()
	variant := f.name
	if g.chance(0.7) {
		var names string
		body, names = g.footers(body, a, site, ownLink, true, g.chance(0.3))
		variant += "+" + names
	}
	return copyBody{title: title, content: body, variant: variant}
}

// editedVersion is an older or slightly edited version: a paragraph
// dropped or added, or a few words changed.
func (g *gen) editedVersion(a *article, site *blog, ownLink string) copyBody {
	bs := slices.Clone(a.blocks)
	var variant string
	var ps []int
	for i, b := range bs {
		if i > 0 && b.tag == "p" {
			ps = append(ps, i)
		}
	}
	s := g.w.newScope(a.blog.topics[0])
	switch x := g.r.IntN(3); {
	case x == 0 && len(ps) >= 3:
		i := ps[g.r.IntN(len(ps))]
		bs = slices.Delete(bs, i, i+1)
		variant = "paragraph-dropped"
	case x == 1:
		i := 1 + g.r.IntN(len(bs))
		bs = slices.Insert(bs, min(i, len(bs)), block{"p", g.w.paragraph(s, g.between(2, 4))})
		variant = "paragraph-added"
	default:
		n := g.between(3, 6)
		for range n {
			i := ps[g.r.IntN(len(ps))]
			bs[i].inner = g.changeWord(bs[i].inner, s)
		}
		variant = fmt.Sprintf("%d-words-changed", n)
	}
	title := a.title
	if g.chance(0.2) {
		title = g.changeWord(title, s)
		variant += "+title-word"
	}
	body := blocksHTML(bs)
	if g.chance(0.5) {
		var names string
		body, names = g.footers(body, a, site, ownLink, true, false)
		variant += "+" + names
	}
	return copyBody{title: title, content: body, variant: variant}
}

// changeWord replaces one adjective of a text by another, or failing that
// one plain lowercase word.
func (g *gen) changeWord(s string, sc *scope) string {
	words := strings.Split(s, " ")
	adjs := append(slices.Clone(sc.t.adjs), g.v.adjs...)
	var cands, plainWords []int
	for i, w := range words {
		if slices.Contains(adjs, w) {
			cands = append(cands, i)
		}
		if w != "" && strings.Trim(w, "abcdefghijklmnopqrstuvwxyz") == "" && len(w) > 3 {
			plainWords = append(plainWords, i)
		}
	}
	if len(cands) == 0 {
		cands = plainWords
	}
	if len(cands) == 0 {
		return s
	}
	i := cands[g.r.IntN(len(cands))]
	for range 8 {
		if w := adjs[g.r.IntN(len(adjs))]; w != words[i] {
			words[i] = w
			break
		}
	}
	return strings.Join(words, " ")
}

// trackedLink is the original's link as a link aggregator spells it:
// analytics parameters, and sometimes another scheme, a missing trailing
// slash or a fragment.
func (g *gen) trackedLink(a *article) (string, string) {
	u, _ := url.Parse(a.link)
	var names []string
	q := u.Query()
	q.Set("utm_source", g.w.pick([]string{"rss", "feed", "linkstream", "newsletter"}))
	q.Set("utm_medium", g.w.pick([]string{"rss", "feed", "social"}))
	if g.chance(0.5) {
		q.Set("utm_campaign", g.w.pick([]string{"weekly", "daily-links", "crosspost"}))
	}
	names = append(names, "utm")
	if g.chance(0.3) {
		q.Set("fbclid", fmt.Sprintf("IwAR%x", g.r.Uint64()))
		names = append(names, "fbclid")
	}
	u.RawQuery = q.Encode()
	if g.chance(0.25) {
		u.Scheme = "http"
		names = append(names, "http")
	}
	if g.chance(0.2) && strings.HasSuffix(u.Path, "/") {
		u.Path = strings.TrimSuffix(u.Path, "/")
		names = append(names, "no-slash")
	}
	if g.chance(0.2) {
		u.Fragment = fmt.Sprintf("more-%d", g.between(100, 9999))
		names = append(names, "fragment")
	}
	return u.String(), strings.Join(names, "+")
}
