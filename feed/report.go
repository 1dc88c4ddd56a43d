package feed

import "time"

// Outcome is how fetching one source ended.
type Outcome string

const (
	Fetched     Outcome = "fetched"      // new bytes were ingested
	NotModified Outcome = "not-modified" // the upstream answered 304 or the file is unchanged
	Failed      Outcome = "failed"
	Skipped     Outcome = "skipped" // not due yet (backing off or waiting for its interval)
)

// SourceReport is the result of one fetch of one source: what a cron mail, a
// log line and the local fetch trigger report.
type SourceReport struct {
	SourceID string  `json:"source_id"`
	Name     string  `json:"name"`
	URL      string  `json:"url"`
	Outcome  Outcome `json:"outcome"`
	Status   int     `json:"status,omitempty"` // HTTP status, 0 for files
	Error    string  `json:"error,omitempty"`
	Items    int     `json:"items"`   // items in the fetched feed
	New      int     `json:"new"`     // entries created
	Updated  int     `json:"updated"` // entries whose republished fields changed
	Merged   int     `json:"merged"`  // copies merged into an existing entry
	// Known counts the items the last fetch brought that came back
	// unchanged and were not processed again (feed/ingest).
	Known int `json:"known"`
	// MergedBy counts the merged copies by the identify rule that matched
	// them (link, text, near, excerpt, …).
	MergedBy map[string]int `json:"merged_by,omitempty"`
	Bytes    int64          `json:"bytes"`
	Duration time.Duration  `json:"duration"`
	// Truncated is set when the feed ended early: only the items that
	// arrived whole were read, and the next fetch asks for all of it.
	Truncated bool `json:"truncated,omitempty"`
	// NextFetch is when the source is due again (after backoff on failure).
	NextFetch time.Time `json:"next_fetch,omitzero"`
}

// RoundReport is the result of one fetch round over every source.
type RoundReport struct {
	Started  time.Time      `json:"started"`
	Duration time.Duration  `json:"duration"`
	Sources  []SourceReport `json:"sources"`
}

// Failed returns the reports of sources that failed.
func (r RoundReport) Failed() []SourceReport {
	var out []SourceReport
	for _, s := range r.Sources {
		if s.Outcome == Failed {
			out = append(out, s)
		}
	}
	return out
}

// Redacted returns a copy of r whose source URLs show no password
// (RedactedURL), for what an operator reads: the cron report and the fetch
// trigger's answer. r itself is not modified.
func (r RoundReport) Redacted() RoundReport {
	if len(r.Sources) == 0 {
		return r
	}
	srcs := make([]SourceReport, len(r.Sources))
	for i, s := range r.Sources {
		s.URL = RedactedURL(s.URL)
		srcs[i] = s
	}
	r.Sources = srcs
	return r
}
