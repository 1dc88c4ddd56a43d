// Command benchgen writes the inputs of Tributary's load runs (see
// scripts/loadtest.sh and docs/PERFORMANCE.md):
//
//	benchgen feed  -seed N -items N -bytes N -o FILE   an RSS feed (scripts/benchdata)
//	benchgen store -n N                                the shared store of N entries
//	                                                   (scripts/benchstore); prints its path
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/tributary/tributary/scripts/benchdata"
	"github.com/tributary/tributary/scripts/benchstore"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "benchgen:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("usage: benchgen feed|store [flags]")
	}
	fs := flag.NewFlagSet("benchgen "+args[0], flag.ContinueOnError)
	switch args[0] {
	case "feed":
		seed := fs.Uint64("seed", 1, "feed seed: every seed gives other articles")
		items := fs.Int("items", 50, "items in the feed")
		size := fs.Int("bytes", 4000, "HTML bytes per item, about")
		out := fs.String("o", "", "output file (default: standard output)")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		b := benchdata.Feed(*seed, *items, *size)
		if *out == "" {
			_, err := os.Stdout.Write(b)
			return err
		}
		return os.WriteFile(*out, b, 0o644)
	case "store":
		n := fs.Int("n", 1_000_000, "entries")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		start := time.Now()
		err := benchstore.Ensure(context.Background(), *n, func(done int) {
			fmt.Fprintf(os.Stderr, "%d/%d entries, %s\n", done, *n, time.Since(start).Round(time.Second))
		})
		if err != nil {
			return err
		}
		fmt.Println(benchstore.Path(*n))
		return nil
	}
	return fmt.Errorf("unknown command %q: feed or store", args[0])
}
