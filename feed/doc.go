// Package feed holds Tributary's domain types: the upstream Source and what is
// remembered about it (SourceState), the Article an upstream item becomes once
// normalised, and the Entry that every copy of one article collapses into.
//
// The pipeline steps live in sub-packages, one per step, and read in this order:
//
//	fetch → parse → normalise → identify → store → render
//
// feed/fetch downloads a source politely (conditional GET, caps, backoff hints),
// feed/parse turns bytes into a parsed feed, feed/normalise makes Articles of its
// items (absolute URLs, dates, sanitised HTML, boilerplate removed), feed/identify
// decides which stored Entry an Article belongs to, and feed/render writes the
// unified feed. feed/ingest runs the steps for one source inside one store
// transaction; the storage package implements Tx.
//
// Every type here is plain data: it can be copied, compared in tests and encoded
// by the store. Nothing in this package performs I/O.
package feed
