// Package server is Tributary's HTTP endpoint for feed readers: the unified
// feed and the feed of every source and every tag, each as Atom, RSS and
// JSON Feed and paged, two OPML subscription lists, WebSub announcements,
// health and readiness probes, and a local trigger that runs a fetch round.
//
// Endpoints:
//
//	GET|HEAD /feed.{atom,rss,json}                  the unified feed
//	GET|HEAD /sources/{id}/feed.{atom,rss,json}     entries having a copy from that source
//	GET|HEAD /tags/{tag}/feed.{atom,rss,json}       entries of that tag (see below)
//	GET|HEAD /sources.opml                          the upstream feeds (OPML 2.0)
//	GET|HEAD /feeds.opml                            the feeds served here (OPML 2.0)
//	GET      /healthz                               200 "ok" while the process serves
//	GET      /readyz                                200 once Ready(true) was called, else 503
//	POST     /-/fetch[?force=1]                     runs one fetch round, answers its report as JSON
//	GET      /-/backup                              a consistent copy of the store (Options.Backup)
//	OPTIONS  the feeds and the OPML lists           CORS preflight of a GET or HEAD: 204
//
// /-/fetch and /-/backup (and the daemon's /metrics, through Operator) are
// the operator's: see Operator endpoints below.
//
// Anything else is 404; a known path with the wrong method is 405 with
// Allow. An unknown source id or tag is 404; a tag spelled otherwise than
// feed.TagOf gives it ("Lower%20Town") is redirected (301) to the
// canonical one ("lower-town").
//
// # Feeds
//
// A feed document holds Options.MaxItems entries, newest first. A source's
// feed holds every entry one of whose copies came from that source (a
// cross-post is in the feeds of both sources). A tag's feed holds the
// entries with a category whose TagOf is the tag, and every entry of the
// sources configured with that tag; the tags are those of the config and
// those the stored categories give. Sub-feeds are titled after the service
// ("Tributary — Harbor Light", "Tributary — #news"); their Atom id, for
// every page and format, is the URL of their Atom subscription document.
//
// Paging (RFC 5005): the subscription document has no query; ?page=N (from
// 1) and ?before=CURSOR address the others. A feed longer than one document
// carries first (the subscription document), last (?page=N), next and prev
// links in Atom and RSS (atom:link), and next_url in JSON Feed. next and
// prev are cursors: following them never skips or repeats an entry however
// many arrive meanwhile, and a cursor stays valid across restarts and after
// its entry is pruned. A malformed page or cursor is 400 with an
// explanation; a page past the end is 404. Other query parameters are
// ignored.
//
// Every document is served from a cache of rendered bytes, rebuilt only when
// Store.Version changes: a request that finds its document current never
// waits, and however many requests arrive after a change, one of them
// renders (and gzips) while the others wait for its result. The cache keeps
// the 64 documents used last (every page, feed and format is one), and the
// unified feed's three subscription documents for good: their handlers hold
// them, so the request readers poll most finds its document without a lock
// or a key. The ETag
// is a hash of the exact bytes, so a change of Version that renders the same
// bytes keeps the ETag; the gzip representation has its own ETag, and both
// answer If-None-Match and If-Modified-Since with 304. Last-Modified is the
// newest Modified time of the document's entries, or, if later, the time
// its bytes last changed in this process as far as the server can tell;
// OPML lists and feeds with no entry yet have none.
//
// Why: the bytes depend on more than the entries' times tell. The config
// (output.title, the share links) takes effect when a Server is made (New:
// the daemon makes one at start and at every reload), so no document of a
// Server is dated before its New. An entry leaving a document (retention)
// or a source's new name changes the bytes with no newer entry: a rebuild
// whose bytes differ from the previous rendering's is dated at its own
// time (the change happened between the two versions), and one with the
// same bytes keeps the previous date, so a date never goes back while the
// bytes stay. A client that sends only If-Modified-Since thus sees a new
// title or a deletion. The price: a restart or a reload that changes
// nothing the feeds show moves Last-Modified too, and such clients fetch
// each document once more in full (the ETag stays: clients that send it
// get 304).
//
// Preconditions (RFC 9110 §13.2.2), in this order: If-Match, compared
// strongly with the selected representation's tag ("*" matches), else
// If-Unmodified-Since earlier than Last-Modified, fail with 412 and a text
// saying why; then If-None-Match, else If-Modified-Since, answer 304.
// If-Unmodified-Since is ignored for a document without a date or when it
// is not an HTTP-date.
//
// Rendering after a change: Warm renders the unified feed's subscription
// documents at the store's current version; the daemon calls it at the end
// of every fetch round, right after the round's last commit, so the readers
// polling after a change find them rendered. It is the rebuild the next
// request would have run, through the same per-document lock: a request
// arriving during it waits for it and shares its result, and no request is
// ever answered with a snapshot older than the version it saw on arrival.
// The server does not serve the previous snapshot while rendering (that
// would be stale content after the change is visible), and it does not
// render on its own when the version changes: the daemon replaces the
// Server on a config reload, and only the caller knows which instance is
// in effect. Commits in the middle of a round, other feeds, pages and the
// OPML lists are still rendered by the first request after the change.
//
// A cached response costs an atomic load, a version check, header map
// assignments and one write. Each snapshot builds its header values (ETag,
// Content-Length, Content-Type, Last-Modified) once as the []string a
// header map holds, and every response shares them; nothing may modify
// them in place (each has its length as capacity, so Header.Add copies).
// If-None-Match equal to the representation's tag matches before the
// field is parsed as a list. If-Match and If-Unmodified-Since are looked
// up (two map reads) and evaluated only when present; CORS headers are
// added only to requests with an Origin (see CORS). Bodies are written
// from memory: serving the identity body from a file with sendfile(2) was
// measured (a file per snapshot, opened per request) and was no faster
// here, for the open, fcntl and close it adds to every request, and
// http.ResponseWriter wrappers without ReadFrom (metrics) would hide
// sendfile anyway.
//
// # CORS
//
// The feeds and the OPML lists are public and credential-free: any web
// page (a feed reader in a browser) may read them. A request with an Origin
// gets Access-Control-Allow-Origin: * and Access-Control-Expose-Headers:
// ETag, Last-Modified, on every answer of those routes (the document, a
// 304, a 404 that says why, a tag's redirect). They are sent only when
// there is an Origin, which every CORS request has and the feed readers
// that poll most do not send: a response without them keeps the headers it
// had, as an extra header is a map insertion on the hot path (and a ninth
// one a map growth, three allocations). So the documents, and the tag
// redirect, say Vary: Origin, and a shared cache keeps the two answers
// apart. A preflight (OPTIONS with Access-Control-Request-Method GET or
// HEAD) of those paths is answered 204 with Access-Control-Allow-Methods
// GET, HEAD and Access-Control-Allow-Headers If-None-Match,
// If-Modified-Since (and Vary: Access-Control-Request-Method); any other
// OPTIONS is answered as before (405 with Allow, or 404). The operator
// endpoints, the health probes and the daemon's HTML pages never carry
// CORS headers.
//
// # Operator endpoints
//
// /-/fetch, /-/backup and the daemon's /metrics (Operator) admit a
// request that carries Options.Token as a bearer token, from anywhere; or
// one straight from loopback (not through a proxy, see Caveats) that no
// web page sent. A page the operator visits can reach loopback in two
// ways: DNS rebinding (its own name resolving to 127.0.0.1, so that the
// browser sees the answers as same-origin) and cross-site "simple"
// requests (a text/plain POST needs no preflight). A loopback request
// must therefore name this server in Host (an IP address, "localhost", the
// host of Page.BaseURL or of Options.Listen; no port check; an empty Host
// is no browser's), and is refused when the browser says it is cross-site:
// an Origin other than the request's own scheme and Host or BaseURL's
// origin ("null" included), or Sec-Fetch-Site cross-site or same-site. A
// refusal says why: 401 with WWW-Authenticate: Bearer realm="tributary"
// when a token is configured and the request brings none (no
// Authorization, another scheme, an empty token: RFC 6750 §3), 403 for a
// wrong token, when no token is configured, and for a loopback request a
// web page sent. The fetch and backup endpoints answer it as JSON
// ({"error": …}), /metrics as text.
//
// # OPML
//
// /sources.opml lists the configured sources under their configured names
// and tags (config.ReadOPML reads it back), each at the URL it is fetched
// from now. A source read from a local file has no URL a reader could
// follow: its outline points at its feed here. Credentials in a source's
// URL (http://user:password@host/feed) are left out, here and in every
// feed (render.WebURL); the /-/fetch report shows them masked
// (feed.RedactedURL: user:xxxxx@, ?token=xxxxx), as the logs do. /feeds.opml lists the
// unified feed, then a "Sources" folder and a "Tags" folder, in Atom.
//
// # WebSub
//
// With hubs configured (Options.Page.Hubs), every feed links them
// (rel="hub", JSON Feed hubs) and Serve announces changes: it polls
// Store.Version every Options.WebSubPoll and, after a change, compares a
// signature of every feed's subscription document with the one before (its
// metadata, its entry count and a checksum of each first-page entry's
// stored value, kept in its index records: Store.WindowDigests); each hub
// gets a publish ping (a form POST of hub.mode=publish and hub.url) for each
// changed feed's URL in each format. Pings run in a goroutine per hub,
// retried after 2, 4, 8 and 16 s while the hub is unreachable or answers
// 5xx, 408 or 429, and given up after that or on another 4xx (the next
// change pings again). Nothing waits for them: neither ingestion (the poll
// is an atomic read) nor requests. The hubs are those of the config in
// effect (Options.Current): a hub added by a reload is announced to from
// the next poll, counting changes from then; a removed one is stopped with
// its pending pings.
//
// # Caveats
//
//   - Last-Modified is exact only to the second, like every HTTP date: two
//     changes of a document within one second share it, and a client that
//     fetched between them and sends only If-Modified-Since keeps the first
//     until the next change. A document evicted from the cache (more than
//     64 in use) is dated by its entries and the config again when
//     rendered anew: a deletion while it was out of the cache does not move
//     its date. If-None-Match, which every client that saw our ETag should
//     send, takes precedence and is exact.
//   - The catalog of sources and tags is read again after each change of
//     entries; a source whose upstream renamed itself without bringing new
//     entries keeps its old title and site until the next change.
//   - Detecting which feeds changed reads the index records of the first
//     page of every feed (1 + sources + tags) once per change of the store,
//     in the background: about 80 µs a feed at 100,000 entries, so most of
//     a second of CPU per change with ten thousand sources or tags. A change of a stored field that no
//     format renders announces the feed once more than needed; no rendered
//     change goes unannounced.
//   - ?page=N and the last link cost a walk of the index keys of the
//     entries before the page (and, for a source or tag, of all its
//     entries, to count them); keys are small and no entry outside the page
//     is decoded.
//   - With Options.TrustLoopback the operator endpoints trust a loopback
//     remote address (when no web page sent the request). Behind a reverse
//     proxy on the same host every client looks local, so a request
//     carrying Forwarded, X-Forwarded-For, X-Real-IP or Proxies.Header is
//     not treated as local: it needs the token. A proxy that adds none of
//     them is indistinguishable from a local tool: hence the default off.
//   - RateLimit limits the client a trusted proxy names in Proxies.Header;
//     without one, a reverse proxy's clients all connect from the proxy,
//     which (on loopback) is exempt. A single-address header is only as
//     good as the proxy that sets it: one that passes the client's own
//     through lets the client choose whose allowance it spends.
//   - The CORS headers depend on Origin, so a shared cache that ignores
//     Vary: Origin may hand a page a response stored for a feed reader,
//     without them; the page's read then fails until the entry expires.
//   - A fetch round may outlast the server's 60 s WriteTimeout; the trigger
//     lifts the write deadline for its own response.
package server
