package normalise

import (
	"net/url"
	"regexp"
	"strings"
	"unicode"

	"github.com/tributary/tributary/feed"
)

// Footer patterns. Each is matched against a whole folded line (see fold),
// never against part of one: a sentence that merely mentions sharing or an
// original publication is prose and stays.
var (
	// attributionRe captures the name after a cross-post or republication
	// notice.
	attributionRe = regexp.MustCompile(`(?i)^(?:cross[- ]?posted (?:from|at|on)|` +
		`originally (?:published|posted|appeared) (?:over )?(?:at|on|in|by)|` +
		`(?:editor'?s note:?\s*)?(?:this|the) (?:post|article|story|piece|essay|entry|column)(?: by [^,.]{1,60}?)?,? (?:was |has been )?(?:first|originally) (?:appeared|published|posted|ran) (?:over )?(?:at|on|in|by)|` +
		`first (?:published|posted|appeared) (?:at|on|in|by)|` +
		`(?:re-?posted|re-?published|reprinted) (?:with permission )?from)\s*:?\s+(.+)$`)
	// appearedFirstRe is the WordPress SEO plugins' footer, "The post <a>T</a>
	// appeared first on <a>X</a>."; it names the site an aggregator copied
	// from.
	// republishedRe is the tail of an editor's note after the name: "… first
	// ran on X and is republished with permission."
	republishedRe   = regexp.MustCompile(`(?i),? and (?:is|has been|was|are) (?:re-?published|reprinted|re-?posted|shared|syndicated)\b.*$`)
	appearedFirstRe = regexp.MustCompile(`(?i)^the post (.+) appeared first on (.+)$`)

	sharePhraseRe = regexp.MustCompile(`(?i)^(?:` +
		`(?:please )?(?:share|tweet)(?: (?:this|it))?(?: (?:post|article|story|page|entry))?(?: (?:on|via|with)(?: [\w.]+){0,3})?|` +
		`(?:(?:did you )?(?:enjoy|like|love)d? (?:reading|this|it|this (?:post|article|story))\??,? (?:then )?(?:please )?(?:share|pass) (?:it|this)(?: on| along)?(?: with (?:your|a) friends?)?)|` +
		`sharing is caring|spread the word|share the love|like this|like loading(?:\.\.\.)?|be the first to like this` +
		`)$`)

	readMoreRe = regexp.MustCompile(`(?i)^(?:continue reading\b.*|read more|read the rest(?: of (?:this|the) (?:entry|post|article|story))?|` +
		`read (?:the )?full (?:post|article|story|text)|keep reading|more|full (?:post|article|story)|` +
		// de, fr, es, pt, it, nl
		`weiterlesen|(?:den )?(?:ganzen|vollständigen) (?:beitrag|artikel|text) lesen|(?:lire|voir) la suite|` +
		`leer (?:más|el resto)|seguir leyendo|continuar (?:lendo|leyendo)|leia mais|continua a leggere|leggi (?:tutto|di più)|lees verder|verder lezen)$`)

	// readMoreAtRe is a read-more line that names where the rest is, its
	// one link the rest itself or the site: "Read the rest at American
	// Power.", "Click here to read more". An excerpt's link to the article.
	// The place named (the first group that matched) must be the link's
	// own text: "Read more on the vote in the minutes" is prose.
	readMoreAtRe = regexp.MustCompile(`(?i)^(?:click here to )?(?:` +
		`read (?:the rest|more|the (?:full|whole|complete|entire) (?:post|article|story|text|piece))(?: of (?:this|the) (?:entry|post|article|story))?(?: (?:at|on|over at|in) (.+?))?|` +
		`(?:continue|keep) reading(?: (?:at|on|over at|in) (.+?))?|` +
		`(?:den )?(?:ganzen|vollständigen) (?:beitrag|artikel|text) (?:lesen|auf (.+?) lesen)|weiterlesen (?:auf|bei) (.+?)|` +
		`lire la suite (?:sur|chez) (.+?)|leer más en (.+?)|lees verder op (.+?)` +
		`)[\s.!…:»›→]*$`)

	relatedRe = regexp.MustCompile(`(?i)^(?:related|related (?:posts|articles|stories|reading|content|links)|` +
		`you (?:may|might) also (?:like|enjoy)|more (?:posts|articles|stories) like this|similar (?:posts|articles))$`)
)

