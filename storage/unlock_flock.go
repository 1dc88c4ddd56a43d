//go:build unix && !solaris && !aix

package storage

import (
	"os"
	"syscall"
)

// unlock releases the flock bbolt took on f. Closing f alone does not
// while a mapping of the file remains.
func unlock(f *os.File) {
	if c, err := f.SyscallConn(); err == nil {
		_ = c.Control(func(fd uintptr) { _ = syscall.Flock(int(fd), syscall.LOCK_UN) })
	}
}
