package normalise

import (
	"strings"
	"testing"

	"github.com/tributary/tributary/feed"
)

func TestLearnBoilerplate(t *testing.T) {
	bio := "Maren Holt writes about the harbor and the town council for Harbor Light."
	items := []string{
		"The council voted to build the floodwall along the eastern waterfront.",
		"The ferry moves to its winter timetable on the first of December.",
		"The library stays open until nine on Tuesdays and Thursdays.",
		"Eiders arrived off the breakwater a week earlier than last year.",
	}
	var arts []feed.Article
	for _, body := range items {
		arts = append(arts, feed.Article{Text: body + "\n" + bio + "\nPhoto: staff"})
	}
	learned := LearnBoilerplate(arts, nil)
	if len(learned) != 1 {
		t.Fatalf("learned %d lines, want the bio only", len(learned))
	}
	for i, a := range arts {
		if strings.Contains(a.Text, "Maren Holt writes") {
			t.Errorf("item %d still carries the bio: %q", i, a.Text)
		}
		if !strings.HasPrefix(a.Text, items[i]) || !strings.Contains(a.Text, "Photo: staff") {
			t.Errorf("item %d lost its own text: %q", i, a.Text)
		}
	}

	// A later fetch with a single item still loses the learned bio.
	one := []feed.Article{{Text: "A new post about the regatta.\n" + bio}}
	again := LearnBoilerplate(one, learned)
	if one[0].Text != "A new post about the regatta." || len(again) != 1 {
		t.Errorf("known boilerplate not removed: %q (%d learned)", one[0].Text, len(again))
	}

	// Two items quoting the same sentence teach nothing.
	two := []feed.Article{{Text: "a b c d e\nx"}, {Text: "a b c d e\ny"}}
	if got := LearnBoilerplate(two, nil); got != nil || two[0].Text != "a b c d e\nx" {
		t.Errorf("learned from two items: %v, %q", got, two[0].Text)
	}
}

// TestStripBoilerplate: the new items of a fetch lose the lines learned
// before, and teach nothing even when they share a line: three new posts of
// a series opening alike are not the feed's boilerplate.
func TestStripBoilerplate(t *testing.T) {
	bio := "Maren Holt writes about the harbor and the town council for Harbor Light."
	intro := "This is part of our series on the harbor's history, in five parts."
	learned := []string{lineHash(bio)}
	var arts []feed.Article
	for _, body := range []string{"The first pier.", "The second pier.", "The third pier."} {
		arts = append(arts, feed.Article{Text: intro + "\n" + body + "\n" + bio})
	}
	StripBoilerplate(arts, learned)
	for i, a := range arts {
		if strings.Contains(a.Text, "Maren Holt") || !strings.HasPrefix(a.Text, intro) {
			t.Errorf("item %d: %q, want the bio gone and the intro kept", i, a.Text)
		}
	}
	none := []feed.Article{{Text: bio}}
	StripBoilerplate(none, nil)
	if none[0].Text != bio {
		t.Errorf("nothing known, yet the text became %q", none[0].Text)
	}
}
