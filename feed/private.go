package feed

import (
	"net/url"
	"strings"
)

// A private source (Source.Private) has a URL that is its subscriber's
// secret as a whole: a token in a path segment (Pinboard's
// /secret:a1b2…/u:name/) or under a query name no rule recognises (?t=…).
// Its feed may repeat the URL: a home page link "./", relative item links
// and enclosures resolved against it, an xml:base. What is published from
// such a source goes through a Private filter first, which knows each
// private source's URLs and leaves out every URL that repeats what looks
// like their secret: a directory with a token in its path (a run of 6
// letters and digits with a digit, or of 16), or a query value that looks
// like one (8 with a digit, or 16). A user name in the path (/octocat/)
// or an ordinary value (?section=politics) is no secret. The filter works on what is published, not on what is
// stored, so that identity (links are keys) is untouched, and entries
// stored before a source was marked private are published clean at once.
//
// Caveat: a secret in a feed's file name or host is not recognised (a link
// beside the feed, /feeds/item.html next to /feeds/SECRET.xml, does not
// repeat it; one in the host is in every link of the site).

// tokenLike reports whether s holds a run of letters and digits that
// looks like a token: at least min of them with a digit, or 16.
func tokenLike(s string, min int) bool {
	for _, run := range strings.FieldsFunc(s, func(r rune) bool {
		return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9')
	}) {
		if len(run) >= 16 || len(run) >= min && strings.ContainsAny(run, "0123456789") {
			return true
		}
	}
	return false
}

// privateURL is what of one private feed URL its links may repeat.
type privateURL struct {
	// dir is the path up to its last "/" when it holds a token, as
	// written and decoded (dirs).
	dirs []string
	// values are the query values that look like tokens, as written and
	// decoded.
	values []string
}

func parsePrivate(raw string) (privateURL, bool) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return privateURL{}, false
	}
	var p privateURL
	if path := u.EscapedPath(); strings.LastIndexByte(path, '/') > 0 {
		if dir := path[:strings.LastIndexByte(path, '/')+1]; tokenLike(dir, 6) {
			p.dirs = append(p.dirs, dir)
			if d, err := url.PathUnescape(dir); err == nil && d != dir {
				p.dirs = append(p.dirs, d)
			}
		}
	}
	for _, kv := range strings.FieldsFunc(u.RawQuery, func(r rune) bool { return r == '&' || r == ';' }) {
		_, v, _ := strings.Cut(kv, "=")
		if !tokenLike(v, 8) {
			continue
		}
		p.values = append(p.values, v)
		if d, err := url.QueryUnescape(v); err == nil && d != v {
			p.values = append(p.values, d)
		}
	}
	return p, true
}

// repeats reports whether link repeats the secret of p.
func (p privateURL) repeats(link string) bool {
	for _, v := range p.values {
		if strings.Contains(link, v) {
			return true
		}
	}
	if len(p.dirs) == 0 {
		return false
	}
	// On any host: a CDN or www. copy of the secret path is no less
	// secret. An unparsable link is judged by its text.
	u, err := url.Parse(link)
	for _, dir := range p.dirs {
		if err != nil && strings.Contains(link, dir) ||
			err == nil && (strings.HasPrefix(u.EscapedPath(), dir) || strings.HasPrefix(u.Path, dir)) {
			return true
		}
	}
	return false
}

// mask replaces in text what of p it repeats: the directory path and the
// query values.
func (p privateURL) mask(text string) string {
	for _, dir := range p.dirs {
		if strings.Contains(text, dir) {
			text = strings.ReplaceAll(text, dir, "/…/")
		}
	}
	for _, v := range p.values {
		if strings.Contains(text, v) {
			text = strings.ReplaceAll(text, v, "xxxxx")
		}
	}
	return text
}

// Private filters what is published of private sources' entries (see
// above). The zero value filters nothing.
type Private struct {
	bySource map[string][]privateURL
}

// NewPrivate returns the filter for the private ones among srcs; moved
// gives, for a source's ID, the URL a permanent redirect moved it to, if
// any (nil: none known).
func NewPrivate(srcs []Source, moved func(id string) string) Private {
	var f Private
	for _, s := range srcs {
		if !s.Private {
			continue
		}
		urls := []string{s.URL}
		if moved != nil {
			if m := moved(s.ID); m != "" && m != s.URL {
				urls = append(urls, m)
			}
		}
		if f.bySource == nil {
			f.bySource = map[string][]privateURL{}
		}
		parsed := []privateURL{} // private even with no URL to compare (a local file)
		for _, raw := range urls {
			if p, ok := parsePrivate(raw); ok {
				parsed = append(parsed, p)
			}
		}
		f.bySource[s.ID] = parsed
	}
	return f
}

// SourcePrivate is the filter of one source, whose state st knows the
// URL a permanent redirect moved it to: what /sources shows of it.
func SourcePrivate(src Source, st SourceState) Private {
	return NewPrivate([]Source{src}, func(string) string { return st.URL })
}

// PublicSite returns the home page st records for src as it may be
// published: none for a private source's that repeats its URL (a "./"
// link), the URL a permanent redirect moved it to included.
func PublicSite(src Source, st SourceState) string {
	if src.Private && SourcePrivate(src, st).Repeats(src.ID, st.SiteURL) {
		return ""
	}
	return st.SiteURL
}

// Is reports whether the source with this ID is private.
func (f Private) Is(sourceID string) bool {
	_, ok := f.bySource[sourceID]
	return ok
}

// Repeats reports whether link repeats the URL of the private source
// sourceID (false for any other source).
func (f Private) Repeats(sourceID, link string) bool {
	for _, p := range f.bySource[sourceID] {
		if p.repeats(link) {
			return true
		}
	}
	return false
}

// Mask replaces in text what it repeats of the private source's URL.
func (f Private) Mask(sourceID, text string) string {
	for _, p := range f.bySource[sourceID] {
		text = p.mask(text)
	}
	return text
}

// Entry returns e as it may be published: e itself when no copy is a
// private source's, else a copy without the feed URL of private copies,
// and without every link, image and attachment that repeats a private
// source's URL, its HTML and titles masked.
func (f Private) Entry(e *Entry) *Entry {
	var private []string
	for _, c := range e.Copies {
		if f.Is(c.SourceID) {
			private = append(private, c.SourceID)
		}
	}
	if len(private) == 0 {
		return e
	}
	out := *e
	repeats := func(u string) bool {
		for _, id := range private {
			if f.Repeats(id, u) {
				return true
			}
		}
		return false
	}
	mask := func(s string) string {
		for _, id := range private {
			s = f.Mask(id, s)
		}
		return s
	}
	drop := func(u string) string {
		if repeats(u) {
			return ""
		}
		return u
	}
	out.Link, out.Image = drop(e.Link), drop(e.Image)
	out.Title, out.Content, out.Summary = mask(e.Title), mask(e.Content), mask(e.Summary)
	out.Enclosures = nil
	for _, x := range e.Enclosures {
		if !repeats(x.URL) {
			out.Enclosures = append(out.Enclosures, x)
		}
	}
	out.Copies = make([]Copy, len(e.Copies))
	for i, c := range e.Copies {
		if f.Is(c.SourceID) {
			c.FeedURL = ""
			c.Keys = nil // not published; spared the copy's secret GUIDs
		}
		c.Link, c.SiteURL, c.GUID, c.Title = drop(c.Link), drop(c.SiteURL), mask(c.GUID), mask(c.Title)
		out.Copies[i] = c
	}
	return &out
}
