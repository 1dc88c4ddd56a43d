package storage

import "time"

// Pages of the file that bbolt has mapped stay in the process's resident set
// once read, and the kernel maps the cached pages around each one read as
// well (fault-around, 64 KB). They are page cache, clean and shared, which
// the kernel takes back under memory pressure, but they count as the
// daemon's resident memory: ingesting 10,000 new articles into a store of
// 1,000,000 entries left 4.2 GB of RSS, of which 43 MB was the daemon's own
// (docs/PERFORMANCE.md). So after a transaction (and after Open), at most
// every releaseCheck, the DB looks at how much of the process's
// file-backed memory is resident and, past releaseAbove, drops its mapping
// of the store's pages (madvise MADV_DONTNEED). The pages stay cached;
// reading one again maps it again, a minor fault. A single long
// transaction (a backup, a compaction's copy) keeps what it reads until it
// ends.
const (
	releaseCheck = 25 * time.Millisecond
	releaseAbove = 64 << 20
)

// maybeRelease releases the mapped pages when it is time to look and they
// take more than releaseAbove. A failure is not reported: the pages merely
// stay mapped, and the transaction that called it succeeded.
func (db *DB) maybeRelease() {
	// Measured from Open on the monotonic clock: a wall clock stepped
	// back would hold releases off for as long as the step.
	now := int64(time.Since(db.opened))
	last := db.released.Load()
	if now-last < int64(releaseCheck) || !db.released.CompareAndSwap(last, now) {
		return
	}
	if mappedResident() > releaseAbove {
		_ = db.releaseMapped()
	}
}
