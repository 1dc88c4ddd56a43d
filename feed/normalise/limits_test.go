package normalise

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestClipText(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"exactly ten", 11, "exactly ten"},
		{"one two three four", 17, "one two three…"}, // cut at the space near the end
		{"one two three four", 12, "one two thr…"},   // a space too far back is not used
		{"abcdefghijklmnop", 8, "abcdefg…"},          // no space: cut mid-word
		{"café crème brûlée", 14, "café crème…"},
		{"日本語のテキストです", 4, "日本語…"},
		{"ab", 1, "…"},
		{"trailing   spaces   here", 12, "trailing…"},
	}
	for _, tt := range tests {
		if got := clipText(tt.in, tt.n); got != tt.want {
			t.Errorf("clipText(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

func TestBoundedFields(t *testing.T) {
	if got := clipRaw("ééé", 3); got != "é" {
		t.Errorf("clipRaw on a rune boundary: %q", got)
	}
	short := "tag:example.org,2026:1"
	if got := boundedGUID(short); got != short {
		t.Errorf("boundedGUID(%q) = %q", short, got)
	}
	long := strings.Repeat("g", maxGUIDBytes+1)
	got := boundedGUID(long)
	if !strings.HasPrefix(got, guidDigestPrefix) || len(got) > 100 || got != boundedGUID(long) {
		t.Errorf("boundedGUID of %d bytes = %q: want a stable digest", len(long), got)
	}
	if boundedGUID(long+"h") == got {
		t.Error("two long GUIDs share a digest")
	}
	if u := httpURL("https://e.example/" + strings.Repeat("p", maxURLBytes)); u != "" {
		t.Errorf("a URL of %d bytes was kept", len(u))
	}
	title := boundedText("<b>"+strings.Repeat("word ", 100000)+"</b>", maxTitleRunes)
	if n := utf8.RuneCountInString(title); n > maxTitleRunes || !strings.HasSuffix(title, "word…") {
		t.Errorf("bounded title of %d runes ends %q", n, title[len(title)-10:])
	}
}

// FuzzClipText: a clipped text is valid UTF-8, within its bound (the
// ellipsis included), and a prefix of the text (before the ellipsis); a text within
// its bound is untouched.
func FuzzClipText(f *testing.F) {
	f.Add("one two three four", 12)
	f.Add("日本語のテキストです", 4)
	f.Add("a\u00a0b\u2003c", 2)
	f.Fuzz(func(t *testing.T, s string, n int) {
		if n < 1 || n > 1<<16 || !utf8.ValidString(s) {
			return
		}
		got := clipText(s, n)
		if utf8.RuneCountInString(s) <= n {
			if got != s {
				t.Fatalf("clipText(%q, %d) = %q: changed a text within bounds", s, n, got)
			}
			return
		}
		if !utf8.ValidString(got) || utf8.RuneCountInString(got) > n || !strings.HasSuffix(got, "…") ||
			!strings.HasPrefix(s, strings.TrimSuffix(got, "…")) {
			t.Fatalf("clipText(%q, %d) = %q", s, n, got)
		}
	})
}

// An item's HTML over the bound loses its inline data: URIs first (the
// sanitiser drops them anyway): a notebook post's figures no longer cost
// the text after them (review of 2d11d09). HTML still over it is cut,
// and the cut marked.
func TestBoundedHTML(t *testing.T) {
	figure := `<img alt="plot" src="data:image/png;base64,` + strings.Repeat("A", maxBodyBytes) + `">`
	got := boundedHTML("<p>Intro.</p>" + figure + "<p>The conclusion that matters.</p>")
	if !strings.Contains(got, `<img alt="plot" src="">`) || !strings.HasSuffix(got, "<p>The conclusion that matters.</p>") {
		t.Errorf("data: URI not emptied, or the text after it lost: …%s", got[max(0, len(got)-80):])
	}
	long := "<p>" + strings.Repeat("word ", maxBodyBytes/4) + "</p>"
	if got := boundedHTML(long); len(got) > maxBodyBytes+10 || !strings.HasSuffix(got, " …") {
		t.Errorf("over the bound: %d bytes, ends %q", len(got), got[len(got)-10:])
	}
	if short := "<p>short</p>"; boundedHTML(short) != short {
		t.Error("HTML within the bound changed")
	}
}
