package server

import "net/http"

// Wrap replaces the handler that Serve answers with, and that Handler
// returns, by wrap(h), h being the handler in place: how a command puts its
// own routes (web pages, metrics) beside the server's, or middleware around
// all of them. Read Handler first to keep the server's own routes. Call
// Wrap before Serve; it must not run concurrently with Serve or Handler.
func (s *Server) Wrap(wrap func(h http.Handler) http.Handler) { s.handler = wrap(s.handler) }
