package storage

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

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
// backup or a complete new one. The file is readable by its owner only, as
// the store is: it holds the sources' URLs, credentials included. dst must
// not be the store's own file: the rename would put the copy in its place,
// and every later write of this DB would go to the file it replaced.
func (db *DB) BackupFile(ctx context.Context, dst string) (n int64, err error) {
	if SameFile(dst, db.path) {
		return 0, fmt.Errorf("backup to %s: that is the store's own file; write the backup elsewhere", dst)
	}
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

// SameFile reports whether paths a and b name the same file: one file
// (os.SameFile, which sees through links) when both exist, otherwise the
// same absolute path, cleaned.
func SameFile(a, b string) bool {
	fa, errA := os.Stat(a)
	fb, errB := os.Stat(b)
	if errA == nil && errB == nil {
		return os.SameFile(fa, fb)
	}
	aa, errA := filepath.Abs(a)
	ab, errB := filepath.Abs(b)
	return errA == nil && errB == nil && aa == ab
}
