package corpus

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// vocab is one wording style: every word, template and name the generator
// writes with. Two styles share no sentence template, footer phrasing or
// blog name, so that a corpus of one style says nothing about the other.
//
// Templates use slots in braces: {n} {n2} a topic noun, {ns} its plural, {a}
// a topic adjective, {gn} {gns} {ga} general nouns and adjectives, {v} a past
// tense (always also the past participle), {vb} a base verb, {p} a person,
// {pl} a last name, {l} a place, {num} {num2} numbers, {day} {mon} {mon2}
// {ord} calendar words. Where a whole item is templated: {t} a title, {blog}
// the original blog, {group} the republishing site, {site} and {link} their
// addresses.
type vocab struct {
	first, last []string
	topics      []topic
	nouns       []string // general nouns
	adjs        []string // general adjectives
	verbs       []string // general verbs, "base/past"
	sentences   []string
	quotes      []string // sentences carrying a quotation
	clauses     []string // what people are quoted saying, no final stop
	titles      []string
	headings    []string
	listItems   []string
	linkPhrases []string // link text inside prose

	blogs, groups, news                     []string
	planet, digest, aggregator, syndication string

	// crossFooters name the original: {blog} {site} {link} {t}.
	crossFooters []footer
	// shareBlocks are share boilerplate: {link} {enc} {enct}.
	shareBlocks []footer
	// topNotes are notes a republisher puts above the article.
	topNotes []footer
	readMore []string
	ellipsis string

	retitles     []footer // "[Cross-post] {t}", "{t} | {group}"…
	planetTitle  string
	generic      []string
	genericShort []string // bodies below twenty words, the same on any blog
	genericLong  []string // bodies that differ by their slots
	series       []seriesDef
	partTitles   [2]string
	part2Intro   string
	bio          []string // about-the-author blocks: {p} {topic} {l}
	editTitles   []string // {t}
	editMarkers  []string // the sentence an edit adds
	summaries    []string // an aggregator's line under a link: {blog}
	captions     []string // image captions: {p}

	days, months, ordinals []string
}

// footer is one phrasing with the name a test report gives it.
type footer struct {
	name, html string
}

// topic is a subject that articles of several outlets may share.
type topic struct {
	name   string
	nouns  []string
	adjs   []string
	verbs  []string
	places []string
}

// seriesDef is a recurring post: the title template with %d and the intro
// every issue opens with.
type seriesDef struct {
	title, intro, outro string
}

// vocabFor returns the vocabulary of a style.
func vocabFor(style int) *vocab {
	v := style0()
	if style%2 != 0 {
		v = style1()
	}
	v.days = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
	v.months = []string{"January", "February", "March", "April", "May", "June", "July", "August",
		"September", "October", "November", "December"}
	v.ordinals = []string{"second", "third", "fourth", "fifth", "sixth"}
	return v
}

// plural spells the plural of a noun phrase by its last word.
func plural(s string) string {
	i := strings.LastIndexByte(s, ' ')
	head, w := s[:i+1], s[i+1:]
	switch {
	case w == "shelf" || w == "loaf":
		return head + w[:len(w)-1] + "ves"
	case strings.HasSuffix(w, "y") && len(w) > 1 && !strings.ContainsRune("aeiou", rune(w[len(w)-2])):
		return head + w[:len(w)-1] + "ies"
	case strings.HasSuffix(w, "s"), strings.HasSuffix(w, "x"), strings.HasSuffix(w, "z"),
		strings.HasSuffix(w, "ch"), strings.HasSuffix(w, "sh"):
		return head + w + "es"
	}
	return head + w + "s"
}

// fixArticles turns "a" into "an" before a vowel sound, as far as spelling
// tells.
func fixArticles(s string) string {
	if !strings.HasPrefix(s, "a ") && !strings.HasPrefix(s, "A ") && !strings.Contains(s, " a ") {
		return s
	}
	words := strings.Split(s, " ")
	for i := 0; i+1 < len(words); i++ {
		w := words[i]
		if w != "a" && w != "A" {
			continue
		}
		next := strings.TrimLeft(words[i+1], "“\"'(<>")
		if next == "" {
			continue
		}
		if vowelSound(strings.ToLower(next)) {
			words[i] = w + "n"
		}
	}
	return strings.Join(words, " ")
}

// vowelSound guesses from spelling whether a word starts with a vowel
// sound: "an hour", "an umbrella", but "a unit", "a one-off".
func vowelSound(w string) bool {
	for _, p := range []string{"uni", "una", "use", "usu", "ut", "eu", "one", "once"} {
		if strings.HasPrefix(w, p) {
			return false
		}
	}
	if strings.HasPrefix(w, "hour") || strings.HasPrefix(w, "honest") {
		return true
	}
	return w != "" && strings.ContainsRune("aeiou", rune(w[0]))
}

// capitalise upper-cases the first letter of s.
func capitalise(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// titleCase capitalises the words of a headline except short function words.
func titleCase(s string) string {
	small := map[string]bool{"a": true, "an": true, "the": true, "of": true, "in": true, "on": true,
		"at": true, "to": true, "and": true, "or": true, "for": true, "by": true, "with": true}
	words := strings.Fields(s)
	for i, w := range words {
		if i == 0 || !small[w] {
			words[i] = capitalise(w)
		}
	}
	return strings.Join(words, " ")
}

// slug makes a URL path segment of a title.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case r == '’' || r == '\'':
		default:
			if !dash && b.Len() > 0 {
				b.WriteByte('-')
				dash = true
			}
		}
	}
	out := strings.TrimSuffix(b.String(), "-")
	if len(out) > 60 {
		out = strings.TrimSuffix(out[:60], "-")
	}
	return out
}

// host makes a host name under the reserved .example domain of a name.
func host(name string) string {
	return strings.ReplaceAll(slug(name), "-", "") + ".example"
}

func splitVerb(v string) (base, past string) {
	base, past, ok := strings.Cut(v, "/")
	if !ok {
		past = base
	}
	return base, past
}
