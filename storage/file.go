package storage

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"time"

	"go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// refuseEmpty fails with ErrSchema when path is an existing regular file
// of size 0. bbolt takes one for a new store and writes its first pages
// (which a read-only open cannot: "bad file descriptor"); but bbolt writes
// them, under its lock, as soon as it creates a file, so an empty one is a
// store lost (a restore that failed, a full disk), and a new store started
// over it would hide the loss. A path that names nothing is a new store.
//
// Another process may have created the file an instant before and be
// writing those pages under its exclusive lock: a writable Open first
// waits for a shared lock (up to timeout, then ErrLocked) and looks again.
func refuseEmpty(path string, readOnly bool, timeout time.Duration, openFile func(string, int, os.FileMode) (*os.File, error)) error {
	if !emptyFile(path) {
		return nil
	}
	if !readOnly {
		// bbolt's read-only open takes the shared lock, then fails to
		// write the first pages of a file still empty; it writes nothing.
		probe, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true, Timeout: timeout, OpenFile: openFile})
		switch {
		case err == nil:
			_ = probe.Close()
		case errors.Is(err, berrors.ErrTimeout):
			return fmt.Errorf("open %s: %w (gave up after %s)", path, ErrLocked, timeout)
		}
		if !emptyFile(path) {
			return nil
		}
	}
	return fmt.Errorf("open %s: %w: the file is empty, not a Tributary store: restore it from a backup, or remove it to start a new store",
		path, ErrSchema)
}

// removeUnfinished removes the file at path if it is shorter than the
// four pages bbolt writes first (two meta pages, the freelist, the root
// leaf), so never a store, and no process holds its lock (one creating
// the store would).
func removeUnfinished(path string) {
	_, _ = removeUnlocked(path, func(fi fs.FileInfo) bool {
		return fi.Mode().IsRegular() && fi.Size() < 4*int64(os.Getpagesize())
	})
}

// removeUnlocked removes the file at path when no process holds its lock
// and remove, given its details, says so; locked reports a lock held by
// another. A missing file is no error.
func removeUnlocked(path string, remove func(fs.FileInfo) bool) (locked bool, err error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	defer f.Close()
	if !tryLock(f) {
		return true, nil
	}
	defer unlock(f)
	fi, err := f.Stat()
	if err != nil || !remove(fi) {
		return false, err
	}
	return false, os.Remove(path)
}

// emptyFile reports whether path is an existing regular file of size 0.
func emptyFile(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Size() == 0
}

// openError words an error of bbolt.Open. Those that say the file is not a
// valid bbolt file (no meta page bbolt accepts, or shorter than two pages)
// are ErrDamaged, with bbolt's words in brackets; the file system's own
// (*fs.PathError: permission denied, read-only file system) already name
// the file and are returned as they are.
func openError(path string, err error, timeout time.Duration) error {
	if errors.Is(err, berrors.ErrTimeout) {
		return fmt.Errorf("open %s: %w (gave up after %s)", path, ErrLocked, timeout)
	}
	if invalidFile(err) {
		detail := "bbolt: " + err.Error()
		if !hasMagic(path) {
			detail += "; nothing in it looks like a bbolt file: is storage.path the right file?"
		}
		return fmt.Errorf("open %s: %w (%s)", path, ErrDamaged, detail)
	}
	var pe *fs.PathError
	if errors.As(err, &pe) && pe.Path == path {
		return err
	}
	return fmt.Errorf("open %s: %w", path, err)
}

// invalidFile reports whether an error of bbolt.Open means that the file is
// not a valid bbolt file. bbolt v1.5 reports a file shorter than two pages
// only in words ("file size too small 5000").
func invalidFile(err error) bool {
	return errors.Is(err, berrors.ErrInvalid) || errors.Is(err, berrors.ErrVersionMismatch) ||
		errors.Is(err, berrors.ErrChecksum) ||
		strings.HasPrefix(err.Error(), "file size too small")
}

// boltMagic is the number that starts a bbolt meta page, after the page
// header (common.Magic, common.PageHeaderSize).
const (
	boltMagic      = 0xED0CDAED
	boltPageHeader = 16
)

// hasMagic reports whether either of path's meta pages, where bbolt looks
// for them (the first at 0, the second one page of 1 KiB to 16 MiB on),
// starts with bbolt's magic number: a damaged bbolt file, not some other
// file. Unreadable counts as bbolt's.
func hasMagic(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return true
	}
	defer f.Close()
	var b [4]byte
	for _, off := range []int64{0, 1 << 10, 2 << 10, 4 << 10, 8 << 10, 16 << 10, 32 << 10, 64 << 10,
		128 << 10, 256 << 10, 512 << 10, 1 << 20, 2 << 20, 4 << 20, 8 << 20, 16 << 20} {
		if _, err := f.ReadAt(b[:], off+boltPageHeader); err != nil {
			break
		}
		if binary.LittleEndian.Uint32(b[:]) == boltMagic || binary.BigEndian.Uint32(b[:]) == boltMagic {
			return true
		}
	}
	return false
}
