package corpus

import (
	"fmt"
	"html"
	"math/rand/v2"
	"strings"
	"unicode"
)

// writer synthesises prose from a vocabulary. Every choice comes from r, so
// a writer seeded alike writes alike.
type writer struct {
	r *rand.Rand
	v *vocab
	// hosts are sites that inline links in prose point to.
	hosts []string
	last  string // the template of the last sentence
}

// scope is what a text is about: its topic and the people, places and
// figures it keeps coming back to. Articles on one event share a scope's
// cast, places and numbers, and so their vocabulary.
type scope struct {
	t      *topic
	cast   []string
	places []string
	nums   []int
	// focus is how often the cast, places and numbers are used rather than
	// any person, place or number.
	focus float64
}

func (w *writer) pick(list []string) string { return list[w.r.IntN(len(list))] }

func (w *writer) chance(p float64) bool { return w.r.Float64() < p }

// between returns an int in [lo, hi].
func (w *writer) between(lo, hi int) int { return lo + w.r.IntN(hi-lo+1) }

func (w *writer) person() string { return w.pick(w.v.first) + " " + w.pick(w.v.last) }

// newScope makes the scope of one text about topic t.
func (w *writer) newScope(t *topic) *scope {
	s := &scope{t: t, focus: 0.6}
	for range w.between(1, 3) {
		s.cast = append(s.cast, w.person())
	}
	s.places = []string{w.pick(t.places), w.pick(t.places)}
	s.nums = []int{w.between(3, 95), w.between(3, 95)}
	return s
}

// fill replaces a template's slots. A slot named twice in one template takes
// the same value both times, except {clause}, which is drawn anew.
func (w *writer) fill(tmpl string, s *scope) string {
	bound := map[string]string{}
	headline := false
	var b strings.Builder
	for {
		i := strings.IndexByte(tmpl, '{')
		if i < 0 {
			b.WriteString(tmpl)
			break
		}
		j := strings.IndexByte(tmpl[i:], '}')
		if j < 0 {
			b.WriteString(tmpl)
			break
		}
		b.WriteString(tmpl[:i])
		name := tmpl[i+1 : i+j]
		tmpl = tmpl[i+j+1:]
		key := strings.ToLower(name)
		val, ok := bound[key]
		if !ok || key == "clause" {
			val = w.slot(key, s, bound)
			bound[key] = val
		}
		headline = headline || name != key
		b.WriteString(val)
	}
	if headline {
		return titleCase(fixArticles(b.String()))
	}
	return fixArticles(b.String())
}

func (w *writer) slot(key string, s *scope, bound map[string]string) string {
	t := s.t
	distinct := func(draw func() string, other string) string {
		for range 8 {
			if v := draw(); v != bound[other] {
				return v
			}
		}
		return draw()
	}
	switch key {
	case "n":
		return distinct(func() string { return w.pick(t.nouns) }, "n2")
	case "n2":
		return distinct(func() string { return w.pick(t.nouns) }, "n")
	case "ns":
		return plural(distinct(func() string { return w.pick(t.nouns) }, "n2"))
	case "n2s":
		return plural(distinct(func() string { return w.pick(t.nouns) }, "ns"))
	case "a":
		return w.pick(t.adjs)
	case "gn":
		return w.pick(w.v.nouns)
	case "gns":
		return plural(w.pick(w.v.nouns))
	case "ga":
		return w.pick(w.v.adjs)
	case "v", "vb":
		verbs := t.verbs
		if w.chance(0.35) {
			verbs = w.v.verbs
		}
		base, past := splitVerb(w.pick(verbs))
		if key == "vb" {
			return base
		}
		return past
	case "p":
		if len(s.cast) > 0 && w.chance(s.focus) {
			return s.cast[w.r.IntN(len(s.cast))]
		}
		return w.person()
	case "pl":
		p := w.person()
		if len(s.cast) > 0 && w.chance(s.focus) {
			p = s.cast[w.r.IntN(len(s.cast))]
		}
		return p[strings.LastIndexByte(p, ' ')+1:]
	case "l":
		if len(s.places) > 0 && w.chance(s.focus) {
			return s.places[w.r.IntN(len(s.places))]
		}
		return w.pick(t.places)
	case "num", "num2":
		if len(s.nums) > 0 && w.chance(s.focus) {
			n := s.nums[0]
			if key == "num2" {
				n = s.nums[len(s.nums)-1]
			}
			return fmt.Sprint(n)
		}
		return fmt.Sprint(w.between(2, 95))
	case "numday":
		return fmt.Sprint(w.between(2, 28))
	case "day":
		return w.pick(w.v.days)
	case "mon":
		return w.pick(w.v.months)
	case "mon2":
		return distinct(func() string { return w.pick(w.v.months) }, "mon")
	case "ord":
		return w.pick(w.v.ordinals)
	case "topic":
		return strings.ToLower(t.name)
	case "clause":
		return w.fill(w.pick(w.v.clauses), s)
	}
	return "{" + key + "}"
}

// sentence writes one sentence; some carry a quotation. It never uses the
// template of the sentence before.
func (w *writer) sentence(s *scope) string {
	list := w.v.sentences
	if w.chance(0.12) {
		list = w.v.quotes
	}
	tmpl := w.pick(list)
	for tmpl == w.last {
		tmpl = w.pick(list)
	}
	w.last = tmpl
	return capitalise(w.fill(tmpl, s))
}

