package identify

import (
	"strconv"
	"strings"
	"unicode"
)

// crossPostMarkers are the words planets and group blogs put around a
// copied title ("[Cross-post] T", "T (cross-post)", "Repost: T").
var crossPostMarkers = []string{
	"cross-post", "crosspost", "cross post", "cross-posted", "crossposted",
	"repost", "reposted", "reblog", "via",
}

// titleSeparators split a title from the blog name a copy adds to it
// ("Blog Name: T", "T | Other Blog", "T - Other Blog", "T — Other Blog").
var titleSeparators = []string{": ", " | ", " - ", " – ", " — ", " :: ", " » ", " · "}

// titleWords folds a title into lowercase words without punctuation, with
// the cross-post markers removed.
func titleWords(title string) []string {
	t := strings.ToLower(title)
	for _, m := range crossPostMarkers {
		t = strings.ReplaceAll(t, "["+m+"]", " ")
		t = strings.ReplaceAll(t, "("+m+")", " ")
		t = strings.ReplaceAll(t, m+":", " ")
	}
	words := strings.FieldsFunc(t, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '#'
	})
	// Characters of scripts written without spaces are words, as in texts
	// (lowerWords): a Japanese title is otherwise one word, and a retitled
	// copy ("【転載】…") shares none with its original.
	if hasWideRunes(t) {
		for i, w := range words {
			if unspaced(w) {
				return splitUnspaced(words, i)
			}
		}
	}
	return words
}

// titleCore is the part of a title that a retitled copy keeps: the longest
// segment between the separators blogs and planets add, folded. It makes
// the title: candidate key, so "Blog Name: T" and "T | Other Blog" meet T.
func titleCore(title string) string {
	best := title
	parts := splitTitle(title)
	if len(parts) > 1 {
		best = ""
		for _, p := range parts {
			if len(titleWords(p)) > len(titleWords(best)) {
				best = p
			}
		}
	}
	return strings.Join(titleWords(best), " ")
}

// splitTitle splits a title at every one of titleSeparators.
func splitTitle(title string) []string {
	parts := []string{title}
	for _, sep := range titleSeparators {
		var next []string
		for _, p := range parts {
			next = append(next, strings.Split(p, sep)...)
		}
		parts = next
	}
	return parts
}

// titlesCompatible reports whether two titles can name the same article:
// after folding, one's words contain the other's (a copy that adds its blog's
// name or a cross-post marker), or they share most words — and in every case
// their numbers agree, so that "Roundup #41" never matches "Roundup #42" nor
// "Part 1" "Part 2".
func titlesCompatible(a, b string) bool {
	wa, wb := titleWords(a), titleWords(b)
	if len(wa) == 0 || len(wb) == 0 {
		return false
	}
	if !sameNumbers(wa, wb) {
		return false
	}
	sa, sb := wordSet(wa), wordSet(wb)
	inter := 0
	for w := range sa {
		if sb[w] {
			inter++
		}
	}
	small := min(len(sa), len(sb))
	union := len(sa) + len(sb) - inter
	return inter == small || float64(inter)/float64(union) >= titleOverlap
}

// titleOverlap is the share of words two differently edited titles of one
// article keep in common ("Council approves floodwall plan" / "Council
// approves floodwall plan after a year": 4 of 7).
const titleOverlap = 0.5

func wordSet(words []string) map[string]bool {
	s := make(map[string]bool, len(words))
	for _, w := range words {
		s[w] = true
	}
	return s
}

func sameNumbers(a, b []string) bool {
	na, nb := numbers(a), numbers(b)
	if len(na) != len(nb) {
		return false
	}
	for i := range na {
		if na[i] != nb[i] {
			return false
		}
	}
	return true
}

// numbers returns the numbers a title's words name, in a canonical form:
// digits, and the words that number a post of a series as well — "Part
// II", "Part Two", "What I Read in November" — so that "Part I" never
// matches "Part II" nor October's reading list November's.
func numbers(words []string) []string {
	var out []string
	for _, w := range words {
		w = strings.TrimPrefix(w, "#")
		switch {
		case w == "":
		case strings.IndexFunc(w, func(r rune) bool { return !unicode.IsDigit(r) }) < 0:
			out = append(out, strings.TrimLeft(w, "0"))
		case numberWords[w] != "":
			out = append(out, numberWords[w])
		}
	}
	return out
}

// numberWords maps words that number things to their numbers ("m" for a
// month). Left out: "i" (the pronoun), "may" (the verb), "one" and
// "first" (too common outside numbering), and month abbreviations that are
// words or names too ("jan", "mar", "mars").
var numberWords = func() map[string]string {
	m := map[string]string{}
	for i, w := range strings.Fields("ii iii iv v vi vii viii ix x xi xii") {
		m[w] = strconv.Itoa(i + 2)
	}
	for i, w := range strings.Fields("two three four five six seven eight nine ten eleven twelve") {
		m[w] = strconv.Itoa(i + 2)
	}
	for i, w := range strings.Fields("second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth") {
		m[w] = strconv.Itoa(i + 2)
	}
	months := [][]string{{"january", "januar", "janvier", "enero"}, {"february", "feb", "februar", "février", "febrero"},
		{"march", "märz", "marzo"}, {"april", "apr", "avril", "abril"}, {"mai", "mayo"},
		{"june", "jun", "juni", "juin", "junio"}, {"july", "jul", "juli", "juillet", "julio"},
		{"august", "aug", "août", "agosto"}, {"september", "sep", "sept", "septembre", "septiembre"},
		{"october", "oct", "oktober", "octobre", "octubre"}, {"november", "nov", "novembre", "noviembre"},
		{"december", "dec", "dezember", "décembre", "diciembre"}}
	for i, names := range months {
		for _, w := range names {
			m[w] = "m" + strconv.Itoa(i+1)
		}
	}
	return m
}()
