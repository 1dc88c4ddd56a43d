package feed

import "time"

// Source is one upstream feed as the operator configured it.
type Source struct {
	// ID is a stable slug derived from the name; it keys the source's state
	// and scopes its GUIDs, so renaming a source in the config starts afresh.
	ID   string
	Name string
	// URL is an http(s) URL or a local file path.
	URL string
	// Interval overrides the global fetch interval when non-zero.
	Interval time.Duration
	Tags     []string
	// Priority breaks ties when choosing an entry's original copy: a higher
	// priority source is preferred over the earliest publication.
	Priority int
	// Private marks a feed whose URL is the subscriber's secret as a whole
	// (a capability URL such as Pinboard's /secret:…/ path, a token under
	// an ordinary name): nothing published names it, not even without
	// the credentials PublicSourceURL recognises.
	Private bool
}

// SourceState is what Tributary remembers about a source between fetch
// rounds: validators for conditional GET, the outcome of the last attempt and
// when the next one is due.
type SourceState struct {
	SourceID string `json:"source_id"`
	// ConfiguredURL is the URL the state was recorded for; when the config
	// names another, the state starts afresh.
	ConfiguredURL string `json:"configured_url,omitempty"`
	// URL is where the source is fetched now: the configured URL, or the
	// target of a permanent redirect that was confirmed several times.
	URL          string `json:"url,omitempty"`
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`

	// Title and SiteURL describe the upstream feed as it last described
	// itself; they attribute copies in the republished feed.
	Title   string `json:"title,omitempty"`
	SiteURL string `json:"site_url,omitempty"`

	LastAttempt time.Time `json:"last_attempt,omitzero"`
	LastSuccess time.Time `json:"last_success,omitzero"`
	NextFetch   time.Time `json:"next_fetch,omitzero"`
	// LastStatus is the HTTP status of the last attempt (0 for local files
	// and for failures before a response arrived).
	LastStatus int    `json:"last_status,omitempty"`
	LastError  string `json:"last_error,omitempty"`
	// Failures counts consecutive failed attempts; it drives the backoff.
	Failures int `json:"failures,omitempty"`

	// PendingRedirect is the target of a permanent redirect seen
	// RedirectSeen times in a row; the source moves there only once that
	// count reaches the threshold.
	PendingRedirect string `json:"pending_redirect,omitempty"`
	RedirectSeen    int    `json:"redirect_seen,omitempty"`
	// MovedTrusted records, when the source moved, that the fetches that
	// confirmed the move were trusted (its configured URL is on the
	// intranet): the new URL is then trusted by what its own host is,
	// whatever becomes of the old name. Otherwise it has the trust of
	// the configured URL, decided again at each fetch.
	MovedTrusted bool `json:"moved_trusted,omitempty"`

	// Boilerplate holds hashes of lines of text this source repeats in
	// every item (see normalise.LearnBoilerplate).
	Boilerplate []string `json:"boilerplate,omitempty"`

	// Known holds the digests of the items of the last fetch that brought
	// a feed (normalise.Fetched.Digest), made under KnownContext: an item
	// that comes back with the same digest is not made into an Article
	// again. FullPass is when every item of a fetch was last made into an
	// Article regardless; feed/ingest does that daily (see its doc).
	Known        Digests   `json:"known,omitempty"`
	KnownContext uint64    `json:"known_context,omitempty"`
	FullPass     time.Time `json:"full_pass,omitzero"`

	// Items is the number of items in the last successful fetch; the
	// counters below accumulate over the source's life.
	Items   int `json:"items,omitempty"`
	New     int `json:"new,omitempty"`
	Updated int `json:"updated,omitempty"`
	Merged  int `json:"merged,omitempty"`
}

// Failing reports whether the last attempt failed.
func (s SourceState) Failing() bool { return s.LastError != "" }
