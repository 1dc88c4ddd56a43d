package server

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/tributary/tributary/config"
	"github.com/tributary/tributary/feed/render"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// TestGolden pins every kind of document byte for byte: the unified feed's
// first page (self, alternate, hub and paging links), a page reached by its
// cursor, the last page by number, a source's feed, a tag's feed, in each
// format, and both OPML lists. Run with -update after an intended change
// and review the diff.
func TestGolden(t *testing.T) {
	h := corpusServer(t, openCorpus(t), 3, "https://hub.example.net/").Handler()
	next := func(path string) string {
		d := parseDoc(t, render.Atom, do(h, "GET", path).Body.Bytes())
		return strings.TrimPrefix(d.links["next"], base+"feed.atom")
	}
	cursorQuery := next("/feed.atom")
	docs := []struct{ name, path string }{
		{"sources.opml", "/sources.opml"},
		{"feeds.opml", "/feeds.opml"},
	}
	for _, f := range formats {
		ext := string(f)
		docs = append(docs,
			struct{ name, path string }{"unified-first." + ext, "/feed." + ext},
			struct{ name, path string }{"unified-cursor." + ext, "/feed." + ext + cursorQuery},
			struct{ name, path string }{"unified-page3." + ext, "/feed." + ext + "?page=3"},
			struct{ name, path string }{"source." + ext, "/sources/harbor-light/feed." + ext},
			struct{ name, path string }{"tag." + ext, "/tags/news/feed." + ext},
		)
	}
	for _, d := range docs {
		t.Run(d.name, func(t *testing.T) {
			w := do(h, "GET", d.path)
			if w.Code != 200 {
				t.Fatalf("GET %s: %d %s", d.path, w.Code, w.Body)
			}
			file := filepath.Join("testdata", "golden", d.name)
			if *update {
				if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(file, w.Body.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("%v (run go test -run TestGolden -update)", err)
			}
			if !bytes.Equal(w.Body.Bytes(), want) {
				t.Errorf("GET %s differs from %s (go test -run TestGolden -update, then review the diff):\n%s",
					d.path, file, firstDiff(w.Body.Bytes(), want))
			}
		})
	}
}

// firstDiff shows the first line where got and want differ.
func firstDiff(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := range max(len(g), len(w)) {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return "line " + strconv.Itoa(i+1) + ":\n got: " + gl + "\nwant: " + wl
		}
	}
	return ""
}

// TestOPML reads both lists back with the config package's reader (as a
// user importing them would) and follows every feed they list.
func TestOPML(t *testing.T) {
	h := corpusServer(t, openCorpus(t), 50).Handler()
	w := do(h, "GET", "/sources.opml")
	if ct := w.Header().Get("Content-Type"); ct != opmlContentType || w.Header().Get("ETag") == "" || w.Header().Get("Last-Modified") != "" {
		t.Errorf("sources.opml: Content-Type %q, ETag %q, Last-Modified %q", ct, w.Header().Get("ETag"), w.Header().Get("Last-Modified"))
	}
	srcs, err := config.ReadOPML(bytes.NewReader(w.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ name, url, tags string }{
		{"Harbor Light", "https://harborlight.example/feed/", "news"},
		{"The Commonplace Collective", "https://commonplace.example/atom.xml", "essays news"},
		// A local file has no public URL: the list points at its feed here.
		{"Field Notes", base + "sources/field-notes/feed.atom", "nature"},
	}
	if len(srcs) != len(want) {
		t.Fatalf("sources.opml lists %d sources, want %d", len(srcs), len(want))
	}
	for i, s := range srcs {
		if s.Name != want[i].name || s.URL != want[i].url || strings.Join(s.Tags, " ") != want[i].tags {
			t.Errorf("source %d: %q %q %q, want %+v", i, s.Name, s.URL, s.Tags, want[i])
		}
	}

	feeds, err := config.ReadOPML(bytes.NewReader(do(h, "GET", "/feeds.opml").Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	// The unified feed, three sources, and the tags: news, essays and
	// nature from the config, the others from the entries' categories.
	if len(feeds) != 1+3+9 {
		t.Errorf("feeds.opml lists %d feeds, want 13", len(feeds))
	}
	for _, f := range feeds {
		path, ok := strings.CutPrefix(f.URL, base)
		if !ok {
			t.Errorf("%s: %q is not served here", f.Name, f.URL)
			continue
		}
		if w := do(h, "GET", "/"+path); w.Code != 200 {
			t.Errorf("%s: GET %s answered %d", f.Name, f.URL, w.Code)
		}
	}
}