// metaWords are the words of a "Posted in X | Tagged Y | Leave a comment"
// row that are not links (X and Y are).
var (
	metaWords = map[string]bool{
		"this": true, "entry": true, "was": true, "posted": true, "in": true, "filed": true,
		"under": true, "tagged": true, "with": true, "and": true, "tags": true, "tag": true,
		"categories": true, "category": true, "labels": true, "topics": true, "bookmark": true,
		"the": true, "permalink": true, "leave": true, "a": true, "comment": true, "comments": true,
		"reply": true, "no": true, "one": true, "edit": true, "off": true, "on": true,
	}
	// metaLabels label the links that follow them, so they are looked for
	// outside links ("HTML tags" may be a link's text); metaLinks are
	// usually links themselves.
	metaLabels = []string{"posted in", "filed under", "tagged", "tags", "categories", "labels"}
	metaLinks  = []string{"leave a comment", "leave a reply", "bookmark the permalink"}
)

// metaRow reports whether a line is a row of post metadata: every word
// outside its links is one of metaWords (or a number: "3 comments"), and it
// says so with a label or a comment link.
func metaRow(t, outside string) bool {
	for rest := outside; rest != ""; {
		var w string
		w, rest = nextWord(rest)
		if w != "" && !metaWords[strings.ToLower(w)] && strings.TrimFunc(w, unicode.IsDigit) != "" {
			return false
		}
	}
	lo := strings.ToLower(outside)
	for _, m := range metaLabels {
		if strings.Contains(lo, m) {
			return true
		}
	}
	lt := strings.ToLower(t)
	for _, m := range metaLinks {
		if strings.Contains(lt, m) {
			return true
		}
	}
	return false
}

// sharePrefix are the first words of the share phrases sharePhraseRe
// matches, checked first because most lines start otherwise.
var sharePrefix = map[string]bool{
	"share": true, "tweet": true, "please": true, "did": true, "enjoy": true, "enjoyed": true,
	"like": true, "liked": true, "love": true, "loved": true, "sharing": true, "spread": true, "be": true,
}

// nextWord returns the first run of letters and digits in s, and what
// follows it.
func nextWord(s string) (word, rest string) {
	start := strings.IndexFunc(s, func(r rune) bool { return !notWord(r) })
	if start < 0 {
		return "", ""
	}
	s = s[start:]
	end := strings.IndexFunc(s, notWord)
	if end < 0 {
		return s, ""
	}
	return s[:end], s[end:]
}

// firstWord is the first word of s, lowercased.
func firstWord(s string) string {
	w, _ := nextWord(s)
	return strings.ToLower(w)
}

// lineKind is what a line of a block is, as far as boilerplate goes.
type lineKind int

const (
	lineEmpty   lineKind = iota // nothing visible
	lineContent                 // the article
	lineFooter                  // boilerplate
	lineRelated                 // a "Related posts" heading
)

// classify judges one line; from is set when the line names where the
// article was first published, and appeared when it did so in the SEO
// plugins' "appeared first on" words.
func classify(l *line) (kind lineKind, from *feed.Attribution, appeared bool) {
	// Footers are short, and so are the parts of a share or meta row that
	// are not links: a long line of prose needs no closer look. The length
	// checks below keep the patterns off ordinary paragraphs, which are
	// most lines.
	if l.text.Len() > maxFooter && l.outside.Len() > maxRow && l.unshared.Len() > maxRow {
		return lineContent, nil, false
	}
	t := fold(l.text.String(), true)
	links := visibleLinks(l.links)
	if t == "" {
		switch {
		case l.media > 0:
			return lineContent, nil, false
		case len(links) > 0 && allShare(links):
			return lineFooter, nil, false // a row of share icons
		}
		return lineEmpty, nil, false
	}
	if l.media > 0 {
		return lineContent, nil, false
	}
	if len(t) <= maxFooter {
		if a, ok := attribution(t, links); ok {
			return lineFooter, a, false
		}
		if a, ok := appearedFirst(t, links); ok {
			return lineFooter, a, true
		}
	}
	// Folding keeps letters letters, so the word tests below can look at
	// the raw text outside links; only the share phrases need it folded.
	outside, unshared := t, t
	if len(l.links) > 0 {
		outside, unshared = l.outside.String(), l.unshared.String()
	}
	if hasShare(links) && separatorsOnly(unshared) {
		return lineFooter, nil, false
	}
	if w := firstWord(unshared); len(unshared) <= 2*maxRow && (sharePrefix[w] || sharePrefixIntl[w]) {
		if u := trimArrows(fold(unshared, true)); len(u) <= maxRow && (sharePhraseRe.MatchString(u) || sharePhraseIntlRe.MatchString(u)) {
			return lineFooter, nil, false
		}
	}
	if len(links) == 1 && separatorsOnly(outside) && len(t) <= maxRow && readMoreRe.MatchString(trimArrows(t)) {
		return lineFooter, nil, false
	}
	if len(links) == 1 && len(t) <= maxRow && readMoreAt(trimArrows(t), fold(links[0].text.String(), true)) {
		return lineFooter, nil, false
	}
	if len(outside) <= 2*maxRow && metaRow(t, outside) {
		return lineFooter, nil, false
	}
	if len(t) <= maxRow && relatedRe.MatchString(strings.TrimRight(t, ": ")) {
		return lineRelated, nil, false
	}
	return lineContent, nil, false
}

