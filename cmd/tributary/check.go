package main

import (
	"context"
	"fmt"
)

const checkAbout = `
Read and validate the config, report every problem with its line and key, and
exit: 0 when it is valid, 2 when it is not. Nothing is fetched or opened.`

func runCheck(_ context.Context, e *env, args []string) error {
	f := newFlags(e, "check", "[-config FILE]", checkAbout)
	if err := f.parse(args, 0); err != nil {
		return err
	}
	cfg, err := loadConfig(f.config)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s: ok (%d sources, store %s, listen %s)\n",
		f.config, len(cfg.Sources()), cfg.Storage.Path, cfg.Server.Listen)
	return nil
}
