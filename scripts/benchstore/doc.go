// Package benchstore builds the large stores Tributary's scale benchmarks
// read: n entries as ingesting n articles from 1,000 sources would have
// stored them, every twentieth with a cross-posted copy from another source
// merged into it by feed/identify.
//
// A store is built once per size into the temporary directory
// ($TMPDIR/tributary-bench-<n>.db) and reused by later runs and by other
// benchmark processes; a build that was interrupted is started again. The
// article of entry i is fixed (Article, CrossPost), so a benchmark can ask
// for items that are, or are not, already stored.
//
// Caveats: building 1,000,000 entries takes several minutes and about 5 GB
// of disk. Benchmarks that open a store for writing hold its lock: two
// such benchmarks of one size in parallel processes run one after the other.
package benchstore
