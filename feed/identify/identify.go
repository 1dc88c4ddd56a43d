package identify

import (
	"fmt"
	"slices"
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
	Expired                  // new, but older than retention keeps: not stored
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
	case Expired:
		return "expired"
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
	// Listed holds the identities (ItemIdentity) of every item of the
	// fetched feed the articles come from, known or new; nil when unknown,
	// which counts every identity as listed. See otherItem.
	Listed map[string]bool
	// Expired, when set, is retention's cutoff: an article published
	// before it that is no stored copy is not stored (Expired), and a
	// stored copy does not take such a date.
	// Stored, retention would remove it at once and tombstone it, and an
	// upstream that corrects a wrong date (2001 for this year) could never
	// bring it back.
	Expired time.Time
}

// Identifier applies articles to the store. The zero value is not usable; use
// New.
type Identifier struct {
	// priority maps source IDs to their configured priority.
	priority map[string]int
	// shingles caches the texts of near-duplicate candidates.
	shingles *shingleCache
}

// New returns an Identifier. priority maps source IDs to their configured
// priority (may be nil).
func New(priority map[string]int) *Identifier {
	return &Identifier{priority: priority, shingles: newShingleCache()}
}

// tooOld reports whether a is dated before src's retention cutoff.
func tooOld(src Source, a *feed.Article) bool {
	return !src.Expired.IsZero() && !a.Undated && a.Published.Before(src.Expired)
}

// EntryID derives a new entry's public id from the first identity key of the
// article that created it: stable across runs and machines, so that a store
// rebuilt from the same feeds republishes the same ids.
func EntryID(a *feed.Article) string { return entryID(Keys(a)) }

// entryID is EntryID of an article's keys.
func entryID(keys []string) string {
	return digest(strings.Join(keys[:1], ""))[:16]
}

// Match is the result of identifying one article: the entry it belongs to
// (nil when it is new), the rule that found it and its score.
type Match struct {
	Entry *feed.Entry
	Rule  string
	Score float64
	// joined is set when finding the entry joined others into it, so it
	// must be stored even if the article itself brings nothing new.
	joined bool
	// passed is set when a key named an entry that is not the article's
	// (otherItem, linkPost): the article may then own none of its keys.
	passed bool
	// shown and before are, when joined, what readers saw of the entry
	// that kept its id before the join (readerView, republished), its
	// updated the latest of the joined entries': the join changes what
	// they see, and must move the entry's dates on, never back.
	shown  view
	before string
	// former is set when formerEntry found the entry: the item's copy is
	// stored again, unchanged, so that its new keys are indexed and the
	// next fetch finds it by them.
	former bool
}

// find looks up the entry article a of src belongs to (it is its item,
// words its lowerWords). When its keys name several entries — copies of
// one article that reached the store before anything linked them, a
// text-only match and a link-only match — the article proves they are
// one, and find joins them into the oldest (see join), in tx. An entry
// that a weaker key than the article's own GUID names but that is not the
// article's — another item of its source (otherItem), another writer's
// post on the same link (linkPost), another post over the same text
// (apart) — is passed over, and Match.passed says so.
func (id *Identifier) find(tx feed.Tx, src Source, a *feed.Article, words []string, it item) (Match, error) {
	var m Match
	var others []*feed.Entry
	passed := false
	for _, k := range it.keys {
		eid, err := tx.Lookup(k)
		if err != nil {
			return Match{}, fmt.Errorf("lookup %s: %w", k, err)
		}
		if eid == "" || m.Entry != nil && eid == m.Entry.ID || slices.ContainsFunc(others, func(o *feed.Entry) bool { return o.ID == eid }) {
			continue
		}
		e, err := tx.Entry(eid)
		if err != nil {
			return Match{}, fmt.Errorf("entry %s: %w", eid, err)
		}
		if rule := ruleOf(k); rule != RuleGUID && rule != RuleID && otherItem(e, src, it) ||
			rule == RuleURL && id.linkPost(e, src, a, words) || rule == RuleText && apart(e, a, words) {
			passed = true
			continue
		}
		if m.Entry == nil {
			m = Match{Entry: e, Rule: ruleOf(k), Score: 1}
		} else {
			others = append(others, e)
		}
	}
	if len(others) > 0 {
		survivor := m.Entry
		for _, o := range others {
			if older(o, survivor) {
				survivor = o
			}
		}
		m.shown, m.before = readerView(survivor), republished(survivor)
		m.shown.updated = later(m.shown.updated, m.Entry.Updated)
		for _, o := range others {
			m.shown.updated = later(m.shown.updated, o.Updated)
		}
	}
	for _, o := range others {
		into, from := m.Entry, o
		if older(o, into) {
			into, from = o, into
		}
		if err := id.join(tx, into, from); err != nil {
			return Match{}, err
		}
		m.Entry, m.joined = into, true
	}
	m.passed = passed
	return m, nil
}

