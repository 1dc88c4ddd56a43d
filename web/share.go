package web

import (
	"net/url"
	"strings"

	"github.com/tributary/tributary/feed/render"
)

// shareLink is one share button.
type shareLink struct {
	Name  string // as configured: a CSS class and a test hook
	Label string // what readers see
	URL   string
}

// shareLabels are the names readers see for feed/render's builtin targets;
// other names are shown as configured.
var shareLabels = map[string]string{
	"email": "Email", "mastodon": "Mastodon", "bluesky": "Bluesky", "x": "X",
	"facebook": "Facebook", "linkedin": "LinkedIn", "reddit": "Reddit", "hackernews": "Hacker News",
}

// shareTarget is a configured share link with its template resolved, done
// once per Options rather than once per entry.
type shareTarget struct{ name, label, template string }

// resolveShare fills empty templates from feed/render's builtins and picks
// the label readers see. A name without template or builtin is left out
// (config validation reports it).
func resolveShare(links []render.ShareLink) []shareTarget {
	builtins := render.BuiltinShareTemplates()
	out := make([]shareTarget, 0, len(links))
	for _, l := range links {
		key := strings.ToLower(l.Name)
		tmpl := l.Template
		if tmpl == "" {
			tmpl = builtins[key]
		}
		if tmpl == "" {
			continue
		}
		label := shareLabels[key]
		if label == "" {
			label = l.Name
		}
		out = append(out, shareTarget{name: key, label: label, template: tmpl})
	}
	return out
}

// shareLinks builds the share buttons of an entry exactly as feed/render
// builds them for the feeds (a test compares the two): {url} is link, with
// utm_source=utm&utm_medium=feed added when utm is set and the link has no
// utm_source; {title} the title; {text} the title, a space and the link;
// each value percent-encoded with spaces as %20. Without a link there is
// nothing to share.
func shareLinks(targets []shareTarget, link, title, utm string) []shareLink {
	if link == "" || len(targets) == 0 {
		return nil
	}
	shared := addUTM(link, utm)
	values := map[string]string{
		"{url}":   queryEscape(shared),
		"{title}": queryEscape(title),
		"{text}":  queryEscape(strings.TrimSpace(title + " " + shared)),
	}
	out := make([]shareLink, 0, len(targets))
	for _, t := range targets {
		out = append(out, shareLink{Name: t.name, Label: t.label, URL: expand(t.template, values)})
	}
	return out
}

// expand replaces the placeholders of values in tmpl; other braces stay as
// written.
func expand(tmpl string, values map[string]string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(tmpl, '{')
		if i < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		b.WriteString(tmpl[:i])
		tmpl = tmpl[i:]
		j := strings.IndexByte(tmpl, '}')
		if v, ok := values[tmpl[:j+1]]; j > 0 && ok {
			b.WriteString(v)
			tmpl = tmpl[j+1:]
			continue
		}
		b.WriteByte('{')
		tmpl = tmpl[1:]
	}
}

// queryEscape escapes a query value with spaces as %20, which mailto:
// (RFC 6068) and every web query parser read as a space.
func queryEscape(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

// addUTM appends utm_source and utm_medium to link's query, before any
// fragment, keeping the query as written; a link that already names a
// utm_source is left alone.
func addUTM(link, utm string) string {
	if utm == "" {
		return link
	}
	base, frag, hasFrag := strings.Cut(link, "#")
	_, query, hasQuery := strings.Cut(base, "?")
	for kv := range strings.SplitSeq(query, "&") {
		if k, _, _ := strings.Cut(kv, "="); k == "utm_source" {
			return link
		}
	}
	sep := "&"
	switch {
	case !hasQuery:
		sep = "?"
	case query == "" || strings.HasSuffix(query, "&"):
		sep = ""
	}
	out := base + sep + "utm_source=" + url.QueryEscape(utm) + "&utm_medium=feed"
	if hasFrag {
		out += "#" + frag
	}
	return out
}
