package ingest

import (
	"fmt"
	"net/url"
	"time"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/identify"
	"github.com/tributary/tributary/feed/normalise"
)

// normalised is a fetched feed made ready to store.
type normalised struct {
	src      identify.Source
	articles []feed.Article
	now      time.Time
}

// normalise runs the normalise step of one fetched feed and records in st
// and rep what it learned. It runs before the store transaction, not in it:
// it is most of the cost of a feed, and the store admits one writer at a
// time, so inside it the feeds of a round were normalised one at a time
// whatever the number of cores. Items known from the last fetch are left
// out, except at a full pass (known.go).
func (in *Ingester) normalise(src feed.Source, st *feed.SourceState, rep *feed.SourceReport, res *fetched) *normalised {
	now := in.opts.Now()
	p := normalise.Prepare(res.feed, src, res.resp.URL, normalise.Options{
		Now:              now,
		MaxItems:         in.opts.MaxItems,
		SanitizeFragment: in.policy.Fragment,
		Workers:          in.opts.Workers,
	})
	isrc := identify.Source{Source: src, FeedURL: publicFeedURL(res, p.Meta, src.Private), SiteURL: p.Meta.SiteURL, Title: p.Meta.Title}
	// MaxAge too: a reload that widens retention must read again the
	// items it left out as too old.
	context := normalise.Digest([]any{in.build, p.Context(), isrc, in.opts.MaxAge})
	// After the context: what the feed lists changes at every new post,
	// and retention's cutoff with the clock; neither must make every
	// fetch a full pass.
	isrc.Listed = listed(p)
	if in.opts.MaxAge > 0 {
		isrc.Expired = now.Add(-in.opts.MaxAge)
	}
	full := in.fullPass(*st, res, context, now)
	plan := planItems(p, st.Known, full)
	articles := p.Articles(func(i int) bool { return !plan.leave[i] })
	if full {
		st.Boilerplate = normalise.LearnBoilerplate(articles, st.Boilerplate)
		st.FullPass = now
	} else {
		normalise.StripBoilerplate(articles, st.Boilerplate)
	}
	st.Title, st.SiteURL = p.Meta.Title, p.Meta.SiteURL
	st.Known, st.KnownContext = plan.digests, context
	st.Items = p.Items()
	rep.Items, rep.Known = st.Items, plan.known
	return &normalised{src: isrc, articles: articles, now: now}
}

// apply runs the identify step of a normalised feed and stores the result
// with the source's state, inside tx. It adds what it did to rep and st.
func (in *Ingester) apply(tx feed.Tx, n *normalised, st *feed.SourceState, rep *feed.SourceReport) error {
	for i := range n.articles {
		out, e, err := in.identify.Apply(tx, n.src, &n.articles[i], n.now)
		if err != nil {
			return fmt.Errorf("item %d (%s): %w", i+1, n.articles[i].Link, err)
		}
		switch out {
		case identify.Created:
			rep.New++
		case identify.Updated:
			rep.Updated++
		case identify.Merged:
			rep.Merged++
			if rep.MergedBy == nil {
				rep.MergedBy = map[string]int{}
			}
			// The article's copy is the one Apply appended last.
			rep.MergedBy[e.Copies[len(e.Copies)-1].Rule]++
		}
	}
	st.New += rep.New
	st.Updated += rep.Updated
	st.Merged += rep.Merged
	return tx.PutSourceState(*st)
}

// publicFeedURL is the URL that attributes the source in the republished
// feed: where it was fetched, without the credentials it may have been
// fetched with (they would be stored in every copy, and so in backups),
// unless that was a local file, whose path means nothing to readers; then
// the URL the feed gives for itself, or its site. A private source's is
// its site: the feed's own link to itself is as secret as its URL.
func publicFeedURL(res *fetched, meta normalise.Meta, private bool) string {
	if private {
		return meta.SiteURL
	}
	if u, err := url.Parse(res.resp.URL); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
		return feed.PublicSourceURL(res.resp.URL)
	}
	if self := normalise.Resolve(meta.SiteURL, res.feed.FeedLink); self != "" {
		return self
	}
	return meta.SiteURL
}

// listed is the set of item identities a fetched feed lists
// (identify.Source.Listed). Links are taken as written: a relative one
// identifies nothing here, and its item is then taken as gone from the
// feed, the behaviour before identities were listed.
func listed(p *normalise.Fetched) map[string]bool {
	ids := make(map[string]bool, p.Len())
	for i := range p.Len() {
		if id := identify.ItemIdentity(p.GUID(i), p.Link(i)); id != "" {
			ids[id] = true
		}
	}
	return ids
}