// older reports whether entry a keeps its id over b when they are joined:
// it was created first (readers more likely saw it), else its id is lower.
func older(a, b *feed.Entry) bool {
	return a.Created.Before(b.Created) || a.Created.Equal(b.Created) && a.ID < b.ID
}

// join moves every copy of entry from into entry into and deletes from. The
// older entry keeps its id: readers more likely saw it first.
func (id *Identifier) join(tx feed.Tx, into, from *feed.Entry) error {
	if err := tx.DeleteEntry(from.ID); err != nil {
		return fmt.Errorf("join %s into %s: %w", from.ID, into.ID, err)
	}
	offset := len(into.Copies)
	into.Copies = append(into.Copies, from.Copies...)
	if fuller(from.Copies[from.ContentCopy], into.Copies[into.ContentCopy]) {
		into.ContentCopy = offset + from.ContentCopy
		into.Author, into.Content, into.Summary = from.Author, from.Content, from.Summary
		into.Categories, into.Enclosures = from.Categories, from.Enclosures
		into.Image, into.Lang = from.Image, from.Lang
	}
	into.Original = id.original(into)
	o := into.Copies[into.Original]
	into.Title, into.Link, into.Published, into.Updated = o.Title, o.Link, o.Published, o.Updated
	if into.Title == "" {
		into.Title = firstTitle(into)
	}
	if from.Modified.After(into.Modified) {
		into.Modified = from.Modified
	}
	return nil
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
	words := lowerWords(a.Text)
	keys := keysOf(a, words)
	// Every key is asked, not only up to the first tombstoned one: asking
	// marks each tombstone as still needed, and one left unmarked would
	// expire and let the article back in under that key.
	dropped := false
	for _, k := range keys {
		dead, err := tx.Tombstoned(k, now)
		if err != nil {
			return Unchanged, nil, fmt.Errorf("tombstone %s: %w", k, err)
		}
		dropped = dropped || dead
	}
	if dropped {
		return Dropped, nil, nil
	}
	it := itemOf(a, keys)
	m, err := id.find(tx, src, a, words, it)
	if err == nil && m.Entry == nil && m.passed {
		// Only then: a lookup of an absent id costs a new article a
		// B-tree descent, cold in a large store.
		var own Match
		if own, err = ownEntry(tx, src, it); own.Entry != nil {
			m = own
		}
	}
	if err == nil && m.Entry == nil && a.GUID == "" {
		var former Match
		if former, err = formerEntry(tx, src, it); former.Entry != nil {
			m = former
		}
	}
	if err != nil {
		return Unchanged, nil, err
	}
	hash := articleHash(a)
	if e := m.Entry; e != nil && !m.joined && !m.former {
		// The same item fetched again, as most items of a feed are:
		// nothing more to derive when it did not change.
		if i := copyOf(e, src, it); i >= 0 && e.Copies[i].Hash == hash {
			return Unchanged, e, nil
		}
	}
	c := newCopy(src, a, keys, words, hash, now)
	cands := candidateKeys(a, words)
	if m.Entry == nil {
		passed := m.passed
		if m, err = id.near(tx, src.Name, a, words, c.Fingerprint, cands); err != nil {
			return Unchanged, nil, err
		}
		m.passed = passed
	}
	if tooOld(src, a) && (m.Entry == nil || copyOf(m.Entry, src, it) < 0) {
		// A new copy too: dated earliest, it would become the entry's
		// original, and retention would remove the entry with every
		// copy's keys, the real original's among them.
		if m.joined {
			// find joined two entries this article proved one and
			// deleted the other: the joined one must be stored even
			// though the article is not, changed (its copies) now.
			advance(m.Entry, m.shown, now)
			m.Entry.Modified = now
			if err := tx.PutEntry(m.Entry); err != nil {
				return Unchanged, nil, fmt.Errorf("put entry %s: %w", m.Entry.ID, err)
			}
		}
		return Expired, nil, nil
	}
	target := entryID(keys)
	switch {
	case m.Entry != nil:
		target = m.Entry.ID
	case m.passed:
		target = apartID(src, it)
	}
	slotted, err := claimSlots(tx, cands, target)
	if err != nil {
		return Unchanged, nil, err
	}
	c.Keys = append(c.Keys, slotted...)
	if m.Entry == nil {
		e := &feed.Entry{ID: target, Created: now, Modified: now}
		c.Rule, c.Score = RuleNew, 1
		e.Copies = []feed.Copy{c}
		adopt(e, 0, a)
		if err := tx.PutEntry(e); err != nil {
			return Unchanged, nil, fmt.Errorf("put entry %s: %w", e.ID, err)
		}
		return Created, e, nil
	}
	e := m.Entry
	before, shown := republished(e), readerView(e)
	if m.joined {
		before, shown = m.before, m.shown
	}
	outcome := Merged
	i := copyOf(e, src, it)
	if i >= 0 {
		old := e.Copies[i]
		outcome = Updated
		if old.Hash == c.Hash && !m.joined {
			if !m.former {
				return Unchanged, e, nil
			}
			outcome = Unchanged // stored again only for its new keys
		}
		c.FirstSeen, c.Rule, c.Score = old.FirstSeen, old.Rule, old.Score
		// Keys of earlier versions stay: a late copy of the text before
		// an edit still finds the entry.
		c.Keys = keepKeys(c.Keys, old.Keys)
		switch {
		case a.Undated, tooOld(src, a):
			// An undated item is dated when first seen; later fetches
			// must not make it look newer. A dated copy fetched once
			// without its date (a glitch) stays dated. Nor is a date
			// taken that retention would remove the entry for at once.
			c.Published, c.Updated, c.Undated = old.Published, old.Updated, old.Undated
		case !old.Undated && !old.Published.After(old.FirstSeen):
			// The publication is the first date seen. A feed that gives
			// one date per item (RSS's pubDate, an Atom entry with only
			// <updated>) moves it on when the item is edited, which
			// would move the article down the original's claim and up
			// the feed; a CMS that regenerates <published> moves it
			// every fetch; and one fetch dated 2001 by mistake made
			// retention delete the post for good. Only an item first
			// seen undated, or dated ahead of the time it was first
			// seen (a zone error, a scheduled post: a date it had not
			// reached), takes the date its feed gives later.
			c.Published = old.Published
		}
		e.Copies[i] = c
	} else {
		c.Rule, c.Score = m.Rule, m.Score
		e.Copies = append(e.Copies, c)
		i = len(e.Copies) - 1
	}
	id.reconcile(e, i, a)
	// advance first: reconcile may lower Updated, which advance puts back,
	// and a change readers do not see must not move Modified.
	advance(e, shown, now)
	if republished(e) != before {
		e.Modified = now
	}
	if err := tx.PutEntry(e); err != nil {
		return Unchanged, nil, fmt.Errorf("put entry %s: %w", e.ID, err)
	}
	return outcome, e, nil
}

// newCopy records where and how an article was published.
// words are the article's lowerWords and hash its articleHash.
func newCopy(src Source, a *feed.Article, keys, words []string, hash string, now time.Time) feed.Copy {
	name := src.Name
	if name == "" {
		name = src.Title
	}
	return feed.Copy{
		SourceID:        a.SourceID,
		SourceName:      name,
		FeedTitle:       src.Title,
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
		Fingerprint:     fingerprint(words),
		Words:           len(words),
		CrossPostedFrom: a.CrossPostedFrom,
		Hash:            hash,
	}
}

// maxCopyKeys bounds the keys one copy keeps across edits.
const maxCopyKeys = 16

// keepKeys returns keys followed by those of earlier that it lacks, at most
// maxCopyKeys in all.
func keepKeys(keys, earlier []string) []string {
	for _, k := range earlier {
		if len(keys) >= maxCopyKeys {
			break
		}
		if !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	return keys
}
