// Package ingest runs Tributary's pipeline for one source and schedules fetch
// rounds over all of them. It is where the data flow reads in one place:
//
//	fetch → parse → normalise → identify → store
//
// Ingesting one source costs one store transaction, whatever the number of
// items, and a source that fails (an unreachable host, a broken feed) is
// recorded with its error and backed off; it never stops the other sources.
// Rendering is not done here: the server renders from the store.
package ingest
