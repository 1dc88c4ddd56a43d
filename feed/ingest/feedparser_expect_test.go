package ingest_test

import (
	"errors"
	"html"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/tributary/tributary/feed/normalise"
)

// The evaluator of feedparser's expectations (Python expressions) for the
// corpus test: the simple forms only.

// expectCheck is one evaluable comparison of an expectation.
type expectCheck struct {
	field string // feed.title, entry.title, entry.link, …
	entry int
	want  string
}

// got returns the value the pipeline produced for the check's field, and
// whether there is one.
func (c expectCheck) got(res feedparserResult) (string, bool) {
	if res.err != nil {
		return "", false
	}
	switch c.field {
	case "feed.title":
		return res.meta.Title, true
	case "feed.link":
		return res.meta.SiteURL, true
	}
	if c.entry >= len(res.articles) {
		return "", false
	}
	a := res.articles[c.entry]
	switch c.field {
	case "entry.title":
		return a.Title, true
	case "entry.link":
		return a.Link, true
	case "entry.id":
		return a.GUID, true
	case "entry.content":
		return a.Content, true
	case "entry.summary":
		// The description is the summary when the item also has content,
		// else it is the content; a summary saying what the content says is
		// dropped.
		if a.Summary != "" {
			return a.Summary, true
		}
		return a.Content, true
	}
	return "", false
}

// agrees compares as readers would see the values: titles and HTML by their
// folded text (feedparser keeps a title's markup, Tributary its text; the two
// sanitisers differ in markup, not words), links and ids exactly, links also
// by their normal form.
func (c expectCheck) agrees(got string) bool {
	switch c.field {
	case "entry.link", "feed.link":
		return got == c.want || got != "" && normalise.URL(got) == normalise.URL(c.want)
	case "entry.id":
		return got == c.want
	case "feed.title", "entry.title":
		return normalise.Text(c.want) == normalise.Text(html.EscapeString(got))
	}
	return normalise.Text(c.want) == normalise.Text(got)
}

// Expectation paths mapped to the fields evaluated.
var expectFields = map[string]string{
	"feed['title']":                    "feed.title",
	"feed['title_detail']['value']":    "feed.title",
	"feed['link']":                     "feed.link",
	"entry['title']":                   "entry.title",
	"entry['title_detail']['value']":   "entry.title",
	"entry['link']":                    "entry.link",
	"entry['id']":                      "entry.id",
	"entry['description']":             "entry.summary",
	"entry['summary']":                 "entry.summary",
	"entry['summary_detail']['value']": "entry.summary",
	"entry['content'][0]['value']":     "entry.content",
}

var (
	expectPath  = regexp.MustCompile(`^(feed|entries\[(\d+)\])((?:\[(?:'[^']*'|"[^"]*"|\d+)\]|\.[a-z_]+)*)$`)
	expectIndex = regexp.MustCompile(`\[(?:'([^']*)'|"([^"]*)"|(\d+))\]|\.([a-z_]+)`)
)

// parseExpectation reads the simple forms of a feedparser expectation: a
// conjunction of "bozo", "not bozo" and comparisons of a field in
// expectFields with a string (literals may be concatenated with +). ok is
// false for anything else.
func parseExpectation(expr string) ([]expectCheck, bool) {
	var checks []expectCheck
	for _, clause := range splitTop(expr, " and ") {
		clause = strings.TrimSpace(clause)
		for enclosed(clause) {
			clause = strings.TrimSpace(clause[1 : len(clause)-1])
		}
		if clause == "bozo" || clause == "not bozo" {
			continue
		}
		sides := splitTop(clause, "==")
		if len(sides) != 2 {
			return nil, false
		}
		lhs, rhs := strings.TrimSpace(sides[0]), strings.TrimSpace(sides[1])
		m := expectPath.FindStringSubmatch(lhs)
		if m == nil {
			return nil, false
		}
		root, entry := "feed", 0
		if m[2] != "" {
			root, entry = "entry", atoi(m[2])
		}
		key := root
		for _, ix := range expectIndex.FindAllStringSubmatch(m[3], -1) {
			switch {
			case ix[3] != "":
				key += "[" + ix[3] + "]"
			default:
				key += "['" + ix[1] + ix[2] + ix[4] + "']"
			}
		}
		field, ok := expectFields[key]
		if !ok {
			return nil, false
		}
		want, ok := pyStrings(rhs)
		if !ok {
			return nil, false
		}
		checks = append(checks, expectCheck{field: field, entry: entry, want: want})
	}
	return checks, len(checks) > 0
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// enclosed reports whether s is one parenthesised expression: "(a == b)",
// not "(a) and (b)".
func enclosed(s string) bool {
	if len(s) < 2 || s[0] != '(' || s[len(s)-1] != ')' {
		return false
	}
	parts := splitTop(s, " ")
	return len(parts) == 1
}

// splitTop splits s at sep where sep is outside quotes and brackets.
func splitTop(s, sep string) []string {
	var out []string
	depth, start := 0, 0
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == '\\' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '(' || c == '[' || c == '{':
			depth++
		case c == ')' || c == ']' || c == '}':
			depth--
		case depth == 0 && strings.HasPrefix(s[i:], sep):
			out = append(out, s[start:i])
			start = i + len(sep)
			i += len(sep) - 1
		}
	}
	return append(out, s[start:])
}

