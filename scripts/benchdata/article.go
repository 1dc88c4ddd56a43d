package benchdata

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Article is one generated blog post.
type Article struct {
	Title string
	// HTML is the post's content; Text is normalise.Text(HTML): one line
	// per block, words separated by single spaces.
	HTML, Text string
	// Excerpt is the opening words, as WordPress puts in <description>.
	Excerpt string
}

// vocabulary is the word list articles draw from: syllable compounds, so
// that texts of different seeds share common words (as English texts do)
// but differ in most shingles.
var vocabulary = func() []string {
	syll := strings.Fields("ka lo ri te mu sa ne vi do pa ru me ti lan gor sen mar bel tor fin " +
		"ash ber cal dun el fen gal hal ist jor kel lum mor nal orn pel quin ros sul tam")
	rng := rand.New(rand.NewPCG(1, 2))
	seen := map[string]bool{}
	var words []string
	for len(words) < 6000 {
		var b strings.Builder
		for range 1 + rng.IntN(3) {
			b.WriteString(syll[rng.IntN(len(syll))])
		}
		if w := b.String(); !seen[w] {
			seen[w] = true
			words = append(words, w)
		}
	}
	return words
}()

// writer builds an article's HTML and Text side by side.
type writer struct {
	rng        *rand.Rand
	html, text strings.Builder
	seed       uint64
}

func newWriter(seed, stream uint64) *writer {
	return &writer{rng: rand.New(rand.NewPCG(seed, stream)), seed: seed}
}

// word draws a word; squaring the uniform draw favours the start of the
// list, the way a few words make up most of any text.
func (w *writer) word() string {
	u := w.rng.Float64()
	return vocabulary[int(u*u*float64(len(vocabulary)))]
}

// words returns n words separated by spaces.
func (w *writer) words(n int) string {
	ws := make([]string, n)
	for i := range ws {
		ws[i] = w.word()
	}
	return strings.Join(ws, " ")
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// sentence writes one sentence into the current block: HTML gets some of
// its words linked or emphasised, Text the same words plain.
func (w *writer) sentence(first bool) {
	n := 8 + w.rng.IntN(14)
	if !first {
		w.html.WriteByte(' ')
		w.text.WriteByte(' ')
	}
	for i := range n {
		word := w.word()
		if i == 0 {
			word = capitalise(word)
		}
		if i > 0 {
			w.html.WriteByte(' ')
			w.text.WriteByte(' ')
		}
		switch r := w.rng.IntN(40); {
		case r == 0 && i < n-2:
			more := w.word()
			fmt.Fprintf(&w.html, `<a href="https://ref%d.example/%s/%s">%s %s</a>`, w.rng.IntN(50), word, more, word, more)
			w.text.WriteString(word + " " + more)
			continue
		case r == 1:
			w.html.WriteString("<em>" + word + "</em>")
		case r == 2:
			w.html.WriteString("<strong>" + word + "</strong>")
		default:
			w.html.WriteString(word)
		}
		w.text.WriteString(word)
	}
	if w.rng.IntN(5) == 0 {
		tail := ", " + w.word()
		w.html.WriteString(tail)
		w.text.WriteString(tail)
	}
	w.html.WriteByte('.')
	w.text.WriteByte('.')
}

func (w *writer) newline() {
	if w.text.Len() > 0 {
		w.text.WriteByte('\n')
	}
}

// block writes one block element of the post.
func (w *writer) block(i int) {
	switch r := w.rng.IntN(12); {
	case i > 0 && r == 0:
		h := capitalise(w.words(2 + w.rng.IntN(4)))
		w.html.WriteString("<h2>" + h + "</h2>\n")
		w.newline()
		w.text.WriteString(h)
	case i > 0 && r == 1:
		w.html.WriteString("<ul>")
		for range 2 + w.rng.IntN(3) {
			item := capitalise(w.words(3 + w.rng.IntN(6)))
			w.html.WriteString("<li>" + item + "</li>")
			w.newline()
			w.text.WriteString(item)
		}
		w.html.WriteString("</ul>\n")
	case i > 0 && r == 2:
		fmt.Fprintf(&w.html, `<figure><img src="https://cdn.blog%d.example/img/%d-%d.jpg" alt="%s" width="800" height="533"></figure>`+"\n",
			w.seed%1000, w.seed, i, w.words(3))
	case i > 0 && r == 3:
		w.html.WriteString("<blockquote><p>")
		w.newline()
		w.sentence(true)
		w.html.WriteString("</p></blockquote>\n")
	default:
		w.html.WriteString("<p>")
		w.newline()
		for j := range 2 + w.rng.IntN(4) {
			w.sentence(j == 0)
		}
		w.html.WriteString("</p>\n")
	}
}

// NewArticle generates the article of seed with about size bytes of HTML.
func NewArticle(seed uint64, size int) Article {
	w := newWriter(seed, 0x7a11)
	title := capitalise(w.words(4 + w.rng.IntN(6)))
	for i := 0; w.html.Len() < size; i++ {
		w.block(i)
	}
	a := Article{Title: title, HTML: w.html.String(), Text: w.text.String()}
	a.Excerpt = excerpt(a.Text, 55)
	return a
}

// excerpt returns the first n words of text, with WordPress's ellipsis.
func excerpt(text string, n int) string {
	words := strings.Fields(text)
	if len(words) > n {
		words = words[:n]
	}
	return strings.Join(words, " ") + " [&#8230;]"
}

// Edited returns a lightly edited copy of a: a few words changed, as a
// cross-post that fixed typos or swapped a phrase. Its first line is kept,
// as copies keep an article's opening.
func Edited(a Article, seed uint64) Article {
	w := newWriter(seed, 0xed17)
	lines := strings.Split(a.Text, "\n")
	html := a.HTML
	for i := 1; i < len(lines) && i < 4; i++ {
		ws := strings.Fields(lines[i])
		if len(ws) < 4 {
			continue
		}
		j := 1 + w.rng.IntN(len(ws)-2)
		old := " " + ws[j] + " "
		repl := " " + w.word() + " "
		// Only a phrase found once in both is changed, so that HTML and
		// Text stay the same article.
		if strings.Count(html, old) != 1 || strings.Count(a.Text, old) != 1 {
			continue
		}
		html = strings.Replace(html, old, repl, 1)
		lines[i] = strings.Replace(lines[i], old, repl, 1)
	}
	return Article{Title: a.Title, HTML: html, Text: strings.Join(lines, "\n"), Excerpt: a.Excerpt}
}
