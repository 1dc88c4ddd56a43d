package storage

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync/atomic"
	"time"

	"go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/tributary/tributary/feed"
)

// schemaVersion is the layout described in doc.go. Bump it, and teach
// upgrade (migrate.go) to migrate, whenever a bucket's keys or values change
// meaning or a bucket is added: a build refuses a store of a newer version
// instead of misreading it.
const schemaVersion uint64 = 4

// readableSchema is the oldest layout this build reads without migrating
// it, so that read-only opens (render, explain, compact) work on a store
// that no writer has upgraded yet. Schema 3 added an entry encoding and
// still reads schema 2's JSON entries; schema 4 indexes tags as feed.TagOf now
// gives them, and a read-only open of an older store serves its tags as
// they were indexed ("c" for "C++").
const readableSchema uint64 = 2

// defaultTimeout bounds the wait for the file lock: bbolt waits forever when
// given 0, which would hang a cron job behind a running daemon.
const defaultTimeout = time.Second

var (
	// ErrLocked is returned by Open when another process holds the store's
	// file lock (a running daemon, usually) past Options.Timeout.
	ErrLocked = errors.New("store is locked by another process")
	// ErrBadCursor is returned by Newest for a cursor it did not issue.
	ErrBadCursor = errors.New("bad cursor")
	// ErrReadOnly is returned by writes inside View and by Update, Prune
	// and the like on a store opened with Options.ReadOnly.
	ErrReadOnly = errors.New("store is read-only")
	// ErrSchema is returned by Open for a file written by a newer Tributary
	// or one that is not a Tributary store.
	ErrSchema = errors.New("unsupported store schema")
	// ErrDamaged is returned when reading the file meets pages that are
	// not what bbolt wrote (a file cut short or overwritten).
	ErrDamaged = errors.New("store file is damaged: restore it from a backup")
)

// Options configure Open.
type Options struct {
	// Timeout bounds the wait for the file lock; 0 means one second.
	Timeout time.Duration
	// ReadOnly opens the file with a shared lock: several read-only
	// processes may share it, but not with a writer.
	ReadOnly bool
	// InitialMmapSize, in bytes, should exceed the expected file size so
	// that a long read (a backup) never blocks a write that grows the map.
	InitialMmapSize int

	// openFile, when set, opens the file in place of os.OpenFile (tests
	// make bbolt's writes fail with it).
	openFile func(name string, flag int, perm os.FileMode) (*os.File, error)
}

// DB is an open store. Its methods are safe for concurrent use; bbolt runs
// one write transaction at a time and any number of reads beside it.
type DB struct {
	bolt     *bbolt.DB
	path     string
	readOnly bool
	version  atomic.Uint64
	// block is the size of the counts' blocks (counts.go); 0 is the
	// default. Tests make it small.
	block int
	// counts is whether the counts are trusted: decided by Open, and
	// dropped by a write that found them wrong.
	counts atomic.Bool
	// scopes is the same for the scope counts (scopes.go).
	scopes atomic.Bool
	// released is when mapped pages were last released (release.go), in
	// nanoseconds since opened.
	released atomic.Int64
	opened   time.Time
	// migrated is what Open did to a store of an older layout.
	migrated Migration
	// file describes the file bbolt opened, taken from its handle: the
	// path may name another file by the time anyone asks (CompactFile).
	file fs.FileInfo
}

// Migration is a store's upgrade to this build's layout at Open.
type Migration struct {
	From, To uint64        // schema versions
	Took     time.Duration // the one write transaction it ran in
}

// Migrated reports whether Open brought the store from an older layout to
// this build's, and how: the operator should hear of a start-up that
// rewrote indexes (seconds at a million entries).
func (db *DB) Migrated() (Migration, bool) { return db.migrated, db.migrated.To != 0 }

// Open opens the store at path, creating it (and its directory) unless
// opts.ReadOnly is set. An existing empty file is refused (ErrSchema), not
// made a new store; a file that is not a valid bbolt file is ErrDamaged.
//
// A file that was replaced while Open waited for its lock (by CompactFile,
// or a restore that renamed a backup into place) is opened again at path:
// a writer holding the lock of a file no longer at path would store what
// no later Open sees.
func Open(path string, opts Options) (*DB, error) {
	for tries := 1; ; tries++ {
		db, err := openOnce(path, opts)
		if !errors.Is(err, errReplaced) || tries == 3 {
			return db, err
		}
	}
}

