/*
Package web serves Tributary's pages for people: server-rendered HTML
(html/template, embedded with the stylesheet), readable on a phone, in light
and dark mode, and complete without JavaScript.

	GET /                 the river: newest entries, Options.PageSize a page;
	                      ?before=CURSOR pages back (the store's Newest cursor)
	GET /entries/{id}     one entry: full sanitised content, every copy, share links
	GET /sources          every configured source and its fetch status, failing first
	GET /assets/{name}    the stylesheet and icon

Every page links the three feed formats for autodiscovery (<link
rel="alternate">) and shows a Subscribe link; river and entry pages carry Open
Graph and Twitter card metadata so that a shared link previews well.

# Contract

  - Entry content is sanitised again when shown (feed/sanitize is
    idempotent), so a store written under a weaker policy cannot inject
    markup; every other string is escaped by html/template. Share URLs with
    a scheme html/template does not trust (anything but http, https and
    mailto) are replaced by "#ZgotmplZ", never emitted.
  - Links between pages are relative ("entries/ID", "../sources"), so the
    pages work behind a reverse proxy that serves them under a sub-path;
    absolute URLs (canonical, og:url) are built from Options.BaseURL.
  - Responses carry a strong ETag (a hash of the page) and answer
    If-None-Match with 304, Cache-Control "no-cache" (revalidate: the river
    changes at every fetch round), a Content-Security-Policy that allows no
    script at all, and nosniff. Assets are cached for a year under a URL
    that carries their hash.
  - When the store counts its changes (Version, as *storage.DB does), river
    and entry pages are rendered once per store version and Options and
    then served from memory (at most 256 pages are kept); /sources, whose
    "5 min ago" follows the clock, is rendered per request.
  - An unknown entry is 404, a malformed cursor 400, a store error 500 (its
    text is logged, not shown); each as a page in the site's layout.
  - SetOptions swaps the options in effect (a reloaded config): requests
    already running finish with the old ones.

# Caveats

The river only pages backwards (the store's cursors are one-way): "Newest"
goes back to the first page. Share buttons are built here the way
feed/render builds them for the feeds; the two are kept in line by a test
that compares them. Dates are shown in UTC.
*/
package web
