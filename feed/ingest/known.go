package ingest

import (
	"time"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/identify"
	"github.com/tributary/tributary/feed/normalise"
)

// Most items of a fetched feed are the ones the last fetch brought, and
// making their Articles again was most of a fetch's cost. The source's state
// keeps a digest of each item of the last fetch (normalise.Fetched.Digest)
// and of what the feed, the source and this build add (KnownContext); an
// item that comes back with the same digest under the same context was
// stored then, and would be again as it is, so it is left out.
//
// Every Options.FullPass, when the context changes, and at each fetch
// without validators (below), every item is made afresh regardless (a full
// pass): learning boilerplate needs every item's text, so only a full pass
// learns (the others remove what was learned), and identifying an item is
// what tells the store that an upstream still lists a tombstoned key.

// itemPlan says which items of a fetched feed to make Articles of.
type itemPlan struct {
	// leave marks the items left out: known, or repeating a GUID.
	leave []bool
	// digests are those to remember as known, in feed order.
	digests feed.Digests
	// known counts the items left out as known.
	known int
}

// planItems leaves out the items of p whose digest is in last, unless
// full, and the items that repeat the identity (identify.ItemIdentity: the
// GUID, else the permalink) of an item above them: a feed that lists one
// item twice is taken at its first listing, the newest in most feeds (applying
// both made the entry change back and forth at every fetch when their
// texts differed, and on a first fetch kept the oldest). An item without a
// digest (0) is made every time.
func planItems(p *normalise.Fetched, last feed.Digests, full bool) itemPlan {
	known := make(map[uint64]bool, len(last))
	if !full {
		for _, d := range last {
			known[d] = true
		}
	}
	plan := itemPlan{leave: make([]bool, p.Len())}
	seen := map[string]bool{}
	for i := range plan.leave {
		if id := identify.ItemIdentity(p.GUID(i), p.Link(i)); id != "" {
			if seen[id] {
				// Not stored, so not known: should it come first at
				// a later fetch, it is the one stored then.
				plan.leave[i] = true
				continue
			}
			seen[id] = true
		}
		d := p.Digest(i)
		if d == 0 {
			continue
		}
		plan.digests = append(plan.digests, d)
		if known[d] {
			plan.leave[i] = true
			plan.known++
		}
	}
	return plan
}

// fullPass reports whether every item of a fetch is made afresh: see above.
func (in *Ingester) fullPass(st feed.SourceState, res *fetched, context uint64, now time.Time) bool {
	return res.revalidated || context != st.KnownContext ||
		!now.Before(st.FullPass.Add(in.opts.FullPass)) || now.Before(st.FullPass)
}

// revalidateEvery is how long a source may answer 304 before it is asked
// without validators. A fetch answered 304 reads no items, so it cannot tell
// the store that an upstream still lists the keys of an entry retention
// removed; their tombstones expire after a year without such news
// (storage/tombstones.go), and a feed unchanged for that long would bring
// the entry back at its next change. One full download a month per source
// keeps them, and keeps learned boilerplate current. Each source comes due
// up to revalidateSpread early, by a fixed amount of its own, so that
// sources whose last full pass fell in the same round are not all
// downloaded whole in one round a month later.
const (
	revalidateEvery  = 30 * 24 * time.Hour
	revalidateSpread = 7 * 24 * time.Hour
)

// revalidateDue reports whether st's source is due to be asked without
// validators at now. A failing source is not: it is asked as it was until
// it succeeds, so that an upstream refusing whole downloads is not asked
// for one at every attempt. Nor is one whose state predates full passes:
// its month starts at its next fetch.
func revalidateDue(st feed.SourceState, now time.Time) bool {
	if st.Failures > 0 || st.FullPass.IsZero() {
		return false
	}
	// A digest, not FNV: sources named alike (blog-1, blog-2) must still
	// come due on different days.
	early := time.Duration(normalise.Digest(st.SourceID) % uint64(revalidateSpread))
	return !now.Before(st.FullPass.Add(revalidateEvery - early))
}
