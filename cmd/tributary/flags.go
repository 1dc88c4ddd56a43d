package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
)

var errHelp = flag.ErrHelp

// flags is a command's flag set with the flags every command shares
// (-config), and -v for the commands that offer it (addVerbose).
type flags struct {
	*flag.FlagSet
	config  string
	verbose bool
}

// newFlags builds a command's flag set; synopsis and about make its -h page.
func newFlags(e *env, name, synopsis, about string) *flags {
	f := &flags{FlagSet: flag.NewFlagSet(name, flag.ContinueOnError)}
	f.SetOutput(e.stderr)
	def := e.getenv("TRIBUTARY_CONFIG")
	if def == "" {
		def = "config.yaml"
	}
	f.StringVar(&f.config, "config", def, "config `file` (default $TRIBUTARY_CONFIG, else ./config.yaml)")
	// The usage above states the default; without this PrintDefaults
	// would add it again (default "config.yaml").
	f.Lookup("config").DefValue = ""
	f.Usage = func() { f.printUsage(e.stdout, name, synopsis, about) }
	return f
}

// addVerbose offers -v, setting f.verbose, with what it does for the
// command. Only the commands that read f.verbose call it, so that no -h
// page lists a flag that changes nothing.
func (f *flags) addVerbose(usage string) {
	f.BoolVar(&f.verbose, "v", false, "verbose: "+usage)
}

func (f *flags) printUsage(w io.Writer, name, synopsis, about string) {
	fmt.Fprintf(w, "Usage: tributary %s %s\n\n%s\n\nFlags:\n", name, synopsis, strings.TrimSpace(about))
	f.SetOutput(w)
	f.PrintDefaults()
}

// parse parses args; a bad flag or stray argument is a usage error.
func (f *flags) parse(args []string, maxArgs int) error {
	if err := f.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return errHelp
		}
		return usageError{err}
	}
	if f.NArg() > maxArgs {
		return usageError{fmt.Errorf("unexpected argument %q", f.Arg(maxArgs))}
	}
	return nil
}
