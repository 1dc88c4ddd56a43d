package identify

import (
	"slices"
	"strings"

	"github.com/tributary/tributary/feed"
)

// Items of one feed with different GUIDs are different posts, even when
// they share a permalink (a changelog or status page every item links to)
// or their whole text (a templated "open thread", a podcast's stock
// description): merging them kept one and lost the others. The exception
// is a GUID that left the feed as another arrived with its link or text:
// that is the same post under a new GUID (a blog that moved or changed its
// software), and is stored as its edit.

// otherItem reports whether e holds another item of src than the one with
// guid: a copy of src under another GUID that the feed still lists, and no
// copy under guid itself. An article without a GUID is known by its link
// and text alone, and is no other item.
func otherItem(e *feed.Entry, src Source, guid string) bool {
	guid = strings.TrimSpace(guid)
	if guid == "" {
		return false
	}
	other := false
	for _, c := range e.Copies {
		if c.SourceID != src.ID {
			continue
		}
		g := strings.TrimSpace(c.GUID)
		if g == guid {
			return false
		}
		if g != "" && (src.Listed == nil || src.Listed[g]) {
			other = true
		}
	}
	return other
}

// copyOf returns the index of e's copy that is the article of src with guid
// and keys, seen before, or -1: the copy of src under the same GUID, else
// one sharing a key with it that is no other item of the feed (see
// otherItem).
func copyOf(e *feed.Entry, src Source, guid string, keys []string) int {
	guid = strings.TrimSpace(guid)
	if guid != "" {
		for i, c := range e.Copies {
			if c.SourceID == src.ID && strings.TrimSpace(c.GUID) == guid {
				return i
			}
		}
	}
	for i, c := range e.Copies {
		if c.SourceID != src.ID {
			continue
		}
		if g := strings.TrimSpace(c.GUID); guid != "" && g != "" && (src.Listed == nil || src.Listed[g]) {
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
	if slices.ContainsFunc(e.Copies, func(c feed.Copy) bool { return c.SourceID == src.ID }) {
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
