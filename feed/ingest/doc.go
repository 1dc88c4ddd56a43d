// Package ingest runs Tributary's pipeline for one source and schedules fetch
// rounds over all of them. It is where the data flow reads in one place:
//
//	fetch → parse → normalise → identify → store
//
// Ingesting one source costs at most one store transaction, whatever the
// number of items, and a source that fails (an unreachable host, a broken
// feed) is recorded with its error and backed off; it never stops the other
// sources. Rendering is not done here: the server renders from the store.
//
// A feed's items are normalised and sanitised on Options.Workers goroutines
// and before its transaction begins: the store admits one writer at a time,
// and only identifying and storing need it.
//
// Items a fetch brings back as the last fetch brought them are not processed
// again: the source's state keeps a digest of each item of the last fetch
// (normalise.Fetched.Digest) and of what the feed, the source and this build
// add (feed.SourceState.Known, KnownContext), and only items with another
// digest are normalised, identified and stored; an item dated too far ahead
// has no digest (its date is clamped to the fetch's time) and goes through
// every time. Once a day (Options.FullPass), and whenever that context
// changes, every item goes through (a full pass): only a full pass learns a
// source's boilerplate, which needs every item's text, and identifying an
// item is what marks a tombstoned key as still listed. So a boilerplate line
// a source starts repeating is learned at the next full pass, and an entry
// that was changed in the store by other means (removed by hand) comes back
// from a feed that still lists it at the next full pass, not at the next
// fetch. TestSkippingStoresWhatProcessingAllWould checks that skipping
// stores what processing every item would.
//
// An item repeating the GUID of an item above it in the same feed (or,
// without a GUID, the link of one without a GUID) is left out: the first
// listing is the one stored. The GUIDs the feed lists go to identify
// (Source.Listed), which keeps items with different GUIDs apart.
//
// A fetch answered 304 reads no items. A source that has answered 304 for
// a month is asked once without validators, so that its items are
// identified again (see revalidateEvery): one full download a month per
// source keeps the tombstones of entries removed by retention.
//
// A round (Round) is built for thousands of sources:
//
//   - Politeness is kept per host, not by queueing: at most PerHost requests
//     in flight to a host and HostDelay between two starts of requests to
//     it, Concurrency requests in all. A worker takes the next source whose
//     host may be asked now and never holds a slot while a host's delay
//     runs out (see scheduler).
//   - Sources that bring no entries (304, failures) have their state stored
//     several to a transaction (see stateBatch), and fetched feeds that would
//     wait for the store share one (group commit, see committer): a
//     transaction costs two fsyncs, which made one per source the bound of a
//     large round.
//
// A source is due at its state's NextFetch, or earlier when the config in
// effect (a reload builds a new Ingester) has a shorter interval: one
// interval after its last fetch; a backoff stands, but not beyond
// BackoffMax after the last attempt (see Ingester.due).
//
// Caveats: Ingest stores its source's state before it returns; Round stores
// the states of sources that brought no entries in batches, all written
// before it returns. A crash during a round loses the batched states not yet
// written: those sources are fetched again with their previous validators.
package ingest
