// Package fetch downloads one source, politely and safely: the first step of
// the pipeline. It does not parse.
//
// A Fetcher sends conditional GETs (If-None-Match, If-Modified-Since from the
// validators the caller stored) with an Accept header preferring feed types,
// and reads local files (file:// URLs and plain paths) the same way, their
// modification time standing in for Last-Modified (and, in the ETag, the
// nanoseconds and size, so that a rewrite within the same second is seen).
// A 304, or an unchanged file, comes back as NotModified with no body; a 304
// to a request that carried no validators is a *StatusError, since it names
// no copy the caller holds and taking it as success would never read the
// source again.
//
// Limits, every one of them an error rather than a truncated result:
//   - the body is capped at Options.MaxBody after decompression (net/http
//     decompresses gzip transparently), so a gzip bomb stops at the cap;
//   - Options.Timeout bounds the whole request including the body, so a
//     server that drips a byte every few seconds cannot hold a fetch open;
//   - at most Options.MaxRedirects redirects are followed, only to http and
//     https, and never in a loop.
//
// A body the connection ends before its framing does (short of its
// Content-Length, inside or before its last chunk, inside its gzip stream)
// is not an error: it is the same event as a body without Content-Length
// that stops early, which HTTP cannot tell from a whole one. The Response
// holds what arrived, with Truncated set and no validators, so that the next
// fetch is unconditional; the parser keeps the items that arrived whole. A
// cut before the first byte of the body, or one caused by the fetch's own
// timeout or cancellation, stays an error.
//
// Address policy: configured URLs are trusted as written, so a source at
// http://127.0.0.1:8080/feed, at localhost or at an intranet name resolving
// only to private addresses works, and may redirect anywhere. Otherwise (a
// public IP literal, or a name with any public address) every connection of
// the fetch, redirects included, is refused if it would reach a loopback,
// private (RFC 1918, ULA), link-local (cloud metadata at 169.254.169.254),
// carrier-grade NAT, reserved or unspecified address. The check is made on
// the address actually dialled, after resolution, so a public name resolving
// to 127.0.0.1 does not get through. The configured host is resolved once per
// fetch and that answer is the one dialled, so a second DNS answer cannot
// turn the trust decision around; localhost names are loopback without
// asking DNS. Trusted and guarded fetches keep their idle connections in
// separate pools, so a pooled connection to a private address is never
// reused by a guarded fetch. Request.Untrusted gives up the configured-URL
// trust for URLs that came from upstream content (a feed link found in an
// HTML page on another host): such a request is guarded whatever its host,
// and files are refused. Request.TrustAs gives a URL the trust of the
// configured URL it stands for (where a source moved) instead of its own
// host's.
//
// Caveats:
//   - HTTP/1.1 only: feeds are single small documents and keep-alive covers
//     what HTTP/2 would bring; it also lets Response.Bytes count the bytes of
//     each response on its own connection.
//   - No proxy from the environment: the address policy checks the address
//     dialled, which would be the proxy's.
//   - With Options.Transport set, dialling is the transport's business: only
//     the redirect policy's checks of IP literals and localhost names remain,
//     and Response.Bytes is the body length. Options.LookupNetIP and
//     DialContext instead replace only name resolution and dialling, every
//     check kept: tests use them to give a local server a public address.
//
// Errors say what failed on what ("fetch https://x/feed: ..."), wrapping the
// cause so that callers can errors.As a *net.DNSError, a TLS verification
// error, an *AddressError or a *StatusError (any non-2xx answer other than
// a 304 to a conditional request; its RetryAfter is parsed for 429 and 503).
// A redirect that is refused is named by its absolute URL, whatever its
// Location said. Backoff and RetryAfter help
// the caller schedule the next attempt. Nothing here logs: the caller logs one
// line per fetch.
package fetch