// paragraph writes the inner HTML of a paragraph of n sentences, sometimes
// with a link or an emphasised word in it.
func (w *writer) paragraph(s *scope, n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = w.sentence(s)
	}
	if w.chance(0.25) {
		i := w.r.IntN(n)
		parts[i] = w.wrap(parts[i], 2+w.r.IntN(2), func(text string) string {
			href := fmt.Sprintf("https://%s/%d/%s/", w.pick(w.hosts), 2020+w.r.IntN(5), slug(w.fill(w.pick(w.v.linkPhrases), s)))
			return `<a href="` + href + `">` + text + `</a>`
		})
	}
	if w.chance(0.1) {
		i := w.r.IntN(n)
		parts[i] = w.wrap(parts[i], 1, func(text string) string { return "<em>" + text + "</em>" })
	}
	return strings.Join(parts, " ")
}

// wrap wraps k consecutive plain words of a sentence (no markup or
// quotation marks in them) with f.
func (w *writer) wrap(sentence string, k int, f func(string) string) string {
	words := strings.Split(sentence, " ")
	if len(words) < k+2 {
		return sentence
	}
	i := 1 + w.r.IntN(len(words)-k-1)
	for _, word := range words[i : i+k] {
		if strings.ContainsAny(word, "<>“”\"") || !unicode.IsLetter([]rune(word)[0]) {
			return sentence
		}
		if strings.ContainsAny(word[len(word)-1:], ".,;:?!") {
			return sentence
		}
	}
	out := append([]string{}, words[:i]...)
	out = append(out, f(strings.Join(words[i:i+k], " ")))
	return strings.Join(append(out, words[i+k:]...), " ")
}

// block is one top-level element of an article body.
type block struct {
	tag   string // p, h2, ul, blockquote
	inner string // HTML inside the element
}

func (b block) html() string { return "<" + b.tag + ">" + b.inner + "</" + b.tag + ">" }

// body writes an article body of about words words in paragraphs, with the
// occasional heading, list or block quotation in longer ones.
func (w *writer) body(s *scope, words int) []block {
	var out []block
	count := 0
	for count < words {
		n := w.between(2, 6)
		if left := words - count; left < 45 {
			n = max(1, left/14)
		}
		p := block{"p", w.paragraph(s, n)}
		out = append(out, p)
		count += wordCount(p.inner)
		if count >= words || len(out) < 2 {
			continue
		}
		switch x := w.r.Float64(); {
		case words > 350 && x < 0.08:
			out = append(out, block{"h2", capitalise(w.fill(w.pick(w.v.headings), s))})
		case words > 300 && x < 0.13:
			var li []string
			for range w.between(3, 5) {
				li = append(li, "<li>"+capitalise(w.fill(w.pick(w.v.listItems), s))+"</li>")
			}
			out = append(out, block{"ul", strings.Join(li, "")})
			count += 3 * len(li)
		case words > 300 && x < 0.17:
			q := block{"blockquote", "<p>" + w.sentence(s) + " " + w.sentence(s) + "</p>"}
			out = append(out, q)
			count += wordCount(q.inner)
		}
	}
	return out
}

// articleLength draws an article's length in words: mostly 150 to 900, a
// tail of longer pieces.
func (w *writer) articleLength() int {
	switch x := w.r.Float64(); {
	case x < 0.6:
		return w.between(150, 450)
	case x < 0.94:
		return w.between(450, 900)
	default:
		return w.between(900, 1300)
	}
}

// title writes a headline.
func (w *writer) title(s *scope) string {
	return w.fill(w.pick(w.v.titles), s)
}

// plain is the visible text of an HTML fragment.
func plain(s string) string {
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>':
			in = false
			b.WriteByte(' ')
		case !in:
			b.WriteRune(r)
		}
	}
	return strings.Join(strings.Fields(html.UnescapeString(b.String())), " ")
}

// wordCount counts the words of an HTML fragment's text without building
// it: runs of non-space characters outside tags, a tag ending a word.
func wordCount(s string) int {
	n, in, word := 0, false, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '<':
			in, word = true, false
		case c == '>':
			in = false
		case in:
		case c == ' ' || c == '\n' || c == '\t':
			word = false
		case !word:
			word = true
			n++
		}
	}
	return n
}

// firstWords returns the first n words of a fragment's text, reading no
// further than it needs to.
func firstWords(s string, n int) string {
	var words []string
	in, start := false, -1
	end := func(i int) {
		if start >= 0 {
			words = append(words, s[start:i])
			start = -1
		}
	}
	for i := 0; i < len(s) && len(words) < n; i++ {
		switch c := s[i]; {
		case c == '<':
			end(i)
			in = true
		case c == '>':
			in = false
		case in:
		case c == ' ' || c == '\n' || c == '\t':
			end(i)
		case start < 0:
			start = i
		}
	}
	if len(words) < n {
		end(len(s))
	}
	return html.UnescapeString(strings.Join(words, " "))
}

// escapeText escapes text for HTML, leaving typography alone.
func escapeText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}
