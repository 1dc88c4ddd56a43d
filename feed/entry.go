package feed

import "time"

// Entry is one article as Tributary republishes it: every upstream copy of the
// same article collapsed into one, attributed to its original.
//
// ID is assigned when the entry is first stored and never changes, whatever is
// merged into the entry later and whichever copy becomes its original.
type Entry struct {
	ID         string      `json:"id"`
	Title      string      `json:"title"`
	Link       string      `json:"link,omitempty"`
	Author     string      `json:"author,omitempty"`
	Content    string      `json:"content,omitempty"`
	Summary    string      `json:"summary,omitempty"`
	Categories []string    `json:"categories,omitempty"`
	Enclosures []Enclosure `json:"enclosures,omitempty"`
	Image      string      `json:"image,omitempty"`
	Lang       string      `json:"lang,omitempty"`
	// Published and Updated come from the original copy.
	Published time.Time `json:"published"`
	Updated   time.Time `json:"updated"`
	// Created is when the entry was first stored; Modified is when any of its
	// republished fields last changed.
	Created  time.Time `json:"created"`
	Modified time.Time `json:"modified"`
	// Copies lists every upstream copy; Copies[Original] is the original.
	Copies   []Copy `json:"copies"`
	Original int    `json:"original"`
	// ContentCopy is the copy whose content is republished: the original's,
	// unless the original is only an excerpt of a fuller copy.
	ContentCopy int `json:"content_copy"`
}

// Copy is one place an entry's article was published upstream.
type Copy struct {
	SourceID   string `json:"source_id"`
	SourceName string `json:"source_name,omitempty"`
	// FeedTitle is the source feed's own title, which cross-post footers
	// may name rather than the source's configured name.
	FeedTitle string `json:"feed_title,omitempty"`
	// FeedURL and SiteURL are the source's feed and home page when the copy
	// was last seen; they attribute the copy in the republished feed.
	FeedURL   string    `json:"feed_url,omitempty"`
	SiteURL   string    `json:"site_url,omitempty"`
	GUID      string    `json:"guid,omitempty"`
	Link      string    `json:"link,omitempty"`
	Title     string    `json:"title,omitempty"`
	Published time.Time `json:"published"`
	Updated   time.Time `json:"updated,omitzero"`
	FirstSeen time.Time `json:"first_seen"`
	Undated   bool      `json:"undated,omitempty"`
	// Keys are the identity keys the copy is indexed under (see
	// feed/identify); the store maps each of them to the entry.
	Keys []string `json:"keys"`
	// Fingerprint is the SimHash of the copy's text, 0 when it has too little
	// text to fingerprint; Words is the length of that text.
	Fingerprint uint64 `json:"fingerprint,omitempty"`
	Words       int    `json:"words,omitempty"`
	// Rule names the identify rule that merged this copy into the entry
	// ("new" for the copy that created it) and Score how strongly it matched.
	Rule            string       `json:"rule"`
	Score           float64      `json:"score,omitempty"`
	CrossPostedFrom *Attribution `json:"cross_posted_from,omitempty"`
	// Hash digests everything the copy published, so that a re-fetched
	// copy that did not change rewrites nothing.
	Hash string `json:"hash,omitempty"`
}

// OriginalCopy returns the copy the entry is attributed to.
func (e *Entry) OriginalCopy() *Copy {
	if e.Original < 0 || e.Original >= len(e.Copies) {
		return nil
	}
	return &e.Copies[e.Original]
}

// Keys returns every identity key of every copy.
func (e *Entry) Keys() []string {
	var keys []string
	for _, c := range e.Copies {
		keys = append(keys, c.Keys...)
	}
	return keys
}
