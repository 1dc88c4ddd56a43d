package ingest_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/normalise"
	"github.com/tributary/tributary/feed/parse"
	"github.com/tributary/tributary/feed/sanitize"
)

// testdata/feedparser/ is the Universal Feed Parser's test corpus (its
// LICENSE is beside it), about 2,100 feeds, each with a Python expression
// that feedparser's result must satisfy (manifest.json). Every file runs
// through parse and normalise as a fetched body would; the expressions'
// simple forms (a title, link, summary, content or id compared with a string)
// are evaluated against the Articles, the rest are counted as skipped.

// Floors of what the corpus run achieves; raise them when a fix makes more
// files pass, never lower them to make a change pass.
const (
	feedparserMinIngested = 2090 // files parsed into a feed
	feedparserMinPassed   = 1079 // evaluated expectations that agree
)

// feedparserDocURI is where feedparser's own test server serves the corpus;
// expectations resolve relative URLs against it.
const feedparserDocURI = "http://127.0.0.1:8097/"

type feedparserCase struct {
	Path    string            `json:"path"`
	Suite   string            `json:"suite"`
	Expect  *string           `json:"expect"`
	Headers map[string]string `json:"headers"`
}

// feedparserResult is one file's run.
type feedparserResult struct {
	meta     normalise.Meta
	articles []feed.Article
	err      error
	panicked string
}

func TestFeedparserCorpus(t *testing.T) {
	dir := filepath.Join("testdata", "feedparser")
	raw, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []feedparserCase
	if err := json.Unmarshal(raw, &cases); err != nil {
		t.Fatalf("manifest: %v", err)
	}
	p, policy := parse.New(), sanitize.New()
	now := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)

	type tally struct{ files, ingested, rejected, evaluated, passed, skipped int }
	suites := map[string]*tally{}
	fields := map[string]*[2]int{} // field → {evaluated, passed}
	var total tally
	var failures []string
	for _, c := range cases {
		body, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(c.Path)))
		if err != nil {
			t.Fatal(err)
		}
		res := runFeedparserFile(t, c.Path, p, policy, body, header(c.Headers, "Content-Type"), now)
		s := suites[c.Suite]
		if s == nil {
			s = &tally{}
			suites[c.Suite] = s
		}
		s.files++
		switch {
		case res.panicked != "":
			t.Errorf("%s: panic: %s", c.Path, res.panicked)
			continue
		case res.err != nil:
			s.rejected++
			if msg := res.err.Error(); !strings.HasPrefix(msg, "parse: ") || len(msg) < len("parse: ")+5 {
				t.Errorf("%s: unclear error %q", c.Path, msg)
			}
		default:
			s.ingested++
			for i, a := range res.articles {
				for _, p := range articleProblems(a) {
					t.Errorf("%s: item %d: %s", c.Path, i, p)
				}
			}
		}
		if c.Expect == nil {
			continue
		}
		checks, ok := parseExpectation(*c.Expect)
		if !ok || header(c.Headers, "Content-Location") != "" {
			// Content-Location is not used as a base URL by the pipeline.
			s.skipped++
			continue
		}
		s.evaluated++
		pass := res.err == nil
		for _, ch := range checks {
			f := fields[ch.field]
			if f == nil {
				f = &[2]int{}
				fields[ch.field] = f
			}
			f[0]++
			got, ok := ch.got(res)
			if ok && ch.agrees(got) {
				f[1]++
				continue
			}
			pass = false
			failures = append(failures, fmt.Sprintf("%s: %s: got %q (err %v), want %q", c.Path, ch.field, got, res.err, ch.want))
		}
		if pass {
			s.passed++
		}
	}

	names := make([]string, 0, len(suites))
	for n := range suites {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		s := suites[n]
		t.Logf("%-11s %4d files: %4d ingested, %3d rejected; expectations %4d evaluated, %4d agree, %3d skipped",
			n, s.files, s.ingested, s.rejected, s.evaluated, s.passed, s.skipped)
		total.files += s.files
		total.ingested += s.ingested
		total.rejected += s.rejected
		total.evaluated += s.evaluated
		total.passed += s.passed
		total.skipped += s.skipped
	}
	t.Logf("%-11s %4d files: %4d ingested, %3d rejected; expectations %4d evaluated, %4d agree, %3d skipped",
		"all", total.files, total.ingested, total.rejected, total.evaluated, total.passed, total.skipped)
	fieldNames := make([]string, 0, len(fields))
	for n := range fields {
		fieldNames = append(fieldNames, n)
	}
	sort.Strings(fieldNames)
	for _, n := range fieldNames {
		t.Logf("  %-16s %4d compared, %4d agree", n, fields[n][0], fields[n][1])
	}
	if testing.Verbose() {
		for _, f := range failures {
			t.Log("disagrees: " + f)
		}
	}
	if total.ingested < feedparserMinIngested {
		t.Errorf("%d files ingested, fewer than the floor of %d", total.ingested, feedparserMinIngested)
	}
	if total.passed < feedparserMinPassed {
		t.Errorf("%d expectations agree, fewer than the floor of %d", total.passed, feedparserMinPassed)
	}
}

// runFeedparserFile parses and normalises one body. A hang fails the test
// naming the file; a panic is returned, not raised, so the rest still runs.
func runFeedparserFile(t *testing.T, path string, p *parse.Parser, policy *sanitize.Policy,
	body []byte, contentType string, now time.Time) feedparserResult {
	t.Helper()
	done := make(chan feedparserResult, 1)
	go func() {
		var res feedparserResult
		defer func() {
			if r := recover(); r != nil {
				res.panicked = fmt.Sprintf("%v\n%s", r, debug.Stack())
			}
			done <- res
		}()
		f, err := p.Parse(body, contentType)
		if err != nil {
			res.err = err
			return
		}
		res.meta, res.articles = normalise.Feed(f, feed.Source{ID: "feedparser", Name: "feedparser"},
			feedparserDocURI+path, normalise.Options{Now: now, Sanitize: policy.HTML})
	}()
	// A watchdog, not a measurement: a file takes milliseconds, and only a
	// hang (an endless loop) comes near this.
	select {
	case res := <-done:
		return res
	case <-time.After(time.Minute):
		t.Fatalf("%s: no result after a minute: hangs", path)
		return feedparserResult{}
	}
}

// articleProblems checks what every stored article must satisfy, whatever
// the feed it came from.
func articleProblems(a feed.Article) []string {
	var out []string
	for name, s := range map[string]string{"title": a.Title, "content": a.Content, "summary": a.Summary,
		"text": a.Text, "author": a.Author, "link": a.Link} {
		if !utf8.ValidString(s) {
			out = append(out, name+" is not valid UTF-8")
		}
	}
	out = append(out, prefixed("content", htmlProblems(a.Content))...)
	out = append(out, prefixed("summary", htmlProblems(a.Summary))...)
	if a.Link != "" && !isWebURL(a.Link) {
		out = append(out, fmt.Sprintf("link %q", a.Link))
	}
	if a.Published.IsZero() {
		out = append(out, "no date")
	}
	return out
}

func header(h map[string]string, name string) string {
	for k, v := range h {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}
