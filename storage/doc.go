/*
Package storage keeps Tributary's entries, their identity indexes and the
state of every source in one bbolt file. It is the only package that knows
bbolt; the rest of Tributary sees feed.Tx.

# Contract

Open takes the file's lock (exclusive, or shared with Options.ReadOnly) and
holds it until Close. Everything happens in transactions:

  - Update runs a function in one write transaction. Returning nil commits
    and fsyncs before Update returns: a committed Update survives a crash or
    power loss. Returning an error (or panicking) discards every write the
    function made. One write transaction runs at a time; others wait.
  - View runs a function on a consistent snapshot; writers do not block it
    and it sees none of their later commits. Writes inside View fail with
    ErrReadOnly.
  - A cancelled context keeps a transaction from starting; it interrupts
    neither the wait for the writer lock nor a transaction that has started
    (Prune and Backup check it as they go).
  - PutEntry keeps every index exactly in line with the entry, in the same
    transaction: a reader never sees an entry without its index records, nor
    index records of an entry version that was replaced.
  - Identity keys go to the first writer: a key already indexed to one entry
    is never moved to another by PutEntry (the other entry still lists the
    key in its copies; the key index does not point at it).
  - Version is a per-process counter of committed entry changes, for caches.

Newest, Window, WindowDigests, Tags, Entry, EntryByKey, Count and Sources
are read transactions of their own. Entries handed out are decoded copies:
they stay valid after the transaction and changing them changes nothing
stored.

# Buckets

Integers are big-endian so that byte order is numeric order; times are
nanoseconds since 1970 in a uint64, clamped to [1970, 2262]. Source states
are JSON, the encoding of the feed types' json tags. An entry's value starts
with a byte naming its encoding (encode.go): 0x01, snappy-compressed CBOR
keyed by the same json tags, is what this version writes; '{', JSON, is what
earlier versions wrote. Both read; Compact rewrites the old ones.

	meta        "schema"  → uint64 layout version (3); Open refuses newer, migrates older
	            (a read-only Open reads version 2 as it is)
	            "entries" → uint64 number of entries (Count reads it)
	            "counts-tx" → uint64 id of the bbolt transaction that last kept counts
	            ‖ uint64 number of entries then
	            "scope-counts-tx" → uint64 id of the transaction that last kept scope-counts
	            ‖ uint64 number of entries then
	entries     entry id  → codec byte ‖ encoded feed.Entry
	keys        identity key (feed.Copy.Keys) → entry id
	time        uint64 Published ‖ entry id → uint64 checksum of the entry's value
	            one record per entry; Newest walks it backwards
	bysource    source id ‖ 0x00 ‖ uint64 Published ‖ entry id → the same checksum
	            one record per distinct source among the entry's copies: an
	            entry is in a source's feed when any of its copies came from it
	bytag       tag ‖ 0x00 ‖ uint64 Published ‖ entry id → the same checksum
	            one record per distinct feed.TagOf of the entry's categories
	bands       band (1 byte, 0–3) ‖ uint16 slice of a fingerprint ‖ entry id → uint64 fingerprint
	            four records per distinct non-zero copy fingerprint;
	            Similar scans the 3-byte prefixes of a query fingerprint
	tombstones  identity key → uint64 time of the removal (Prune), or of the last fetch
	            that listed the key again (Tombstoned in a write transaction)
	sources     source id → JSON feed.SourceState
	counts      first time key of a block (0x00 for the lowest) → uint64 number of
	            time index keys from it up to the next block's first key; blocks
	            hold about a thousand keys (counts.go), so that Window finds a
	            page by its number without walking the time index down to it
	scope-counts  's' ‖ source id, or 't' ‖ tag → uint64 number of its records in
	            bysource or bytag (scopes.go), so that the feed of one source or
	            one tag states its total without walking all of its records
	tags-seen   tag → uint64 Unix seconds when it was last indexed or had a
	            record removed (written again at most daily): every tag bytag
	            has held (tags.go), so that a tag's feed stays a feed, empty,
	            once no entry has the tag; forgotten by retention 90 days
	            later; created, from bytag, by the first write to a store
	            without it

The checksum (CRC-32C ‖ CRC-32 of the entry's value, window.go) is what
WindowDigests reports, read without touching the entry. Records written
before they held it are empty, and WindowDigests checksums the entry's
value for them. Compact writes each record the checksum of its entry as
the copy stores it, or nothing for an entry it re-encodes: a record never
holds the checksum of bytes the store no longer has.

A cursor (of Newest and Window) is a time-index key: the last entry of a
page, in unpadded base64url. It is opaque to clients, stable across restarts,
valid even after its entry is gone, and means the same position in every
selection, because the scoped indexes order their records by the same key.

# Feeds of a source or a tag

Window reads a page of a Selection: every entry, or the union of the
entries of some sources (bysource) and of some tags (bytag), merged newest
first with each entry once. The tag index holds the entries' categories
only: the tags a source has in the config are not stored with its entries,
so that editing the config changes no stored record. A feed for tag T is
therefore the Selection {Sources: the sources configured with T, Tags: [T]},
which the server builds. Tags are compared as feed.TagOf gives them: "Lower Town"
and "lower-town" are one tag. The feed of one scope (a source, or a tag no
source is configured with) reads its total from scope-counts; a union of
several walks all of their records to count them, as scopes may share
entries.

WindowDigests walks the same page as Window but reads no entry: it gives
each entry's id and the checksum its index record holds (see Buckets), for
telling whether a page changed (the WebSub publisher). A checksum changes
with any change of the stored bytes, rendered or not; the same bytes give
the same checksum in every process. Reading no entry, it does not notice
an index record whose entry is missing, which Window reports. A record
that no version of its entry still names (an orphan: none is known to
arise) would keep its checksum for good.

# Migrations

Open brings an older store to the current layout in one write transaction,
before anything else reads it: schema 1 (no bysource, bytag) gets both
indexes built in one pass over the entries; in schemas 2 and 3, tags
dropped "+" and "#" ("C++", "C#" and "C" were one tag), and the entries
with such categories get their tag records moved (every entry's categories
are read: 2.5 s at 100,000 entries, 17–24 s at 1,000,000, once). A read-only
open of such a store serves, and verify checks, its tags as they were.
Nothing stored is lost; a failed migration leaves the file as it was. The counts bucket needs no new schema: builds before it ignore it, and
Open trusts it only when "counts-tx" names the store's last committed
transaction and the entry count, and the blocks add up to that count, so a
write by such a build leaves it untrusted. A writable Open rebuilds
untrusted or missing counts in one walk of the time index; a read-only
open of such a store finds pages by number by walking the index. An
older build's compact starts transaction ids again, so its later writes
may end on the recorded transaction with retention holding the entry
count; but no compact copies a bucket's sequence, and this build gives
the counts bucket sequence 1 when it builds it (Compact sets it again on
its copy), so counts with sequence 0 are not trusted either. The scope
counts are trusted the same way, by their own marker "scope-counts-tx"
and their bucket's sequence, since the build before them keeps the counts
(and moves "counts-tx" on) but not them; they are rebuilt in one walk of
bysource and bytag. A store opened with
Options.ReadOnly cannot migrate and is refused with ErrSchema until it is
opened once for writing.

# Caveats

Single process: the lock admits one writer, or any number of read-only
openers, never both. A second Open waits Options.Timeout (1s by default) and
fails with ErrLocked; a command that needs the store while the daemon runs
must ask the daemon instead.

The file never shrinks: pruned entries leave free pages that later writes
reuse. Compact writes a smaller copy, offline (the store must not be open
for writing), with full pages and every entry in the current encoding;
CompactFile renames it over the store while still holding the store's
lock, and the copy's, and marks the copy unfinished until its last
transaction (an Open of a copy a kill cut short reports ErrDamaged). A file replaced at its path while Open waited for its lock (by
CompactFile, or a restore) is opened again at the path: a writer must never
hold the lock of a file no later Open will see.

Tombstones keep a pruned article from returning while upstreams list it;
one that no fetch has met for a year is forgotten (a few thousand are
examined per Prune, see tombstones.go), so an article that an upstream
lists again after more than a year of silence returns. A fetch answered
304 reads no items and so marks no tombstone; feed/ingest therefore asks
each source without validators once a month, so that a feed unchanged for
a year still has its items identified and its tombstones kept.

Backups: Backup (and BackupFile) copy a consistent snapshot while the store
stays in use. Copying the file with cp while the daemon writes does not give
a usable copy. A long backup holds a read transaction, which blocks a writer
that must grow the memory map; Options.InitialMmapSize larger than the file
avoids that.

Damage: bbolt checks its pages with assertions that panic, and reading a
page past the end of a file cut short faults. Open, every transaction and
Compact turn either into ErrDamaged instead of ending the process; what
was committed before is as it was, and the remedy is a backup. Open also
reports as ErrDamaged a file that bbolt refuses as no valid bbolt file (no
valid meta page, shorter than two pages), saying so when nothing in it
looks like a bbolt file (the wrong storage.path). An existing empty file
is a store lost, not a new one: Open refuses it (ErrSchema), read-only or
not. A panic inside bbolt's own open leaves its mapping of the file
(read-only, the file's size) until the process ends; Open releases the
file's lock, so the file can be opened again once it is restored.
Transactions read only the pages on their way, so damage elsewhere goes
unseen until something reads there; Verify reads every page and index.

Memory: bbolt reads through a shared mapping of the file, and the pages
read stay in the process's resident set. On Linux the DB drops its mapping
of them after a transaction when the process's file-backed resident memory
has passed 64 MB (release.go); they stay in the page cache.

Similar finds every fingerprint within 3 bits of the query and some farther
ones; it cannot promise more with four 16-bit bands.
*/
package storage
