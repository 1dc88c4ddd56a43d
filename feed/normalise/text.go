package normalise

import (
	"bytes"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/text/unicode/norm"
)

// Text returns the plain text of an HTML fragment, folded so that two
// renderings of the same words compare equal: one line per block (paragraph,
// list item, heading, table row…), whitespace runs folded to one space,
// typographic quotes, dashes and ellipses replaced by their ASCII spellings,
// invisible characters dropped, Unicode in NFC. Scripts, styles and image alt
// text are left out. The result has no empty lines and no leading or trailing
// space.
//
// Input without any markup is taken as plain text whose newlines end lines,
// as in a plain-text RSS description. That also makes Text stable on its own
// output, except where that output holds "<" or "&": entities are decoded on
// every call, so a text that spells out "&amp;lt;" loses one level each time.
func Text(s string) string {
	return strings.Join(textLines(s, true), "\n")
}

// inlineText is the text of a fragment that is meant to be one line, such as
// a title, an author's name or a category: markup stripped, entities decoded,
// whitespace folded. Typography is kept, since the result is shown to readers.
//
// A line that mentions tags rather than holds markup ("The <script>
// element", "List<String> in Java", "Use <div> wisely") is text: parsed as
// HTML, a <script> would swallow the rest of the title and an unknown tag
// would vanish. See inlineMarkup.
func inlineText(s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	nodes := []*html.Node{{Type: html.TextNode, Data: html.UnescapeString(s)}}
	if inlineMarkup(s) {
		nodes = parseFragment(s)
	}
	return strings.Join(textLinesOf(nodes, false), " ")
}

// Headline is a title for an item its feed gave none: the first line of
// the text of HTML fragment s, cut after words words or 100 characters
// with "…", typography kept; without text, the description (alt) of its
// first image. Atom requires a title and RSS readers list items by
// theirs: an untitled item was a blank row, and shared with an empty
// subject. "" when s has neither. It reads s only as far as the first
// line: renders call it for every untitled entry (a microblog's notes).
func Headline(s string, words int) string {
	z := html.NewTokenizer(strings.NewReader(s))
	var text strings.Builder
	alt := ""
	hidden := 0 // depth inside elements whose text readers do not see
	cut := false
read:
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			break read
		case html.TextToken:
			if hidden == 0 {
				appendFolded(&text, z.Text())
				if n := len(strings.Fields(text.String())); n > words || len(strings.TrimSpace(text.String())) > 4*headlineRunes {
					cut = true
					break read
				}
			}
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			name, hasAttr := z.TagName()
			a := atom.Lookup(name)
			switch {
			case skippedAtom(a) && void(a):
				// <input> has no end tag: nothing inside to hide.
			case skippedAtom(a) && tt == html.StartTagToken:
				hidden++
			case skippedAtom(a) && tt == html.EndTagToken && hidden > 0:
				hidden--
			case (blockAtom(a) || a == atom.Br) && strings.TrimSpace(text.String()) != "":
				break read // the first line is read
			case a == atom.Img && hasAttr && alt == "":
				for {
					k, v, more := z.TagAttr()
					if string(k) == "alt" && strings.TrimSpace(string(v)) != "" {
						alt = string(v)
					}
					if !more {
						break
					}
				}
			}
		}
	}
	line := fold(text.String(), false)
	if line == "" {
		line = fold(alt, false)
	}
	f := strings.Fields(line)
	if len(f) > words {
		f, cut = f[:words], true
	}
	h := strings.Join(f, " ")
	if r := []rune(h); len(r) > headlineRunes {
		h, cut = strings.TrimSpace(string(r[:headlineRunes])), true
	}
	if cut && h != "" {
		h = strings.TrimRight(h, ",;:-") + "…"
	}
	return h
}

// headlineRunes caps a Headline's length, for scripts written without
// spaces.
const headlineRunes = 100

// appendFolded appends text to b with each run of white space written as
// one space, so that indentation does not count towards a length.
func appendFolded(b *strings.Builder, text []byte) {
	space := b.Len() > 0 && strings.HasSuffix(b.String(), " ")
	for _, r := range string(text) {
		if unicode.IsSpace(r) {
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		b.WriteRune(r)
		space = false
	}
}

// inlineMarkup reports whether a one-line fragment reads as markup rather
// than as text that mentions tags. Writers of titles who use HTML close
// an element somewhere ("<em>Dune</em> reviewed", Word's "<o:p></o:p>"),
// give one attributes, break a line (<br>) or use a formatting element
// (<b>, <em>, <p>), closed or not; a tag mentioned in words ("Use <div>
// wisely", "List<String> versus List<T>") is none of these. A <script>,
// <textarea> or <title> left open is always a mention: read as markup, it
// would swallow the rest of the line.
func inlineMarkup(s string) bool {
	if !strings.Contains(s, "<") {
		return true
	}
	z := html.NewTokenizer(strings.NewReader(s))
	var open []string
	tags, marked := false, false
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			for _, name := range open {
				if rawText(atom.Lookup([]byte(name))) {
					return false
				}
			}
			return marked || !tags
		case html.StartTagToken, html.SelfClosingTagToken:
			tags = true
			typeParam := isTypeParam(z.Raw())
			name, attrs := z.TagName()
			a := atom.Lookup(name)
			switch {
			case attrs || void(a) || bytes.IndexByte(name, ':') > 0:
				marked = true
			case formatting(a) && !typeParam:
				marked = true
			}
			if tt == html.StartTagToken && !void(a) {
				open = append(open, string(name))
			}
		case html.EndTagToken:
			tags = true
			name, _ := z.TagName()
			if i := slices.Index(open, string(name)); i >= 0 {
				marked = true
				open = open[:i]
			}
		}
	}
}

