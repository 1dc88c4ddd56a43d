package storage

import (
	"fmt"

	"go.etcd.io/bbolt"
)

// upgrade brings a store to schemaVersion in one write transaction: it
// creates missing buckets, stamps a new store with the current version and
// migrates an older one step by step. A failure rolls everything back, so a
// store is either fully migrated or left as it was.
func upgrade(btx *bbolt.Tx) error {
	for _, name := range bucketNames {
		if _, err := btx.CreateBucketIfNotExists([]byte(name)); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	meta := btx.Bucket([]byte(bucketMeta))
	from, err := storedSchema(meta)
	if err != nil {
		return err
	}
	if from == 0 {
		// No version yet: a new, empty store.
		return meta.Put([]byte(metaSchema), u64(schemaVersion))
	}
	if from < 2 {
		if err := migrateScopedIndexes(btx); err != nil {
			return fmt.Errorf("migrate schema 1 to 2: %w", err)
		}
	}
	// 2 → 3: entries may now be stored as CBOR (encode.go). Nothing is
	// rewritten: this build reads the JSON entries, and the new version
	// keeps builds that read only JSON from opening the store.
	return meta.Put([]byte(metaSchema), u64(schemaVersion))
}

// migrateScopedIndexes (schema 1 → 2) builds the per-source and per-tag time
// indexes from the stored entries in one pass, and gives every band record
// its fingerprint value. The buckets are emptied
// first, so that a partly built index (from a build that once crashed
// before recording its version) cannot leave stale records behind.
func migrateScopedIndexes(btx *bbolt.Tx) error {
	for _, name := range []string{bucketBySource, bucketByTag} {
		if err := btx.DeleteBucket([]byte(name)); err != nil {
			return fmt.Errorf("reset bucket %s: %w", name, err)
		}
		if _, err := btx.CreateBucket([]byte(name)); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	t, err := wrap(btx)
	if err != nil {
		return err
	}
	// Writing to other buckets while iterating this one is safe in bbolt;
	// only the bucket under the cursor must not change.
	return t.entries.ForEach(func(k, v []byte) error {
		e, err := decodeEntry(string(k), v)
		if err != nil {
			return err
		}
		ix := indexOf(e)
		if err := t.putScoped(ix, checksum(v)); err != nil {
			return fmt.Errorf("index entry %q: %w", k, err)
		}
		// Early schema-1 stores kept band records without the
		// fingerprint that Similar filters candidates with.
		for _, b := range ix.bands {
			if err := t.bands.Put([]byte(b), bandValue(e, b)); err != nil {
				return fmt.Errorf("index entry %q: fingerprint: %w", k, err)
			}
		}
		return nil
	})
}
