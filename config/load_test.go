package config

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeFiles creates files (name → content) under a fresh directory.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestLoadResolvesRelativePaths(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"etc/tributary.yaml": `storage: {path: db/t.db}
sources:
  - {name: Relative, url: feeds/a.xml}
  - {name: Dotted, url: ../shared/b.xml}
  - {name: Absolute, url: /srv/c.xml}
  - {name: File URL, url: "file:///srv/d%20e.xml"}
  - {name: Relative file URL, url: "file:feeds/f.xml"}
  - {name: Web, url: "https://web.example/feed?x=1"}
`,
	})
	c, err := Load(filepath.Join(dir, "etc", "tributary.yaml"))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	etc := filepath.Join(dir, "etc")
	if c.Dir != etc {
		t.Errorf("Dir = %q, want %q", c.Dir, etc)
	}
	if want := filepath.Join(etc, "db", "t.db"); c.Storage.Path != want || c.Storage.RawPath != "db/t.db" {
		t.Errorf("storage path = %q (raw %q), want %q (raw db/t.db)", c.Storage.Path, c.Storage.RawPath, want)
	}
	tests := []struct{ url, raw string }{
		{filepath.Join(etc, "feeds", "a.xml"), "feeds/a.xml"},
		{filepath.Join(dir, "shared", "b.xml"), "../shared/b.xml"},
		{"/srv/c.xml", "/srv/c.xml"},
		{"/srv/d e.xml", "file:///srv/d%20e.xml"},
		{filepath.Join(etc, "feeds", "f.xml"), "file:feeds/f.xml"},
		{"https://web.example/feed?x=1", "https://web.example/feed?x=1"},
	}
	srcs := c.Sources()
	for i, tt := range tests {
		if srcs[i].URL != tt.url || c.SourceList[i].RawURL != tt.raw {
			t.Errorf("source %d: URL %q raw %q, want %q raw %q", i, srcs[i].URL, c.SourceList[i].RawURL, tt.url, tt.raw)
		}
	}
}

func TestParseLeavesPathsRelative(t *testing.T) {
	c := mustParse(t, "storage: {path: db/t.db}\nsources:\n  - {name: A, url: feeds/a.xml}\n  - {name: B, url: 'file:///srv/b.xml'}\n")
	if c.Storage.Path != "db/t.db" || c.Sources()[0].URL != "feeds/a.xml" || c.Sources()[1].URL != "/srv/b.xml" {
		t.Errorf("Parse resolved paths: %q %+v", c.Storage.Path, c.Sources())
	}
}

func TestLoadMergesOPML(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"config.yaml": `sources_opml: lists/subs.opml
sources:
  - name: Mine
    url: https://shared.example/feed
    priority: 5
`,
		"lists/subs.opml": `<?xml version="1.0"?>
<opml version="2.0"><head><title>t</title></head><body>
  <outline text="Theirs" xmlUrl="https://shared.example/feed"/>
  <outline text="Theirs, spelled otherwise" xmlUrl="HTTPS://Shared.Example:443/feed#latest"/>
  <outline text="Other" xmlUrl="https://other.example/feed"/>
  <outline text="Other again" xmlUrl="https://OTHER.example/feed"/>
  <outline text="Local" xmlUrl="local.xml"/>
</body></opml>`,
	})
	c, err := Load(filepath.Join(dir, "config.yaml"))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	var got []string
	for _, s := range c.Sources() {
		got = append(got, s.Name+" "+s.URL)
	}
	want := []string{
		"Mine https://shared.example/feed",
		"Other https://other.example/feed",
		"Local " + filepath.Join(dir, "lists", "local.xml"),
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("sources =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if c.SourcesOPML != filepath.Join(dir, "lists", "subs.opml") || c.RawSourcesOPML != "lists/subs.opml" {
		t.Errorf("sources_opml = %q (raw %q)", c.SourcesOPML, c.RawSourcesOPML)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  string // a part of the error, after the config's path
	}{
		{
			name:  "missing OPML file",
			files: map[string]string{"config.yaml": "log: {level: info}\nsources_opml: missing.opml\n"},
			want:  ":2: sources_opml: cannot read the OPML file: open ",
		},
		{
			name:  "OPML that is not OPML",
			files: map[string]string{"config.yaml": "sources_opml: subs.opml\n", "subs.opml": "<html></html>"},
			want:  ":1: sources_opml: read OPML ",
		},
		{
			name:  "empty OPML and no sources",
			files: map[string]string{"config.yaml": "sources_opml: subs.opml\n", "subs.opml": "<opml><body/></opml>"},
			want:  "subs.opml lists no feeds and sources is empty",
		},
		{
			name: "OPML name clashing with a configured one",
			files: map[string]string{
				"config.yaml": "sources_opml: subs.opml\nsources:\n  - {name: Same, url: 'https://a.example/'}\n",
				"subs.opml":   `<opml><body><outline text="same" xmlUrl="https://b.example/"/></body></opml>`,
			},
			want: `:1: sources_opml: outline "same": name "same" is already used by sources[0] (line 3)`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeFiles(t, tt.files)
			path := filepath.Join(dir, "config.yaml")
			_, err := Load(path)
			if err == nil || !strings.HasPrefix(err.Error(), path) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Load error = %v\nwant it to start with %s and contain %q", err, path, tt.want)
			}
		})
	}
}

func TestLoadMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "none.yaml")
	_, err := Load(path)
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), path) {
		t.Errorf("Load error = %v, want a not-exist error naming %s", err, path)
	}
}
