//go:build unix

package main

import (
	"os"
	"syscall"
)

// keepOwner gives f the owner and group of the file old describes, as far
// as the process may: root may give any, others only their own groups, and
// a refusal leaves f as created.
func keepOwner(f *os.File, old os.FileInfo) {
	giveOwner(f.Chown, old)
}

// keepOwnerOf is keepOwner for the file at path.
func keepOwnerOf(path string, old os.FileInfo) {
	giveOwner(func(uid, gid int) error { return os.Chown(path, uid, gid) }, old)
}

// giveOwner gives the owner and group of old through chown, or the group
// alone where the owner may not be given.
func giveOwner(chown func(uid, gid int) error, old os.FileInfo) {
	if st, ok := old.Sys().(*syscall.Stat_t); ok {
		if chown(int(st.Uid), int(st.Gid)) != nil {
			_ = chown(-1, int(st.Gid))
		}
	}
}

// ownLike gives the file at path the owner and group of the file at like,
// as far as the process may.
func ownLike(path, like string) {
	if fi, err := os.Stat(like); err == nil {
		if st, ok := fi.Sys().(*syscall.Stat_t); ok {
			_ = os.Chown(path, int(st.Uid), int(st.Gid))
		}
	}
}
