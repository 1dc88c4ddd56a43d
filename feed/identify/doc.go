// Package identify decides which stored entry an incoming article belongs to,
// and which copy of an entry is its original.
//
// An article is known by identity keys (see Keys). They are looked up from the
// strongest to the weakest, and the first one found names the entry:
//
//	guid:<source>:<guid>   the item's GUID, trusted only within its own source
//	id:<guid>              a tag: or urn: GUID, global by construction
//	url:<normalised url>   the permalink (and a GUID that is an absolute URL),
//	                       tracking parameters and cosmetic differences removed
//	text:<hash>            the folded text with boilerplate removed, for copies
//	                       republished under another GUID and link
//
// A text key is only made from texts long enough to be distinctive
// (MinExactWords); an item with no content is known by its link, never by its
// empty text. Rules that need more than a key lookup, such as near-duplicate
// fingerprints, run after the keys, in the same transaction.
//
// Within one source, GUIDs tell items apart: an entry that a link or text
// key names but that holds another item of the article's own source (a
// copy under another GUID the feed still lists, Source.Listed) is not the
// article's (items.go).
//
// A text key or a near-duplicate rule proves less than a GUID or a link, and
// a post lost in another's entry is worse than an article shown twice: what
// else two items publish can keep them apart (apart.go): under 50 words,
// titles that share no word, numbered titles that share no number, or a
// text again beyond the near rules' window of every copy; audio or video
// files none of which is the other's unless the titles name one episode.
// The near rule also gives way to titles that share no word over texts that
// each say about fifteen words of their own, unless one writer signs both
// (two job adverts in one boilerplate), and to untitled short notes of other
// writers that differ at all (untitledNote). A link's fragment is no part of
// its key unless it names one comment ("#comment-31"): a comment feed's
// items link their post.
//
// An item stored before and unchanged (most items of a fetched feed) costs
// its keys and one entry read. An article's text is split into words once
// for its text key, fingerprint, lead key and shingles; near-duplicate
// candidates' shingle sets are cached (by their HTML) in the Identifier, so
// the copies of one article arriving one after another derive the stored
// text once.
//
// The entry's original is chosen again every time a copy is added: the
// configured source priority first, then the copy another copy's cross-post
// footer names, then the earliest publication. The entry's ID never changes.
package identify