// pyStrings decodes Python string literals joined by +, e.g. 'a' + u"b\n".
func pyStrings(s string) (string, bool) {
	var b strings.Builder
	for _, part := range splitTop(s, "+") {
		v, ok := pyString(strings.TrimSpace(part))
		if !ok {
			return "", false
		}
		b.WriteString(v)
	}
	return b.String(), true
}

var errPyLiteral = errors.New("not a Python string literal")

// pyString decodes one Python string literal, triple-quoted or not.
func pyString(s string) (string, bool) {
	s = strings.TrimPrefix(s, "u")
	for _, q := range []string{`"""`, "'''", `"`, "'"} {
		if len(s) >= 2*len(q) && strings.HasPrefix(s, q) && strings.HasSuffix(s, q) {
			v, err := pyUnescape(s[len(q) : len(s)-len(q)])
			return v, err == nil
		}
	}
	return "", false
}

func pyUnescape(s string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		i++
		if i == len(s) {
			return "", errPyLiteral
		}
		hex := func(n int) error {
			if i+n >= len(s) {
				return errPyLiteral
			}
			v, err := strconv.ParseUint(s[i+1:i+1+n], 16, 32)
			if err != nil {
				return errPyLiteral
			}
			b.WriteRune(rune(v))
			i += n
			return nil
		}
		var err error
		switch e := s[i]; e {
		case '\\', '\'', '"':
			b.WriteByte(e)
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case 'a':
			b.WriteByte('\a')
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'v':
			b.WriteByte('\v')
		case 'x':
			err = hex(2)
		case 'u':
			err = hex(4)
		case 'U':
			err = hex(8)
		case '\n':
		default:
			if e >= '0' && e <= '7' {
				j := i
				for j < len(s) && j < i+3 && s[j] >= '0' && s[j] <= '7' {
					j++
				}
				v, _ := strconv.ParseUint(s[i:j], 8, 32)
				b.WriteRune(rune(v))
				i = j - 1
				continue
			}
			b.WriteByte('\\')
			b.WriteByte(e)
		}
		if err != nil {
			return "", err
		}
	}
	return b.String(), nil
}

// The evaluator reads the forms it claims to and refuses the rest, so that
// a refused form is counted as skipped rather than judged wrongly.
func TestParseExpectation(t *testing.T) {
	tests := []struct {
		expr  string
		ok    bool
		field string
		want  string
	}{
		{`not bozo and entries[0]['title'] == u'Example \u00e9'`, true, "entry.title", "Example é"},
		{`feed['title'] == 'testing \xa0 entity'`, true, "feed.title", "testing \u00a0 entity"},
		{`not bozo and entries[0]['content'][0]['value'] == 'a' + "b\n"`, true, "entry.content", "ab\n"},
		{`not bozo and entries[0]['description'] == """""&lt;!' <a href="foo">"""`, true, "entry.summary", `""&lt;!' <a href="foo">`},
		{`(entries[0].link == 'http://x/?a=1&b=2')`, true, "entry.link", "http://x/?a=1&b=2"},
		{`not bozo and feed['tagline'] == 'x'`, false, "", ""},
		{`not bozo and entries[0]['title'] == entries[1]['title'] == 'x'`, false, "", ""},
		{`not bozo and len(entries) == 1`, false, "", ""},
		{`bozo`, false, "", ""},
	}
	for _, tc := range tests {
		checks, ok := parseExpectation(tc.expr)
		if ok != tc.ok {
			t.Errorf("%s: ok=%v, want %v", tc.expr, ok, tc.ok)
			continue
		}
		if ok && (len(checks) != 1 || checks[0].field != tc.field || checks[0].want != tc.want) {
			t.Errorf("%s: %+v, want %s == %q", tc.expr, checks, tc.field, tc.want)
		}
	}
}
