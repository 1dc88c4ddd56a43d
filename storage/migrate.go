package storage

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"go.etcd.io/bbolt"
	"golang.org/x/text/unicode/norm"

	"github.com/tributary/tributary/feed"
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
	if from == 2 || from == 3 {
		if err := migrateTags(btx); err != nil {
			return fmt.Errorf("migrate schema %d to 4: %w", from, err)
		}
	}
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

// migrateTags (schema 2 or 3 → 4) moves the tag records of the entries
// with a category whose tag schema 3 gave otherwise to the tags TagOf gives
// them now: schema 3 indexed "C++", "C#" and "C" all as "c", and made a
// tag of "_ _" ("_-_"), which is none now. Every entry's
// categories are read (a partial decode), and only those entries' records
// are rewritten, so that the one transaction stays small: rebuilding the
// whole index would insert its records in entry-id order, which bbolt
// pays for with a copy of the node per insert (100,000 entries took 100 s).
// The scope counts are left to Open, which finds their marker behind this
// transaction and counts them again.
func migrateTags(btx *bbolt.Tx) error {
	t, err := wrap(btx)
	if err != nil {
		return err
	}
	err = t.entries.ForEach(func(k, v []byte) error {
		var c struct {
			Categories []string `json:"categories,omitempty"`
		}
		// An entry that does not decode keeps its records: refusing to
		// open the store over it would stop the daemon, and verify
		// reports it.
		if err := unmarshalValue(v, &c); err != nil {
			return nil
		}
		if !slices.ContainsFunc(c.Categories, func(s string) bool { return schema3TagOf(s) != feed.TagOf(s) }) {
			return nil
		}
		e, err := decodeEntry(string(k), v)
		if err != nil {
			return nil
		}
		// A record the entry keeps ("C" beside "C++") is put back below.
		for _, tk := range tagKeys(e, schema3TagOf) {
			if err := t.byTag.Delete([]byte(tk)); err != nil {
				return fmt.Errorf("index entry %q: tag: %w", k, err)
			}
		}
		sum := checksum(v)
		for _, tk := range indexOf(e).tags {
			if err := t.byTag.Put([]byte(tk), sum); err != nil {
				return fmt.Errorf("index entry %q: tag: %w", k, err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	// wrap recorded the tags schema 3 served: their subscribers keep
	// them ("c", now only C's, stays known when no entry is C's), but not
	// those that are no tag now ("_-_"); then the tags indexed now.
	var gone [][]byte
	err = t.tagsSeen.ForEach(func(k, _ []byte) error {
		if feed.TagOf(string(k)) != string(k) {
			gone = append(gone, slices.Clone(k))
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("tags seen: %w", err)
	}
	for _, k := range gone {
		if err := t.tagsSeen.Delete(k); err != nil {
			return fmt.Errorf("tags seen: %w", err)
		}
	}
	return t.seeIndexedTags()
}

// schema3TagOf is the tag a category had in schemas 2 and 3, as that
// build's TagOf gave it, frozen here: "+" and "#" separated words like any
// other mark, and a tag of nothing but "_" and "-" with "_" at both ends
// ("_ _" was "_-_") was a tag. Its records must be found as it wrote them.
func schema3TagOf(category string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFC.String(category) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		dash = true
	}
	s := b.String()
	if len(s) > schema3MaxTag {
		s = s[:schema3MaxTag]
		for !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
		s = strings.TrimRight(s, "-")
	}
	if strings.Trim(s, "_") == "" {
		return ""
	}
	return s
}

// schema3MaxTag is the length in bytes schema 3 cut a tag to.
const schema3MaxTag = 100
