package main

import (
	"strings"
	"testing"
	"time"
)

func TestProgressPlainLinesAtEveryTenth(t *testing.T) {
	tests := []struct {
		total int
		want  []string
	}{
		{3, []string{"fetch: 1/3 (33%)", "fetch: 2/3 (66%)", "fetch: 3/3 (100%)"}},
		{20, []string{"fetch: 2/20 (10%)", "fetch: 4/20 (20%)", "fetch: 6/20 (30%)", "fetch: 8/20 (40%)", "fetch: 10/20 (50%)",
			"fetch: 12/20 (60%)", "fetch: 14/20 (70%)", "fetch: 16/20 (80%)", "fetch: 18/20 (90%)", "fetch: 20/20 (100%)"}},
	}
	for _, tt := range tests {
		var b strings.Builder
		p := newProgress(&b, false, "fetch", tt.total)
		for range tt.total {
			p.step("a source")
		}
		p.finish()
		if got := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n"); strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("%d items:\n%s\nwant\n%s", tt.total, strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
		}
	}
}

func TestProgressBarOnATerminal(t *testing.T) {
	var b strings.Builder
	p := newProgress(&b, true, "fetch", 4)
	clock := time.Unix(0, 0)
	p.now = func() time.Time { clock = clock.Add(time.Second); return clock }
	p.step("Harbor Light")
	p.step("Field Notes")
	if _, err := p.Write([]byte("a log line\n")); err != nil {
		t.Fatal(err)
	}
	p.finish()
	out := b.String()
	for _, want := range []string{
		"\r\033[Kfetch [######..................] 1/4 Harbor Light",
		"\r\033[Kfetch [############............] 2/4 Field Notes",
		// A log line clears the bar, is written, and the bar comes back.
		"\r\033[Ka log line\n\r\033[Kfetch [############............] 2/4 Field Notes",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%q", want, out)
		}
	}
	if !strings.HasSuffix(out, "\r\033[K") {
		t.Errorf("finish does not clear the bar: %q", out)
	}
	if !isTerminal(p) {
		t.Errorf("log lines through a terminal's progress should be formatted for a terminal")
	}
}
