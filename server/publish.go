package server

import (
	"context"
	"fmt"
	"path"
	"strings"
)

// Publish hands write every document the server answers at a fixed path —
// each feed's subscription document (the unified feed, every source's and
// every tag's) in every format, and the two OPML lists — with its path
// below Options.Page.BaseURL, for a static web host serving those files at
// that address. The bytes are those the server would send, except that the
// feeds carry no paging links: a static host ignores the queries they
// need. A feed with no entries yet is written too (an empty feed is a
// valid subscription). Publish stops at the first error, from rendering or
// from write.
func (s *Server) Publish(ctx context.Context, write func(path string, body []byte) error) error {
	version := s.store.Version()
	cat, err := s.catalog(ctx)
	if err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	var specs []docSpec
	// Retired tags too: a static host answers what is written, and
	// their subscribers would otherwise get a 404.
	for _, sc := range cat.servedScopes() {
		for _, f := range formats {
			specs = append(specs, docSpec{kind: feedDoc, scope: sc, format: f, pos: position{page: 1}, static: true})
		}
	}
	specs = append(specs, docSpec{kind: sourcesOPML}, docSpec{kind: feedsOPML})
	for _, spec := range specs {
		// The file's path is the URL's, unescaped, as a static host maps
		// it: source ids and tags are letters, digits, "_", "-", and "+" and "#" in tags.
		p := spec.fsPath()
		if !PublishedPath(p) {
			return fmt.Errorf("publish %s: not a file name below the output directory", spec.key())
		}
		sn, err := s.build(ctx, spec, version, nil, false)
		if err != nil {
			return fmt.Errorf("publish %s: %w", spec.key(), err)
		}
		if sn.missing != "" {
			continue // a source or tag gone since the catalog was read
		}
		if err := write(p, sn.plain.body); err != nil {
			return fmt.Errorf("publish %s: %w", p, err)
		}
	}
	return nil
}

// fsPath is the document's path with its scope's name unescaped.
func (d docSpec) fsPath() string {
	switch {
	case d.kind != feedDoc:
		return d.path()
	case d.scope.kind == sourceScope:
		return path.Join("sources", d.scope.name, "feed."+string(d.format))
	case d.scope.kind == tagScope:
		return path.Join("tags", d.scope.name, "feed."+string(d.format))
	}
	return "feed." + string(d.format)
}

// PublishedPath reports whether p is a path Publish may hand out: relative,
// clean, every element a plain name (not empty, "..", or hidden). A
// static publisher reading back a list of such paths checks them with it.
func PublishedPath(p string) bool {
	if p == "" || path.IsAbs(p) || path.Clean(p) != p {
		return false
	}
	for rest := p; rest != ""; {
		var el string
		el, rest, _ = strings.Cut(rest, "/")
		if el == "" || el[0] == '.' {
			return false
		}
	}
	return true
}
