package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/tributary/tributary/config"
	"github.com/tributary/tributary/storage"
)

const backupAbout = `
Write a consistent copy of the store to FILE (or standard output with -o -)
without stopping anything. When a running "tributary serve" holds the store, the
daemon takes the copy and streams it (GET /-/backup on its local endpoint,
with server.token or the daemon's local token); writes go on meanwhile.

A copy that would replace an existing FILE is verified first (as "tributary
verify" does): a damaged one leaves FILE as it was and exits 1, so that a
backup rotated to one name never replaces the last good copy by a damaged one.

Restore: stop Tributary, copy the backup over storage.path, start it again.`

func runBackup(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "backup", "[-config FILE] -o FILE", backupAbout)
	out := f.String("o", "", "write the backup to `FILE` (- for standard output)")
	verify := f.Bool("verify", true, "before replacing an existing FILE, verify the new copy (as tributary verify does) and keep FILE if it is damaged")
	if err := f.parse(args, 0); err != nil {
		return err
	}
	if *out == "" {
		return usageError{errors.New("-o FILE is required")}
	}
	if err := checkOutFile(*out, ""); err != nil {
		return err
	}
	cfg, err := loadConfig(f.config)
	if err != nil {
		return err
	}
	if *out != "-" && storage.SameFile(*out, cfg.Storage.Path) {
		// The copy would be renamed over the store: a daemon holding it
		// would write on to the file replaced, and lose it all at restart.
		return usageError{fmt.Errorf("-o %s is the store itself (storage.path): write the backup to another file", *out)}
	}
	db, err := openExistingStore(e, cfg)
	if errors.Is(err, storage.ErrLocked) {
		// A running daemon holds the store: it takes the copy.
		return writeBackup(ctx, *out, *verify, e, func(w io.Writer) (int64, error) { return remoteBackup(ctx, cfg, w) })
	}
	if err != nil {
		return err
	}
	// Closed once copied: the copy's verification, which takes far longer,
	// must not keep writers (a cron fetch, a daemon starting) locked out.
	closeStore := sync.OnceValue(db.Close)
	defer closeStore()
	return writeBackup(ctx, *out, *verify, e, func(w io.Writer) (int64, error) {
		n, err := db.Backup(ctx, w)
		if cerr := closeStore(); err == nil {
			err = cerr
		}
		return n, err
	})
}

// writeBackup writes a backup to standard output ("-") or atomically to a
// file, and says how large it is. A copy that would replace an existing
// file (a backup rotated to one name) is verified first, when verify is
// set: a store damaged where the daemon does not look serves on, and its
// copy would replace the last good backup.
func writeBackup(ctx context.Context, out string, verify bool, e *env, backup func(io.Writer) (int64, error)) error {
	if out == "-" {
		_, err := backup(e.stdout)
		return err
	}
	removeStaleCopies(out, e)
	var check func(string) error
	if _, err := os.Stat(out); err == nil && verify {
		check = func(tmp string) error { return verifyCopy(ctx, tmp, out) }
	}
	// Readable by its owner only, as the store: it holds the sources'
	// URLs, credentials included.
	var n int64
	err := writeChecked(out, 0o600, func(w io.Writer) (err error) {
		n, err = backup(w)
		return err
	}, check)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "backup: %d bytes written to %s\n", n, out)
	return nil
}

// staleCopy is how long a temporary copy beside a backup may go unwritten
// before it is taken for one a killed backup left: a backup writing it
// writes every few milliseconds.
const staleCopy = time.Hour

// removeStaleCopies removes the temporary files (writeChecked's ".FILE.*")
// that backups to out killed before their rename left beside it: each is
// the size of the store, and a nightly backup killed now and then would
// fill the disk with them.
func removeStaleCopies(out string, e *env) {
	pattern := filepath.Join(filepath.Dir(out), "."+filepath.Base(out)+".*")
	left, _ := filepath.Glob(pattern)
	for _, f := range left {
		if fi, err := os.Lstat(f); err == nil && fi.Mode().IsRegular() && time.Since(fi.ModTime()) > staleCopy {
			if os.Remove(f) == nil {
				fmt.Fprintf(e.stderr, "backup: removed %s, left by a backup that did not finish\n", f)
			}
		}
	}
}

// verifyCopy verifies the backup written to tmp, which is to replace out.
func verifyCopy(ctx context.Context, tmp, out string) error {
	var detail string
	db, err := storage.Open(tmp, storage.Options{ReadOnly: true})
	if err == nil {
		var problems []string
		problems, err = db.Verify(ctx)
		_ = db.Close()
		if err == nil && len(problems) > 0 {
			detail = strings.Join(problems, "; ")
		}
	}
	if err != nil {
		detail = strings.ReplaceAll(err.Error(), tmp, "the copy")
	}
	switch {
	case ctx.Err() != nil:
		return fmt.Errorf("stopped while verifying the new copy: %s kept as it was", out)
	case detail != "":
		return fmt.Errorf("not replaced: the new copy is damaged (%s), so the store probably is too: run tributary verify; %s kept as it was", detail, out)
	}
	return nil
}

// remoteBackup streams a backup from the daemon's GET /-/backup. A daemon
// that fails midway aborts the response, which fails the copy here.
func remoteBackup(ctx context.Context, cfg *config.Config, w io.Writer) (int64, error) {
	endpoint := "http://" + dialable(cfg.Server.Listen) + "/-/backup"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint, nil)
	if err != nil {
		return 0, err
	}
	token, err := operatorToken(cfg.Server.Token, cfg.Storage.LocalTokenPath())
	if err != nil {
		return 0, err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	err = bare(err)
	if err != nil {
		return 0, fmt.Errorf("%s: GET %s: %w", noDaemon, endpoint, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return 0, fmt.Errorf("GET %s: %s: %s", endpoint, resp.Status, strings.TrimSpace(string(msg)))
	}
	n, err := io.Copy(w, resp.Body)
	if err != nil {
		return n, fmt.Errorf("GET %s: %w", endpoint, err)
	}
	return n, nil
}

const compactAbout = `
Rewrite the store into a new, smaller file and replace the old one. bbolt files
never shrink by themselves; after retention removed many entries this gives the
space back. Entries that an older version stored in an older encoding are
rewritten in the current one. The daemon must be stopped (the store is opened
exclusively). Ctrl-C stops a compaction and leaves the store as it was; a copy
left by one that was killed (FILE.compact) is removed by the next.`

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
	c, err := storage.CompactFile(ctx, path, func(tmp string, old fs.FileInfo) error {
		// The new file is the process's own, 0600: root compacting the
		// store of a daemon running as its own user would lock it out.
		keepOwnerOf(tmp, old)
		if err := os.Chmod(tmp, old.Mode().Perm()); err != nil {
			return fmt.Errorf("keep its mode on %s: %w", tmp, err)
		}
		return nil
	})
	switch {
	case err != nil && ctx.Err() != nil:
		return fmt.Errorf("compact %s: stopped; the store is as it was", path)
	case errors.Is(err, storage.ErrLocked):
		return fmt.Errorf("%w\nA process writing it holds it (a running daemon, or a fetch): stop the daemon first", err)
	case err != nil:
		return err
	}
	fmt.Fprintf(e.stdout, "compacted %s: %d → %d bytes\n", path, c.Before, c.After)
	return nil
}
