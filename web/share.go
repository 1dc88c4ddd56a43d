package web

import (
	"strings"

	"github.com/tributary/tributary/feed/render"
)

// shareLink is one share button: feed/render builds it, so the pages offer
// exactly the links the feeds' footers carry.
type shareLink = render.Shared

// newSharer resolves the configured share links once per Options. A name
// with neither a template nor a builtin is left out here (config
// validation reports it), so that one mistake does not take the pages down.
func newSharer(links []render.ShareLink, utm string) *render.Sharer {
	builtins := render.BuiltinShareTemplates()
	usable := make([]render.ShareLink, 0, len(links))
	for _, l := range links {
		if l.Template != "" || builtins[strings.ToLower(l.Name)] != "" {
			usable = append(usable, l)
		}
	}
	s, err := render.NewSharer(usable, utm)
	if err != nil {
		return nil // unreachable: every name left has a template
	}
	return s
}
