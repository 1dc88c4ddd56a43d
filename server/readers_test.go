package server

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/tributary/tributary/feed/render"
)

// The reader integration test: the corpus is served over HTTP and read by
// feed readers nobody here wrote (Debian's python3-feedparser, newsboat and
// sfeed, and gofeed in process), and every Atom document is validated with
// jing against testdata/atom.rnc, a grammar written here from RFC 4287's
// requirements. Each reader must see every entry, in order, with its title
// and link. A reader that is not installed is skipped, unless the
// environment variable CI is set: .ci/run installs them, so there a missing
// reader fails the test.

// readerTimeout bounds one reader run: a guard against a hung process, not
// a performance assertion.
const readerTimeout = 2 * time.Minute

// seen is an entry as a reader reports it.
type seen struct {
	Title string `json:"title"`
	Link  string `json:"link"`
}

// need returns the path of a program, or skips (fails under CI) the test.
func need(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		missing(t, fmt.Sprintf("%s is not installed", name))
	}
	return path
}

func missing(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("%s; .ci/run installs the readers (apt-get install python3-feedparser newsboat sfeed jing)", why)
	}
	t.Skipf("%s (set CI to make this a failure)", why)
}

// feedparserPython returns a python3 that can import feedparser: Debian's,
// which may not be the first python3 on PATH.
func feedparserPython(t *testing.T) string {
	t.Helper()
	for _, py := range []string{"/usr/bin/python3", "python3"} {
		if exec.Command(py, "-c", "import feedparser").Run() == nil {
			return py
		}
	}
	missing(t, "no python3 with the feedparser module (python3-feedparser)")
	return ""
}

func run(t *testing.T, cmd *exec.Cmd) []byte {
	t.Helper()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(cmd.Args, " "), err, stderr.String())
	}
	return out
}

const feedparserScript = `
import json, sys, feedparser
d = feedparser.parse(sys.argv[1])
print(json.dumps({"bozo": bool(d.bozo), "error": str(d.get("bozo_exception", "")), "version": d.get("version", ""),
    "entries": [{"title": e.get("title", ""), "link": e.get("link", "")} for e in d.entries]}))
`

func readFeedparser(t *testing.T, ctx context.Context, url string) []seen {
	py := feedparserPython(t)
	var res struct {
		Bozo    bool   `json:"bozo"`
		Error   string `json:"error"`
		Version string `json:"version"`
		Entries []seen `json:"entries"`
	}
	if err := json.Unmarshal(run(t, exec.CommandContext(ctx, py, "-c", feedparserScript, url)), &res); err != nil {
		t.Fatalf("feedparser output: %v", err)
	}
	if res.Bozo || res.Version == "" {
		t.Errorf("feedparser: bozo %v (%s), version %q", res.Bozo, res.Error, res.Version)
	}
	return res.Entries
}

// readNewsboat reloads the feed into an isolated cache, then reads the
// items back from the cache's SQLite database (newsboat has no
// non-interactive listing). Anything in its error log is a failure.
func readNewsboat(t *testing.T, ctx context.Context, url string) []seen {
	nb := need(t, "newsboat")
	py := need(t, "python3")
	dir := t.TempDir()
	conf := filepath.Join(dir, "config")
	errLog := filepath.Join(dir, "error.log")
	if err := os.WriteFile(filepath.Join(dir, "urls"), []byte(fmt.Sprintf("%q\n", url)), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(conf, []byte(fmt.Sprintf("error-log %q\n", errLog)), 0o600); err != nil {
		t.Fatal(err)
	}
	cache := filepath.Join(dir, "cache.db")
	cmd := exec.CommandContext(ctx, nb, "-q", "-u", filepath.Join(dir, "urls"), "-c", cache, "-C", conf, "-x", "reload")
	cmd.Env = append(os.Environ(), "HOME="+dir)
	run(t, cmd)
	if b, err := os.ReadFile(errLog); err == nil && len(bytes.TrimSpace(b)) > 0 {
		t.Errorf("newsboat error log:\n%s", b)
	}
	const script = `
import json, sqlite3, sys
c = sqlite3.connect(sys.argv[1])
print(json.dumps([{"title": r[0], "link": r[1]} for r in c.execute("select title, url from rss_item order by pubDate desc, id")]))
`
	var got []seen
	if err := json.Unmarshal(run(t, exec.CommandContext(ctx, py, "-c", script, cache)), &got); err != nil {
		t.Fatalf("newsboat cache: %v", err)
	}
	return got
}

// readSfeed pipes the document through sfeed, which prints one TSV line
// per item: time, title, link, …
func readSfeed(t *testing.T, ctx context.Context, body []byte) []seen {
	cmd := exec.CommandContext(ctx, need(t, "sfeed"))
	cmd.Stdin = bytes.NewReader(body)
	var got []seen
	for line := range strings.SplitSeq(strings.TrimSuffix(string(run(t, cmd)), "\n"), "\n") {
		f := strings.Split(line, "\t")
		if len(f) < 3 {
			t.Fatalf("sfeed line %q", line)
		}
		got = append(got, seen{Title: f[1], Link: f[2]})
	}
	return got
}

func readGofeed(t *testing.T, body []byte) []seen {
	f, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("gofeed: %v", err)
	}
	var got []seen
	for _, it := range f.Items {
		got = append(got, seen{Title: it.Title, Link: it.Link})
	}
	return got
}

