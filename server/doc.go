// Package server is Tributary's HTTP endpoint: it serves the unified feed as
// Atom, RSS and JSON Feed, health and readiness probes, and a local trigger
// that runs a fetch round on demand.
//
// Endpoints:
//
//	GET|HEAD /feed.atom, /feed.rss, /feed.json   the newest Options.MaxItems entries
//	GET      /healthz                            200 "ok" while the process serves
//	GET      /readyz                             200 once Ready(true) was called, else 503
//	POST     /-/fetch                            runs one fetch round, answers its report as JSON
//
// Anything else is 404; a known path with the wrong method is 405 with Allow.
//
// The feeds are served from a cache of rendered bytes, one per document,
// rebuilt only when Store.Version changes: a request that finds its document
// current never waits, and however many requests arrive after a change, one
// of them renders (and gzips) while the others wait for its result. The
// ETag is a hash of the exact bytes, so a change of Version that renders the
// same bytes keeps the ETag; the gzip representation has its own ETag, and
// both answer If-None-Match and If-Modified-Since with 304.
//
// Caveats:
//   - Last-Modified is the newest entry's Modified time. An entry leaving the
//     document without a newer one arriving (a deletion) changes the ETag but
//     not Last-Modified, so a client that sends only If-Modified-Since may
//     keep a stale copy until the next new entry; If-None-Match, which every
//     client that saw our ETag should send, takes precedence and is exact.
//   - /-/fetch trusts a loopback remote address. Behind a reverse proxy on the
//     same host every client looks local, so a request carrying Forwarded,
//     X-Forwarded-For or X-Real-IP is not treated as local: it needs the token.
//   - A fetch round may outlast the server's 60 s WriteTimeout; the trigger
//     lifts the write deadline for its own response.
package server
