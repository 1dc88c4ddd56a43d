package normalise

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"plain", "Hello world", "Hello world"},
		{"paragraphs are lines", "<p>One.</p><p>Two.</p>", "One.\nTwo."},
		{"inline joined", "<p>In<em>line</em> <b>bold</b> <a href=x>link</a>.</p>", "Inline bold link."},
		{"br breaks", "one<br>two<br/><br/>three", "one\ntwo\nthree"},
		{"blocks", "<h2>Title</h2><div>div</div><ul><li>a</li><li>b</li></ul><blockquote>q</blockquote><figure><img src=x><figcaption>cap</figcaption></figure>", "Title\ndiv\na\nb\nq\ncap"},
		{"table rows are lines, cells spaced", "<table><tr><td>a</td><td>b</td></tr><tr><th>c</th><td>d</td></tr></table>", "a b\nc d"},
		{"entities decoded", "AT&amp;T &lt;3 &#8220;x&#8221; caf&eacute;", "AT&T <3 \"x\" caf\u00e9"},
		{"whitespace folded", "<p>  a \t\n  b  </p>\n\n<p>\u00a0c\u00a0\u00a0d </p>", "a b\nc d"},
		{"source newlines are spaces in html", "<p>a hard\nwrapped\nline</p>", "a hard wrapped line"},
		{"curly quotes straightened", "\u2018single\u2019 \u201cdouble\u201d it\u2019s \u201elow\u201c", "'single' \"double\" it's \"low\""},
		{"dashes and ellipsis", "a \u2013 b \u2014 c\u2026", "a - b - c..."},
		{"nbsp and narrow nbsp", "a\u00a0b\u202fc", "a b c"},
		{"invisible characters dropped", "in\u00advisi\u200bble\ufeff", "invisible"},
		{"control characters are spaces", "a\x01b\x7fc", "a b c"},
		{"nfc", "cafe\u0301", "caf\u00e9"},
		{"script and style skipped", "<p>a<script>var x = 1;</script>b</p><style>p{}</style><noscript>n</noscript>", "ab"},
		{"alt text left out", `<p>see <img src="a.png" alt="a cat"> here</p>`, "see here"},
		{"pre keeps lines", "<pre>line 1\n  line 2\n\nline 3</pre>", "line 1\nline 2\nline 3"},
		{"plain text newlines are lines", "First paragraph.\n\nSecond\nparagraph.", "First paragraph.\nSecond\nparagraph."},
		{"comments skipped", "a<!-- hidden -->b", "ab"},
		{"unclosed tags", "<p>a<p>b<div>c", "a\nb\nc"},
		{"invalid utf-8 replaced", "a\xffb", "a\ufffdb"},
		{"full document", "<html><head><title>t</title></head><body><p>x</p></body></html>", "x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Text(tt.in)
			if got != tt.want {
				t.Errorf("Text(%q) =\n%q\nwant\n%q", tt.in, got, tt.want)
			}
			if stable(got) {
				if again := Text(got); again != got {
					t.Errorf("Text not stable on its output: %q -> %q", got, again)
				}
			}
		})
	}
}

func TestTextSameForCopies(t *testing.T) {
	// One article as two sites' CMSs render it.
	a := `<div class="entry"><p>It&#8217;s the river&nbsp;&#8212; not the sea&#8230;</p>
<p>Second <strong>para</strong>graph.</p></div>`
	b := "<p>It\u2019s the river \u2013 not the sea\u2026</p>\n\n\n<p>Second paragraph.</p>"
	if Text(a) != Text(b) {
		t.Errorf("copies differ:\n%q\n%q", Text(a), Text(b))
	}
}

