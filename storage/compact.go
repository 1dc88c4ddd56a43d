package storage

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"

	"go.etcd.io/bbolt"
)

// compactTxSize bounds each transaction Compact commits, so that compacting
// a large store does not hold all of it in memory.
const compactTxSize = 64 << 20

// Compact copies the store at src into a new file dst, leaving out the free
// pages src accumulated (a bbolt file never shrinks in place) and rewriting
// entries stored in an older encoding in the current one. src must not
// be open for writing anywhere (ErrLocked otherwise); dst must not exist.
// On failure, or when ctx ends first, dst is removed. To replace the store
// by its compacted copy, use CompactFile: replacing src by dst after
// Compact returns would lose what a writer stored in between.
func Compact(ctx context.Context, src, dst string) error {
	as, err1 := filepath.Abs(src)
	ad, err2 := filepath.Abs(dst)
	if err := errors.Join(err1, err2); err != nil {
		return fmt.Errorf("compact %s into %s: %w", src, dst, err)
	}
	if as == ad {
		return fmt.Errorf("compact %s: destination is the source", src)
	}
	if _, err := os.Stat(dst); err == nil {
		return fmt.Errorf("compact %s into %s: destination exists", src, dst)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("compact %s into %s: %w", src, dst, err)
	}
	// A read-only Open still checks the schema and refuses a store that a
	// running daemon has open for writing.
	s, err := Open(src, Options{ReadOnly: true})
	if err != nil {
		return err // it names the file and what failed
	}
	defer func() { _ = s.Close() }()
	d, err := compactInto(ctx, s, dst)
	if err != nil {
		return err
	}
	return d.Close()
}

// Compaction is what CompactFile did: the store's size before and after.
type Compaction struct{ Before, After int64 }

// CompactFile compacts the store at path in place: it writes the copy to
// path+".compact" (see Compact) and renames it over path while it still
// holds the store's lock, so that no writer can store anything in the old
// file in between; a writer that was waiting for the lock then finds the
// file replaced and opens the new one (see Open). It holds the copy's lock
// too until the rename, so that another compaction neither writes the copy
// nor takes it for one left by a compaction that was killed, which it
// removes. A path that is a symbolic link is followed: the file it names
// is compacted, and the link stays. prepare, when not nil, is given the
// copy and the old file's details before the rename (to keep its owner and
// mode); its error stops the compaction.
func CompactFile(ctx context.Context, path string, prepare func(tmp string, old fs.FileInfo) error) (Compaction, error) {
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real
	}
	tmp := path + ".compact"
	s, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		return Compaction{}, err
	}
	defer func() { _ = s.Close() }()
	// The file compacted, from the handle: the path may name another by
	// now (a compaction beside this one renamed its copy over it).
	opened := s.file
	if opened == nil {
		return Compaction{}, fmt.Errorf("compact %s: the opened file cannot be described", path)
	}
	if err := removeStale(tmp); err != nil {
		return Compaction{}, fmt.Errorf("compact %s: %w", path, err)
	}
	d, err := compactInto(ctx, s, tmp)
	if err != nil {
		return Compaction{}, err
	}
	var c Compaction
	renamed := false
	err = func() error {
		after, err := os.Stat(tmp)
		if err != nil {
			return err
		}
		if prepare != nil {
			if err := prepare(tmp, opened); err != nil {
				return err
			}
		}
		if now, err := os.Stat(path); err != nil || !os.SameFile(now, opened) {
			// Another compaction replaced it meanwhile: this copy is of
			// the file before, and would undo what was stored since.
			return errors.New("the store was replaced while it was compacted (another compaction?)")
		}
		if err := os.Rename(tmp, path); err != nil {
			return err
		}
		renamed, c = true, Compaction{Before: opened.Size(), After: after.Size()}
		return nil
	}()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		if !renamed {
			_ = os.Remove(tmp)
		}
		return Compaction{}, fmt.Errorf("replace %s: %w", path, err)
	}
	return c, nil
}

