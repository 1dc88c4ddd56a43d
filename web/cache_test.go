package web

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/tributary/tributary/feed"
)

// versionedStore counts reads and has a version, as *storage.DB does.
type versionedStore struct {
	memStore
	version atomic.Uint64
	reads   atomic.Int64
}

func (v *versionedStore) Version() uint64 { return v.version.Load() }

func (v *versionedStore) Newest(ctx context.Context, limit int, before string) ([]*feed.Entry, string, error) {
	v.reads.Add(1)
	return v.memStore.Newest(ctx, limit, before)
}

func (v *versionedStore) Entry(ctx context.Context, id string) (*feed.Entry, error) {
	v.reads.Add(1)
	return v.memStore.Entry(ctx, id)
}

func TestPagesAreRenderedOncePerStoreVersion(t *testing.T) {
	store := &versionedStore{memStore: memStore{entries: []*feed.Entry{floodwall()}}}
	store.version.Store(1)
	site := newTestSite(store, Options{Title: "Cached"})
	tests := []struct {
		name      string
		path      string
		change    func()
		wantReads int64
		want      string
	}{
		{"first request renders", "/", nil, 1, "Council Approves Floodwall Plan"},
		{"same version: from memory", "/", nil, 1, "Council Approves Floodwall Plan"},
		{"another page renders", "/entries/a1b2c3d4e5f60718", nil, 2, "Opponents questioned the price."},
		{"and is kept", "/entries/a1b2c3d4e5f60718", nil, 2, "Opponents questioned the price."},
		{"a store change renders again", "/", func() {
			store.entries[0].Title = "Floodwall Plan Amended"
			store.version.Add(1)
		}, 3, "Floodwall Plan Amended"},
		{"new options render again", "/", func() { site.SetOptions(Options{Title: "Renamed"}) }, 4, "<title>Renamed</title>"},
		{"unknown entries are not cached", "/entries/nope", nil, 5, "There is no entry"},
		{"so they are read again", "/entries/nope", nil, 6, "There is no entry"},
	}
	for _, tt := range tests {
		if tt.change != nil {
			tt.change()
		}
		rec, _ := get(t, site, tt.path)
		if got := store.reads.Load(); got != tt.wantReads {
			t.Errorf("%s: %d store reads, want %d", tt.name, got, tt.wantReads)
		}
		if !strings.Contains(rec.Body.String(), tt.want) {
			t.Errorf("%s: page lacks %q", tt.name, tt.want)
		}
	}
}
