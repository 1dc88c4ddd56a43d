package feed

import "time"

// Article is one upstream item after normalisation: URLs absolute, HTML
// sanitised, cross-post and share boilerplate removed, a date always set.
type Article struct {
	SourceID string
	// GUID is the item's id as published (may be empty).
	GUID string
	// Link is the absolute permalink; feedburner:origLink or rel=canonical
	// win over a proxy link when present.
	Link    string
	Title   string
	Author  string
	Content string // sanitised HTML, boilerplate removed
	Summary string // sanitised HTML
	// Text is the plain, folded text of Content (or Summary when there is
	// no content) that fingerprints are computed from.
	Text       string
	Categories []string
	Enclosures []Enclosure
	Image      string
	Lang       string
	Published  time.Time
	Updated    time.Time
	// Undated is true when the feed gave no date and Published is the time
	// the item was first seen.
	Undated bool
	// CrossPostedFrom is the original named by a "Cross-posted from …"
	// style footer, when the item carried one.
	CrossPostedFrom *Attribution
}

// Enclosure is an attached media file (a podcast episode, an image).
type Enclosure struct {
	URL    string `json:"url"`
	Type   string `json:"type,omitempty"`
	Length int64  `json:"length,omitempty"`
}

// Attribution names a place an article was published: a site name and a
// link, either of which may be empty.
type Attribution struct {
	Name string `json:"name,omitempty"`
	URL  string `json:"url,omitempty"`
}
