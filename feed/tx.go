package feed

import (
	"errors"
	"time"
)

// ErrNotFound is returned by lookups of an entry or source that is not stored.
var ErrNotFound = errors.New("not found")

// Tx is the store seen from inside one transaction. Ingesting a fetched feed
// runs in a single Tx, so identity lookups and the writes they lead to are
// consistent and committed (or discarded) together.
type Tx interface {
	// Lookup returns the id of the entry indexed under an identity key, or
	// "" when none is.
	Lookup(key string) (string, error)
	// Entry returns a stored entry; ErrNotFound when there is none.
	Entry(id string) (*Entry, error)
	// PutEntry inserts or replaces an entry and brings every index in line
	// with it: identity keys of all its copies, time order, fingerprints.
	PutEntry(e *Entry) error
	// DeleteEntry removes an entry and its index records (no tombstone);
	// ErrNotFound when there is none.
	DeleteEntry(id string) error
	// Similar returns the ids of entries having a copy whose fingerprint may
	// be within maxBits of fp (candidates only: callers confirm).
	Similar(fp uint64, maxBits int) ([]string, error)
	// Tombstoned reports whether an entry indexed under key was removed by
	// retention, so that an upstream still listing it cannot bring it back.
	// In a write transaction it also records that an upstream listed the
	// key at seen: the store forgets only tombstones no upstream has listed
	// for a long time.
	Tombstoned(key string, seen time.Time) (bool, error)
	// SourceState returns what is remembered of a source (a zero state with
	// SourceID set when nothing is).
	SourceState(sourceID string) (SourceState, error)
	PutSourceState(s SourceState) error
}