// errReplaced is openOnce's: the file it locked is no longer at path.
var errReplaced = errors.New("the file was replaced while opening it")

// replaced reports whether f, the file bbolt opened, is no longer the file
// at path.
func replaced(path string, f *os.File) bool {
	if f == nil {
		return false
	}
	have, err := f.Stat()
	if err != nil {
		return false
	}
	now, err := os.Stat(path)
	return err != nil || !os.SameFile(have, now)
}

func openOnce(path string, opts Options) (db *DB, err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	// file is the store's file as bbolt opened it. When bbolt panics
	// inside its own Open, on a damaged file, it has taken the file's lock
	// and returns no DB to close: the lock is released here, so that the
	// process can open the file again (after a restore, say).
	var file *os.File
	open := os.OpenFile
	if opts.openFile != nil {
		open = opts.openFile
	}
	openFile := func(name string, flag int, perm os.FileMode) (*os.File, error) {
		f, err := open(name, flag, perm)
		file = f
		return f, err
	}
	defer func() {
		switch {
		case err != nil && db != nil:
			_ = db.bolt.Close()
			db = nil
		case err != nil && file != nil:
			// Already closed when bbolt returned its error. A mapping of
			// the file also holds the lock, so it is released first;
			// bbolt's mapping, which it did not unmap, stays (read-only,
			// the size of the file) until the process ends.
			unlock(file)
			_ = file.Close()
		}
	}()
	defer survive("open "+path, &err)
	if path == "" {
		return nil, errors.New("open store: empty path")
	}
	if !opts.ReadOnly {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, fmt.Errorf("open %s: create directory: %w", path, err)
		}
	}
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = defaultTimeout
	}
	if err := refuseEmpty(path, opts.ReadOnly, timeout, openFile); err != nil {
		return nil, err
	}
	_, statErr := os.Stat(path)
	creating := !opts.ReadOnly && errors.Is(statErr, fs.ErrNotExist)
	bdb, err := bbolt.Open(path, 0o600, &bbolt.Options{
		Timeout:         timeout,
		ReadOnly:        opts.ReadOnly,
		InitialMmapSize: opts.InitialMmapSize,
		FreelistType:    bbolt.FreelistMapType,
		// The freelist is written on every commit (NoFreelistSync off):
		// without it every Open scans the whole file to rebuild it, which
		// took 8 s and 6.7 GB of page cache at 1,000,000 entries against
		// 0.12 s and 23 MB with it (docs/PERFORMANCE.md).
		NoFreelistSync: false,
		OpenFile:       openFile,
	})
	if err != nil {
		if creating && !errors.Is(err, berrors.ErrTimeout) {
			// bbolt created the file and could not write its first
			// pages (a full disk): left empty, or with some of them, it
			// would be refused as a store lost, or damaged, by every
			// later Open.
			removeUnfinished(path)
		}
		return nil, openError(path, err, timeout)
	}
	if replaced(path, file) {
		_ = bdb.Close()
		return nil, fmt.Errorf("open %s: %w", path, errReplaced)
	}
	db = &DB{bolt: bdb, path: path, readOnly: opts.ReadOnly, opened: time.Now()}
	if file != nil {
		db.file, _ = file.Stat()
	}
	db.released.Store(-int64(releaseCheck)) // the first look is not held off
	db.version.Store(1)
	if err := db.init(); err != nil {
		_ = bdb.Close()
		return nil, err
	}
	return db, nil
}

