package benchstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/identify"
	"github.com/tributary/tributary/scripts/benchdata"
	"github.com/tributary/tributary/storage"
)

// Sources is the number of sources entries are spread over.
const Sources = 1000

// format names how stores are built and stored; a store whose marker
// records another is built again. 2: entries in storage's CBOR codec.
// 3: time index records hold the entries' checksums. 4: the store has the
// counts bucket, which a writable Open builds on a format 3 store. 5: the
// counts' marker records the entry count (a writable Open rebuilds the
// counts of a format 4 store).
const format = 5

// Path is where the store of n entries is kept.
func Path(n int) string {
	return filepath.Join(os.TempDir(), fmt.Sprintf("tributary-bench-%d.db", n))
}

// Open opens the store of n entries, building it first when it is missing.
// A writable open waits up to ten minutes for another process to release
// the store.
func Open(ctx context.Context, n int, opts storage.Options, progress func(done int)) (*storage.DB, error) {
	if err := Ensure(ctx, n, progress); err != nil {
		return nil, err
	}
	if opts.Timeout == 0 {
		opts.Timeout = 10 * time.Minute
	}
	return storage.Open(Path(n), opts)
}

// Ensure builds the store of n entries unless a complete one exists. A
// lock file serialises builders across processes.
func Ensure(ctx context.Context, n int, progress func(done int)) error {
	path := Path(n)
	lock, err := os.OpenFile(path+".lock", os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return fmt.Errorf("bench store %s: %w", path, err)
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		return fmt.Errorf("bench store %s: lock: %w", path, err)
	}
	defer func() { _ = syscall.Flock(int(lock.Fd()), syscall.LOCK_UN) }()
	st, err := ReadStats(n)
	if err == nil && st.Format == format {
		return nil
	}
	if err == nil && (st.Format == 3 || st.Format == 4) {
		return addCounts(path, st)
	}
	if err := os.Remove(path + ".complete"); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("bench store %s: %w", path, err)
	}
	tmp := path + ".building"
	if err := os.Remove(tmp); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("bench store %s: %w", path, err)
	}
	stats, err := Build(ctx, tmp, n, progress)
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("bench store %s: %w", path, err)
	}
	b, err := json.Marshal(stats)
	if err != nil {
		return err
	}
	return os.WriteFile(path+".complete", b, 0o600)
}

// addCounts brings a format 3 or 4 store to the current format by opening
// it for writing, which builds its counts, instead of building it again
// (21 minutes at 1,000,000 entries).
func addCounts(path string, st Stats) error {
	db, err := storage.Open(path, storage.Options{Timeout: 10 * time.Minute})
	if err != nil {
		return fmt.Errorf("bench store %s: %w", path, err)
	}
	if err := db.Close(); err != nil {
		return fmt.Errorf("bench store %s: %w", path, err)
	}
	st.Format = format
	b, err := json.Marshal(st)
	if err != nil {
		return err
	}
	return os.WriteFile(path+".complete", b, 0o600)
}

// Stats describe a built store.
type Stats struct {
	Entries int `json:"entries"`
	// RawBytes is the size of what the entries republish: the title, link,
	// author, categories and HTML of each entry's article, as published.
	RawBytes int64 `json:"raw_bytes"`
	Format   int   `json:"format"`
}

// ReadStats returns the Stats recorded when the store of n entries was
// built.
func ReadStats(n int) (Stats, error) {
	var st Stats
	b, err := os.ReadFile(Path(n) + ".complete")
	if err != nil {
		return st, fmt.Errorf("bench store of %d entries: %w", n, err)
	}
	if err := json.Unmarshal(b, &st); err != nil {
		return st, fmt.Errorf("bench store of %d entries: stats: %w", n, err)
	}
	return st, nil
}

