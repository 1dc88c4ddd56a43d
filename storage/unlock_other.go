//go:build !unix || solaris || aix

package storage

import "os"

// unlock does nothing where bbolt does not lock with flock: closing the
// file releases its lock there.
func unlock(*os.File) {}
