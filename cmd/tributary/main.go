// Command tributary ingests feeds, collapses every copy of the same article
// into one entry and republishes one unified feed. See `tributary help`.
package main

import (
	"context"
	"errors"
	"fmt"
	"github.com/tributary/tributary/storage"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// Exit codes, stable for scripts and cron.
const (
	exitOK      = 0
	exitFailure = 1 // the command ran and something failed (a source, a write)
	exitUsage   = 2 // bad arguments or an invalid config
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// usageError marks errors that exit with exitUsage.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// command is one subcommand: its name, a one-line summary and its runner.
type command struct {
	name, summary string
	run           func(ctx context.Context, env *env, args []string) error
}

// env is what a command reads and writes besides its arguments.
type env struct {
	stdout, stderr io.Writer
	getenv         func(string) string
	// reload receives SIGHUP: serve reloads its config.
	reload <-chan os.Signal
	// configPoll is how often serve checks the config file for changes
	// (0: every few seconds); tests shorten it.
	configPoll time.Duration
	// open opens the store (nil: storage.Open); tests make it fail as a
	// read-only file system would, which a test running as root cannot
	// arrange.
	open func(path string, opts storage.Options) (*storage.DB, error)
}

func commands() []command {
	return []command{
		{"serve", "fetch on a schedule; serve the feeds, web pages and metrics over HTTP", runServe},
		{"fetch", "run one fetch round of every source, then exit (for cron)", runFetch},
		{"render", "write the unified feed to stdout or a file", runRender},
		{"check", "validate the config and exit", runCheck},
		{"explain", "show every copy merged into an entry and why", runExplain},
		{"backup", "write a consistent copy of the store, even while it is in use", runBackup},
		{"verify", "read the whole store (or a backup) and report anything wrong with it", runVerify},
		{"compact", "rewrite the store into a smaller file (stop the daemon first)", runCompact},
		{"health", "exit 0 if the running daemon answers its health check", runHealth},
		{"sources", "import subscriptions from OPML, or export them as OPML", runSources},
		{"version", "print the version", runVersion},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// The first signal asks for a clean stop; a second one, with the
	// default handling back, ends the process at once.
	context.AfterFunc(ctx, stop)
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	e := &env{stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv, reload: hup}
	code := run(ctx, e, os.Args[1:])
	stop()
	os.Exit(code)
}

// run executes the command line args and returns the exit code.
func run(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || isHelp(args[0]) || args[0] == "help" && len(args) == 1 {
		usage(e.stdout)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	name := args[0]
	if name == "help" {
		name, args = args[1], []string{args[1], "-h"}
	}
	for _, c := range commands() {
		if c.name != name {
			continue
		}
		err := c.run(ctx, e, args[1:])
		switch {
		case err == nil:
			return exitOK
		case errors.Is(err, errHelp):
			return exitOK
		case errors.As(err, new(usageError)):
			fmt.Fprintf(e.stderr, "tributary %s: %v\n", name, err)
			return exitUsage
		case errors.Is(err, errReported):
			return exitFailure
		default:
			fmt.Fprintf(e.stderr, "tributary %s: %v\n", name, err)
			return exitFailure
		}
	}
	fmt.Fprintf(e.stderr, "tributary: unknown command %q\n\n", name)
	usage(e.stderr)
	return exitUsage
}

// errReported ends a command whose failures were already printed.
var errReported = errors.New("failures reported")

func isHelp(s string) bool { return s == "-h" || s == "-help" || s == "--help" }

func usage(w io.Writer) {
	fmt.Fprint(w, `Tributary collects feeds, recognises every copy of the same article across them,
and republishes one unified feed (Atom, RSS 2.0, JSON Feed) with share metadata.

Usage:
  tributary <command> [flags]

Commands:
`)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
Every command reads ./config.yaml unless -config FILE or $TRIBUTARY_CONFIG names another.
Run "tributary <command> -h" for a command's flags.

Exit status: 0 success, 1 a failure (a source that failed, a write that failed),
2 a usage or config error.
`)
}
