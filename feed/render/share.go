package render

import (
	"fmt"
	"html"
	"net/url"
	"strings"
)

// builtinShare lists the share targets known by name. Mastodon has no
// canonical share URL (every instance has its own), so it goes through an
// instance-agnostic share page that asks the reader for theirs.
var builtinShare = [...]struct{ name, display, template string }{
	{"email", "Email", "mailto:?subject={title}&body={url}"},
	{"mastodon", "Mastodon", "https://s2f.kytta.dev/?text={text}"},
	{"bluesky", "Bluesky", "https://bsky.app/intent/compose?text={text}"},
	{"x", "X", "https://x.com/intent/tweet?text={title}&url={url}"},
	{"facebook", "Facebook", "https://www.facebook.com/sharer/sharer.php?u={url}"},
	{"linkedin", "LinkedIn", "https://www.linkedin.com/sharing/share-offsite/?url={url}"},
	{"reddit", "Reddit", "https://www.reddit.com/submit?url={url}&title={title}"},
	{"hackernews", "Hacker News", "https://news.ycombinator.com/submitlink?u={url}&t={title}"},
}

// BuiltinShareTemplates returns the share targets Tributary knows by name,
// each a URL template with {url}, {title} and {text} placeholders. A fresh
// map is returned so callers may add their own.
func BuiltinShareTemplates() map[string]string {
	m := make(map[string]string, len(builtinShare))
	for _, b := range builtinShare {
		m[b.name] = b.template
	}
	return m
}

// shareTarget is a configured share link with its template resolved.
type shareTarget struct{ name, display, template string }

// resolveShare fills empty templates from the builtins and picks the name
// readers see. A link that has neither a template nor a builtin name is a
// configuration error: rendering it silently without the link would hide it.
func resolveShare(links []ShareLink) ([]shareTarget, error) {
	targets := make([]shareTarget, 0, len(links))
	for _, l := range links {
		t := shareTarget{name: l.Name, display: l.Name, template: l.Template}
		for _, b := range builtinShare {
			if strings.EqualFold(b.name, l.Name) {
				t.display = b.display
				if t.template == "" {
					t.template = b.template
				}
				break
			}
		}
		if t.template == "" {
			return nil, fmt.Errorf("share link %q: no template and no builtin of that name", l.Name)
		}
		t.name, t.display = xmlSafe(t.name), xmlSafe(t.display)
		targets = append(targets, t)
	}
	return targets, nil
}

// shareValues are what a share template's placeholders become for one
// entry, query-escaped once for all of its share links.
type shareValues struct{ url, title, text string }

func newShareValues(link, title string) shareValues {
	v := shareValues{url: queryEscape(link), title: queryEscape(title)}
	switch {
	case title == "":
		v.text = v.url
	case link == "":
		v.text = v.title
	default:
		v.text = queryEscape(title + " " + link)
	}
	return v
}

// expand replaces {url}, {title} and {text} (title, a space, url) in tmpl
// with v. Unknown placeholders are left as written.
func expand(tmpl string, v shareValues) string {
	var b strings.Builder
	b.Grow(len(tmpl) + len(v.url) + len(v.title) + len(v.text))
	for {
		i := strings.IndexByte(tmpl, '{')
		if i < 0 {
			b.WriteString(tmpl)
			return xmlSafe(b.String())
		}
		b.WriteString(tmpl[:i])
		tmpl = tmpl[i:]
		switch {
		case strings.HasPrefix(tmpl, "{url}"):
			b.WriteString(v.url)
			tmpl = tmpl[len("{url}"):]
		case strings.HasPrefix(tmpl, "{title}"):
			b.WriteString(v.title)
			tmpl = tmpl[len("{title}"):]
		case strings.HasPrefix(tmpl, "{text}"):
			b.WriteString(v.text)
			tmpl = tmpl[len("{text}"):]
		default:
			b.WriteByte('{')
			tmpl = tmpl[1:]
		}
	}
}

// queryEscape escapes s for a query value with spaces as %20: mailto
// (RFC 6068) reads "+" literally, and every query parser reads %20 as a
// space.
func queryEscape(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

// addUTM appends utm_source and utm_medium to link's query, before any
// fragment, keeping the query as written (re-encoding would reorder it). A
// link that already names a utm_source is left alone.
func addUTM(link, utm string) string {
	if utm == "" || link == "" {
		return link
	}
	base, frag, hasFrag := strings.Cut(link, "#")
	_, query, hasQuery := strings.Cut(base, "?")
	if hasQuery {
		for kv := range strings.SplitSeq(query, "&") {
			if k, _, _ := strings.Cut(kv, "="); k == "utm_source" {
				return link
			}
		}
	}
	var b strings.Builder
	b.WriteString(base)
	switch {
	case !hasQuery:
		b.WriteByte('?')
	case query != "" && !strings.HasSuffix(query, "&"):
		b.WriteByte('&')
	}
	b.WriteString("utm_source=")
	b.WriteString(url.QueryEscape(utm))
	b.WriteString("&utm_medium=feed")
	if hasFrag {
		b.WriteByte('#')
		b.WriteString(frag)
	}
	return b.String()
}

// writeFooter appends the attribution and share paragraphs to b. The footer
// travels inside the content because that is the only part of an entry every
// reader shows.
func writeFooter(b *strings.Builder, it *item) {
	if it.orig != nil {
		b.WriteString(`<p class="tributary-attribution">Originally published at `)
		writeAnchor(b, it.orig.link, it.orig.name)
		for i, o := range it.others {
			if i == 0 {
				b.WriteString(", also at ")
			} else {
				b.WriteString(", ")
			}
			writeAnchor(b, o.link, o.name)
		}
		b.WriteString(".</p>")
	}
	if len(it.share) > 0 {
		b.WriteString(`<p class="tributary-share">Share: `)
		for i, s := range it.share {
			if i > 0 {
				b.WriteString(" · ")
			}
			writeAnchor(b, s.URL, s.Label)
		}
		b.WriteString("</p>")
	}
}

// writeAnchor writes a link, or the bare text when there is no href.
func writeAnchor(b *strings.Builder, href, text string) {
	if href == "" {
		b.WriteString(html.EscapeString(text))
		return
	}
	b.WriteString(`<a href="`)
	b.WriteString(html.EscapeString(href))
	b.WriteString(`">`)
	b.WriteString(html.EscapeString(text))
	b.WriteString("</a>")
}

// footerSize estimates the footer's length so that the content is built
// with one allocation.
func footerSize(it *item) int {
	n := 0
	if it.orig != nil {
		n += 100 + len(it.orig.link) + len(it.orig.name)
		for _, o := range it.others {
			n += 20 + len(o.link) + len(o.name)
		}
	}
	for _, s := range it.share {
		n += 20 + len(s.URL) + len(s.Label)
	}
	return n + n/8
}
