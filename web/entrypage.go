package web

import (
	"errors"
	"html/template"
	"net/http"

	"github.com/tributary/tributary/feed"
)

// entry serves "/entries/{id}": one entry in full, with every copy.
func (s *Site) entry(w http.ResponseWriter, r *http.Request) {
	const root = "../"
	served, keep := s.serveCached(w, r)
	if served {
		return
	}
	o := s.opts.Load()
	id := r.PathValue("id")
	e, err := s.store.Entry(r.Context(), id)
	switch {
	case errors.Is(err, feed.ErrNotFound):
		s.fail(w, r, http.StatusNotFound, root, "There is no entry with this id: it may have been removed by retention.", nil)
		return
	case err != nil:
		s.fail(w, r, http.StatusInternalServerError, root, "The entry could not be read. Try again in a moment.", err)
		return
	}
	e = o.Private.Entry(e)
	v := s.newEntryView(e, o)
	// Without credentials a source's URL lent the links of entries
	// stored before they were resolved without (feed.PublicText).
	content := feed.PublicText(e.Content)
	if content == "" {
		content = feed.PublicText(e.Summary)
	}
	// Sanitised at ingest; again here because the store may predate the
	// policy in force (HTML is idempotent on sanitised input).
	v.Content = template.HTML(s.policy.HTML(content)) //nolint:gosec // sanitised just now
	url := entryURL(o.BaseURL, e.ID)
	p := &page{
		Title:       v.Title + " · " + o.Title,
		Description: v.Excerpt,
		Root:        root,
		Canonical:   url,
		Entry:       &v,
		OG: &ogView{Type: "article", Title: v.Title, Description: v.Excerpt, URL: url, Image: v.Image,
			Published: v.Published, Modified: e.Updated.UTC()},
	}
	s.writePage(w, r, http.StatusOK, "entry", p, keep)
}
