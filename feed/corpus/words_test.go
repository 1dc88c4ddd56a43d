package corpus

import (
	"strings"
	"testing"
)

// TestStylesShareNoWording: the second corpus must be "other wording", not
// the first one reseeded.
func TestStylesShareNoWording(t *testing.T) {
	a, b := vocabFor(0), vocabFor(1)
	lists := []struct {
		name string
		of   func(v *vocab) []string
	}{
		{"sentences", func(v *vocab) []string { return v.sentences }},
		{"quotes", func(v *vocab) []string { return v.quotes }},
		{"clauses", func(v *vocab) []string { return v.clauses }},
		{"titles", func(v *vocab) []string { return v.titles }},
		{"blogs", func(v *vocab) []string { return append(append(append([]string{}, v.blogs...), v.groups...), v.news...) }},
		{"footers", func(v *vocab) []string { return footerHTML(v.crossFooters) }},
		{"share blocks", func(v *vocab) []string { return footerHTML(v.shareBlocks) }},
		{"series", func(v *vocab) []string {
			var out []string
			for _, s := range v.series {
				out = append(out, s.title, s.intro, s.outro)
			}
			return out
		}},
		{"bios", func(v *vocab) []string { return v.bio }},
		{"edit markers", func(v *vocab) []string { return v.editMarkers }},
		{"topics", func(v *vocab) []string {
			var out []string
			for _, tp := range v.topics {
				out = append(out, tp.name)
			}
			return out
		}},
	}
	for _, l := range lists {
		seen := map[string]bool{}
		for _, s := range l.of(a) {
			seen[s] = true
		}
		for _, s := range l.of(b) {
			if seen[s] {
				t.Errorf("%s: both styles have %q", l.name, s)
			}
		}
	}
}

func footerHTML(fs []footer) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.html)
	}
	return out
}

func TestWordForms(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"ferry", "ferries"}, {"bus shelter", "bus shelters"}, {"box", "boxes"}, {"bench", "benches"},
		{"lending shelf", "lending shelves"}, {"day", "days"},
	} {
		if got := plural(tc.in); got != tc.want {
			t.Errorf("plural(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
	for _, tc := range []struct{ in, want string }{
		{"a unseasonal gale", "an unseasonal gale"}, {"a unanimous vote", "a unanimous vote"},
		{"A early frost", "An early frost"}, {"a hour", "an hour"}, {"a “quiet” one", "a “quiet” one"},
	} {
		if got := fixArticles(tc.in); got != tc.want {
			t.Errorf("fixArticles(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
	if got := slug("Salt & Cedar’s “Best” Day, Part 2!"); got != "salt-cedars-best-day-part-2" {
		t.Errorf("slug = %q", got)
	}
	if got := titleCase("the floodwall at the east waterfront"); !strings.HasPrefix(got, "The Floodwall at the East") {
		t.Errorf("titleCase = %q", got)
	}
}