func TestInlineText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"  A &amp; B  ", "A & B"},
		{"<b>Bold</b> title\n with  breaks", "Bold title with breaks"},
		{"It\u2019s \u201cquoted\u201d", "It\u2019s \u201cquoted\u201d"}, // typography kept for readers
		{"<p>one</p><p>two</p>", "one two"},
		{"", ""},
		{"<em>Dune</em> reviewed<br>again", "Dune reviewed again"},
		{"AT&amp;T <i>and</i> you", "AT&T and you"},
		// Tags mentioned in words are words (QA: titles were cut at
		// "<script>" or lost their "<String>").
		{"The <script> element explained in depth", "The <script> element explained in depth"},
		{"Understanding <textarea> and form fields", "Understanding <textarea> and form fields"},
		{"Why <title> matters", "Why <title> matters"},
		{"Generics: List<String> versus List<T> in Java", "Generics: List<String> versus List<T> in Java"},
		{"Use <div> wisely", "Use <div> wisely"},
		{"Why <template> &amp; x < y matter", "Why <template> & x < y matter"},
		{"Close </b> before <b>", "Close before"},
		{"x < y and y > z", "x < y and y > z"},
		{"<custom-tag>hi</custom-tag>", "hi"},
		// One closed element makes the rest markup too; Word's <o:p>.
		{"<em>a</em> and <b>b unclosed", "a and b unclosed"},
		{"Hello world<o:p></o:p>", "Hello world"},
		{"Line<br>break", "Line break"},
		{"Vector<int> and <div> and </p> stray", "Vector<int> and <div> and </p> stray"},
		// Generic type parameters are no formatting (review).
		{"Why Into<U> is implemented when U: From<T>", "Why Into<U> is implemented when U: From<T>"},
		{"Box<B> vs Rc<B>", "Box<B> vs Rc<B>"},
		{"Implementing Iterator<I> for Peekable<I>", "Implementing Iterator<I> for Peekable<I>"},
		// Formatting left open is sloppy markup, not a mention.
		{"Read <em>this now", "Read this now"},
		{"Q&amp;A: <b>Go 1.22", "Q&A: Go 1.22"},
		{"<p>Weekly notes", "Weekly notes"},
		// Markup is still markup: a closed script, a tag with attributes.
		{"safe<script type=\"text/javascript\">location.href='/x'</script> description", "safe description"},
		{"An <abbr title=\"HyperText\">HTML tip", "An HTML tip"},
	}
	for _, tt := range tests {
		if got := inlineText(tt.in); got != tt.want {
			t.Errorf("inlineText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// stable reports whether Text must be a fixed point on s: entities and
// markup in a text are read again as HTML on the next call.
func stable(s string) bool {
	return !strings.ContainsAny(s, "<&")
}

func FuzzText(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		got := Text(s)
		if got != strings.TrimSpace(got) || strings.Contains(got, "\n\n") {
			t.Fatalf("Text(%q) = %q: untrimmed or empty line", s, got)
		}
		if stable(got) {
			if again := Text(got); again != got {
				t.Fatalf("Text(%q) = %q, Text of that = %q", s, got, again)
			}
		}
	})
}

// FuzzInlineText: a title is one trimmed line, and reading it again
// changes nothing when it holds nothing to read as markup.
func FuzzInlineText(f *testing.F) {
	for _, s := range []string{"The <script> element", "<em>Dune</em> reviewed", "List<T>", "A &amp; B", "</b><b>", "<br/>x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := inlineText(s)
		if got != strings.TrimSpace(got) || strings.Contains(got, "\n") {
			t.Fatalf("inlineText(%q) = %q: not one trimmed line", s, got)
		}
		if stable(got) {
			if again := inlineText(got); again != got {
				t.Fatalf("inlineText(%q) = %q, inlineText of that = %q", s, got, again)
			}
		}
	})
}

func TestHeadline(t *testing.T) {
	long := strings.Repeat("長", 120)
	tests := []struct{ in, want string }{
		{"<p>Three herons on the mudflat at dawn, and a fourth flying in from the estuary.</p>", "Three herons on the mudflat at dawn, and a fourth…"},
		{"<p>Short note.</p><p>Second paragraph.</p>", "Short note."},
		{"<p>It’s   here,</p>", "It’s here,"},
		{"<p>One two three four five six seven eight nine ten, eleven</p>", "One two three four five six seven eight nine ten…"},
		{"<p>" + long + "</p>", strings.Repeat("長", 100) + "…"},
		{"<img src=\"a.png\">", ""},
		// Review: a task list's checkbox hid the text after it; deep
		// indentation counted as words; a blank alt hid a later one.
		{"<ul><li><input type=\"checkbox\" disabled> Buy milk and bread</li></ul>", "Buy milk and bread"},
		{"<p>" + strings.Repeat(" ", 420) + "Herons at dawn</p>", "Herons at dawn"},
		{"<p>Herons" + strings.Repeat(" ", 420) + "at dawn</p>", "Herons at dawn"},
		{"<img src=\"a.png\" alt=\"  \"><img src=\"b.png\" alt=\"Gulls\">", "Gulls"},
		// A photo post is titled with its photo's description.
		{"<p><img src=\"a.png\" alt=\"\"><img src=\"b.png\" alt=\"Gulls  over the breakwater\"></p>", "Gulls over the breakwater"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Headline(tt.in, 10); got != tt.want {
			t.Errorf("Headline(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzHeadline: a headline is one trimmed line of at most 100 characters
// and the ellipsis.
func FuzzHeadline(f *testing.F) {
	for _, s := range []string{"<p>Three herons on the mudflat at dawn, and a fourth.</p>", "<img alt=\"Gulls\">", "<script>x</script>text", "長長長"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h := Headline(s, 10)
		if h != strings.TrimSpace(h) || strings.ContainsAny(h, "\n\r") || utf8.RuneCountInString(h) > headlineRunes+1 {
			t.Fatalf("Headline(%q) = %q: not one trimmed line of at most %d characters", s, h, headlineRunes+1)
		}
	})
}
