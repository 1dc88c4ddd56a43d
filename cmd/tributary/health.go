package main

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

const healthAbout = `
Ask the running daemon named by the config whether it is alive (GET /healthz on
server.listen) and exit 0 if it answers 200, 1 otherwise. Meant for container
health checks, where no HTTP client is installed.`

func runHealth(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "health", "[-config FILE]", healthAbout)
	if err := f.parse(args, 0); err != nil {
		return err
	}
	cfg, err := loadConfig(f.config)
	if err != nil {
		return err
	}
	url := "http://" + dialable(cfg.Server.Listen) + "/healthz"
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	err = bare(err)
	if err != nil {
		return fmt.Errorf("GET %s: %w", url, err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	fmt.Fprintln(e.stdout, "ok")
	return nil
}
