//go:build !linux

package storage

import "go.etcd.io/bbolt"

// releaseMapped, releaseIn and mappedResident do nothing where madvise is
// not called: the mapped pages stay in the resident set until the kernel
// reclaims them.
func (db *DB) releaseMapped() error { return nil }

func (db *DB) releaseIn(*bbolt.Tx) error { return nil }

func mappedResident() int64 { return 0 }
