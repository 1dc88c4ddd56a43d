package identify

import (
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
