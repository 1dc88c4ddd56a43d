package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/tributary/tributary/config"
	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/identify"
	"github.com/tributary/tributary/feed/normalise"
	"github.com/tributary/tributary/storage"
)

const explainAbout = `
Explain one entry: every copy of the article Tributary merged into it, the rule
that matched each copy and its score, and why one copy is credited as the
original. ENTRY is an entry's id (its id URL under server.base_url, as in
http://127.0.0.1:8080/entries/57404c04a70714ac, or its last part) or the
link of any copy.

Rules: new (the first copy), guid, id, link, text (exact matches of identity
keys; score 1), near, edited, excerpt (near-duplicates; the score is the
shingle resemblance or containment that matched). -json prints the same as
GET /entries/{id}/explain.

When a running daemon holds the store, the explanation is asked from it.`

func runExplain(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "explain", "[-config FILE] [-json] ENTRY", explainAbout)
	asJSON := f.Bool("json", false, "print JSON")
	if err := f.parse(args, 1); err != nil {
		return err
	}
	if f.NArg() != 1 {
		return usageError{errors.New("want one entry id or link")}
	}
	cfg, err := loadConfig(f.config)
	if err != nil {
		return err
	}
	x, err := explain(ctx, e, cfg, f.Arg(0))
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(x)
	}
	printExplanation(e.stdout, x)
	return nil
}

func explain(ctx context.Context, e *env, cfg *config.Config, ref string) (identify.Explanation, error) {
	// An entry's id as readers see it, http://host/entries/ID (what a
	// reader shows as the entry's id), names the entry ID.
	if rest, ok := strings.CutPrefix(ref, strings.TrimSuffix(cfg.Server.BaseURL, "/")+"/entries/"); ok && rest != "" {
		ref = strings.TrimSuffix(strings.TrimSuffix(rest, "/"), "/explain")
	}
	db, err := openExistingStore(e, cfg)
	if errors.Is(err, storage.ErrLocked) {
		return remoteExplain(ctx, cfg, ref)
	}
	if err != nil {
		return identify.Explanation{}, err
	}
	defer db.Close()
	entry, err := findEntry(ctx, db, ref)
	if err != nil {
		return identify.Explanation{}, err
	}
	return identify.New(priorities(cfg)).Explain(entry), nil
}

// findEntry finds an entry by id, or by the link of any of its copies.
func findEntry(ctx context.Context, db *storage.DB, ref string) (*feed.Entry, error) {
	entry, err := db.Entry(ctx, ref)
	if err == nil || !errors.Is(err, feed.ErrNotFound) {
		return entry, err
	}
	if n := normalise.URL(ref); n != "" {
		entry, err = db.EntryByKey(ctx, "url:"+n)
		if err == nil {
			return entry, nil
		}
	}
	return nil, fmt.Errorf("no entry with id or link %q: %w", ref, feed.ErrNotFound)
}

func remoteExplain(ctx context.Context, cfg *config.Config, ref string) (identify.Explanation, error) {
	var x identify.Explanation
	endpoint := "http://" + dialable(cfg.Server.Listen) + "/entries/" + url.PathEscape(ref) + "/explain"
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint, nil)
	if err != nil {
		return x, err
	}
	resp, err := http.DefaultClient.Do(req)
	err = bare(err)
	if err != nil {
		return x, fmt.Errorf("%s: GET %s: %w", noDaemon, endpoint, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return x, fmt.Errorf("GET %s: %s: %s", endpoint, resp.Status, strings.TrimSpace(string(msg)))
	}
	return x, json.NewDecoder(resp.Body).Decode(&x)
}

func printExplanation(w io.Writer, x identify.Explanation) {
	fmt.Fprintf(w, "%s  %s\n%s\n\n", x.ID, x.Title, x.Link)
	fmt.Fprintf(w, "original: %s (%s)\n", x.Original, x.Why)
	if x.Content != "" && x.Content != x.Original {
		fmt.Fprintf(w, "text from: %s (the original's is an excerpt)\n", x.Content)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SOURCE\tRULE\tSCORE\tPUBLISHED\tLINK")
	for _, c := range x.Copies {
		fmt.Fprintf(tw, "%s\t%s\t%.2f\t%s\t%s\n", c.Source, c.Rule, c.Score, c.Published.Format("2006-01-02 15:04"), c.Link)
	}
	tw.Flush()
	fmt.Fprintln(w)
	for _, c := range x.Copies {
		if m, ok := x.Rules[c.Rule]; ok {
			fmt.Fprintf(w, "%-8s %s\n", c.Rule+":", m)
			delete(x.Rules, c.Rule)
		}
	}
}

// explainHandler answers GET /entries/{id}/explain with the explanation of
// an entry as JSON; {id} may also be the link of any copy (escaped).
func explainHandler(db *storage.DB, cfg func() *config.Config) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		entry, err := findEntry(r.Context(), db, r.PathValue("id"))
		if err != nil {
			status := http.StatusInternalServerError
			if errors.Is(err, feed.ErrNotFound) {
				status = http.StatusNotFound
			}
			w.WriteHeader(status)
			json.NewEncoder(w).Encode(map[string]string{"error": err.Error()})
			return
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		c := cfg()
		enc.Encode(publicExplanation(c, entry, identify.New(priorities(c)).Explain(entry)))
	})
}

// publicExplanation masks, in what the public explain page shows, what a
// private source's copies repeat of its URL (feed.Private): their GUIDs
// may be its secret episode URLs, their links resolved against it. The
// explanation itself is of the entry as stored: the choice of the
// original weighs the links.
func publicExplanation(cfg *config.Config, e *feed.Entry, x identify.Explanation) identify.Explanation {
	private := feed.NewPrivate(cfg.Sources(), nil)
	public := private.Entry(e)
	if public == e {
		return x
	}
	x.Title, x.Link = public.Title, feed.PublicURL(public.Link)
	for i := range x.Copies {
		if i < len(public.Copies) {
			c := public.Copies[i]
			x.Copies[i].Link, x.Copies[i].GUID, x.Copies[i].Title = feed.PublicURL(c.Link), feed.PublicSourceURL(c.GUID), c.Title
		}
	}
	return x
}
