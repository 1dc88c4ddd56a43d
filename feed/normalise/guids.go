package normalise

import (
	"strings"

	"github.com/mmcdole/gofeed"
)

// sharedGUIDs returns the GUIDs that several items of one feed carry with
// different links (or, without links, different titles): a feed that
// gives every post its home page, or its own URL, as the GUID. Such a GUID
// names no one post, and taken as the items' identity it made every new
// post replace the one stored before. Their items are told apart as items
// without a GUID are: by their links, else by what they say.
func sharedGUIDs(items []*gofeed.Item) map[string]bool {
	var shared map[string]bool
	links := make(map[string]string, len(items))
	for _, it := range items {
		if it == nil {
			continue
		}
		g := strings.TrimSpace(it.GUID)
		if g == "" {
			continue
		}
		link := StripTracking(strings.TrimSpace(it.Link))
		if link == "" {
			link = "\x00" + strings.TrimSpace(it.Title)
		}
		if first, ok := links[g]; !ok {
			links[g] = link
		} else if first != link {
			if shared == nil {
				shared = map[string]bool{}
			}
			shared[g] = true
		}
	}
	return shared
}

// guid is an item's GUID as published, spaces trimmed, or "" when it is
// shared by items with different links (sharedGUIDs).
func (b *builder) guid(it *gofeed.Item) string {
	g := strings.TrimSpace(it.GUID)
	if b.sharedGUIDs[g] {
		return ""
	}
	return boundedGUID(g)
}

// Len is the number of items taken (Options.MaxItems), nil items included:
// the indexes Digest and Articles take.
func (p *Fetched) Len() int { return len(p.items) }
