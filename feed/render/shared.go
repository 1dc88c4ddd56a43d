package render

import "github.com/tributary/tributary/feed"

// Shared is one share link of an entry: the configured name, the label
// readers see ("Hacker News" for hackernews) and the URL.
type Shared struct{ Name, Label, URL string }

// Sharer builds entries' share links exactly as the feeds' footers do, for
// other renderings of entries (the web pages). Build it once per
// configuration: the templates are resolved once.
type Sharer struct {
	targets []shareTarget
	utm     string
}

// NewSharer resolves links (empty templates take the builtin of their name);
// a name with neither is an error, as it is for Write.
func NewSharer(links []ShareLink, utm string) (*Sharer, error) {
	targets, err := resolveShare(links)
	if err != nil {
		return nil, err
	}
	return &Sharer{targets: targets, utm: utm}, nil
}

// Links returns the share links of an entry whose original is link and
// whose title is title; none without a link, as there is nothing to share.
// The link is shared without its userinfo (feed.PublicURL), as the feeds
// publish it.
func (s *Sharer) Links(link, title string) []Shared {
	if s == nil || link == "" || len(s.targets) == 0 {
		return nil
	}
	v := newShareValues(addUTM(feed.PublicURL(xmlSafe(link)), s.utm), xmlSafe(title))
	out := make([]Shared, 0, len(s.targets))
	for _, t := range s.targets {
		out = append(out, Shared{Name: t.name, Label: t.display, URL: expand(t.template, v)})
	}
	return out
}

// SourceName is how a copy's source is named to readers: its name, else
// the host of its site, feed or link, else its id.
func SourceName(c *feed.Copy) string { return newCopyRef(c).name }
