package normalise

import (
	"cmp"
	"slices"
	"time"

	"github.com/mmcdole/gofeed"
)

// newest returns the max newest of items (0: all), in feed order. Most
// feeds list their newest first, but some list the oldest first, and a
// long one of those cut at its first max items kept its oldest posts and
// never showed a new one: so items are ranked by date, an undated item
// (dated when first seen) as the newest, ties by feed order.
func newest(items []*gofeed.Item, max int) []*gofeed.Item {
	if max <= 0 || len(items) <= max {
		return items
	}
	dateOf := func(it *gofeed.Item) (time.Time, bool) {
		if it == nil {
			return time.Time{}, false
		}
		for _, t := range []*time.Time{it.PublishedParsed, it.UpdatedParsed} {
			if t != nil && t.Year() >= 1990 {
				return *t, true
			}
		}
		return time.Time{}, false
	}
	rank := make([]int, len(items))
	for i := range rank {
		rank[i] = i
	}
	slices.SortStableFunc(rank, func(i, j int) int {
		ti, iok := dateOf(items[i])
		tj, jok := dateOf(items[j])
		switch {
		case items[i] == nil || items[j] == nil:
			return cmp.Compare(boolRank(items[i] == nil), boolRank(items[j] == nil))
		case !iok || !jok:
			return cmp.Compare(boolRank(iok), boolRank(jok))
		}
		return tj.Compare(ti)
	})
	keep := rank[:max]
	slices.Sort(keep)
	out := make([]*gofeed.Item, 0, max)
	for _, i := range keep {
		out = append(out, items[i])
	}
	return out
}

// boolRank orders false before true.
func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}
