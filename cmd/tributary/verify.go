package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/tributary/tributary/storage"
)

const verifyAbout = `
Read the whole store (storage.path, or FILE, such as a backup) and report what
is wrong with it: pages bbolt finds inconsistent, entries that do not decode,
index records that do not match the entries, counts that disagree with what
they count. Fetching and serving read only the pages on their way, so a store
damaged elsewhere goes on working until something reads there; this reads
everything. It takes about as long as a backup.

A running "tributary serve" holds the store: verify a backup instead,

  tributary backup [-config FILE] -o /tmp/check.db && tributary verify /tmp/check.db

Exit status: 0 the store is sound; 1 problems were found (each is printed),
the file is damaged past reading or empty, or a daemon holds it; 2 a usage
error, a directory, or a file that is not a store.`

func runVerify(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "verify", "[-config FILE] [FILE]", verifyAbout)
	if err := f.parse(args, 1); err != nil {
		return err
	}
	path := f.Arg(0)
	if path == "" {
		cfg, err := loadConfig(f.config)
		if err != nil {
			return err
		}
		path = cfg.Storage.Path
	}
	if fi, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return usageError{fmt.Errorf("no store at %s", path)}
	} else if err == nil && fi.IsDir() {
		return usageError{fmt.Errorf("%s is a directory, not a store file", path)}
	} else if err == nil && fi.Mode().IsRegular() && fi.Size() == 0 {
		// storage.Open refuses it as ErrSchema, which below is a usage
		// error; but an empty file is a store or backup lost (a restore
		// or copy that failed, a full disk), a failure like a damaged
		// one, as every other command reports it.
		return fmt.Errorf("store %s: the file is empty, not a Tributary store: restore it from a backup, or remove it", path)
	}
	// Read-only: verifying changes nothing, not even counts it would
	// rebuild, and it works on a backup of mode 0400 or a read-only mount.
	db, err := e.openStore(path, storage.Options{ReadOnly: true})
	if errors.Is(err, storage.ErrLocked) {
		return fmt.Errorf("%w\nA process writing it holds it (a running daemon, or a fetch): verify a backup (tributary backup -config %s -o FILE, then tributary verify FILE)", err, f.config)
	}
	if errors.Is(err, storage.ErrSchema) {
		return usageError{err}
	}
	if err != nil {
		return err
	}
	defer db.Close()
	problems, err := db.Verify(ctx)
	for _, p := range problems {
		fmt.Fprintf(e.stdout, "PROBLEM %s\n", p)
	}
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		fmt.Fprintf(e.stdout, "%s: damaged (above): restore it from a backup that verifies\n", path)
		return errReported
	}
	n, err := db.Count(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s: ok (%d entries)\n", path, n)
	return nil
}
