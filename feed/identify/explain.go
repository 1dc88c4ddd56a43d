package identify

import (
	"fmt"
	"time"

	"github.com/tributary/tributary/feed"
)

// Explanation says why an entry holds the copies it holds and why one of
// them is its original: what `tributary explain` prints and
// GET /entries/{id}/explain answers.
type Explanation struct {
	ID       string            `json:"id"`
	Title    string            `json:"title"`
	Link     string            `json:"link"`
	Original string            `json:"original"`     // the original's source
	Why      string            `json:"why"`          // why it is the original
	Content  string            `json:"content_from"` // the source whose text is republished
	Copies   []CopyExplanation `json:"copies"`
	Rules    map[string]string `json:"rules,omitempty"` // rule name → what it means
}

// CopyExplanation is one copy: where it was published and which rule
// merged it, with its score (1 for key matches; resemblance or containment
// for near-duplicates).
type CopyExplanation struct {
	Source    string    `json:"source"`
	Link      string    `json:"link,omitempty"`
	GUID      string    `json:"guid,omitempty"`
	Title     string    `json:"title,omitempty"`
	Published time.Time `json:"published"`
	FirstSeen time.Time `json:"first_seen"`
	Rule      string    `json:"rule"`
	Score     float64   `json:"score"`
}

// ruleMeanings documents every rule name a copy can carry.
var ruleMeanings = map[string]string{
	RuleNew:     "the copy that created the entry",
	RuleGUID:    "same GUID from the same source (the item fetched again)",
	RuleID:      "same tag: or urn: GUID",
	RuleURL:     "same permalink once tracking parameters and cosmetic differences are removed",
	RuleText:    "same text once markup, quotes, whitespace and boilerplate are folded away",
	RuleItem:    "same title and text from the same source (an item with neither GUID nor link)",
	RuleNear:    "near-identical text (shingle resemblance at least 0.8)",
	RuleEdited:  "an edited version: resemblance at least 0.5 under a compatible title",
	RuleExcerpt: "an excerpt: at least 90% of its text is the opening of the other, under a compatible title, by the same author when both are named",
}

// Explain describes an entry's copies and the choice of its original.
func (id *Identifier) Explain(e *feed.Entry) Explanation {
	// Links as the feeds publish them: without credentials a source's
	// URL may have lent them (feed.PublicURL).
	x := Explanation{ID: e.ID, Title: e.Title, Link: feed.PublicURL(e.Link), Rules: map[string]string{}}
	for _, c := range e.Copies {
		x.Copies = append(x.Copies, CopyExplanation{
			Source: c.SourceName, Link: feed.PublicURL(c.Link), GUID: feed.PublicSourceURL(c.GUID), Title: c.Title,
			Published: c.Published, FirstSeen: c.FirstSeen, Rule: c.Rule, Score: c.Score,
		})
		if m, ok := ruleMeanings[c.Rule]; ok {
			x.Rules[c.Rule] = m
		}
	}
	if o := e.OriginalCopy(); o != nil {
		x.Original = o.SourceName
		x.Why = id.why(e)
	}
	if e.ContentCopy >= 0 && e.ContentCopy < len(e.Copies) {
		x.Content = e.Copies[e.ContentCopy].SourceName
	}
	return x
}

// why replays the comparison that chose the original, and says which
// criterion decided it.
func (id *Identifier) why(e *feed.Entry) string {
	if len(e.Copies) == 1 {
		return "the only copy"
	}
	o := e.Copies[e.Original]
	above := true // the original's priority is above every other copy's
	for j, c := range e.Copies {
		if j != e.Original && id.priority[c.SourceID] >= id.priority[o.SourceID] {
			above = false
		}
	}
	if above {
		return fmt.Sprintf("configured priority %d, above its other copies'", id.priority[o.SourceID])
	}
	if named(e, e.Original) {
		for k, c := range e.Copies {
			if k != e.Original && c.CrossPostedFrom != nil {
				return fmt.Sprintf("named as the original by the cross-post footer of %s", c.SourceName)
			}
		}
	}
	return "published first"
}
