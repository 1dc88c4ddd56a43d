package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/tributary/tributary/storage"
)

// river serves "/": the newest entries, a page at a time.
func (s *Site) river(w http.ResponseWriter, r *http.Request) {
	served, keep := s.serveCached(w, r)
	if served {
		return
	}
	o := s.opts.Load()
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil && strings.Contains(r.URL.RawQuery, "before") {
		// Reading what parses would answer a mangled link with the
		// newest page, as if it were right.
		s.fail(w, r, http.StatusBadRequest, "", "That page link is damaged. Start again from the newest entries.", nil)
		return
	}
	before := q.Get("before")
	entries, next, err := s.store.Newest(r.Context(), o.PageSize, before)
	switch {
	case errors.Is(err, storage.ErrBadCursor):
		s.fail(w, r, http.StatusBadRequest, "", "That page link is not one this site made. Start again from the newest entries.", nil)
		return
	case err != nil:
		s.fail(w, r, http.StatusInternalServerError, "", "The entries could not be read. Try again in a moment.", err)
		return
	case len(entries) == 0 && before != "":
		s.fail(w, r, http.StatusNotFound, "", "There is nothing older than this: the river ends here.", nil)
		return
	}
	v := &riverView{Older: next, Paged: before != ""}
	for _, e := range entries {
		v.Entries = append(v.Entries, s.newEntryView(o.Private.Entry(e), o))
	}
	desc := o.Description
	if desc == "" {
		desc = "The newest articles from every source " + o.Title + " follows, each once, attributed to its original."
	}
	p := &page{
		Title:       o.Title,
		Description: desc,
		Canonical:   o.BaseURL,
		Nav:         "river",
		River:       v,
		OG:          &ogView{Type: "website", Title: o.Title, Description: desc, URL: o.BaseURL},
	}
	if before != "" {
		p.Title = o.Title + ": older entries"
		p.Canonical = "" // paged views are not what a share should point at
	}
	s.writePage(w, r, http.StatusOK, "river", p, keep)
}
