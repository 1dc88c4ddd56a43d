package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/tributary/tributary/storage"
)

const backupAbout = `
Write a consistent copy of the store to FILE (or standard output with -o -)
without stopping anything. When a running "tributary serve" holds the store, the
daemon takes the copy and streams it (GET /-/backup on its local endpoint,
loopback or token only); writes go on meanwhile.

Restore: stop Tributary, copy the backup over storage.path, start it again.`

func runBackup(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "backup", "[-config FILE] -o FILE", backupAbout)
	out := f.String("o", "", "write the backup to `FILE` (- for standard output)")
	if err := f.parse(args, 0); err != nil {
		return err
	}
	if *out == "" {
		return usageError{errors.New("-o FILE is required")}
	}
	cfg, err := loadConfig(f.config)
	if err != nil {
		return err
	}
	db, err := openStore(cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	if *out == "-" {
		_, err := db.Backup(ctx, e.stdout)
		return err
	}
	return writeAtomic(*out, func(w io.Writer) error {
		n, err := db.Backup(ctx, w)
		if err == nil {
			fmt.Fprintf(e.stderr, "backup: %d bytes written to %s\n", n, *out)
		}
		return err
	})
}

const compactAbout = `
Rewrite the store into a new, smaller file and replace the old one. bbolt files
never shrink by themselves; after retention removed many entries this gives the
space back. The daemon must be stopped (the store is opened exclusively).`

func runCompact(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "compact", "[-config FILE]", compactAbout)
	if err := f.parse(args, 0); err != nil {
		return err
	}
	cfg, err := loadConfig(f.config)
	if err != nil {
		return err
	}
	path := cfg.Storage.Path
	tmp := path + ".compact"
	if err := storage.Compact(path, tmp); err != nil {
		os.Remove(tmp)
		return err
	}
	before, _ := os.Stat(path)
	after, _ := os.Stat(tmp)
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("replace %s: %w", path, err)
	}
	if before != nil && after != nil {
		fmt.Fprintf(e.stdout, "compacted %s: %d → %d bytes\n", path, before.Size(), after.Size())
	}
	return nil
}
