package ingest_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/fetch"
	"github.com/tributary/tributary/feed/ingest"
	"github.com/tributary/tributary/storage"
)

// TestRetentionTombstonesKeepRemovedEntriesOut: entries removed by
// retention stay removed although the upstream still lists them.
func TestRetentionTombstonesKeepRemovedEntriesOut(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "feed.xml")
	var b strings.Builder
	b.WriteString(`<rss version="2.0"><channel><title>T</title><link>https://t.example/</link><description>d</description>`)
	for i := range 10 {
		fmt.Fprintf(&b, `<item><title>Post %d</title><link>https://t.example/%d</link><guid>g%d</guid><pubDate>%s</pubDate></item>`,
			i, i, i, time.Date(2026, 11, 1+i, 0, 0, 0, 0, time.UTC).Format(time.RFC1123Z))
	}
	b.WriteString(`</channel></rss>`)
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	db, err := storage.Open(filepath.Join(dir, "t.db"), storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	in := ingest.New(db, fetch.New(fetch.Options{}), ingest.Options{})
	src := []feed.Source{{ID: "t", Name: "T", URL: path}}
	p := ingest.Politeness{Retention: ingest.Retention{MaxEntries: 4}}
	ctx := context.Background()
	for round := range 2 {
		if _, err := in.Round(ctx, src, ingest.Force, p); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		entries, _, err := db.Newest(ctx, 0, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 4 || entries[0].Title != "Post 9" || entries[3].Title != "Post 6" {
			t.Fatalf("round %d: %d entries, want the newest 4 (Post 9..6)", round, len(entries))
		}
	}
}