// init checks the schema and, on first open, creates the buckets; a store
// of an older layout is migrated (see migrate.go). The check runs in a read
// transaction first so that an ordinary open commits nothing.
func (db *DB) init() error {
	var (
		version  uint64
		complete bool
	)
	err := db.bolt.View(func(btx *bbolt.Tx) error {
		var err error
		version, complete, err = checkLayout(btx)
		return err
	})
	switch {
	case err != nil:
	case complete && version == schemaVersion:
	case db.readOnly && complete && version >= readableSchema:
	case db.readOnly && version == schemaVersion:
		// This layout's stores are made whole in one transaction: one
		// without all its buckets is a copy cut short (a compaction
		// killed midway), not one to open for writing.
		err = fmt.Errorf("%w: buckets missing from a store of this version's layout: not a whole store (a copy cut short?); restore it from a backup",
			ErrDamaged)
	case db.readOnly:
		err = fmt.Errorf("%w: buckets missing or layout older than %d (open it once for writing to create or migrate them)",
			ErrSchema, readableSchema)
	default:
		start := time.Now()
		if err = db.bolt.Update(upgrade); err == nil && version != 0 && version < schemaVersion {
			db.migrated = Migration{From: version, To: schemaVersion, Took: time.Since(start)}
		}
	}
	if err == nil {
		err = db.keepCounts()
	}
	db.maybeRelease() // a rebuild of the counts read the whole time index
	if err != nil {
		return fmt.Errorf("open %s: %w", db.path, err)
	}
	return nil
}

// keepCounts decides whether the counts (counts.go) can be trusted, and
// rebuilds them when they cannot and the store is open for writing,
// checking first in a read transaction so that an ordinary open commits
// nothing. At 1,000,000 entries a rebuild walks the time index once.
func (db *DB) keepCounts() error {
	err := db.bolt.View(func(btx *bbolt.Tx) error {
		t, err := wrap(btx)
		if err == nil {
			db.counts.Store(t.countsTrusted())
			db.scopes.Store(t.scopesTrusted())
		}
		return err
	})
	if err != nil || db.counts.Load() && db.scopes.Load() || db.readOnly {
		return err
	}
	// Both are sealed by the rebuild's transaction: whichever was trusted
	// stays so, as wrap hands it over.
	err = db.bolt.Update(func(btx *bbolt.Tx) error {
		t, err := db.wrap(btx)
		if err != nil {
			return err
		}
		if t.counts == nil {
			if err := t.rebuildCounts(); err != nil {
				return err
			}
		}
		if t.scopes == nil {
			if err := t.rebuildScopes(); err != nil {
				return err
			}
		}
		if err := t.sealCounts(); err != nil {
			return err
		}
		return t.sealScopes()
	})
	if err != nil {
		return fmt.Errorf("rebuild counts: %w", err)
	}
	db.counts.Store(true)
	db.scopes.Store(true)
	return nil
}

// wrap is wrap with the DB's counts settings.
func (db *DB) wrap(btx *bbolt.Tx) (*tx, error) {
	t, err := wrap(btx)
	if err != nil {
		return nil, err
	}
	t.block = db.block
	if db.counts.Load() {
		t.counts = btx.Bucket([]byte(bucketCounts))
	}
	if db.scopes.Load() {
		t.scopes = btx.Bucket([]byte(bucketScopes))
	}
	return t, nil
}

// checkLayout returns the store's schema version and whether every bucket
// exists, and fails on a file that belongs to something else or to a newer
// Tributary.
func checkLayout(btx *bbolt.Tx) (version uint64, complete bool, err error) {
	meta := btx.Bucket([]byte(bucketMeta))
	if meta == nil {
		foreign := false
		_ = btx.ForEach(func(name []byte, _ *bbolt.Bucket) error {
			foreign = true
			return nil
		})
		if foreign {
			return 0, false, fmt.Errorf("%w: not a Tributary store (no %q bucket)", ErrSchema, bucketMeta)
		}
		return 0, false, nil
	}
	if meta.Get([]byte(metaUnfinished)) != nil {
		return 0, false, fmt.Errorf("%w (the copy a compaction was writing when it was stopped: not a whole store)", ErrDamaged)
	}
	if version, err = storedSchema(meta); err != nil {
		return 0, false, err
	}
	for _, name := range bucketNames {
		if btx.Bucket([]byte(name)) == nil {
			return version, false, nil
		}
	}
	return version, true, nil
}

// storedSchema returns the meta bucket's schema version (0 when none is
// recorded), failing when it is malformed or newer than this build's.
func storedSchema(meta *bbolt.Bucket) (uint64, error) {
	v := meta.Get([]byte(metaSchema))
	if v == nil {
		return 0, nil
	}
	if len(v) != 8 {
		return 0, fmt.Errorf("%w: malformed schema version", ErrSchema)
	}
	got := binary.BigEndian.Uint64(v)
	if got > schemaVersion {
		return 0, fmt.Errorf("%w: schema version %d is newer than this build's %d: upgrade Tributary",
			ErrSchema, got, schemaVersion)
	}
	return got, nil
}

