package config

import (
	"fmt"
	"net/url"
	"strings"
	"unicode"
)

// maxTagLen keeps tags short enough to read in a feed reader's sidebar and
// to sit in a URL path.
const maxTagLen = 40

// sources checks each source and that names, ids and URLs are not
// repeated. Sources from sources_opml are reported against that key, named
// by their outline, since they have no line of their own.
func (v *checker) sources() {
	c := v.c
	if len(c.SourceList) == 0 && c.SourcesOPML == "" {
		v.add("sources", "at least one source is required (or set sources_opml)")
		return
	}
	type first struct {
		at   int
		name string
	}
	names, ids, urls := map[string]first{}, map[string]first{}, map[string]first{}
	for i, s := range c.SourceList {
		key, prefix := fmt.Sprintf("sources[%d]", i), ""
		if s.FromOPML {
			key, prefix = "sources_opml", fmt.Sprintf("outline %q: ", s.Name)
		}
		field := func(name string) string {
			if s.FromOPML {
				return key
			}
			return key + "." + name
		}
		where := func(j int) string {
			if c.SourceList[j].FromOPML {
				return fmt.Sprintf("outline %q of sources_opml", c.SourceList[j].Name)
			}
			if line := c.keys[fmt.Sprintf("sources[%d]", j)].line; line > 0 {
				return fmt.Sprintf("sources[%d] (line %d)", j, line)
			}
			return fmt.Sprintf("sources[%d]", j)
		}

		id := Slug(s.Name)
		switch {
		case s.Name == "":
			if w := c.keys[field("name")].null; w != "" && !s.FromOPML {
				v.add(field("name"), "%sis required: every source needs a name (YAML reads %s as null: write %q to name it so)", prefix, w, w)
			} else {
				v.add(field("name"), "%sis required: every source needs a name", prefix)
			}
		case id == "" && s.FromOPML:
			// The key is sources_opml, whose value is the file's name.
			v.add(field("name"), "%sneeds at least one letter or digit to make an id from", prefix)
		case id == "":
			v.add(field("name"), "%sneeds at least one letter or digit to make an id from (got %s)", prefix, v.got(field("name"), s.Name))
		default:
			lower := strings.ToLower(s.Name)
			if f, dup := names[lower]; dup {
				v.add(field("name"), "%sname %q is already used by %s: names must be unique, ignoring case", prefix, s.Name, where(f.at))
			} else if f, dup := ids[id]; dup {
				v.add(field("name"), "%sname %q gives the id %q, as %q of %s does: rename one of them", prefix, s.Name, id, f.name, where(f.at))
			}
			names[lower] = first{i, s.Name}
			if _, dup := ids[id]; !dup {
				ids[id] = first{i, s.Name}
			}
		}

		raw := s.RawURL
		if raw == "" {
			raw = s.URL
		}
		if kind, _, err := parseLocation(raw); err != nil {
			v.add(field("url"), "%s%v", prefix, err)
		} else if f, dup := urls[feedKey(kind, s.URL)]; dup {
			v.add(field("url"), "%sthe same feed as %s (%q): each feed is configured once", prefix, where(f.at), f.name)
		} else {
			urls[feedKey(kind, s.URL)] = first{i, s.Name}
		}

		// 0, written or left out, means "use fetch.interval", as configs
		// written for earlier versions say it: refusing it would stop a
		// daemon from starting after an upgrade.
		// A source's interval may exceed fetch.backoff_max (a weekly
		// newsletter): its backoff is capped at its interval instead
		// (feed/ingest), so refusing it would only stop a daemon.
		if s.Interval != 0 {
			v.atLeast(field("interval"), s.Interval, minInterval, "; 0 or left out uses fetch.interval")
		}
		for k, t := range s.Tags {
			tkey := field(fmt.Sprintf("tags[%d]", k))
			if s.FromOPML {
				tkey = key
			}
			if msg := checkTag(t); msg != "" {
				v.add(tkey, "%stag %q %s", prefix, t, msg)
			}
		}
	}
}

// sameFeed is feedKey of a location of any kind, or the location itself
// when it is none.
func sameFeed(loc string) string {
	kind, _, err := parseLocation(loc)
	if err != nil {
		return loc
	}
	return feedKey(kind, loc)
}

// feedKey is the form of a source's location under which two spellings
// of one feed meet: for an http(s) URL, scheme and host lowercased, the
// default port and the fragment (never sent) dropped. The path and query
// are the server's to interpret, and are kept as written; any other
// location (a local file) as written.
func feedKey(kind locationKind, loc string) string {
	u, err := url.Parse(loc)
	if kind != httpURL || err != nil {
		return loc
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Host = strings.ToLower(u.Host)
	if port := u.Port(); u.Scheme == "http" && port == "80" || u.Scheme == "https" && port == "443" {
		u.Host = strings.TrimSuffix(u.Host, ":"+port)
	}
	u.Fragment, u.RawFragment = "", ""
	return u.String()
}

// checkTag returns what keeps t from being a tag, or "".
func checkTag(t string) string {
	if t == "" {
		return "is empty"
	}
	if n := len([]rune(t)); n > maxTagLen {
		return fmt.Sprintf("is %d characters long; at most %d are allowed", n, maxTagLen)
	}
	word := false
	for _, r := range t {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_':
			word = true
		case r == '+' || r == '#':
			// As in "c++" and "c#": the tag index keeps these marks
			// only after a letter, digit or "_".
			if !word {
				return fmt.Sprintf("may hold + and # only after a letter, digit or _ (found %q at the start of a word)", r)
			}
		case r == '-':
			word = false
		default:
			return fmt.Sprintf("may hold only letters, digits, -, _, and + or # after them (found %q)", r)
		}
	}
	return ""
}
