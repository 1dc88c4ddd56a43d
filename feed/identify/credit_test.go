package identify

import (
	"testing"
	"time"

	"github.com/tributary/tributary/feed"
)

// TestOriginalCredited: the copy credited as the original is the one that
// published the article, in cases where a later copy used to win, in
// either order of arrival.
func TestOriginalCredited(t *testing.T) {
	// The original's source is configured under its writer's name; its feed
	// is called American Power; its posts live on a subdomain of its site.
	power := Source{Source: feed.Source{ID: "power", Name: "Donald Douglas"}, Title: "American Power",
		FeedURL: "https://americanpower.example/feed", SiteURL: "https://americanpower.example/"}
	medium := src("medium", "Medium", "https://medium.example/")
	permalink := "https://blog.americanpower.example/2010/12/floodwall.html"
	later := t0.Add(13 * time.Hour)
	tests := []struct {
		name       string
		copySrc    Source
		copy       *feed.Article
		origDated  bool
		origLink   string
		copyFooter *feed.Attribution
	}{{
		// The original's posts are on a host of their own, not its site's.
		name:       "a footer linking to the original's permalink",
		copySrc:    medium,
		copy:       article(medium, "m1", "https://medium.example/@dd/floodwall", "Floodwall approved", body, later),
		origLink:   "https://douglas.blogs.example/2010/12/floodwall.html",
		copyFooter: &feed.Attribution{Name: "my blog", URL: "https://douglas.blogs.example/2010/12/floodwall.html"},
	}, {
		name:       "a footer naming the original's feed title",
		copySrc:    group,
		copy:       article(group, "g1", "https://commonplace.example/floodwall", "Floodwall approved", body, later),
		copyFooter: &feed.Attribution{Name: "American Power"},
	}, {
		name:      "no footer, the original's posts on a subdomain of its site",
		copySrc:   medium,
		copy:      article(medium, "m1", "https://medium.example/@dd/floodwall", "Floodwall approved", body, later),
		origDated: true,
	}}
	for _, tc := range tests {
		for _, origFirst := range []bool{true, false} {
			t.Run(tc.name, func(t *testing.T) {
				link := permalink
				if tc.origLink != "" {
					link = tc.origLink
				}
				orig := article(power, "p1", link, "Floodwall approved", body, t0)
				orig.Undated = !tc.origDated
				cp := *tc.copy
				cp.CrossPostedFrom = tc.copyFooter
				id, tx := New(nil), newMemTx()
				var e *feed.Entry
				if origFirst {
					apply(t, id, tx, power, orig, t0)
					_, e = apply(t, id, tx, tc.copySrc, &cp, later)
				} else {
					apply(t, id, tx, tc.copySrc, &cp, later)
					_, e = apply(t, id, tx, power, orig, later)
				}
				if len(e.Copies) != 2 {
					t.Fatalf("%d copies, want 2", len(e.Copies))
				}
				if o := e.OriginalCopy(); o.SourceID != power.ID {
					t.Errorf("original first: %v; credited %s, want %s", origFirst, o.SourceName, power.Name)
				}
			})
		}
	}
}

// TestEditKeepsPublication: a feed with one date per item moves it on when
// the item is edited; the copy keeps its first date, so an edit moves the
// article neither up the feed nor away from the original's claim.
func TestEditKeepsPublication(t *testing.T) {
	id, tx := New(nil), newMemTx()
	orig := article(blog, "p1", "https://harborlight.example/floodwall/", "Floodwall approved", body, t0)
	apply(t, id, tx, blog, orig, t0)
	copyAt := t0.Add(24 * time.Hour)
	apply(t, id, tx, group, article(group, "g1", "https://commonplace.example/floodwall", "Floodwall approved", body, copyAt), copyAt)
	edited := article(blog, "p1", "https://harborlight.example/floodwall/", "Floodwall approved",
		body+" UPDATE: the vote was six to three.", t0.Add(48*time.Hour))
	out, e := apply(t, id, tx, blog, edited, t0.Add(48*time.Hour))
	if out != Updated {
		t.Fatalf("edit: %v, want updated", out)
	}
	if o := e.OriginalCopy(); o.SourceID != blog.ID || !e.Published.Equal(t0) {
		t.Errorf("after the edit: credited %s, published %s; want %s, %s", o.SourceName, e.Published, blog.Name, t0)
	}
	if !e.Updated.Equal(t0.Add(48 * time.Hour)) {
		t.Errorf("after the edit: updated %s, want the edit's date", e.Updated)
	}
}

// TestInvisibleChangeKeepsModified: a change to a copy that readers do not
// see (its title, when another copy's is shown) moves neither the entry's
// Modified nor its Updated, even after an undated edit moved Updated on.
func TestInvisibleChangeKeepsModified(t *testing.T) {
	id, tx := New(nil), newMemTx()
	orig := article(blog, "p1", "https://harborlight.example/floodwall/", "Floodwall approved", body, t0)
	apply(t, id, tx, blog, orig, t0)
	planet := src("planet", "Planet", "https://planet.example/")
	cp := article(planet, "x1", "https://planet.example/x1", "Harbor Light: Floodwall approved", body, t0.Add(time.Hour))
	apply(t, id, tx, planet, cp, t0.Add(time.Hour))
	edited := *orig
	edited.Title = "Floodwall approved, six to three"
	_, e := apply(t, id, tx, blog, &edited, t0.Add(2*time.Hour))
	modified, updated := e.Modified, e.Updated
	cp2 := *cp
	cp2.Title = "Harbor Light — Floodwall approved"
	out, e := apply(t, id, tx, planet, &cp2, t0.Add(3*time.Hour))
	if out != Updated {
		t.Fatalf("copy's edit: %v, want updated", out)
	}
	if !e.Modified.Equal(modified) || !e.Updated.Equal(updated) {
		t.Errorf("an invisible change moved Modified %s → %s, Updated %s → %s", modified, e.Modified, updated, e.Updated)
	}
}
