package main

import (
	"strings"
	"testing"
	"time"

	"github.com/tributary/tributary/feed"
)

// The lines of fetch's output for a person reading a cron mail: failures
// always, a feed that ended early said so, the rest with -v.
func TestReportLines(t *testing.T) {
	tests := []struct {
		name    string
		r       feed.SourceReport
		verbose bool
		want    string
	}{
		{"failure", feed.SourceReport{Name: "A", URL: "https://a.example/", Outcome: feed.Failed, Error: "fetch: 500"}, false,
			"FAILED A (https://a.example/): fetch: 500"},
		{"fetched, quiet", feed.SourceReport{Name: "A", Outcome: feed.Fetched, Items: 3}, false, ""},
		{"fetched", feed.SourceReport{Name: "A", Outcome: feed.Fetched, Items: 3, New: 1, Duration: time.Millisecond}, true,
			"ok     A: 3 items, 1 new, 0 updated, 0 merged (1ms)"},
		{"ended early", feed.SourceReport{Name: "A", Outcome: feed.Fetched, Items: 2, New: 2, Truncated: true}, true,
			"ok     A: 2 items (the feed ended early: the items that arrived whole), 2 new, 0 updated, 0 merged (0s)"},
		{"ended early, quiet", feed.SourceReport{Name: "A", URL: "https://a.example/", Outcome: feed.Fetched, Items: 2, Truncated: true}, false,
			"CUT SHORT A (https://a.example/): the feed ended early; 2 items that arrived whole were read, the rest come next time"},
		{"fetched again", feed.SourceReport{Name: "A", Outcome: feed.Fetched, Items: 50, Known: 49, New: 1}, true,
			"ok     A: 50 items (49 as fetched before), 1 new, 0 updated, 0 merged (0s)"},
		{"not modified", feed.SourceReport{Name: "A", Outcome: feed.NotModified}, true, "ok     A: not modified (0s)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := reportLine(tt.r, tt.verbose); got != tt.want {
				t.Errorf("reportLine = %q\nwant          %q", got, tt.want)
			}
		})
	}
	var b strings.Builder
	if failed := printReport(&b, feed.RoundReport{Sources: []feed.SourceReport{tests[2].r}}, false); failed || b.Len() != 0 {
		t.Errorf("a quiet successful round printed %q (failed %v); cron would mail it", b.String(), failed)
	}
}
