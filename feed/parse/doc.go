// Package parse turns the bytes of a fetched feed into a *gofeed.Feed, making
// the bytes fit for gofeed first.
//
// Contract:
//
//   - Formats: RSS 0.91/0.92/2.0, RSS 1.0 (RDF), Atom 0.3/1.0 and JSON Feed
//     1.0/1.1, told apart by their first element or '{', however far into
//     the body that is (gofeed alone looks at 4 KB).
//   - Encoding: the body is converted to UTF-8 before gofeed sees it (see
//     ToUTF8): a BOM (UTF-8, UTF-16, UTF-32), then the HTTP charset, then the
//     XML declaration or its byte pattern (XML 1.0 Appendix F) decide;
//     undeclared non-UTF-8 text is read as windows-1252; bytes still invalid
//     become U+FFFD. gofeed alone honours only the XML declaration.
//   - Characters XML 1.0 forbids (C0 controls other than tab, CR and LF,
//     U+FFFE, U+FFFF) are dropped, so one stray control character does not
//     lose the whole feed.
//   - Character references to those characters (&#8;) are dropped too:
//     encoding/xml rejects them even in its lenient mode.
//   - A body that is no feed gives an error matching ErrNotFeed; an HTML page
//     (a doctype or <html> root, or Content-Type text/html and no feed root)
//     gives a *HTMLPageError listing the feeds the page links to. Every error
//     starts with "parse: ", and XML syntax errors keep their line numbers.
//   - Elements nested deeper than 10,000 levels are refused before gofeed
//     parses them: gofeed recurses into nested elements, and a few million
//     levels would overflow the goroutine stack, which kills the process.
//   - A document that ends early (a dropped connection, a server's own
//     limit) gives the items that arrived whole: the elements still open
//     are closed and the one item or entry cut short is left out
//     (truncated.go); a JSON Feed keeps its members and items that arrived
//     whole (truncated_json.go). A document malformed before its end is
//     refused.
//   - RSS items' HTML is not scanned for an image (Item.Image is set only
//     from explicit image elements).
//
// Reading what gofeed's universal Item does not surface: namespaced elements
// stay in Item.Extensions keyed by canonical prefix and local name;
// OrigLink reads feedburner:origLink from there.
//
// Caveats: Parse holds the whole body and gofeed allocates about ten times
// its size (up to a hundred times for a body of tiny elements), so the
// caller must cap the body it fetches. DTD entities are never
// expanded (gofeed's XML decoder leaves them as text), so entity-expansion
// attacks cost nothing. Relative URLs are resolved by gofeed only where
// xml:base is present; resolving against the feed's own URL is left to the
// caller.
package parse
