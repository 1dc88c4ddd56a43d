// Package render writes the unified feed as Atom 1.0, RSS 2.0 and JSON Feed
// 1.1, with share metadata: the original attributed, every other copy linked
// and share links in a short content footer.
package render

import (
	"io"
	"time"

	"github.com/tributary/tributary/feed"
)

// Format is one of the output formats.
type Format string

const (
	Atom Format = "atom"
	RSS  Format = "rss"
	JSON Format = "json"
)

// ContentType returns the media type a format is served with.
func (f Format) ContentType() string {
	switch f {
	case Atom:
		return "application/atom+xml; charset=utf-8"
	case RSS:
		return "application/rss+xml; charset=utf-8"
	case JSON:
		return "application/feed+json; charset=utf-8"
	}
	return "application/octet-stream"
}

// ShareLink is one share target: a name shown to readers and a URL template
// in which {url}, {title} and {text} are replaced (query-escaped).
type ShareLink struct {
	Name     string
	Template string
}

// Page describes the document being rendered: the feed's own metadata and,
// for paged feeds, the RFC 5005 links.
type Page struct {
	Title       string
	ID          string // feed id; defaults to SelfURL
	Author      string
	Description string
	// SelfURL is the absolute URL of this document; AlternateURL the HTML
	// page it stands for.
	SelfURL      string
	AlternateURL string
	// BaseURL is the absolute root of the service; entry ids and links to
	// entry pages are made from it.
	BaseURL string
	// Updated is the newest entry modification; zero when there are no
	// entries (the render then uses the Unix epoch, never "now", so that
	// the bytes are stable).
	Updated                 time.Time
	Hubs                    []string
	First, Prev, Next, Last string
}

// Options are the rendering choices that come from the config.
type Options struct {
	Share []ShareLink
	// UTM, when set, is appended as utm_source/utm_medium to links in share
	// URLs (never to ids).
	UTM string
}

// Write renders entries (newest first) in format f to w.
func Write(w io.Writer, f Format, p Page, entries []*feed.Entry, opts Options) error {
	panic("render.Write: not implemented yet")
}

// BuiltinShareTemplates returns the share targets Tributary knows by name,
// each a URL template with {url}, {title} and {text} placeholders. A fresh
// map is returned so callers may add their own.
func BuiltinShareTemplates() map[string]string {
	panic("render.BuiltinShareTemplates: not implemented yet")
}
