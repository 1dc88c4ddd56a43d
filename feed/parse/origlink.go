package parse

import (
	"strings"

	"github.com/mmcdole/gofeed"
)

// OrigLink returns an item's feedburner:origLink, "" when it has none.
//
// FeedBurner-proxied feeds replace each item's link with a tracking redirect
// and keep the publisher's own permalink in this element. gofeed leaves it in
// Item.Extensions["feedburner"]["origLink"]: it files extension elements
// under a canonical prefix for well-known namespaces, so the key is
// "feedburner" whatever prefix the feed itself declared. The same element
// also appears in FeedBurner's Atom feeds and is found the same way.
func OrigLink(item *gofeed.Item) string {
	if item == nil {
		return ""
	}
	for _, e := range item.Extensions["feedburner"]["origLink"] {
		if v := strings.TrimSpace(e.Value); v != "" {
			return v
		}
	}
	return ""
}
