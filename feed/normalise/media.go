package normalise

import (
	"strconv"
	"strings"

	"github.com/mmcdole/gofeed"
	"github.com/mmcdole/gofeed/atom"
	ext "github.com/mmcdole/gofeed/extensions"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/parse"
)

// enclosures makes enclosure URLs absolute, parses their lengths (0 when
// missing or malformed) and drops repeats and enclosures without an http(s)
// address: a javascript: or data: URL would be republished as a link.
func enclosures(encs []*gofeed.Enclosure, base string) []feed.Enclosure {
	var out []feed.Enclosure
	seen := map[string]bool{}
	for _, e := range encs {
		if e == nil {
			continue
		}
		u := httpURL(Resolve(base, e.URL))
		if u == "" || seen[u] {
			continue
		}
		seen[u] = true
		n, err := strconv.ParseInt(strings.TrimSpace(e.Length), 10, 64)
		if err != nil || n < 0 {
			n = 0
		}
		out = append(out, feed.Enclosure{URL: u, Type: strings.TrimSpace(e.Type), Length: n})
	}
	return out
}

// itemImage is the image the feed gives for an item: its own image element
// (RSS translators also fill it from itunes:image and image enclosures),
// else a Media RSS thumbnail, else a Media RSS image. Images inside the
// content are the caller's last resort.
func itemImage(it *gofeed.Item, base string) string {
	if it.Image != nil {
		if u := httpURL(Resolve(base, it.Image.URL)); u != "" {
			return u
		}
	}
	media := mediaElements(it.Extensions)
	for _, m := range media {
		if m.Name == "thumbnail" {
			if u := httpURL(Resolve(base, m.Attrs["url"])); u != "" {
				return u
			}
		}
	}
	for _, m := range media {
		if m.Name == "content" && (m.Attrs["medium"] == "image" || strings.HasPrefix(m.Attrs["type"], "image/")) {
			if u := httpURL(Resolve(base, m.Attrs["url"])); u != "" {
				return u
			}
		}
	}
	return ""
}

// mediaElements lists an item's media:thumbnail and media:content elements,
// those inside media:group included (YouTube and podcast feeds group them),
// in document order within each kind.
func mediaElements(exts ext.Extensions) []ext.Extension {
	m := exts["media"]
	if m == nil {
		return nil
	}
	var out []ext.Extension
	add := func(es map[string][]ext.Extension) {
		out = append(out, es["thumbnail"]...)
		out = append(out, es["content"]...)
		for _, c := range es["content"] {
			// A media:content may carry its own thumbnail.
			out = append(out, c.Children["thumbnail"]...)
		}
	}
	add(m)
	for _, g := range m["group"] {
		add(g.Children)
	}
	return out
}

// extValue is the text of the first prefix:name extension element.
func extValue(exts ext.Extensions, prefix, name string) string {
	if es := exts[prefix][name]; len(es) > 0 {
		return strings.TrimSpace(es[0].Value)
	}
	return ""
}

// rssCanonical is the href of an atom:link rel="canonical" inside an RSS
// item, which gofeed keeps among the item's extensions.
func rssCanonical(it *gofeed.Item) string { return rssAtomLink(it, "canonical") }

// rssAtomLink returns the href of an RSS item's atom:link with rel (an
// atom:link without rel is an alternate one, as in Atom), "" when it has
// none.
func rssAtomLink(it *gofeed.Item, rel string) string {
	for _, prefix := range []string{"atom", "atom10", "atom03"} {
		for _, l := range it.Extensions[prefix]["link"] {
			r := strings.TrimSpace(l.Attrs["rel"])
			if r == "" {
				r = "alternate"
			}
			if strings.EqualFold(r, rel) {
				return l.Attrs["href"]
			}
		}
	}
	return ""
}

// atomCanonicals returns, per item, the href of an Atom entry's
// rel="canonical" link. gofeed's universal Item lists only alternate and
// self links: feed/parse records canonical ones on the item
// (parse.Canonical); a feed parsed by gofeed's own Parser with
// KeepOriginalFeed set has them in its original Atom feed. nil when
// neither holds any.
func atomCanonicals(f *gofeed.Feed) []string {
	var out []string
	for i, it := range f.Items {
		if c := parse.Canonical(it); c != "" {
			if out == nil {
				out = make([]string, len(f.Items))
			}
			out[i] = c
		}
	}
	if out != nil {
		return out
	}
	af, ok := f.OriginalFeed().(*atom.Feed)
	if !ok || af == nil || len(af.Entries) != len(f.Items) {
		return nil
	}
	out = make([]string, len(af.Entries))
	for i, e := range af.Entries {
		if e == nil {
			continue
		}
		for _, l := range e.Links {
			if l != nil && strings.EqualFold(l.Rel, "canonical") {
				out[i] = l.Href
				break
			}
		}
	}
	return out
}
