package identify

import (
	"fmt"
	"strings"
	"time"

	"github.com/tributary/tributary/feed"
)

// Outcome says what applying an article did to the store.
type Outcome int

const (
	Unchanged Outcome = iota // a copy already stored, nothing new in it
	Created                  // a new entry
	Updated                  // an existing copy changed (edited upstream)
	Merged                   // a new copy of an existing entry
	Dropped                  // tombstoned: removed by retention, stays removed
)

func (o Outcome) String() string {
	switch o {
	case Created:
		return "created"
	case Updated:
		return "updated"
	case Merged:
		return "merged"
	case Dropped:
		return "dropped"
	}
	return "unchanged"
}

// Rule names recorded on each copy; explain output shows them.
const (
	RuleNew  = "new"
	RuleGUID = "guid"
	RuleID   = "id"
	RuleURL  = "link"
	RuleText = "text"
	RuleItem = "item"
)

// Source is what the identifier knows of the source an article came from.
type Source struct {
	feed.Source
	FeedURL string
	SiteURL string
	Title   string // the feed's own title, used to recognise cross-post footers
}

// Identifier applies articles to the store. The zero value is not usable; use
// New.
type Identifier struct {
	newID func(a *feed.Article) string
	// priority maps source IDs to their configured priority.
	priority map[string]int
}

// New returns an Identifier. priority maps source IDs to their configured
// priority (may be nil).
func New(priority map[string]int) *Identifier {
	return &Identifier{newID: EntryID, priority: priority}
}

// EntryID derives a new entry's public id from the first identity key of the
// article that created it: stable across runs and machines, so that a store
// rebuilt from the same feeds republishes the same ids.
func EntryID(a *feed.Article) string {
	keys := Keys(a)
	return digest(strings.Join(keys[:1], ""))[:16]
}

// Match is the result of identifying one article: the entry it belongs to
// (nil when it is new), the rule that found it and its score.
type Match struct {
	Entry *feed.Entry
	Rule  string
	Score float64
}

// Find looks up the entry an article belongs to without writing anything.
func (id *Identifier) Find(tx feed.Tx, a *feed.Article, keys []string) (Match, error) {
	for _, k := range keys {
		eid, err := tx.Lookup(k)
		if err != nil {
			return Match{}, fmt.Errorf("lookup %s: %w", k, err)
		}
		if eid == "" {
			continue
		}
		e, err := tx.Entry(eid)
		if err != nil {
			return Match{}, fmt.Errorf("entry %s: %w", eid, err)
		}
		return Match{Entry: e, Rule: ruleOf(k), Score: 1}, nil
	}
	return Match{}, nil
}

func ruleOf(key string) string {
	switch {
	case strings.HasPrefix(key, prefixGUID):
		return RuleGUID
	case strings.HasPrefix(key, prefixID):
		return RuleID
	case strings.HasPrefix(key, prefixURL):
		return RuleURL
	case strings.HasPrefix(key, prefixText):
		return RuleText
	case strings.HasPrefix(key, prefixItem):
		return RuleItem
	}
	return "unknown"
}

// Apply stores an article: it updates the copy it already is, adds it as a new
// copy of the entry it duplicates, or creates a new entry. now stamps changes.
func (id *Identifier) Apply(tx feed.Tx, src Source, a *feed.Article, now time.Time) (Outcome, *feed.Entry, error) {
	keys := Keys(a)
	for _, k := range keys {
		dead, err := tx.Tombstoned(k)
		if err != nil {
			return Unchanged, nil, fmt.Errorf("tombstone %s: %w", k, err)
		}
		if dead {
			return Dropped, nil, nil
		}
	}
	m, err := id.Find(tx, a, keys)
	if err != nil {
		return Unchanged, nil, err
	}
	c := newCopy(src, a, keys, now)
	if m.Entry == nil {
		if m, err = id.near(tx, a, c.Fingerprint); err != nil {
			return Unchanged, nil, err
		}
	}
	c.Keys = append(c.Keys, candidateKeys(a)...)
	if m.Entry == nil {
		e := &feed.Entry{ID: id.newID(a), Created: now, Modified: now}
		c.Rule, c.Score = RuleNew, 1
		e.Copies = []feed.Copy{c}
		adopt(e, 0, a)
		if err := tx.PutEntry(e); err != nil {
			return Unchanged, nil, fmt.Errorf("put entry %s: %w", e.ID, err)
		}
		return Created, e, nil
	}
	e := m.Entry
	before := republished(e)
	outcome := Merged
	i := e.CopyOf(src.ID, keys)
	if i >= 0 {
		old := e.Copies[i]
		if old.Hash == c.Hash {
			return Unchanged, e, nil
		}
		c.FirstSeen, c.Rule, c.Score = old.FirstSeen, old.Rule, old.Score
		if a.Undated {
			// An undated item is dated when first seen; later fetches
			// must not make it look newer.
			c.Published, c.Updated = old.Published, old.Updated
		}
		e.Copies[i] = c
		outcome = Updated
	} else {
		c.Rule, c.Score = m.Rule, m.Score
		e.Copies = append(e.Copies, c)
		i = len(e.Copies) - 1
	}
	id.reconcile(e, i, a)
	if republished(e) != before {
		e.Modified = now
	}
	if err := tx.PutEntry(e); err != nil {
		return Unchanged, nil, fmt.Errorf("put entry %s: %w", e.ID, err)
	}
	return outcome, e, nil
}

// newCopy records where and how an article was published.
func newCopy(src Source, a *feed.Article, keys []string, now time.Time) feed.Copy {
	name := src.Name
	if name == "" {
		name = src.Title
	}
	return feed.Copy{
		SourceID:        a.SourceID,
		SourceName:      name,
		FeedURL:         src.FeedURL,
		SiteURL:         src.SiteURL,
		GUID:            a.GUID,
		Link:            a.Link,
		Title:           a.Title,
		Published:       a.Published,
		Updated:         a.Updated,
		FirstSeen:       now,
		Undated:         a.Undated,
		Keys:            keys,
		Fingerprint:     Fingerprint(a.Text),
		Words:           len(strings.Fields(a.Text)),
		CrossPostedFrom: a.CrossPostedFrom,
		Hash:            articleHash(a),
	}
}

// articleHash digests everything an upstream item published. The dates of an
// undated item are the time it was seen, not something it published.
func articleHash(a *feed.Article) string {
	var d digester
	w := d.add
	w(a.GUID)
	w(a.Link)
	w(a.Title)
	w(a.Author)
	w(a.Content)
	w(a.Summary)
	w(a.Image)
	w(a.Lang)
	if !a.Undated {
		w(a.Published.UTC().String())
		w(a.Updated.UTC().String())
	}
	for _, c := range a.Categories {
		w(c)
	}
	for _, x := range a.Enclosures {
		w(fmt.Sprint(x.URL, " ", x.Type, " ", x.Length))
	}
	if f := a.CrossPostedFrom; f != nil {
		w(f.Name + " " + f.URL)
	}
	return d.sum()
}
