package main

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
)

const versionAbout = `
Print the version, the Go release it was built with, the platform and, when the
binary was built from a git checkout, the commit:

  tributary v1.2.0 (go1.26.8 linux/amd64, commit 2661697, modified)

Release builds set the version with -ldflags "-X main.version=v1.2.0"; a plain
"go build" says "dev".`

func runVersion(_ context.Context, e *env, args []string) error {
	if len(args) > 0 {
		if isHelp(args[0]) {
			fmt.Fprintf(e.stdout, "Usage: tributary version\n\n%s\n", strings.TrimSpace(versionAbout))
			return errHelp
		}
		return usageError{fmt.Errorf("unexpected argument %q", args[0])}
	}
	fmt.Fprintf(e.stdout, "tributary %s (%s)\n", version, buildDetails())
	return nil
}

// buildDetails names the toolchain, the platform and the VCS revision the
// binary was built from, when the build recorded one.
func buildDetails() string {
	s := runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return s
	}
	var rev, modified string
	for _, kv := range info.Settings {
		switch kv.Key {
		case "vcs.revision":
			rev = kv.Value
		case "vcs.modified":
			modified = kv.Value
		}
	}
	if rev != "" {
		s += ", commit " + rev[:min(len(rev), 7)]
		if modified == "true" {
			s += ", modified"
		}
	}
	return s
}