// maxFooter is the longest line, in bytes, that may be boilerplate; the
// longest real footers ("The post <title> appeared first on <site>.") stay
// well under it. maxRow is the most text a share or meta row, a read-more
// link or a heading holds outside its links.
const (
	maxFooter = 500
	maxRow    = 200
)

// linkList reports whether a line is mostly links, as the items under a
// "Related posts" heading are.
func linkList(l *line) bool {
	if len(l.links) == 0 || l.text.Len() > maxFooter {
		return false
	}
	var inLinks int
	for _, k := range l.links {
		inLinks += len(strings.TrimSpace(k.text.String()))
	}
	return inLinks > 0 && inLinks*2 >= len(strings.TrimSpace(l.text.String()))
}

// attribution parses "Cross-posted from X." and its relatives.
func attribution(t string, links []*lineLink) (*feed.Attribution, bool) {
	m := attributionRe.FindStringSubmatch(t)
	if m == nil {
		m = attributionIntlRe.FindStringSubmatch(t)
	}
	if m == nil || len(strings.Fields(m[1])) > 12 {
		return nil, false
	}
	return named(m[1], links), true
}

func appearedFirst(t string, links []*lineLink) (*feed.Attribution, bool) {
	m := appearedFirstRe.FindStringSubmatch(t)
	if m == nil || len(strings.Fields(m[2])) > 12 {
		return nil, false
	}
	return named(m[2], links), true
}

// named makes an attribution of the name part of a footer: the text and
// target of the link it holds, or the name as written. Only the first
// sentence names the original ("… on X. Read the original article.").
func named(name string, links []*lineLink) *feed.Attribution {
	name = strings.TrimSpace(name)
	if loc := republishedRe.FindStringIndex(name); loc != nil {
		name = name[:loc[0]]
	}
	if i := strings.Index(name, ". "); i >= 0 {
		name = name[:i]
	}
	for _, k := range links {
		lt := trimName(fold(k.text.String(), true))
		if lt != "" && strings.Contains(name, lt) {
			return &feed.Attribution{Name: lt, URL: k.href}
		}
	}
	name = trimName(name)
	if u, err := url.Parse(name); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
		return &feed.Attribution{URL: name}
	}
	if name == "" {
		return nil
	}
	return &feed.Attribution{Name: name}
}

// trimName removes the sentence's final period and any quotes around a name.
func trimName(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimSuffix(s, ".")
	return strings.TrimSpace(strings.Trim(s, `"'«»`))
}

func trimArrows(s string) string {
	return strings.TrimSpace(strings.TrimRightFunc(strings.TrimLeftFunc(s, notWord), notWord))
}

func notWord(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }

// separatorsOnly reports whether a text holds no words: only spaces,
// punctuation and symbols such as "|" or "·".
func separatorsOnly(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// visibleLinks drops anchors without a target or text, such as the
// <a id="more"></a> markers some blogs leave in content.
func visibleLinks(links []*lineLink) []*lineLink {
	var out []*lineLink
	for _, k := range links {
		if k.href != "" || strings.TrimSpace(k.text.String()) != "" {
			out = append(out, k)
		}
	}
	return out
}

func hasShare(links []*lineLink) bool {
	for _, k := range links {
		if k.share {
			return true
		}
	}
	return false
}

func allShare(links []*lineLink) bool {
	for _, k := range links {
		if !k.share {
			return false
		}
	}
	return len(links) > 0
}

// readMoreAt reports whether line t is a read-more line (readMoreAtRe)
// whose place, when it names one, is its link's text, or whose link is
// the whole line ("<a>Read more at American Power »</a>").
func readMoreAt(t, linkText string) bool {
	m := readMoreAtRe.FindStringSubmatch(t)
	if m == nil {
		return false
	}
	link := strings.TrimSpace(trimArrows(linkText))
	if strings.EqualFold(link, strings.TrimSpace(t)) {
		return true
	}
	for _, place := range m[1:] {
		if place != "" {
			return strings.EqualFold(strings.TrimSpace(place), link)
		}
	}
	return true
}