// Close releases the file lock. Transactions still running block it.
func (db *DB) Close() error {
	if err := db.bolt.Close(); err != nil {
		return fmt.Errorf("close %s: %w", db.path, err)
	}
	return nil
}

// Path returns the file the store was opened from.
func (db *DB) Path() string { return db.path }

// Version returns a counter that starts at 1 on Open and grows after every
// committed change to entries (Update that put one, Prune that removed
// some). Equal versions mean equal entries, within this process's life.
func (db *DB) Version() uint64 { return db.version.Load() }

// Update runs fn in one write transaction: fn's error (or panic) discards
// everything it wrote, nil commits it durably before Update returns.
func (db *DB) Update(ctx context.Context, fn func(tx feed.Tx) error) error {
	wrote, err := db.update(ctx, "update", func(t *tx) error { return fn(t) })
	if err == nil && wrote {
		db.version.Add(1)
	}
	return err
}

// View runs fn in a read transaction: a consistent snapshot that writers do
// not block. Writes through tx fail with ErrReadOnly.
func (db *DB) View(ctx context.Context, fn func(tx feed.Tx) error) error {
	return db.view(ctx, "view", func(t *tx) error { return fn(t) })
}

// update runs fn in a write transaction and reports whether it wrote an
// entry. fn's own error is returned unwrapped, so callers can test it.
func (db *DB) update(ctx context.Context, op string, fn func(t *tx) error) (wrote bool, err error) {
	if err := ctx.Err(); err != nil {
		return false, fmt.Errorf("%s %s: %w", op, db.path, err)
	}
	if db.readOnly {
		return false, fmt.Errorf("%s %s: %w", op, db.path, ErrReadOnly)
	}
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	// Deferred before the Rollback, so run after it: the writer lock is
	// released before the panic becomes an error.
	defer survive(db.path, &err)
	btx, err := db.bolt.Begin(true)
	if err != nil {
		return false, fmt.Errorf("%s %s: begin: %w", op, db.path, err)
	}
	// Rollback after a Commit is a harmless ErrTxClosed; on a panic in
	// fn it releases the writer lock.
	defer func() { _ = btx.Rollback() }()
	t, err := db.wrap(btx)
	if err != nil {
		return false, fmt.Errorf("%s %s: %w", op, db.path, err)
	}
	if err := fn(t); err != nil {
		return false, err
	}
	if err := t.sealCounts(); err != nil {
		return false, fmt.Errorf("%s %s: %w", op, db.path, err)
	}
	if err := t.sealScopes(); err != nil {
		return false, fmt.Errorf("%s %s: %w", op, db.path, err)
	}
	// Before the commit frees the writer lock: the next writer must not
	// go on keeping counts this one found wrong (or never trusted). Pages
	// by number and scope totals walk until the next writable Open
	// rebuilds them.
	if t.counts == nil {
		db.counts.Store(false)
	}
	if t.scopes == nil {
		db.scopes.Store(false)
	}
	if err := btx.Commit(); err != nil {
		return false, fmt.Errorf("%s %s: commit: %w", op, db.path, err)
	}
	db.maybeRelease()
	return t.wrote, nil
}

func (db *DB) view(ctx context.Context, op string, fn func(t *tx) error) (err error) {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%s %s: %w", op, db.path, err)
	}
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	// Deferred first, so run last: releasing takes a read transaction of
	// its own, which must not nest in this one (a writer waiting to remap
	// would block the inner one behind the outer one).
	defer db.maybeRelease()
	defer survive(db.path, &err)
	btx, err := db.bolt.Begin(false)
	if err != nil {
		return fmt.Errorf("%s %s: begin: %w", op, db.path, err)
	}
	defer func() { _ = btx.Rollback() }()
	t, err := db.wrap(btx)
	if err != nil {
		return fmt.Errorf("%s %s: %w", op, db.path, err)
	}
	return fn(t)
}

func u64(v uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, v)
	return b
}
