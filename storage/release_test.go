package storage

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"testing"

	"github.com/tributary/tributary/feed"
)

// Releasing the mapped pages, however often and whatever runs beside it,
// changes nothing read: a dropped page reads back from the file. Writers
// that grow the file (bbolt then moves its mapping) run throughout.
func TestReleaseMappedKeepsEveryPage(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	for i := range 200 {
		put(t, db, tagged(fmt.Sprintf("e%03d", i), i, []string{"a"}))
	}
	before := window(t, db, Query{Limit: 200})
	var releaser, writer sync.WaitGroup
	stop := make(chan struct{})
	releaser.Add(1)
	go func() {
		defer releaser.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			if err := db.releaseMapped(); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	writer.Add(1)
	go func() {
		defer writer.Done()
		for i := range 300 {
			e := tagged(fmt.Sprintf("w%03d", i), 1000+i, []string{"b"})
			e.Content = string(make([]byte, 8<<10)) // grows the file
			if err := db.Update(ctx, func(tx feed.Tx) error { return tx.PutEntry(e) }); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	for range 200 {
		w, err := db.Window(ctx, Query{Limit: 200, Skip: 0, Selection: Selection{Sources: []string{"a"}}})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(ids(w.Entries), ids(before.Entries)) {
			t.Fatalf("after release: %q, want %q", ids(w.Entries), ids(before.Entries))
		}
	}
	writer.Wait()
	close(stop)
	releaser.Wait()
	if p := indexProblems(t, db); len(p) > 0 {
		t.Fatal(p)
	}
}

// The release decision reads the process's resident file-backed memory;
// where it is read, it is never zero (the binary itself is mapped).
func TestMappedResident(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("read from /proc on Linux only")
	}
	if n := mappedResident(); n <= 0 {
		t.Errorf("mappedResident() = %d", n)
	}
}
