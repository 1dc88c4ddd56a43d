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

// tryLock takes f's exclusive lock, as bbolt takes it for writing, without
// waiting; false when another holds a lock on the file.
func tryLock(f *os.File) bool {
	c, err := f.SyscallConn()
	if err != nil {
		return false
	}
	locked := false
	_ = c.Control(func(fd uintptr) { locked = syscall.Flock(int(fd), syscall.LOCK_EX|syscall.LOCK_NB) == nil })
	return locked
}
