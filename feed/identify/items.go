package identify

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/tributary/tributary/feed"
)

// Items of one feed with different identities are different posts, even
// when they share a permalink (a changelog or status page every item links
// to) or their whole text (a templated "open thread", a podcast's stock
// description): merging them kept one and lost the others. An item's
// identity is its GUID, or for an item without one its permalink
// (ItemIdentity). The exception is an identity that left the feed as
// another arrived with a key of it and a compatible title: that is the same
// post under a new GUID (a blog that moved or changed its software), and is
// stored as its edit — not a changelog's next release, which shares only
// the page every release links to.

// ItemIdentity is what tells an item of a feed from the others: its GUID
// (spaces trimmed), else the key of its permalink (see permalinkKey: a home
// page is none) with the link's fragment, which tells apart the items of
// one page (a changelog's "#v2-6"), else "" (the item is known by its text
// alone). Source.Listed holds the identities of a fetched feed's items.
func ItemIdentity(guid, link string) string {
	if g := strings.TrimSpace(guid); g != "" {
		return g
	}
	k := permalinkKey(link)
	if k == "" {
		return ""
	}
	// A key that keeps its fragment (a comment's) already has it.
	if _, frag, ok := strings.Cut(strings.TrimSpace(link), "#"); ok && frag != "" && !strings.Contains(k, "#") {
		k += "#" + frag
	}
	return k
}

// item is what tells an article from the other items of its feed, made
// once per article (itemOf): its identity, its identity keys and its title.
type item struct {
	id    string
	keys  []string
	title string
}

// itemOf is the item of article a, whose identity keys are keys.
func itemOf(a *feed.Article, keys []string) item {
	return item{id: ItemIdentity(a.GUID, a.Link), keys: keys, title: a.Title}
}

// copyIdentity is ItemIdentity of a stored copy.
func copyIdentity(c feed.Copy) string { return ItemIdentity(c.GUID, c.Link) }

// listed reports whether identity id is one of the fetched feed's items;
// with no list (nil), every identity counts as listed.
func (s Source) listed(id string) bool { return id != "" && (s.Listed == nil || s.Listed[id]) }

// sameItem reports whether copy c, of the article's source, is the
// article's item it seen before: the same identity; or an identity the
// feed no longer lists that shares a key with it under a compatible title
// (the same post under a new GUID). A copy whose identity the feed still
// lists is another of its items.
func sameItem(c feed.Copy, src Source, it item) bool {
	cid := copyIdentity(c)
	switch {
	case cid == it.id:
		return true
	case src.listed(cid):
		return false
	}
	return sharesKey(c, it.keys) && (c.Title == it.title || titlesCompatible(c.Title, it.title))
}

// sharesKey reports whether copy c has one of keys.
func sharesKey(c feed.Copy, keys []string) bool {
	for _, k := range c.Keys {
		if slices.Contains(keys, k) {
			return true
		}
	}
	return false
}

// otherItem reports whether e holds another item of src than it: a copy
// of src that is not it (sameItem) while none is.
func otherItem(e *feed.Entry, src Source, it item) bool {
	other := false
	for _, c := range e.Copies {
		if c.SourceID != src.ID {
			continue
		}
		if sameItem(c, src, it) {
			return false
		}
		other = true
	}
	return other
}

// copyOf returns the index of e's copy that is item it of src seen
// before, or -1: the copy with the same identity, else one that is the
// same item under a new identity (sameItem).
func copyOf(e *feed.Entry, src Source, it item) int {
	if it.id != "" {
		for i, c := range e.Copies {
			if c.SourceID == src.ID && copyIdentity(c) == it.id {
				return i
			}
		}
	}
	for i, c := range e.Copies {
		if c.SourceID == src.ID && sameItem(c, src, it) {
			return i
		}
	}
	return -1
}

// apartID is the id of a new entry for an article kept apart from an
// entry one of its keys names (Match.passed): entryID would give the id
// of that entry when it is the first key, and the new entry would replace
// it. It is derived from the article's source and identity as well, as
// stable across rebuilds as entryID.
func apartID(src Source, it item) string {
	return digest("apart\n" + src.ID + "\n" + it.id + "\n" + it.keys[0])[:16]
}

// ownEntry finds the entry an article kept apart made before: the other
// entry holds the keys the two share, and keys are never taken from an
// entry, so the article may own none of its own (no GUID, a link or text
// another post has); its entry is then found under apartID. Without this
// it was created anew, reported new, at every fetch.
func ownEntry(tx feed.Tx, src Source, it item) (Match, error) {
	id := apartID(src, it)
	e, err := tx.Entry(id)
	switch {
	case errors.Is(err, feed.ErrNotFound):
		return Match{}, nil
	case err != nil:
		return Match{}, fmt.Errorf("entry %s: %w", id, err)
	case copyOf(e, src, it) < 0:
		return Match{}, nil
	}
	return Match{Entry: e, Rule: ruleOf(it.keys[0]), Score: 1}, nil
}

