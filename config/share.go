package config

import (
	"slices"
	"strings"

	"github.com/tributary/tributary/feed/render"
)

// ShareLinks returns the share links named by output.share, in that order,
// each with its template: the one from output.share_templates when given,
// else the builtin of feed/render. Names with neither are left out; Validate
// reports them.
func (c *Config) ShareLinks() []render.ShareLink {
	builtins := render.BuiltinShareTemplates()
	links := make([]render.ShareLink, 0, len(c.Output.Share))
	for _, name := range c.Output.Share {
		if t, ok := lookupTemplate(name, c.Output.ShareTemplates, builtins); ok {
			links = append(links, render.ShareLink{Name: name, Template: t})
		}
	}
	return links
}

// lookupTemplate finds a share name's template, the operator's own first.
// Names match case-insensitively, as feed/render matches builtins, so that
// "Mastodon" is not an unknown target.
func lookupTemplate(name string, own, builtins map[string]string) (string, bool) {
	for _, m := range []map[string]string{own, builtins} {
		if t, ok := m[name]; ok {
			return t, true
		}
		for k, t := range m {
			if strings.EqualFold(k, name) {
				return t, true
			}
		}
	}
	return "", false
}

// builtinShareTemplates is render's table; a name the renderer does not
// know would be dropped from every entry, so it is the one to check
// against.
func builtinShareTemplates() map[string]string {
	return render.BuiltinShareTemplates()
}

func sortedKeys(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return strings.Join(keys, ", ")
}
