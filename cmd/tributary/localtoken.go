package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// The local token admits the operator's own tools to the daemon's operator
// endpoints (fetch and backup run beside a daemon, a local metrics
// scraper): the daemon makes a new one at each start and writes it beside
// the store, readable only by the user it runs as, who is also the one
// who may read the store. Loopback alone is not trusted (a reverse proxy
// that adds no forwarding header connects from loopback for anyone).

// writeLocalToken makes a new local token and writes it to path, replacing
// the file atomically so that a reader never sees half of one.
func writeLocalToken(path string) (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("make the local token: %w", err)
	}
	token := hex.EncodeToString(b)
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return "", fmt.Errorf("write the local token: %w", err)
	}
	defer os.Remove(tmp.Name()) // after the rename, nothing
	// CreateTemp's file is 0600 already: only the daemon's user reads it.
	if _, err := tmp.WriteString(token + "\n"); err != nil {
		tmp.Close()
		return "", fmt.Errorf("write the local token %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return "", fmt.Errorf("write the local token %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return "", fmt.Errorf("write the local token %s: %w", path, err)
	}
	return token, nil
}

// readLocalToken returns the token a running daemon wrote to path; "" with
// no error when there is none (a daemon of a version before local tokens,
// or none running).
func readLocalToken(path string) (string, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read the daemon's local token: %w (run as the user the daemon runs as or as root, or set server.token)", err)
	}
	return strings.TrimSpace(string(b)), nil
}

// operatorToken is the bearer token the operator's tools send the daemon:
// server.token when configured, else the daemon's local token.
func operatorToken(configured, path string) (string, error) {
	if configured != "" {
		return configured, nil
	}
	return readLocalToken(path)
}
