package web

import (
	"embed"
	"fmt"
	"html/template"
	"io"
	"math"
	"time"
)

//go:embed templates/*.html
var templateFS embed.FS

// pageNames are the templates that define "content" for the layout.
var pageNames = []string{"river", "entry", "sources", "error"}

// templates holds one parsed set per page: the layout plus that page's
// definition of "content".
type templates struct {
	pages map[string]*template.Template
}

func mustParseTemplates() *templates {
	t, err := parseTemplates()
	if err != nil {
		panic(err) // embedded at build time: a test catches it first
	}
	return t
}

func parseTemplates() (*templates, error) {
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html")
	if err != nil {
		return nil, fmt.Errorf("parse layout: %w", err)
	}
	t := &templates{pages: map[string]*template.Template{}}
	for _, name := range pageNames {
		clone, err := base.Clone()
		if err != nil {
			return nil, fmt.Errorf("clone layout for %s: %w", name, err)
		}
		if _, err := clone.ParseFS(templateFS, "templates/"+name+".html"); err != nil {
			return nil, fmt.Errorf("parse %s: %w", name, err)
		}
		t.pages[name] = clone
	}
	return t, nil
}

func (t *templates) execute(w io.Writer, name string, p *page) error {
	tmpl := t.pages[name]
	if tmpl == nil {
		return fmt.Errorf("no template %q", name)
	}
	return tmpl.ExecuteTemplate(w, "layout.html", p)
}

var funcs = template.FuncMap{
	// iso is the machine-readable date of a <time datetime>.
	"iso": func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	// date is the human-readable date.
	"date": func(t time.Time) string { return t.UTC().Format("2 January 2006") },
	// datetime adds the time, for status pages.
	"datetime": func(t time.Time) string { return t.UTC().Format("2 Jan 2006 15:04 UTC") },
	"percent": func(f float64) string {
		if f < 0 {
			return "–"
		}
		return fmt.Sprintf("%.0f%%", math.Round(f*100))
	},
	"add": func(a, b int) int { return a + b },
}