func TestReaders(t *testing.T) {
	db := openCorpus(t)
	ts := httptest.NewServer(corpusServer(t, db, 50).Handler())
	defer ts.Close()
	var want []seen
	for _, e := range corpus() {
		want = append(want, seen{Title: wantTitle(e.Title), Link: e.Link})
	}
	readers := []struct {
		name    string
		formats []render.Format
		read    func(t *testing.T, ctx context.Context, url string, body []byte) []seen
	}{
		// Debian 12's feedparser (6.0.10), newsboat (2.21) and sfeed read
		// no JSON Feed; gofeed (the parser Tributary ingests with) reads
		// all three, in process.
		{"feedparser", formats[:2], func(t *testing.T, ctx context.Context, url string, _ []byte) []seen {
			return readFeedparser(t, ctx, url)
		}},
		{"newsboat", formats[:2], func(t *testing.T, ctx context.Context, url string, _ []byte) []seen {
			return readNewsboat(t, ctx, url)
		}},
		{"sfeed", formats[:2], func(t *testing.T, ctx context.Context, _ string, body []byte) []seen {
			return readSfeed(t, ctx, body)
		}},
		{"gofeed", formats[:], func(t *testing.T, _ context.Context, _ string, body []byte) []seen {
			return readGofeed(t, body)
		}},
	}
	for _, r := range readers {
		for _, f := range r.formats {
			t.Run(r.name+"/"+string(f), func(t *testing.T) {
				url := ts.URL + "/feed." + string(f)
				body := do(ts.Config.Handler, "GET", "/feed."+string(f)).Body.Bytes()
				ctx, cancel := context.WithTimeout(context.Background(), readerTimeout)
				defer cancel()
				got := r.read(t, ctx, url, body)
				for i := range got {
					got[i].Title = strings.Join(strings.Fields(got[i].Title), " ")
				}
				if !slices.Equal(got, want) {
					t.Errorf("%s read %d entries:\n%s\nwant %d:\n%s", r.name, len(got), listSeen(got), len(want), listSeen(want))
				}
			})
		}
	}
}

func listSeen(s []seen) string {
	var b strings.Builder
	for _, e := range s {
		fmt.Fprintf(&b, "  %.80q %s\n", e.Title, e.Link)
	}
	return b.String()
}

