package normalise

import (
	"sync"

	"github.com/mmcdole/gofeed"

	"github.com/tributary/tributary/feed"
)

// articles makes the Articles of items, in order, nil items left out, on
// opts.Workers goroutines.
func (b *builder) articles(items []*gofeed.Item) []feed.Article {
	out := make([]feed.Article, len(items))
	workers := min(b.opts.Workers, len(items))
	if workers <= 1 {
		for i, it := range items {
			if it != nil {
				out[i] = b.article(i, it)
			}
		}
	} else {
		// Items are handed out one at a time: their sizes vary too much
		// for fixed shares to keep every worker busy.
		var wg sync.WaitGroup
		next := make(chan int)
		for range workers {
			wg.Go(func() {
				for i := range next {
					out[i] = b.article(i, items[i])
				}
			})
		}
		for i, it := range items {
			if it != nil {
				next <- i
			}
		}
		close(next)
		wg.Wait()
	}
	kept := out[:0]
	for i, it := range items {
		if it != nil {
			kept = append(kept, out[i])
		}
	}
	return kept
}
