package corpus

import (
	"maps"
	"time"
)

// Case tags. An item's Case says what makes it hard to recognise; an
// article's tags are the cases of its items (see Corpus.Tags).
const (
	// CaseOriginal is an original with nothing special about it.
	CaseOriginal = "original"

	CaseVerbatimFooter = "verbatim-footer" // same HTML plus a cross-post or share footer
	CaseMarkup         = "markup"          // same text in other HTML
	CaseExcerpt        = "excerpt"         // first paragraph or first words, "Read more »"
	CaseRetitled       = "retitled"        // "[Cross-post] T", "T | Site", "Blog: T" on a planet
	CaseEditedVersion  = "edited-version"  // a paragraph added or dropped, words changed
	CaseTrackingLink   = "tracking-link"   // the original's link with tracking parameters
	CaseOrigLink       = "origlink"        // a FeedBurner proxy link, feedburner:origLink
	CaseRSSAtom        = "rss+atom"        // the same blog subscribed as RSS and as Atom
	CaseLateCopy       = "late-copy"       // a copy first listed in round 2, days later
	CaseEarlyCopy      = "early-copy"      // a copy listed before its original is

	NeverBoilerplate   = "never:boilerplate"    // short posts sharing a long bio and share footer
	NeverSeries        = "never:series"         // "Roundup #41" and "#42": same template and intro
	NeverGenericTitle  = "never:generic-title"  // "Open Thread" on several blogs
	NeverGUIDCollision = "never:guid-collision" // "post-7" in two blogs
	NeverSameTopic     = "never:same-topic"     // one event written up by several outlets
	NeverPart2         = "never:part2"          // a Part 2 quoting Part 1's first paragraph
	NeverTitleOnly     = "never:title-only"     // no content at all
)

// Options choose what Generate writes.
type Options struct {
	// Style selects the wording: vocabularies, sentence templates, footer
	// phrasings and blog names. Styles 0 and 1 share none of them.
	Style int
	// Now is when round 2 is fetched; round 1 is 16 days earlier and the
	// oldest article 60 days earlier. Zero means 2025-06-02 09:00 UTC.
	Now time.Time
}

// Feed is one subscription: what a test configures as a feed.Source and
// serves at Path.
type Feed struct {
	ID   string // source ID, a slug of Name
	Name string // unique; a cross-post footer names the blog by its Name
	// Path is where Round's map holds the feed's body.
	Path    string
	Format  string // "rss", "atom" or "json"
	SiteURL string
	// Role is what kind of site the feed is: "blog", "group", "news",
	// "planet", "digest", "aggregator" or "syndication".
	Role string
}

// ContentType is the media type the feed is served with.
func (f Feed) ContentType() string {
	switch f.Format {
	case "atom":
		return "application/atom+xml; charset=utf-8"
	case "json":
		return "application/feed+json; charset=utf-8"
	}
	return "application/rss+xml; charset=utf-8"
}

// Article is the ground truth about one article.
type Article struct {
	ID string
	// Case is the article's main case (its first copy's, or its original's
	// when it has no copy).
	Case  string
	Title string // the original's title as first published
	// Link is the original's permalink: what a merged entry must link to.
	Link string
	Feed string // ID of the feed carrying the original
	// Edit is set when round 2 republishes the original edited under the
	// same GUID.
	Edit *Edit
}

// Edit is what an edit of an original changed: after round 2 the entry must
// carry Title and its text must contain Marker.
type Edit struct {
	Title  string
	Marker string // a sentence in plain text, typography folded to ASCII
}

// Item is the label of one item of one feed.
type Item struct {
	Feed    string // Feed.ID
	GUID    string // as published (RSS guid, Atom id, JSON Feed id)
	Link    string // as published: a proxy link for origlink items
	Title   string // as first published
	Article string // Article.ID: the ground truth
	// Original is true for the article's original publication: the
	// original blog's item, in both its RSS and its Atom feed.
	Original bool
	Case     string
	// Variant says which form of the case the item takes: the footer, the
	// markup changes, the excerpt form (for reports).
	Variant   string
	Rounds    [2]bool // listed in round 1, round 2
	Published time.Time
}

// Corpus is a generated set of feeds and their labels.
type Corpus struct {
	Seed     int64
	Style    int
	Feeds    []Feed
	Articles []Article
	Items    []Item
	// Times are when rounds 1 and 2 are fetched.
	Times  [2]time.Time
	bodies [2]map[string][]byte
}

// Round returns the bodies of every feed in round n (1 or 2), by Feed.Path;
// nil for another n. Bodies that did not change between rounds are equal,
// byte for byte. The map is a copy; the bodies are shared and must not be
// modified.
func (c *Corpus) Round(n int) map[string][]byte {
	if n < 1 || n > 2 {
		return nil
	}
	return maps.Clone(c.bodies[n-1])
}

// Tags returns the case tags of every article, by Article.ID: the cases of
// its items other than CaseOriginal, in first-seen order, or CaseOriginal
// alone for an article with nothing special about it.
func (c *Corpus) Tags() map[string][]string {
	tags := map[string][]string{}
	for _, it := range c.Items {
		if it.Case == CaseOriginal {
			continue
		}
		have := tags[it.Article]
		dup := false
		for _, t := range have {
			dup = dup || t == it.Case
		}
		if !dup {
			tags[it.Article] = append(have, it.Case)
		}
	}
	for _, a := range c.Articles {
		if len(tags[a.ID]) == 0 {
			tags[a.ID] = []string{CaseOriginal}
		}
	}
	return tags
}