// removeStale removes the file at tmp unless another process holds its
// lock (a compaction writing it).
func removeStale(tmp string) error {
	locked, err := removeUnlocked(tmp, func(fs.FileInfo) bool { return true })
	if locked {
		return fmt.Errorf("%s is being written by another compaction", tmp)
	}
	return err
}

// compactInto writes the compacted copy of the open store s into dst and
// returns it open: its lock held, committed and synced.
func compactInto(ctx context.Context, s *DB, dst string) (d *bbolt.DB, err error) {
	// Faults reading a damaged src are recoverable here; the copy below
	// turns them, and bbolt's panics, into ErrDamaged.
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	src := s.path
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return nil, fmt.Errorf("compact %s into %s: %w", src, dst, err)
	}
	d, err = bbolt.Open(dst, 0o600, &bbolt.Options{
		Timeout:      defaultTimeout,
		FreelistType: bbolt.FreelistMapType,
		// Never an existing file: one another compaction just renamed
		// over the store, opened here, would take the copy into the
		// live store. (bbolt's Tx.WriteTo and CopyFile use OpenFile
		// too, to create their own files: never called on the copy.)
		OpenFile: func(name string, flag int, perm os.FileMode) (*os.File, error) {
			return os.OpenFile(name, flag|os.O_CREATE|os.O_EXCL, perm)
		},
	})
	if err != nil {
		return nil, fmt.Errorf("compact %s into %s: %w", src, dst, err)
	}
	err = func() (err error) {
		defer survive(src, &err)
		// The copy says it is unfinished until its last transaction: one
		// that a kill cut short is refused by Open rather than read, or
		// opened for writing and made a store, without the buckets that
		// were still to come.
		if err = d.Update(markUnfinished); err != nil {
			return err
		}
		if err = copyStore(ctx, d, s.bolt, compactTxSize); err != nil {
			return err
		}
		return d.Update(func(btx *bbolt.Tx) error {
			if err := carryCounts(s, btx); err != nil {
				return err
			}
			return btx.Bucket([]byte(bucketMeta)).Delete([]byte(metaUnfinished))
		})
	}()
	if err != nil {
		_ = d.Close()
		_ = os.Remove(dst)
		return nil, fmt.Errorf("compact %s into %s: %w", src, dst, err)
	}
	return d, nil
}

// markUnfinished records in a copy's first transaction that it is not a
// whole store yet (checkLayout refuses it).
func markUnfinished(btx *bbolt.Tx) error {
	meta, err := btx.CreateBucketIfNotExists([]byte(bucketMeta))
	if err != nil {
		return err
	}
	return meta.Put([]byte(metaUnfinished), []byte{1})
}

// copyStore copies every bucket of src into the empty dst in key order, in
// transactions of about txSize bytes, re-encoding entries that an older
// version stored (bbolt.Compact copies values as they are). An entry that
// does not decode is copied as it is: compacting loses nothing, and the
// entry fails to read as it did before. Keys arrive in order, so pages are
// filled completely instead of split in half. The store has no nested
// buckets and no bucket sequences.
//
// The time index records get the checksum of their entry as the copy
// stores it (indexSum), so that a checksum is never of bytes the store no
// longer holds.
func copyStore(ctx context.Context, dst, src *bbolt.DB, txSize int) error {
	c := &copier{ctx: ctx, db: dst, txSize: txSize}
	// Also when reading src panics on a damaged page (Compact recovers
	// it): a dst transaction left open would keep dst's Close waiting.
	defer c.rollback()
	err := src.View(func(stx *bbolt.Tx) error {
		entries := stx.Bucket([]byte(bucketEntries))
		return stx.ForEach(func(name []byte, sb *bbolt.Bucket) error {
			recode := string(name) == bucketEntries
			if err := c.bucket(name); err != nil {
				return err
			}
			return sb.ForEach(func(k, v []byte) error {
				if v == nil {
					return fmt.Errorf("bucket %s: unexpected nested bucket %q", name, k)
				}
				if recode && !currentEncoding(v) {
					if e, err := decodeEntry(string(k), v); err == nil {
						if v, err = encodeEntry(e); err != nil {
							return fmt.Errorf("encode entry %q: %w", k, err)
						}
					}
				}
				if id := indexedID(string(name), k); id != nil && entries != nil {
					v = indexSum(entries.Get(id))
				}
				return c.put(name, k, v)
			})
		})
	})
	if err != nil {
		c.rollback()
		return err
	}
	return c.commit()
}

