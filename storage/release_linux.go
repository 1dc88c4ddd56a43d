package storage

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"syscall"

	"go.etcd.io/bbolt"
)

// releaseMapped drops the process's mapping of the store's pages. It holds
// a read transaction, during which bbolt cannot move its mapping, and
// covers the file as that transaction sees it, which the mapping spans.
// bbolt writes with pwrite, never through the mapping, so no page is dirty
// and a dropped page reads back from the file as it was.
//
// The length is also held to the file's size: bbolt maps the file as long
// as it is, and a file cut short (a backup download interrupted) may claim
// more pages than it has; past the mapping, MADV_DONTNEED would wipe
// whatever memory the process keeps there.
func (db *DB) releaseMapped() error { return db.bolt.View(db.releaseIn) }

// releaseIn is releaseMapped in a read transaction the caller holds (a long
// one, such as Verify's, which reads the whole file).
func (db *DB) releaseIn(btx *bbolt.Tx) error {
	fi, err := os.Stat(db.path)
	if err != nil {
		return fmt.Errorf("release mapped pages of %s: %w", db.path, err)
	}
	size := min(btx.Size(), fi.Size())
	if size <= 0 {
		return nil
	}
	data := db.bolt.Info().Data
	_, _, errno := syscall.Syscall(syscall.SYS_MADVISE, data, uintptr(size), syscall.MADV_DONTNEED)
	if errno != 0 {
		return fmt.Errorf("release mapped pages of %s: %w", db.path, errno)
	}
	return nil
}

// mappedResident is how many bytes of the process's file-backed and shared
// memory are resident (the third field of /proc/self/statm, in pages), 0
// when it cannot be read.
func mappedResident() int64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := bytes.Fields(b)
	if len(f) < 3 {
		return 0
	}
	pages, err := strconv.ParseInt(string(f[2]), 10, 64)
	if err != nil {
		return 0
	}
	return pages * int64(os.Getpagesize())
}
