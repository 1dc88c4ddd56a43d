package render

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/tributary/tributary/feed"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

var formats = []Format{Atom, RSS, JSON}

func render(t testing.TB, f Format, p Page, entries []*feed.Entry, opts Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, f, p, entries, opts); err != nil {
		t.Fatalf("Write %s: %v", f, err)
	}
	return buf.Bytes()
}

// TestGolden pins the exact bytes of each format: readers and the HTTP
// layer's ETags depend on them, so any change must be deliberate
// (go test ./feed/render -update, then review the diff).
func TestGolden(t *testing.T) {
	sets := []struct {
		name    string
		entries func() []*feed.Entry
	}{
		{"unified", unifiedEntries},
		{"tricky", trickyEntries},
	}
	for _, set := range sets {
		for _, f := range formats {
			name := set.name + "." + string(f)
			t.Run(name, func(t *testing.T) {
				got := render(t, f, testPage(f), set.entries(), testOptions())
				path := filepath.Join("testdata", "golden", name)
				if *update {
					if err := os.WriteFile(path, got, 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run with -update to create it)", err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("%s differs from the golden file (run with -update and review the diff):\n%s", name, got)
				}
			})
		}
	}
}

// TestDeterministic renders twice, with no entries and a zero Page.Updated
// too: the bytes must not depend on the clock.
func TestDeterministic(t *testing.T) {
	for _, f := range formats {
		for _, entries := range [][]*feed.Entry{unifiedEntries(), trickyEntries(), nil} {
			p := testPage(f)
			if entries == nil {
				p = Page{Title: "Empty", SelfURL: "https://feeds.example.org/empty"}
			}
			a := render(t, f, p, entries, testOptions())
			b := render(t, f, p, entries, testOptions())
			if !bytes.Equal(a, b) {
				t.Errorf("%s: two renders of the same input differ", f)
			}
		}
	}
}

func TestEmptyFeedUsesEpoch(t *testing.T) {
	p := Page{Title: "Empty", SelfURL: "https://feeds.example.org/empty.atom"}
	got := render(t, Atom, p, nil, Options{})
	if !bytes.Contains(got, []byte("<updated>1970-01-01T00:00:00Z</updated>")) {
		t.Errorf("empty Atom feed: want the epoch as <updated>, got\n%s", got)
	}
	var doc struct {
		Items []json.RawMessage `json:"items"`
	}
	raw := render(t, JSON, p, nil, Options{})
	if err := json.Unmarshal(raw, &doc); err != nil || doc.Items == nil {
		t.Errorf("empty JSON feed: want \"items\": [], got %s (%v)", raw, err)
	}
}

// TestWellFormed decodes every XML output with a strict decoder: one
// control character or broken CDATA section makes a reader drop the whole
// feed.
func TestWellFormed(t *testing.T) {
	entries := append(unifiedEntries(), trickyEntries()...)
	for _, f := range []Format{Atom, RSS} {
		out := render(t, f, testPage(f), entries, testOptions())
		if err := wellFormed(out); err != nil {
			t.Errorf("%s: not well-formed: %v", f, err)
		}
	}
	if out := render(t, JSON, testPage(JSON), entries, testOptions()); !json.Valid(out) {
		t.Errorf("JSON: not valid")
	}
}

func wellFormed(doc []byte) error {
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.Strict = true
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

func TestWriteErrors(t *testing.T) {
	tests := []struct {
		name string
		f    Format
		opts Options
	}{
		{"unknown format", Format("html"), Options{}},
		{"unknown share name without template", Atom, Options{Share: []ShareLink{{Name: "myspace"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Write(&buf, tt.f, testPage(Atom), unifiedEntries(), tt.opts); err == nil {
				t.Errorf("Write: want an error, got none")
			}
			if buf.Len() != 0 {
				t.Errorf("Write wrote %d bytes before failing", buf.Len())
			}
		})
	}
}

func TestContentType(t *testing.T) {
	for f, want := range map[Format]string{
		Atom: "application/atom+xml; charset=utf-8",
		RSS:  "application/rss+xml; charset=utf-8",
		JSON: "application/feed+json; charset=utf-8",
	} {
		if got := f.ContentType(); got != want {
			t.Errorf("%s.ContentType() = %q, want %q", f, got, want)
		}
	}
}