// formerEntry finds the entry a GUID-less item whose link names one
// comment ("…/post/#comment-34") was stored in by a build whose link keys
// dropped every fragment (before session 8's): kept apart from its post,
// under the apartID of the fragment-less key, or merged into the post's
// entry, which the fragment-less key names. Without it the item found
// nothing under its new key and was stored again, a second time, as new.
// (An item merged into its post stays there, as one with a GUID does.)
func formerEntry(tx feed.Tx, src Source, it item) (Match, error) {
	base, frag, ok := strings.Cut(it.keys[0], "#")
	if !ok || frag == "" || !strings.HasPrefix(base, prefixURL) {
		return Match{}, nil
	}
	former := it
	former.keys = append([]string{base}, it.keys[1:]...)
	if m, err := ownEntry(tx, src, former); err != nil || m.Entry != nil {
		m.former = m.Entry != nil
		return m, err
	}
	eid, err := tx.Lookup(base)
	if err != nil || eid == "" {
		return Match{}, err
	}
	e, err := tx.Entry(eid)
	if err != nil {
		return Match{}, fmt.Errorf("entry %s: %w", eid, err)
	}
	// The item's own copy, by identity: sameItem would take another
	// comment that shares a key with this one (a stock "thank you").
	if !slices.ContainsFunc(e.Copies, func(c feed.Copy) bool { return c.SourceID == src.ID && copyIdentity(c) == it.id }) {
		return Match{}, nil
	}
	return Match{Entry: e, Rule: RuleURL, Score: 1, former: true}, nil
}

// stockWords: a text this short that two posts share word for word may be
// stock text (a licence note under photos, a sign-off under link posts)
// rather than one article; see stockText.
const stockWords = 50

// stockText reports whether article a (words, its lowerWords), whose whole
// text entry e has (its text key, or the near-duplicate rules'
// resemblance), is nevertheless another post: both are short, come from
// other sources, and their titles share no word but stopWords ("Heron at
// low tide", "Fog over the breakwater", each a photo over the same licence
// note). Retitled cross-posts of real articles are longer, or keep a word
// of their title.
func stockText(e *feed.Entry, a *feed.Article, words []string) bool {
	return len(words) < stockWords &&
		!slices.ContainsFunc(e.Copies, func(c feed.Copy) bool { return c.SourceID == a.SourceID || c.Title == "" }) &&
		titlesApart(e, a)
}

// stopWords are the words two unrelated titles share without meaning it
// ("Heron on the mudflat", "Fog over the breakwater"), in the languages
// of footers.go.
var stopWords = map[string]bool{
	"a": true, "an": true, "the": true, "of": true, "on": true, "in": true, "at": true, "to": true,
	"for": true, "and": true, "or": true, "with": true, "by": true, "from": true, "is": true, "my": true,
	"der": true, "die": true, "das": true, "und": true, "ein": true, "eine": true, "im": true, "am": true,
	"le": true, "la": true, "les": true, "de": true, "des": true, "du": true, "et": true, "un": true, "une": true,
	"el": true, "los": true, "las": true, "y": true, "o": true, "il": true, "di": true, "het": true, "een": true, "en": true,
}

// contentWords is words without stopWords.
func contentWords(words []string) []string {
	out := words[:0:0]
	for _, w := range words {
		if !stopWords[w] {
			out = append(out, w)
		}
	}
	return out
}

// linkPostContainment: below this share of the shorter text's shingles
// found in the other, two items with the same link are two writers'
// posts about what it points to, not copies of one article. Copies,
// excerpts and reformatted cross-posts share most of their shingles
// (0.9 and up); commentaries on one article share at most a quotation.
const linkPostContainment = 0.2

// linkPost reports whether article a of src (words, its lowerWords), which shares its link with
// entry e, is a post of its own about that link: link blogs (Daring
// Fireball, Kottke) give the article they comment on as their items'
// link, and two of them on one article were merged, the second writer's
// words dropped. Both texts must be long enough to compare; a bare link
// or a one-line note is taken as a copy, as an aggregator's is.
func (id *Identifier) linkPost(e *feed.Entry, src Source, a *feed.Article, words []string) bool {
	// A link on the article's own site, or on a copy's, is the page of
	// the post itself, whose publisher is then among the copies: its
	// teaser and a planet's full text are one article. So are two items
	// signed by one writer (a planet's custom summary and another's full
	// copy): link blogs are other writers.
	if a.Author != "" && e.Author != "" && authorsAgree(a.Author, e.Author) {
		return false
	}
	if slices.ContainsFunc(e.Copies, func(c feed.Copy) bool { return c.SourceID == src.ID || ownLink(c) }) ||
		sameSite(host(a.Link), host(src.SiteURL)) {
		return false
	}
	if len(words) < minNearWords || e.ContentCopy >= len(e.Copies) || e.Copies[e.ContentCopy].Words < minNearWords {
		return false
	}
	html := e.Content
	if html == "" {
		html = e.Summary
	}
	mine, theirs := shingleSet(words), id.shingles.of(html)
	if len(mine) == 0 || len(theirs) == 0 {
		return false
	}
	return float64(overlap(mine, theirs)) < linkPostContainment*float64(min(len(mine), len(theirs)))
}
