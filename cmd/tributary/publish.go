package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/tributary/tributary/server"
	"github.com/tributary/tributary/storage"
)

// publishedList names the file in a render -dir directory that lists the
// files the last run wrote, so that the next run removes those of feeds
// that are gone, and nothing else.
const publishedList = ".tributary-published"

// publish writes the server's fixed documents below dir (render -dir).
func publish(ctx context.Context, e *env, configPath, dir string) error {
	cfg, err := loadConfig(configPath)
	if err != nil {
		return err
	}
	db, err := openExistingStore(e, cfg)
	if errors.Is(err, storage.ErrLocked) {
		return fmt.Errorf("%w\n%s", err, lockedBy(cfg.Server.BaseURL))
	}
	if err != nil {
		return err
	}
	defer db.Close()
	before, err := readPublished(dir)
	if err != nil {
		return err
	}
	var written []string
	srv := server.New(db, nil, serverOptions(cfg, nil))
	err = srv.Publish(ctx, func(p string, body []byte) error {
		file := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			return err
		}
		written = append(written, p)
		return writeAtomic(file, 0o644, func(w io.Writer) error {
			_, err := w.Write(body)
			return err
		})
	})
	if err != nil {
		return err
	}
	kept := make(map[string]bool, len(written))
	for _, p := range written {
		kept[p] = true
	}
	for _, p := range before {
		if !kept[p] {
			if err := removePublished(dir, p); err != nil {
				return err
			}
		}
	}
	return writeAtomic(filepath.Join(dir, publishedList), 0o644, func(w io.Writer) error {
		_, err := io.WriteString(w, strings.Join(written, "\n")+"\n")
		return err
	})
}

// readPublished returns the files the last run listed; a line that is not
// a plain relative path below dir is ignored, so a damaged list cannot
// make a run delete anything else.
func readPublished(dir string) ([]string, error) {
	b, err := os.ReadFile(filepath.Join(dir, publishedList))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the list of published files: %w", err)
	}
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if p := sc.Text(); server.PublishedPath(p) {
			out = append(out, p)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read the list of published files: %w", err)
	}
	return out, nil
}

// removePublished removes a file of a feed that no longer exists, and the
// directories it leaves empty below dir.
func removePublished(dir, p string) error {
	file := filepath.Join(dir, filepath.FromSlash(p))
	if err := os.Remove(file); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove %s, a feed that no longer exists: %w", file, err)
	}
	for d := path.Dir(p); d != "." && d != "/"; d = path.Dir(d) {
		// Fails, harmlessly, while the directory holds other files.
		if os.Remove(filepath.Join(dir, filepath.FromSlash(d))) != nil {
			break
		}
	}
	return nil
}
