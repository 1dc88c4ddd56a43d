package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/tributary/tributary/config"
	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/server"
)

// remoteRound asks the daemon that holds the store to run a fetch round
// through its local endpoint, and returns the daemon's report. force asks
// it to include the sources backing off, as fetch -force does.
func remoteRound(ctx context.Context, cfg *config.Config, force bool) (feed.RoundReport, error) {
	var rep feed.RoundReport
	endpoint := "http://" + dialable(cfg.Server.Listen) + "/-/fetch"
	if force {
		endpoint += "?force=1"
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, nil)
	if err != nil {
		return rep, err
	}
	token, err := operatorToken(cfg.Server.Token, cfg.Storage.LocalTokenPath())
	if err != nil {
		return rep, err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	// A round over many sources can take a while; the daemon bounds each
	// fetch, so this only guards against a daemon that stopped answering.
	client := &http.Client{Timeout: 30 * time.Minute}
	resp, err := client.Do(req)
	err = bare(err)
	if err != nil {
		return rep, fmt.Errorf("POST %s: %w", endpoint, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusInternalServerError {
		// The daemon ran the round, and it failed (a store that cannot
		// be written): its report says what was fetched.
		var failed server.FailedRound
		if err := json.NewDecoder(resp.Body).Decode(&failed); err == nil && failed.Error != "" {
			return failed.RoundReport, &roundError{msg: failed.Error}
		}
	}
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return rep, fmt.Errorf("POST %s: %s: %s", endpoint, resp.Status, strings.TrimSpace(string(msg)))
	}
	if err := json.NewDecoder(resp.Body).Decode(&rep); err != nil {
		return rep, fmt.Errorf("POST %s: decode report: %w", endpoint, err)
	}
	return rep, nil
}

// roundError is a round the daemon ran and that failed.
type roundError struct{ msg string }

func (e *roundError) Error() string { return "the daemon's " + e.msg }

// noDaemon explains a locked store whose daemon did not answer: the lock
// may as well be another command's, such as a cron fetch still running.
const noDaemon = "the store is locked by another process, and no daemon answered on server.listen " +
	"(another command, such as a fetch still running, may hold it)"

// lockedBy explains a locked store to a command that only reads it: a
// daemon serves at url, or another command holds the store.
func lockedBy(url string) string {
	return "If a daemon holds it, it serves this at " + url + "; otherwise another command " +
		"(a fetch still running?) holds it: try again when it is done."
}

// bare is a client's error without the method and URL that the client
// adds (Get "http://…": …), which the messages built on it say already.
func bare(err error) error {
	if ue, ok := errors.AsType[*url.Error](err); ok {
		return ue.Err
	}
	return err
}

// dialable turns a listen address into one a client can connect to: an
// unspecified host (":8080", "0.0.0.0:8080", "[::]:8080") means this machine.
func dialable(listen string) string {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return listen
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}
