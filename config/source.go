package config

import (
	"errors"
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/tributary/tributary/feed"
)

// Slug makes a source id from a name: lowercased, every run of characters
// other than letters and digits turned into one "-", trimmed of "-". So
// "American Power" becomes "american-power" and "Café Zürich" becomes
// "café-zürich". Letters are composed first (NFC), so that the same name
// typed on two systems gives the same id. A name with no letter or digit
// gives "".
func Slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFC.String(name) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		dash = true
	}
	return b.String()
}

// Sources returns the configured sources (those of sources_opml included,
// after Load) as the domain type, in configuration order.
func (c *Config) Sources() []feed.Source {
	out := make([]feed.Source, 0, len(c.SourceList))
	for _, s := range c.SourceList {
		id := s.ID
		if id == "" {
			id = Slug(s.Name)
		}
		out = append(out, feed.Source{
			ID:       id,
			Name:     s.Name,
			URL:      s.URL,
			Interval: s.Interval,
			Tags:     append([]string(nil), s.Tags...),
			Priority: s.Priority,
			Private:  s.Private,
		})
	}
	return out
}

// Check reports what keeps s, on its own, from being a source: a name
// without a letter or digit, a URL Tributary cannot fetch, a bad tag. It
// is what Validate says of each source, less the checks that compare
// sources with each other, for a caller adding sources one at a time (an
// OPML import) that wants to leave out a bad one rather than refuse all.
func (s Source) Check() error {
	var problems []string
	switch {
	case s.Name == "":
		problems = append(problems, "no name")
	case Slug(s.Name) == "":
		problems = append(problems, fmt.Sprintf("name %q has no letter or digit to make an id from", s.Name))
	}
	raw := s.RawURL
	if raw == "" {
		raw = s.URL
	}
	if _, _, err := parseLocation(raw); err != nil {
		problems = append(problems, err.Error())
	}
	for _, t := range s.Tags {
		if msg := checkTag(t); msg != "" {
			problems = append(problems, fmt.Sprintf("tag %q %s", t, msg))
		}
	}
	if len(problems) == 0 {
		return nil
	}
	// On one line: it ends a line of the import's report.
	return errors.New(strings.Join(problems, "; "))
}