// carryCounts keeps the copied counts (counts.go) and scope counts
// (scopes.go) trusted in dst when src trusted them: the copy's
// transactions are not src's, so the records of the transaction that kept
// them are written again, in dst's last one, or removed.
func carryCounts(src *DB, dst *bbolt.Tx) error {
	trusted, scopes := false, false
	if err := src.view(context.Background(), "compact", func(t *tx) error {
		trusted, scopes = t.counts != nil, t.scopes != nil
		return nil
	}); err != nil {
		return err
	}
	meta := dst.Bucket([]byte(bucketMeta))
	if meta == nil {
		return fmt.Errorf("bucket %s: missing", bucketMeta)
	}
	count := meta.Get([]byte(metaCount))
	for _, m := range []struct {
		key, bucket string
		trusted     bool
	}{{metaScopesTx, bucketScopes, scopes}, {metaCountsTx, bucketCounts, trusted}} {
		var err error
		b := dst.Bucket([]byte(m.bucket))
		if m.trusted && len(count) == 8 && b != nil {
			// The copy does not carry the bucket's sequence.
			if err := b.SetSequence(keptSequence); err != nil {
				return err
			}
			err = meta.Put([]byte(m.key), append(u64(uint64(dst.ID())), count...))
		} else {
			err = meta.Delete([]byte(m.key))
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// indexedID is the entry id of a record of the time index named name,
// nil for a record of another bucket or one too short to name an entry.
func indexedID(name string, k []byte) []byte {
	switch name {
	case bucketTime:
	case bucketBySource, bucketByTag:
		i := bytes.IndexByte(k, 0)
		if i < 0 {
			return nil
		}
		k = k[i+1:]
	default:
		return nil
	}
	if len(k) <= 8 {
		return nil
	}
	return k[8:]
}

// indexSum is what an index record holds once compacted: the checksum of
// its entry's stored value when the copy keeps that value as it is, and
// nothing when the copy re-encodes it (or the entry is missing), which
// WindowDigests reads as "checksum the entry".
func indexSum(v []byte) []byte {
	if v == nil || !currentEncoding(v) {
		return nil
	}
	return checksum(v)
}

// copier writes into dst in bounded transactions. The keys and values it
// is given come from src's read transaction, which outlives every dst
// transaction, as bbolt's Put requires.
type copier struct {
	ctx    context.Context // checked before each transaction
	db     *bbolt.DB
	tx     *bbolt.Tx
	b      *bbolt.Bucket
	size   int
	txSize int
}

// bucket creates the bucket name and makes it the one put writes to.
func (c *copier) bucket(name []byte) error {
	if err := c.begin(); err != nil {
		return err
	}
	b, err := c.tx.CreateBucketIfNotExists(name)
	if err != nil {
		return fmt.Errorf("create bucket %s: %w", name, err)
	}
	b.FillPercent = 1
	c.b = b
	return nil
}

func (c *copier) put(name, k, v []byte) error {
	if c.tx == nil {
		if err := c.bucket(name); err != nil {
			return err
		}
	}
	if err := c.b.Put(k, v); err != nil {
		return fmt.Errorf("bucket %s: put %q: %w", name, k, err)
	}
	if c.size += len(k) + len(v); c.size >= c.txSize {
		return c.commit()
	}
	return nil
}

func (c *copier) begin() error {
	if c.tx != nil {
		return nil
	}
	if err := c.ctx.Err(); err != nil {
		return err
	}
	tx, err := c.db.Begin(true)
	if err != nil {
		return err
	}
	c.tx, c.size = tx, 0
	return nil
}

func (c *copier) commit() error {
	if c.tx == nil {
		return nil
	}
	err := c.tx.Commit()
	c.tx, c.b = nil, nil
	return err
}

func (c *copier) rollback() {
	if c.tx != nil {
		_ = c.tx.Rollback()
		c.tx, c.b = nil, nil
	}
}
