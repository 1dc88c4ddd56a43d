package server

import "net/http"

// CORS: the feeds and the OPML lists are public and credential-free, so
// any web page may read them (a feed reader running in a browser). The
// operator endpoints and the HTML pages are never shared that way.
//
// Access-Control-Allow-Origin is "*", and sent, with
// Access-Control-Expose-Headers (ETag is not a header a page may read
// otherwise), only in answer to a request with an Origin: every CORS
// request has one, and the feed readers that poll most send none, so their
// responses keep the headers they had (each header more is a map insertion
// on the hot path, and past eight a map growth). The documents therefore
// say Vary: Origin, so that a shared cache does not hand a response
// stored without the CORS headers to a page.

// Values of the CORS headers, as a header map holds them; shared by every
// response and never modified.
var (
	corsAnyOrigin = []string{"*"}
	corsExposed   = []string{"ETag, Last-Modified"}
	corsMethods   = []string{"GET, HEAD"}
	corsHeaders   = []string{"If-None-Match, If-Modified-Since"}
	corsVary      = []string{"Access-Control-Request-Method"}
	// corsMaxAge lets a browser keep a preflight's answer for a day
	// (browsers cap it at 2 hours or less): without it each conditional
	// fetch() of a page was preflighted again after 5 seconds.
	corsMaxAge = []string{"86400"}
	varyOrigin = []string{"Origin"}
)

// public marks h's answers as readable by any web page: a request with an
// Origin gets Access-Control-Allow-Origin: * and the validators exposed,
// whatever h answers (the document, a 304, a 404 that says why).
func (s *Server) public(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if _, ok := r.Header["Origin"]; ok {
			hdr := w.Header()
			hdr["Access-Control-Allow-Origin"] = corsAnyOrigin
			hdr["Access-Control-Expose-Headers"] = corsExposed
		}
		h(w, r)
	}
}

// preflights answers the CORS preflight of a GET or HEAD of a public
// document (OPTIONS with Access-Control-Request-Method GET or HEAD) with
// 204 and what such a request may send and read. Every other request,
// other OPTIONS included, goes to next unchanged.
func (s *Server) preflights(next http.Handler) http.Handler {
	public := http.NewServeMux()
	ok := func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["Access-Control-Allow-Origin"] = corsAnyOrigin
		h["Access-Control-Allow-Methods"] = corsMethods
		h["Access-Control-Allow-Headers"] = corsHeaders
		h["Access-Control-Expose-Headers"] = corsExposed
		h["Vary"] = corsVary
		h["Access-Control-Max-Age"] = corsMaxAge
		w.WriteHeader(http.StatusNoContent)
	}
	for _, f := range formats {
		file := "feed." + string(f)
		public.HandleFunc("OPTIONS /"+file, ok)
		public.HandleFunc("OPTIONS /sources/{slug}/"+file, ok)
		public.HandleFunc("OPTIONS /tags/{tag}/"+file, ok)
	}
	public.HandleFunc("OPTIONS /sources.opml", ok)
	public.HandleFunc("OPTIONS /feeds.opml", ok)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodOptions {
			if m := r.Header.Get("Access-Control-Request-Method"); m == http.MethodGet || m == http.MethodHead {
				if h, pattern := public.Handler(r); pattern != "" {
					h.ServeHTTP(w, r)
					return
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}