// Build writes a new store of n entries at path, in transactions of 2,000
// articles: one per fetched feed would take hours of fsyncs, and bbolt
// splits nodes only at commit, so a transaction of many more random keys
// spends its time moving the growing nodes' elements.
func Build(ctx context.Context, path string, n int, progress func(done int)) (Stats, error) {
	st := Stats{Entries: n, Format: format}
	db, err := storage.Open(path, storage.Options{})
	if err != nil {
		return st, err
	}
	defer db.Close()
	id := identify.New(nil)
	const batch = 2_000
	for start := 0; start < n; start += batch {
		err := db.Update(ctx, func(tx feed.Tx) error {
			for i := start; i < min(start+batch, n); i++ {
				a, src := Article(i)
				st.RawBytes += int64(len(a.Title) + len(a.Link) + len(a.Author) + len(a.Content) +
					len(a.Categories[0]) + len(a.Categories[1]))
				if _, _, err := id.Apply(tx, src, &a, a.Published.Add(time.Minute)); err != nil {
					return fmt.Errorf("article %d: %w", i, err)
				}
				if i%20 == 0 {
					c, csrc := CrossPost(i)
					if _, _, err := id.Apply(tx, csrc, &c, c.Published.Add(time.Minute)); err != nil {
						return fmt.Errorf("cross-post of %d: %w", i, err)
					}
				}
			}
			return nil
		})
		if err != nil {
			return st, fmt.Errorf("build %s: %w", path, err)
		}
		if progress != nil {
			progress(min(start+batch, n))
		}
	}
	return st, nil
}

// Source is the source of entry i's article.
func Source(i int) identify.Source {
	s := i % Sources
	return identify.Source{
		Source:  feed.Source{ID: fmt.Sprintf("src%03d", s), Name: fmt.Sprintf("Source %d", s)},
		FeedURL: fmt.Sprintf("https://blog%d.example/feed/", s),
		SiteURL: fmt.Sprintf("https://blog%d.example/", s),
		Title:   fmt.Sprintf("Blog %d", s),
	}
}

// Article is the article entry i was created from, normalised as ingesting
// would have made it, with the source that published it. For i at or beyond
// a store's size it is an article the store does not hold. Its HTML is
// between 1 and 6 KB (3.5 KB on average).
func Article(i int) (feed.Article, identify.Source) {
	src := Source(i)
	s := i % Sources
	seed := uint64(i) + 1<<40
	a := benchdata.NewArticle(seed, 1000+int(seed*2654435761%5000))
	published := benchdata.Epoch.Add(time.Duration(i) * time.Minute)
	return feed.Article{
		SourceID:   src.ID,
		GUID:       fmt.Sprintf("https://blog%d.example/?p=%d", s, i),
		Link:       fmt.Sprintf("https://blog%d.example/%d/post-%d/", s, published.Year(), i),
		Title:      a.Title,
		Author:     fmt.Sprintf("Author %d", i%7),
		Content:    a.HTML,
		Text:       a.Text,
		Categories: []string{categories[i%len(categories)], categories[(i/7)%len(categories)]},
		Lang:       "en",
		Published:  published,
		Updated:    published,
	}, src
}

// CrossPost is a copy of Article(i) on another source an hour later, under
// its own GUID and link, retitled and lightly edited: feed/identify merges it
// into entry i as a near-duplicate.
func CrossPost(i int) (feed.Article, identify.Source) {
	a, _ := Article(i)
	other := (i%Sources + Sources/2) % Sources
	src := Source(other)
	edited := benchdata.Edited(benchdata.Article{Title: a.Title, HTML: a.Content, Text: a.Text}, uint64(i))
	a.SourceID = src.ID
	a.GUID = fmt.Sprintf("https://blog%d.example/?p=x%d", other, i)
	a.Link = fmt.Sprintf("https://blog%d.example/copies/%d/", other, i)
	a.Title = src.Title + ": " + a.Title
	a.Content, a.Text = edited.HTML, edited.Text
	a.Published = a.Published.Add(time.Hour)
	a.Updated = a.Published
	return a, src
}

var categories = []string{"news", "science", "tech", "music", "books", "travel", "food", "sport",
	"politics", "health", "film", "art", "history", "design", "games", "cities", "climate", "energy",
	"work", "money", "space", "sea", "rail", "garden", "photo", "radio", "code", "law", "school", "maps"}
