// Package config reads Tributary's YAML configuration file (see
// testdata/full.yaml for every key, commented, with its default).
//
// Contract:
//
//   - Load and Parse start from Default, apply what the file sets and then
//     derive what it leaves out: server.base_url from server.listen (with a
//     trailing "/" added when written without one) and output.id from
//     server.base_url. A key written with no value (null) keeps its default.
//   - Every problem is reported at once: unknown keys (with a suggestion for
//     a likely typo), values of the wrong kind and values out of range come
//     back together in one *ValidationError, one Problem per line with its
//     key path ("sources[2].url") and line. A file that is not YAML at all
//     stops at the first *SyntaxError, with line and column.
//   - Durations are Go durations written as strings ("15m", "1h30m"); a bare
//     number is refused, unless it is 0, because "interval: 15" has no unit.
//     Sizes (fetch.max_body) are bytes or strings with a unit ("10MiB").
//   - Load resolves relative paths (storage.path, local source files,
//     sources_opml) against the config file's directory, turns file:// URLs
//     into paths, and merges the feeds of sources_opml: a feed also listed
//     under sources keeps its sources entry. Raw* fields keep what was
//     written. Parse resolves nothing and does not read sources_opml.
//   - Each source gets an ID, the Slug of its name; ids key stored state, so
//     renaming a source starts it afresh. Names must be unique ignoring case
//     and so must ids.
//   - output.share names are checked against feed/render's builtin share
//     targets plus output.share_templates; a template defined but not listed
//     in output.share is not shown.
//
// Caveats: anchors, aliases and merge keys (<<) are understood, but only one
// YAML document per file. Validate checks values; it does not open the
// store, bind the address or check that local feed files exist. The one
// look at the file system is that storage.path, when it exists, is not a
// directory (a missing file is a new store).
package config
