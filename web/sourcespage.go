package web

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/render"
)

type sourcesView struct {
	Sources []sourceView
	Failing int
}

// sourceView is one configured source with what the store remembers of it.
type sourceView struct {
	// URL and SiteURL are the feed and home page, each only when it is an
	// http(s) URL (render.WebURL): a source read from a local file has a
	// path there, which readers cannot follow and which tells the server's
	// file layout. Local is true for such a source, whose URL is then "".
	// Private is true for a source whose URL is its subscriber's secret
	// (feed.Source.Private): URL is "" and Error names only its host.
	ID, Name, URL, SiteURL string
	Local, Private         bool
	Tags                   []string
	// Status is "failing", "ok" or "new" (never fetched).
	Status      string
	LastAttempt time.Time
	LastSuccess time.Time
	NextFetch   time.Time
	// Result says how the last attempt ended, in words.
	Result     string
	HTTPStatus int
	Error      string
	Failures   int
	Items      int
	// Duplicates is the share of the source's items found to be copies of
	// an existing entry (merged / (created + merged)), -1 when none yet.
	Duplicates float64
	// Ago and Due are the last attempt and the next fetch relative to now.
	Ago, Due string
}

// sources serves "/sources": every configured source, failing ones first.
func (s *Site) sources(w http.ResponseWriter, r *http.Request) {
	o := s.opts.Load()
	states, err := s.store.Sources(r.Context())
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, "", "The sources' status could not be read. Try again in a moment.", err)
		return
	}
	byID := make(map[string]feed.SourceState, len(states))
	for _, st := range states {
		byID[st.SourceID] = st
	}
	now := o.Now()
	v := &sourcesView{}
	for _, src := range o.Sources() {
		sv := newSourceView(src, byID[src.ID], now, o.Due)
		if sv.Status == "failing" {
			v.Failing++
		}
		v.Sources = append(v.Sources, sv)
	}
	rank := map[string]int{"failing": 0, "new": 1, "ok": 2}
	slices.SortStableFunc(v.Sources, func(a, b sourceView) int {
		return cmp.Or(cmp.Compare(rank[a.Status], rank[b.Status]),
			cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)))
	})
	p := &page{
		Title:       "Sources · " + o.Title,
		Description: fmt.Sprintf("The %d sources %s follows and how their last fetch went.", len(v.Sources), o.Title),
		Canonical:   o.BaseURL + "sources",
		Nav:         "sources",
		Sources:     v,
	}
	if o.BaseURL == "" {
		p.Canonical = ""
	}
	// Not cached: "5 min ago" changes with the clock, not with the store.
	s.writePage(w, r, http.StatusOK, "sources", p, nil)
}

// hidePath takes a local source's path out of its last error ("open
// /srv/feeds/x.xml: no such file"), which this public page would
// otherwise show, as it shows no path elsewhere.
func hidePath(msg, source string) string {
	msg = strings.ReplaceAll(msg, source, "the local file")
	if p, ok := strings.CutPrefix(source, "file://"); ok && p != "" {
		msg = strings.ReplaceAll(msg, p, "the local file")
	}
	return msg
}

func newSourceView(src feed.Source, st feed.SourceState, now time.Time, due func(feed.SourceState, feed.Source) time.Time) sourceView {
	if due != nil {
		// After a reload that lowered an interval, the stored time is
		// later than the fetch that will happen (QA: "in 6 days" for a
		// source fetched 2 minutes later).
		st.NextFetch = due(st, src)
	}
	v := sourceView{
		ID: src.ID, Name: src.Name, URL: src.URL, SiteURL: feed.PublicSite(src, st), Tags: src.Tags,
		LastAttempt: st.LastAttempt, LastSuccess: st.LastSuccess, NextFetch: st.NextFetch,
		HTTPStatus: st.LastStatus, Error: feed.PublicSourceText(st.LastError), Failures: st.Failures, Items: st.Items,
		Duplicates: -1,
	}
	if st.URL != "" && st.URL != src.URL {
		v.URL = st.URL // moved by a confirmed permanent redirect
	}
	v.Local = v.URL != "" && render.WebURL(v.URL) == ""
	if v.Local {
		v.Error = hidePath(v.Error, v.URL)
	}
	if src.Private {
		// Errors quote URLs whole, relative ones and Location headers
		// included: cut to their hosts, with what repeats the feed's
		// directory or query masked.
		v.URL, v.Private = "", true
		v.Error = feed.SourcePrivate(src, st).Mask(src.ID, feed.OriginText(v.Error))
	}
	v.URL, v.SiteURL = render.WebURL(v.URL), render.WebURL(v.SiteURL)
	switch {
	case st.LastAttempt.IsZero():
		v.Status, v.Result = "new", "not fetched yet"
	case st.Failing():
		v.Status = "failing"
		v.Result = fmt.Sprintf("failed (%d in a row)", st.Failures)
		if st.Failures <= 1 {
			v.Result = "failed"
		}
	case st.LastStatus == http.StatusNotModified:
		v.Status, v.Result = "ok", "not modified"
	default:
		v.Status, v.Result = "ok", "fetched"
	}
	if n := st.New + st.Merged; n > 0 {
		v.Duplicates = float64(st.Merged) / float64(n)
	}
	if !st.LastAttempt.IsZero() {
		v.Ago = relative(st.LastAttempt, now)
	}
	if !st.NextFetch.IsZero() {
		v.Due = relative(st.NextFetch, now)
	}
	return v
}

// relative says how far t is from now in the largest whole unit: "5 min
// ago", "in 2 h", "just now".
func relative(t, now time.Time) string {
	d := t.Sub(now)
	future := d > 0
	if !future {
		d = -d
	}
	var s string
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		s = fmt.Sprintf("%d min", int(d/time.Minute))
	case d < 48*time.Hour:
		s = fmt.Sprintf("%d h", int(d/time.Hour))
	default:
		s = fmt.Sprintf("%d days", int(d/(24*time.Hour)))
	}
	if future {
		return "in " + s
	}
	return s + " ago"
}
