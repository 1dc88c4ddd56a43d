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
// another arrived with its link or text: that is the same post under a new
// GUID (a blog that moved or changed its software), and is stored as its
// edit.

// ItemIdentity is what tells an item of a feed from the others: its GUID
// (spaces trimmed), else the key of its permalink (see permalinkKey: a home
// page is none), else "" (the item is known by its text alone).
// Source.Listed holds the identities of a fetched feed's items.
func ItemIdentity(guid, link string) string {
	if g := strings.TrimSpace(guid); g != "" {
		return g
	}
	return permalinkKey(link)
}

// copyIdentity is ItemIdentity of a stored copy.
func copyIdentity(c feed.Copy) string { return ItemIdentity(c.GUID, c.Link) }

// listed reports whether identity id is one of the fetched feed's items;
// with no list (nil), every identity counts as listed.
func (s Source) listed(id string) bool { return id != "" && (s.Listed == nil || s.Listed[id]) }

// otherItem reports whether e holds another item of src than the article
// with identity id: a copy of src whose identity differs and is still
// listed by the feed, and no copy with the article's identity. An article
// or copy without an identity is known by its text alone, and is no other
// item of a copy that has none either.
func otherItem(e *feed.Entry, src Source, id string) bool {
	other := false
	for _, c := range e.Copies {
		if c.SourceID != src.ID {
			continue
		}
		cid := copyIdentity(c)
		if cid == id {
			return false
		}
		if src.listed(cid) {
			other = true
		}
	}
	return other
}

// copyOf returns the index of e's copy that is the article of src with
// identity id and keys, seen before, or -1: the copy of src with the same
// identity, else one sharing a key with it that is no other item of the
// feed (see otherItem).
func copyOf(e *feed.Entry, src Source, id string, keys []string) int {
	if id != "" {
		for i, c := range e.Copies {
			if c.SourceID == src.ID && copyIdentity(c) == id {
				return i
			}
		}
	}
	for i, c := range e.Copies {
		if c.SourceID != src.ID {
			continue
		}
		if cid := copyIdentity(c); cid != id && src.listed(cid) {
			continue
		}
		for _, k := range c.Keys {
			for _, want := range keys {
				if k == want {
					return i
				}
			}
		}
	}
	return -1
}

// ownEntry finds the entry an item kept apart from another item of its
// feed made before: that other item's entry holds the keys the two share,
// and keys are never taken from an entry, so the item may own none of its
// own (no GUID, a link its feed's other item has, too little text); its
// entry is then found under the id its keys give it (entryID). Without
// this it was created anew, reported new, at every fetch.
func ownEntry(tx feed.Tx, src Source, a *feed.Article, keys []string) (Match, error) {
	e, err := tx.Entry(entryID(keys))
	switch {
	case errors.Is(err, feed.ErrNotFound):
		return Match{}, nil
	case err != nil:
		return Match{}, fmt.Errorf("entry %s: %w", entryID(keys), err)
	case copyOf(e, src, ItemIdentity(a.GUID, a.Link), keys) < 0:
		return Match{}, nil
	}
	return Match{Entry: e, Rule: ruleOf(keys[0]), Score: 1}, nil
}

// stockWords: a text this short that two posts share word for word may be
// stock text (a licence note under photos, a sign-off under link posts)
// rather than one article; see stockText.
const stockWords = 50

// stockText reports whether article a, whose whole text entry e has (its
// text key, or the near-duplicate rules' resemblance), is nevertheless
// another post: both are short, come
// from other sources, and their titles share no word ("Heron at low tide",
// "Fog over the breakwater", each a photo over the same licence note).
// Retitled cross-posts of real articles are longer, or keep a word of their
// title.
func stockText(e *feed.Entry, a *feed.Article) bool {
	if len(lowerWords(a.Text)) >= stockWords || strings.TrimSpace(a.Title) == "" {
		return false
	}
	mine := wordSet(titleWords(a.Title))
	for _, c := range e.Copies {
		if c.SourceID == a.SourceID || c.Title == "" {
			return false
		}
		for _, w := range titleWords(c.Title) {
			if mine[w] {
				return false
			}
		}
	}
	return true
}

// linkPostContainment: below this share of the shorter text's shingles
// found in the other, two items with the same link are two writers'
// posts about what it points to, not copies of one article. Copies,
// excerpts and reformatted cross-posts share most of their shingles
// (0.9 and up); commentaries on one article share at most a quotation.
const linkPostContainment = 0.2

// linkPost reports whether article a of src, which shares its link with
// entry e, is a post of its own about that link: link blogs (Daring
// Fireball, Kottke) give the article they comment on as their items'
// link, and two of them on one article were merged, the second writer's
// words dropped. Both texts must be long enough to compare; a bare link
// or a one-line note is taken as a copy, as an aggregator's is.
func (id *Identifier) linkPost(e *feed.Entry, src Source, a *feed.Article) bool {
	// A link on the article's own site, or on a copy's, is the page of
	// the post itself, whose publisher is then among the copies: its
	// teaser and a planet's full text are one article.
	if slices.ContainsFunc(e.Copies, func(c feed.Copy) bool { return c.SourceID == src.ID || ownLink(c) }) ||
		sameSite(host(a.Link), host(src.SiteURL)) {
		return false
	}
	words := lowerWords(a.Text)
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
