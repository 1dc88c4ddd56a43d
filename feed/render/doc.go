// Package render writes the unified feed as Atom 1.0, RSS 2.0 and JSON Feed
// 1.1, with share metadata: the original attributed, every other copy linked
// and share links in a short content footer.
//
// # Contract
//
// Write renders entries in the order given (callers pass them newest first)
// and is deterministic: the same Page, entries and Options give the same
// bytes, so the HTTP layer may hash them for an ETag. Nothing depends on the
// clock; a missing required date is written as the Unix epoch.
//
// Every format identifies an entry by Page.BaseURL + "entries/" + Entry.ID
// (a slash is added to BaseURL when it lacks one). The id never changes when
// the entry is edited, re-merged or gets another original, and it never
// carries share parameters. The entry's link is Entry.Link, the original's
// permalink (the original copy's link when Entry.Link is empty).
//
// Content is Entry.Content, or Entry.Summary when there is no content,
// followed by a footer:
//
//	<p class="tributary-attribution">Originally published at <a href="…">Blog</a>,
//	also at <a href="…">Mirror</a>.</p>
//	<p class="tributary-share">Share: <a href="…">Email</a> · <a href="…">Mastodon</a></p>
//
// "also at" lists the other copies (copies whose link equals one already
// listed are left out) and is omitted when there is only one; the share
// paragraph is omitted when Options.Share is empty or the entry has no link
// to share; an entry without copies has no attribution paragraph. A source
// without a name is named by the host of its site, feed or link. Every name
// and URL is HTML-escaped.
//
// A URL of an entry or of a copy (link, image, enclosures, a copy's feed
// and site) is published without its userinfo (feed.PublicURL): a source
// fetched as http://user:password@host/feed stores that URL in its copies,
// and relative links resolved against it carry it too, but its credentials
// are the operator's. A copy's feed and site URL also lose the query
// parameters that hold secrets (?token=, ?key=: feed.PublicSourceURL), and
// are published only when they are http(s) URLs (WebURL); an article's
// links keep their query, which its publisher may have signed for all.
//
// # Share links
//
// A ShareLink with an empty Template takes the builtin of its Name
// (case-insensitive; see BuiltinShareTemplates); a Name that is neither a
// builtin nor given a Template makes Write fail, so a configuration mistake is
// not silently rendered as a missing link. Readers see the builtin's display
// name (Email, Mastodon, Bluesky, X, Facebook, LinkedIn, Reddit, Hacker News)
// or, for other names, the name itself. {url} is the original link, with
// utm_source=Options.UTM&utm_medium=feed added to its query when UTM is set
// (not when the link already has a utm_source); {title} is the entry title;
// {text} is the title, a space and the link. Values are percent-encoded with
// spaces as %20, which mailto: (RFC 6068) and every web query parser read as
// a space; other {placeholders} are left as written.
//
// # Formats
//
// Atom: feed id Page.ID (else SelfURL); links self, alternate, hub, first,
// prev, next, last; a feed author (Page.Author, else Page.Title) so that every
// entry has one. Entries carry published, updated, author when known,
// category@term, rel=enclosure links, media:thumbnail, xml:lang, content and
// a summary only when it differs from the content. The original is an
// atom:source (id and self link = its feed URL, title, alternate link = its
// site, updated); each other copy is a <link rel="via" title="source">.
// Content and summary are HTML in CDATA sections ("]]>" split across two
// sections), which readers parse faster than escaped text.
//
// RSS 2.0: atom:link for self, hubs and paging; guid isPermaLink="false" (the
// entry id); description is the summary, or the content without the footer;
// content:encoded is the content with the footer; dc:creator for the author
// (RSS's <author> wants an e-mail address); every category; every enclosure,
// with type application/octet-stream and length 0 when unknown (several
// enclosures per item are allowed by the spec's wording but some readers use
// only the first); media:thumbnail; <source url="feed URL">name</source>.
//
// JSON Feed 1.1: compact, the feed object first and then one item per line.
// feed_url is Page.First when set (every page of a paged feed names the
// subscription document, the feed's identity in JSON Feed), else SelfURL;
// next_url is Page.Next (JSON Feed has no other paging link).
// Items carry id, url, title, content_html, summary (plain text, tags
// removed), image, date_published, date_modified, author and authors, tags,
// language and attachments. Each item has a "_tributary" extension object:
//
//	"_tributary": {
//	  "original": {"source": "Blog", "feed_url": "…", "site_url": "…", "url": "…"},
//	  "also_published_at": [{"source": "Mirror", "url": "…"}],
//	  "share": [{"name": "email", "url": "mailto:?…"}]
//	}
//
// original is absent for an entry without copies, also_published_at when
// there is only one copy, and share when no share links are configured; share
// names are the configured names, not the display names.
//
// # Caveats
//
// Characters XML 1.0 cannot carry (C0 controls other than tab, newline and
// carriage return, U+FFFE, U+FFFF, invalid UTF-8) are removed from every
// string, in all three formats so that they say the same thing; titles are
// also trimmed of surrounding space. Dates are written in UTC to the second.
//
// The structs of github.com/gorilla/feeds are embedded and extended, never
// passed to its FeedXml/WriteXML helpers: their promoted FeedXml methods would
// return the inner structs and silently lose every extension.
package render
