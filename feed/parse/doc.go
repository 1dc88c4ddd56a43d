// Package parse turns the bytes of a fetched feed into a *gofeed.Feed, making
// the bytes fit for gofeed first.
//
// Contract:
//
//   - Formats: RSS 0.91/0.92/2.0, RSS 1.0 (RDF), Atom 0.3/1.0 and JSON Feed
//     1.0/1.1, told apart by their first element or '{', however far into
//     the body that is (gofeed alone looks at 4 KB).
//   - Junk before the document (junk.go): when the body does not open with
//     a feed but an XML declaration or a feed root (<rss, <rdf:RDF, <feed)
//     starts within its first 4 KB, behind text that is no document (a PHP
//     warning, blank lines; no doctype, declaration or HTML page element),
//     the body is read from there. Repeated BOMs are dropped. An HTML page
//     stays an HTML page.
//   - Encoding: the body is converted to UTF-8 before gofeed sees it (see
//     ToUTF8): a BOM (UTF-8, UTF-16, UTF-32), then the HTTP charset, then the
//     XML declaration or its byte pattern (XML 1.0 Appendix F) decide;
//     undeclared non-UTF-8 text is read as windows-1252; a header's UTF-8
//     that the bytes disprove gives way to a declaration naming another
//     encoding; bytes still invalid become U+FFFD. gofeed alone honours
//     only the XML declaration.
//   - Text is HTML in every format (text.go): items' Title, Description
//     and Content and the feed's Title and Description. Plain-text
//     constructs, which gofeed hands out decoded ("&lt;b&gt;" as "<b>"),
//     are escaped, line breaks kept: Atom's type="text" (the default of
//     title and summary) and Atom 0.3's text/plain, unless the element
//     holds child elements (markup its author wrote); JSON Feed's title,
//     summary and content_text (when there is no content_html), unless
//     they hold a character reference ("Don&#8217;t": generators write
//     their HTML-escaped titles there). Atom 0.3's
//     mode="base64" is decoded; a text construct of a binary type
//     (type="image/png", which gofeed decodes to raw bytes) is dropped.
//     RSS fields are HTML by convention and left as they are. Every string
//     handed out is valid UTF-8 (valid.go).
//   - What gofeed leaves out is filled in: an RSS item without content gets
//     its xhtml:body, serialised as HTML (scripts and styles dropped); an
//     item without description its media:description (the item's, its
//     media:group's, else its media:content's) or itunes:subtitle; an RSS
//     1.0 item without link its http(s) rdf:about. JSON Feed authors are
//     one Person each, named as written; an item's external_url is kept
//     (ExternalURL); null items and authors are dropped.
//   - Dates (dates.go): a date gofeed could not read or read with a zone
//     name it does not know (gofeed gives JST or AEST a zero offset) is
//     read again from Item.Published/Updated: RFC 822 zone names and the
//     unambiguous abbreviations of the IANA time zone database, names in
//     any case, RFC 822 comments ("+0000 (UTC)"). Dates read again are in
//     UTC.
//   - Characters XML 1.0 forbids (C0 controls other than tab, CR and LF,
//     U+FFFE, U+FFFF) are dropped, so one stray control character does not
//     lose the whole feed.
//   - Character references to those characters (&#8;) are dropped too:
//     encoding/xml rejects them even in its lenient mode.
//   - C1 controls (U+0080 to U+009F) become the windows-1252 characters of
//     the same byte values ("Don\u0092t" reads "Don’t"), as in browsers:
//     they are windows-1252 text mislabelled as Latin-1, never controls.
//   - A body that is no feed gives an error matching ErrNotFeed; an HTML page
//     (a doctype or <html> root, or Content-Type text/html and no feed root)
//     gives a *HTMLPageError listing the feeds the page links to, in
//     document order, resolved against its <base href>. Every error
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
// OrigLink reads feedburner:origLink from there; Canonical an Atom entry's
// rel="canonical" link, which gofeed's Item does not list. What gofeed's format
// structs lose (Atom titles' and summaries' types, rdf:about, the markup
// of an xhtml:body) is read back by a lexical scan of the document
// (outline.go), matched to gofeed's items by position; a document the scan
// reads differently from gofeed is left as gofeed gave it.
//
// Caveats: Parse holds the whole body and gofeed allocates about ten times
// its size (up to a hundred times for a body of tiny elements), so the
// caller must cap the body it fetches. DTD entities are never
// expanded (gofeed's XML decoder leaves them as text), so entity-expansion
// attacks cost nothing. Relative URLs are resolved by gofeed only where
// xml:base is present (not inside an RSS xhtml:body); resolving against
// the feed's own URL is left to the caller.
package parse
