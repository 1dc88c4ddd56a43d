package ingest

import (
	"fmt"
	"net/url"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/identify"
	"github.com/tributary/tributary/feed/normalise"
)

// apply runs the normalise and identify steps of one fetched feed and
// stores the result, all inside tx.
func (in *Ingester) apply(tx feed.Tx, src feed.Source, st *feed.SourceState, rep *feed.SourceReport, res *fetched) error {
	now := in.opts.Now()
	meta, articles := normalise.Feed(res.feed, src, res.resp.URL, normalise.Options{
		Now:      now,
		MaxItems: in.opts.MaxItems,
		Sanitize: in.policy.HTML,
	})
	st.Boilerplate = normalise.LearnBoilerplate(articles, st.Boilerplate)
	st.Title, st.SiteURL = meta.Title, meta.SiteURL
	st.Items = len(articles)
	rep.Items = len(articles)
	isrc := identify.Source{Source: src, FeedURL: publicFeedURL(res, meta), SiteURL: meta.SiteURL, Title: meta.Title}
	for i := range articles {
		out, _, err := in.identify.Apply(tx, isrc, &articles[i], now)
		if err != nil {
			return fmt.Errorf("item %d (%s): %w", i+1, articles[i].Link, err)
		}
		switch out {
		case identify.Created:
			rep.New++
		case identify.Updated:
			rep.Updated++
		case identify.Merged:
			rep.Merged++
		}
	}
	st.New += rep.New
	st.Updated += rep.Updated
	st.Merged += rep.Merged
	return tx.PutSourceState(*st)
}

// publicFeedURL is the URL that attributes the source in the republished
// feed: where it was fetched, unless that was a local file, whose path means
// nothing to readers; then the URL the feed gives for itself, or its site.
func publicFeedURL(res *fetched, meta normalise.Meta) string {
	if u, err := url.Parse(res.resp.URL); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
		return res.resp.URL
	}
	if self := normalise.Resolve(meta.SiteURL, res.feed.FeedLink); self != "" {
		return self
	}
	return meta.SiteURL
}
