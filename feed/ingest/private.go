package ingest

import (
	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/normalise"
)

// privateParts returns the runs of a private source's URLs that may be
// its secret (feed.PrivateParts), and nil for any other source: the URL
// configured, the one a permanent redirect moved it to, and the one this
// fetch ended at.
func privateParts(src feed.Source, st *feed.SourceState, res *fetched) []string {
	if !src.Private {
		return nil
	}
	return feed.PrivateParts(src.URL, st.URL, res.resp.URL)
}

// scrubMeta leaves out a home page that holds the secret: the feed's own
// URL, or one resolved against it ("./", an xml:base).
func scrubMeta(parts []string, meta *normalise.Meta) {
	if feed.HasPrivatePart(meta.SiteURL, parts) {
		meta.SiteURL = ""
	}
}

// scrubPrivate takes a private source's secret out of what its items
// publish, before anything is stored: every link, image and attachment
// that holds it is left out (a relative link resolved against the URL, an
// xml:base, a private podcast's episodes), and the title and HTML keep
// their words with the secret masked. GUIDs are kept, for identity; the
// explain page masks them.
func scrubPrivate(parts []string, articles []feed.Article) {
	if len(parts) == 0 {
		return
	}
	drop := func(u string) string {
		if feed.HasPrivatePart(u, parts) {
			return ""
		}
		return u
	}
	for i := range articles {
		a := &articles[i]
		a.Link, a.Image = drop(a.Link), drop(a.Image)
		kept := a.Enclosures[:0]
		for _, e := range a.Enclosures {
			if !feed.HasPrivatePart(e.URL, parts) {
				kept = append(kept, e)
			}
		}
		a.Enclosures = kept
		if a.CrossPostedFrom != nil {
			a.CrossPostedFrom.URL = drop(a.CrossPostedFrom.URL)
		}
		a.Title, a.Author = feed.Scrub(a.Title, parts), feed.Scrub(a.Author, parts)
		a.Content, a.Summary = feed.Scrub(a.Content, parts), feed.Scrub(a.Summary, parts)
	}
}
