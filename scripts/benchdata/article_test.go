package benchdata

import (
	"strings"
	"testing"

	"github.com/tributary/tributary/feed/normalise"
)

// TestTextIsNormalised: stored entries are compared by normalise.Text of
// their HTML, so the generated Text must be exactly that.
func TestTextIsNormalised(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3, 42, 1 << 40} {
		for _, a := range []Article{NewArticle(seed, 3000), Edited(NewArticle(seed, 3000), seed)} {
			if got := normalise.Text(a.HTML); got != a.Text {
				t.Fatalf("seed %d: normalise.Text(HTML) differs from Text:\n%s\n----\n%s", seed, got, a.Text)
			}
		}
	}
}

func TestArticleSize(t *testing.T) {
	a := NewArticle(7, 3000)
	if n := len(a.HTML); n < 3000 || n > 4500 {
		t.Errorf("HTML is %d bytes, want about 3000", n)
	}
	if words := len(strings.Fields(a.Text)); words < 300 {
		t.Errorf("text has %d words", words)
	}
}
