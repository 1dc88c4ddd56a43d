package web

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestExcerpt(t *testing.T) {
	long := strings.Repeat("word ", 100)
	tests := []struct {
		name, in string
		max      int
		want     string
	}{
		{"plain", "<p>Hello <b>world</b>.</p>", 100, "Hello world."},
		{"blocks separate words", "<p>one</p><p>two</p><ul><li>three</li><li>four</li></ul>", 100, "one two three four"},
		{"inline tags do not", "<p>un<em>believ</em>able</p>", 100, "unbelievable"},
		{"whitespace folded", "<p>  a\n\n\tb   c </p>", 100, "a b c"},
		{"entities decoded", "<p>Fish &amp; chips &lt;3 &#8212; yes</p>", 100, "Fish & chips <3 — yes"},
		{"hidden text skipped", "<style>p{}</style><p>seen</p><script>alert(1)</script>", 100, "seen"},
		{"cut at a word boundary", "<p>The council voted six to three on Tuesday night.</p>", 24, "The council voted six…"},
		{"trailing punctuation dropped", "<p>First clause, second clause here.</p>", 14, "First clause…"},
		{"one long word is cut", "<p>Supercalifragilisticexpialidocious</p>", 10, "Supercalif…"},
		{"runes, not bytes", "<p>ééééé ééééé ééééé</p>", 12, "ééééé ééééé…"},
		{"long text", long, 40, strings.TrimSpace(strings.Repeat("word ", 8)) + "…"},
		{"empty", "", 10, ""},
		{"plain text input", "no markup at all", 100, "no markup at all"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := excerpt(tt.in, tt.max)
			if got != tt.want {
				t.Errorf("excerpt = %q, want %q", got, tt.want)
			}
			if n := utf8.RuneCountInString(strings.TrimSuffix(got, "…")); n > tt.max {
				t.Errorf("excerpt has %d characters, more than %d", n, tt.max)
			}
		})
	}
}
