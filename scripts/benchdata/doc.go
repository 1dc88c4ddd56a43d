// Package benchdata makes the inputs of Tributary's benchmarks and load
// runs: blog-like articles, RSS feeds of them, and stores of any size filled
// with entries as feed/identify would have made them.
//
// Everything is deterministic: the same seed gives the same bytes on every
// machine and run, so a store built once can be reused by later runs (see
// Store) and two benchmarks fed the same seed see the same input.
//
// Articles are pseudo-English: words drawn with a skewed (Zipf-like)
// frequency from a fixed vocabulary, in sentences and paragraphs, with the
// markup of a blog post (links, emphasis, headings, lists, quotes, images).
// Their Text is exactly what normalise.Text makes of their HTML, so stored
// entries compare as feed/identify expects.
//
// Caveats: this is test data, not a corpus of real feeds: its words are not
// English, so it says nothing about the quality of duplicate detection
// (feed/corpus does), only about costs. Building a store of 1,000,000
// entries takes minutes and about 5 GB of disk; Store keeps it for reuse.
package benchdata
