package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExitCodesAndConfigErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("fetch:\n  interval: 10s\n  concurency: 4\nsources:\n  - url: https://example.org/feed\n"), 0o644)
	good := filepath.Join(dir, "good.yaml")
	os.WriteFile(good, []byte("sources:\n  - name: A\n    url: https://example.org/feed\n"), 0o644)

	tests := []struct {
		name   string
		args   []string
		code   int
		output []string // substrings of stdout+stderr
	}{
		{"no command", nil, exitUsage, []string{"Usage:"}},
		{"help", []string{"help"}, exitOK, []string{"Commands:", "serve", "fetch"}},
		{"unknown command", []string{"frobnicate"}, exitUsage, []string{`unknown command "frobnicate"`}},
		{"command help", []string{"fetch", "-h"}, exitOK, []string{"Usage: tributary fetch", "cron", "-force"}},
		{"bad flag", []string{"render", "-format", "xml", "-config", good}, exitUsage, []string{"-format"}},
		{"valid config", []string{"check", "-config", good}, exitOK, []string{"ok (1 sources"}},
		{"every problem with line and key", []string{"check", "-config", bad}, exitUsage, []string{
			"bad.yaml:2: fetch.interval", "bad.yaml:3: fetch.concurency", "sources[0].name"}},
		{"missing config", []string{"check", "-config", filepath.Join(dir, "nope.yaml")}, exitUsage, []string{"nope.yaml"}},
		{"fetch with a bad config exits 2", []string{"fetch", "-config", bad}, exitUsage, []string{"fetch.interval"}},
		{"version", []string{"version"}, exitOK, []string{"tributary "}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := tributary(t, context.Background(), tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\n%s%s", code, tt.code, out, errOut)
			}
			for _, want := range tt.output {
				if !strings.Contains(out+errOut, want) {
					t.Errorf("output lacks %q:\n%s%s", want, out, errOut)
				}
			}
		})
	}
}

// Each -h page lists -v only where it does something, and states the
// -config default once.
func TestHelpListsOnlyTheFlagsACommandUses(t *testing.T) {
	tests := []struct {
		args    []string
		verbose bool
	}{
		{[]string{"serve"}, true},
		{[]string{"fetch"}, true},
		{[]string{"sources", "import"}, true},
		{[]string{"render"}, false},
		{[]string{"check"}, false},
		{[]string{"explain"}, false},
		{[]string{"backup"}, false},
		{[]string{"compact"}, false},
		{[]string{"health"}, false},
		{[]string{"sources", "export"}, false},
	}
	for _, tt := range tests {
		name := strings.Join(tt.args, " ")
		t.Run(name, func(t *testing.T) {
			code, out, errOut := tributary(t, context.Background(), append(tt.args, "-h")...)
			if code != exitOK {
				t.Fatalf("exit %d: %s%s", code, out, errOut)
			}
			// "-v" itself, not a longer flag such as backup's -verify.
			if got := strings.Contains(out, "\n  -v\t") || strings.Contains(out, "\n  -v\n"); got != tt.verbose {
				t.Errorf("-h lists -v: %v, want %v:\n%s", got, tt.verbose, out)
			}
			if !strings.Contains(out, "config file (default $TRIBUTARY_CONFIG, else ./config.yaml)\n") {
				t.Errorf("-config does not state its default once:\n%s", out)
			}
			if !tt.verbose {
				code, _, errOut := tributary(t, context.Background(), append(tt.args, "-v")...)
				if code != exitUsage || !strings.Contains(errOut, "-v") {
					t.Errorf("%s -v: exit %d, %q; want a usage error", name, code, errOut)
				}
			}
		})
	}
}