// TestAtomGrammar validates every kind of Atom document the server
// produces (pages, a source's feed, a tag's feed) against testdata/atom.rnc
// with jing, in one run, and checks the two RFC 4287 rules that a grammar
// cannot express: every entry has an author (its own or the feed's), and
// content or an alternate link.
func TestAtomGrammar(t *testing.T) {
	jing := need(t, "jing")
	h := corpusServer(t, openCorpus(t), 4).Handler()
	paths := []string{
		"/feed.atom", "/feed.atom?page=2", "/feed.atom?page=3",
		"/sources/harbor-light/feed.atom", "/sources/field-notes/feed.atom",
		"/tags/news/feed.atom", "/tags/lower-town/feed.atom", "/tags/%C3%BCn%C3%AFc%C3%B6d%C3%A9/feed.atom",
	}
	dir := t.TempDir()
	var files []string
	for i, p := range paths {
		w := do(h, "GET", p)
		if w.Code != 200 {
			t.Fatalf("GET %s: %d %s", p, w.Code, w.Body)
		}
		checkAtomRules(t, p, w.Body.Bytes())
		file := filepath.Join(dir, fmt.Sprintf("doc%d.atom", i))
		if err := os.WriteFile(file, w.Body.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		files = append(files, file)
	}
	ctx, cancel := context.WithTimeout(context.Background(), readerTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, jing, append([]string{"-c", filepath.Join("testdata", "atom.rnc")}, files...)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Errorf("jing: %v\n%s\n(files: %q)", err, out, paths)
	}
}

// validAtom is the smallest document TestAtomGrammarRejects starts from:
// each case breaks one rule of it, so a rejection can only be that rule's.
// It carries what the server never writes (an extension element, a numeric
// offset, fractional seconds, xhtml content) so the grammar is seen to
// accept them too.
const validAtom = `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:ext="urn:example:ext" xml:lang="en">
  <title>Grammar check</title>
  <id>https://feeds.example.org/feed.atom</id>
  <updated>2026-03-20T09:00:00Z</updated>
  <author><name>Tributary</name><ext:pronouns>they</ext:pronouns></author>
  <link href="https://feeds.example.org/feed.atom" rel="self" type="application/atom+xml"/>
  <ext:note>an extension element</ext:note>
  <entry>
    <title type="html">One &amp;lt;b&amp;gt;bold&amp;lt;/b&amp;gt;</title>
    <id>https://feeds.example.org/entries/one</id>
    <updated>2026-03-20T08:00:00.250+01:00</updated>
    <link href="https://example.org/one" rel="alternate" type="text/html"/>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Hello</p></div></content>
  </entry>
</feed>
`

// TestAtomGrammarRejects shows that testdata/atom.rnc has teeth: jing must
// accept validAtom and reject each single break of a rule TestAtomGrammar
// relies on it to enforce. Without this, a grammar that accepted anything
// would pass TestAtomGrammar just as well.
func TestAtomGrammarRejects(t *testing.T) {
	jing := need(t, "jing")
	grammar, err := filepath.Abs(filepath.Join("testdata", "atom.rnc"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		old, new string // validAtom with old replaced by new; "" keeps it whole
		names    string // what jing's error must name, so the break is the one rejected
	}{
		{name: "valid"},
		{"feed without id", "<id>https://feeds.example.org/feed.atom</id>", "", `"id"`},
		{"entry without title", "<title type=\"html\">One &amp;lt;b&amp;gt;bold&amp;lt;/b&amp;gt;</title>", "", `"title"`},
		{"updated not RFC 3339", "<updated>2026-03-20T09:00:00Z</updated>", "<updated>Fri, 20 Mar 2026 09:00:00 GMT</updated>", `"updated"`},
		{"updated with lower-case t", "<updated>2026-03-20T09:00:00Z</updated>", "<updated>2026-03-20t09:00:00Z</updated>", `"updated"`},
		{"link without href", `<link href="https://example.org/one" rel="alternate"`, `<link rel="alternate"`, `"href"`},
		{"two ids in one entry", "<id>https://feeds.example.org/entries/one</id>", "<id>https://feeds.example.org/entries/one</id><id>https://feeds.example.org/entries/two</id>", `"id"`},
		{"relative entry id", "<id>https://feeds.example.org/entries/one</id>", "<id>/entries/one</id>", `"id"`},
		{"xhtml content not in a div", `<div xmlns="http://www.w3.org/1999/xhtml"><p>Hello</p></div>`, `<p xmlns="http://www.w3.org/1999/xhtml">Hello</p>`, `"p"`},
		// A div without the XHTML namespace is an atom:div: the usual slip.
		{"xhtml content in an Atom div", `<div xmlns="http://www.w3.org/1999/xhtml"><p>Hello</p></div>`, `<div>Hello</div>`, `"div"`},
		{"unknown Atom element", "<content type=", "<rating>5</rating><content type=", `"rating"`},
	}
	dir := t.TempDir()
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel() // each jing run is a JVM start-up, most of a second
			doc := validAtom
			if tt.old != "" {
				if strings.Count(doc, tt.old) != 1 {
					t.Fatalf("%q is not in validAtom exactly once; the case tests nothing", tt.old)
				}
				doc = strings.Replace(doc, tt.old, tt.new, 1)
			}
			file := filepath.Join(dir, fmt.Sprintf("case%d.atom", i))
			if err := os.WriteFile(file, []byte(doc), 0o600); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), readerTimeout)
			defer cancel()
			out, err := exec.CommandContext(ctx, jing, "-c", grammar, file).CombinedOutput()
			switch {
			case tt.old == "" && err != nil:
				t.Errorf("jing rejects the valid document: %v\n%s", err, out)
			case tt.old != "" && err == nil:
				t.Errorf("jing accepts it:\n%s", doc)
			case tt.old != "" && !bytes.Contains(out, []byte(file+":")):
				// Only an error located in the document is a rejection; one
				// in the grammar, or a crash, would fail every case alike.
				t.Errorf("jing failed, but not on the document: %v\n%s", err, out)
			case tt.old != "" && !bytes.Contains(out, []byte(tt.names)):
				t.Errorf("jing rejects it, but its errors do not name %s:\n%s", tt.names, out)
			}
		})
	}
}

func checkAtomRules(t *testing.T, path string, body []byte) {
	t.Helper()
	var doc struct {
		Author  []string `xml:"http://www.w3.org/2005/Atom author>name"`
		Entries []struct {
			ID      string    `xml:"http://www.w3.org/2005/Atom id"`
			Author  []string  `xml:"http://www.w3.org/2005/Atom author>name"`
			Content *struct{} `xml:"http://www.w3.org/2005/Atom content"`
			Links   []struct {
				Rel string `xml:"rel,attr"`
			} `xml:"http://www.w3.org/2005/Atom link"`
		} `xml:"http://www.w3.org/2005/Atom entry"`
	}
	if err := xml.Unmarshal(body, &doc); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	for _, e := range doc.Entries {
		if len(doc.Author) == 0 && len(e.Author) == 0 {
			t.Errorf("%s: entry %s has no author, nor has the feed", path, e.ID)
		}
		alternate := slices.ContainsFunc(e.Links, func(l struct {
			Rel string `xml:"rel,attr"`
		}) bool {
			return l.Rel == "alternate" || l.Rel == ""
		})
		if e.Content == nil && !alternate {
			t.Errorf("%s: entry %s has neither content nor an alternate link", path, e.ID)
		}
	}
}
