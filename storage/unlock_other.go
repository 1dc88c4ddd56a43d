//go:build !unix || solaris || aix

package storage

import "os"

// unlock does nothing where bbolt does not lock with flock: closing the
// file releases its lock there.
func unlock(*os.File) {}

// tryLock reports true where bbolt does not lock with flock: there the
// file cannot be told in use, and a compaction's copy is removed as stale.
func tryLock(*os.File) bool { return true }