// isTypeParam reports whether a raw tag is a single capital letter
// ("<U>", "<B>"): a generic type parameter in a programmer's title ("Why
// Into<U> is implemented", "Box<B> vs Rc<B>"), not <u> or <b>.
func isTypeParam(raw []byte) bool {
	return len(raw) == 3 && raw[0] == '<' && raw[1] >= 'A' && raw[1] <= 'Z' && raw[2] == '>'
}

// formatting reports whether an element is one that writers of titles
// use, and leave open ("Read <em>this now", "<p>Weekly notes"), far more
// often than they write about it.
func formatting(a atom.Atom) bool {
	switch a {
	case atom.B, atom.I, atom.Em, atom.Strong, atom.U, atom.S, atom.Small, atom.Mark, atom.Sub, atom.Sup,
		atom.Span, atom.Font, atom.P, atom.Big, atom.Strike, atom.Tt:
		return true
	}
	return false
}

// rawText reports whether an element's content is text an HTML parser
// reads up to its end tag (or the end of the input), or that the text of
// a fragment leaves out.
func rawText(a atom.Atom) bool {
	switch a {
	case atom.Script, atom.Style, atom.Textarea, atom.Title, atom.Xmp, atom.Iframe, atom.Noembed,
		atom.Noframes, atom.Noscript, atom.Plaintext, atom.Template:
		return true
	}
	return false
}

// void reports whether an element has no end tag.
func void(a atom.Atom) bool {
	switch a {
	case atom.Area, atom.Br, atom.Col, atom.Embed, atom.Hr, atom.Img, atom.Input, atom.Link,
		atom.Meta, atom.Source, atom.Track, atom.Wbr:
		return true
	}
	return false
}

func textLines(s string, typographic bool) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	return textLinesOf(parseFragment(s), typographic)
}

// textLinesOf is textLines of a parsed fragment.
func textLinesOf(nodes []*html.Node, typographic bool) []string {
	w := lineWalker{breakNewlines: plainOnly(nodes), textOnly: true}
	var out []string
	for _, l := range w.nodes(nodes) {
		if t := fold(l.text.String(), typographic); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// plainOnly reports whether a parsed fragment is nothing but text.
func plainOnly(nodes []*html.Node) bool {
	for _, n := range nodes {
		if n.Type != html.TextNode {
			return false
		}
	}
	return true
}

// parseFragment parses HTML as the content of a <body>, which is where feed
// content ends up. It cannot fail: the parser recovers from any markup, and
// reading a string never fails.
func parseFragment(s string) []*html.Node {
	ctx := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(strings.NewReader(s), ctx)
	if err != nil {
		return []*html.Node{{Type: html.TextNode, Data: s}}
	}
	return nodes
}

// typography returns the ASCII a writer would type instead of a
// typographic character, so that an editor's or CMS's "smart" punctuation
// does not make two copies of one text differ.
func typography(r rune) (string, bool) {
	switch r {
	case '\u2018', '\u2019', '\u201A', '\u201B', '\u2032':
		return "'", true
	case '\u201C', '\u201D', '\u201E', '\u201F', '\u2033':
		return "\"", true
	case '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212':
		return "-", true
	case '\u2026':
		return "...", true
	}
	return "", false
}

// fold folds one line of text: invalid UTF-8 and control characters become
// spaces, invisible format characters go, typography is optionally replaced,
// the result is put in NFC and its whitespace runs folded to single spaces.
func fold(s string, typographic bool) string {
	var b strings.Builder
	b.Grow(len(s))
	ascii := true
	for i := 0; i < len(s); {
		if c := s[i]; c >= 0x20 && c < 0x7f {
			b.WriteByte(c)
			i++
			continue
		}
		ascii = ascii && s[i] < utf8.RuneSelf
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteRune(utf8.RuneError)
		case r == '\u00AD', r == '\u200B', r == '\u2060', r == '\uFEFF':
			// Soft hyphens, zero-width spaces and word joiners are
			// invisible and placed differently by different tools.
		case unicode.IsControl(r):
			b.WriteByte(' ')
		default:
			if t, ok := typography(r); ok && typographic {
				b.WriteString(t)
			} else {
				b.WriteRune(r)
			}
		}
	}
	// ASCII is its own NFC; most lines are ASCII.
	folded := b.String()
	if !ascii {
		folded = norm.NFC.String(folded)
	}
	// strings.Fields splits on every Unicode space, NBSP included.
	return strings.Join(strings.Fields(folded), " ")
}
