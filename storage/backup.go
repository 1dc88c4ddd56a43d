package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"go.etcd.io/bbolt"
)

// compactTxSize bounds each transaction Compact commits, so that compacting
// a large store does not hold all of it in memory.
const compactTxSize = 64 << 20

// Backup writes a consistent copy of the whole store to w while the store
// stays usable: it is one read transaction, so writes go on beside it (but
// see Options.InitialMmapSize). The copy is a store file Open accepts.
// Cancelling ctx stops the copy at the next write to w.
func (db *DB) Backup(ctx context.Context, w io.Writer) (int64, error) {
	var n int64
	err := db.view(ctx, "backup", func(t *tx) error {
		var err error
		n, err = t.btx.WriteTo(ctxWriter{ctx: ctx, w: w})
		if err != nil {
			return fmt.Errorf("backup %s: %w", db.path, err)
		}
		return nil
	})
	return n, err
}

// BackupFile writes a Backup to dst atomically: to a temporary file beside
// it, synced, then renamed over dst, so that dst is always either the old
// backup or a complete new one.
func (db *DB) BackupFile(ctx context.Context, dst string) (n int64, err error) {
	dir := filepath.Dir(dst)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, fmt.Errorf("backup to %s: %w", dst, err)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(dst)+".*.tmp")
	if err != nil {
		return 0, fmt.Errorf("backup to %s: %w", dst, err)
	}
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(f.Name())
		}
	}()
	if err := f.Chmod(0o600); err != nil {
		return 0, fmt.Errorf("backup to %s: %w", dst, err)
	}
	if n, err = db.Backup(ctx, f); err != nil {
		return 0, err
	}
	if err := f.Sync(); err != nil {
		return 0, fmt.Errorf("backup to %s: sync: %w", dst, err)
	}
	if err := f.Close(); err != nil {
		return 0, fmt.Errorf("backup to %s: close: %w", dst, err)
	}
	if err := os.Rename(f.Name(), dst); err != nil {
		return 0, fmt.Errorf("backup to %s: %w", dst, err)
	}
	return n, nil
}

type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}

// Compact copies the store at src into a new file dst, leaving out the free
// pages src accumulated (a bbolt file never shrinks in place). src must not
// be open for writing anywhere (ErrLocked otherwise); dst must not exist.
// On failure dst is removed. Replacing src by dst is left to the caller.
func Compact(src, dst string) error {
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
		return fmt.Errorf("compact: %w", err)
	}
	defer func() { _ = s.Close() }()
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return fmt.Errorf("compact %s into %s: %w", src, dst, err)
	}
	d, err := bbolt.Open(dst, 0o600, &bbolt.Options{
		Timeout:      defaultTimeout,
		FreelistType: bbolt.FreelistMapType,
	})
	if err != nil {
		return fmt.Errorf("compact %s into %s: %w", src, dst, err)
	}
	err = bbolt.Compact(d, s.bolt, compactTxSize)
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(dst)
		return fmt.Errorf("compact %s into %s: %w", src, dst, err)
	}
	return nil
}
