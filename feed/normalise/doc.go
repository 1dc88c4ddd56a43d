// Package normalise turns a parsed feed into feed.Articles and owns the text
// and URL normal forms that feed/identify builds identity keys and
// fingerprints from.
//
// Feed makes one Article per item, in feed order, and never drops an item
// (but those past Options.MaxItems, the oldest by date): one without a
// date gets Options.Now, less a nanosecond per place in the feed so that
// undated items keep the feed's order, and Undated; one without a link an
// empty Link. For each item:
//
//   - Link is feedburner:origLink, else an Atom rel="canonical" link, else the
//     item's link, else its GUID when that is an http(s) URL. gofeed's
//     universal Item does not list rel="canonical" links of Atom entries;
//     they are read from the original Atom feed, which gofeed keeps only when
//     the parser's KeepOriginalFeed is set. In RSS, an atom:link
//     rel="canonical" is read from the item's extensions.
//   - Every URL (links, enclosures, image, href/src/srcset/poster… inside
//     content and summary) is made absolute: the link against the feed's home
//     page, else the URL the feed was fetched from; everything else against
//     the item's link, then the same fallbacks. gofeed itself resolves only
//     where xml:base is set.
//   - Published is the publication date, else the update date, else Now;
//     Updated is the update date, never earlier than Published. Dates before
//     1990 and beyond Now+MaxFuture count as missing (Undated: the item is
//     dated when first seen, and keeps that date).
//     Times are in UTC.
//   - Content is the item's content (else its description) with boilerplate
//     removed (see Boilerplate), then sanitised; Summary is the sanitised
//     description, boilerplate removed too, when the content came from the
//     content element and the description's text differs. Text is
//     Text(Content), or Text(Summary) when there is no content.
//   - Title, author and categories are text: markup stripped, entities
//     decoded, whitespace folded.
//   - What one item may bring is bounded (limits.go): title, author and
//     categories are cut, a GUID over 16 KiB becomes its digest, URLs over
//     8 KiB are left out, HTML over 1 MiB is cut before it is parsed. Keys
//     and documents stay small whatever an upstream sends.
//
// Prepare and Fetched.Articles are Feed in two steps, for a caller that
// makes Articles of some items only; Fetched.Digest identifies an item as
// parsed, and Fetched.Context what the feed adds, so that a caller can tell
// an item it has seen before without making its Article (feed/ingest does).
//
// URL gives the identity form of a link (scheme, host, port, path, query and
// escaping folded; tracking parameters dropped); Text the folded plain text
// of HTML; Boilerplate strips cross-post, share and navigation footers and
// returns the attribution a cross-post notice gave.
//
// Cost: an item's HTML is parsed once here (absolute URLs, boilerplate and
// the first image in one pass); with Options.SanitizeFragment the sanitiser
// hands back the tree it rendered and Text reads it instead of parsing the
// result again. Options.Workers normalises a feed's items in parallel; the
// result is the same as one at a time.
//
// Caveats: titles are taken as HTML, as most feeds publish them, so a title
// that spells out a tag ("Why <blink> died") loses it. Built-in boilerplate
// wording is English, German, French, Spanish, Portuguese, Italian and
// Dutch (footers.go, footers_intl.go); in other languages only the lines
// learned per source and share links by their address are recognised.
// Nothing here performs I/O, and every
// function is safe for concurrent use.
package normalise
