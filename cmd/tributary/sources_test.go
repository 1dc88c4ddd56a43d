package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tributary/tributary/config"
)

func TestSourcesImportAndExport(t *testing.T) {
	up := newUpstream(t)
	up.set("/good.xml", originalFeed("Council Approves Floodwall Plan"))
	up.set("/other.xml", `<rss version="2.0"><channel><title>Other</title><link>https://other.example/</link><description>d</description></channel></rss>`)
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "config.yaml")
	original := fmt.Sprintf("storage:\n  path: data/t.db\nsources:\n  - name: Harbor Light\n    url: %s/good.xml\n", up.URL)
	if err := os.WriteFile(cfgPath, []byte(original), 0o644); err != nil {
		t.Fatal(err)
	}
	opml := filepath.Join(dir, "from-reader.opml")
	if err := os.WriteFile(opml, []byte(`<?xml version="1.0"?>
<opml version="1.0"><head><title>My reader</title></head><body>
  <outline text="Harbor Light" title="Harbor Light" type="rss" xmlUrl="`+up.URL+`/good.xml"/>
  <outline text="News">
    <outline text="Harbor Light" type="rss" xmlUrl="`+up.URL+`/other.xml"/>
    <outline text="Gone &amp; Forgotten" type="rss" xmlUrl="`+up.URL+`/gone.xml"/>
  </outline>
</body></opml>`), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	target := filepath.Join(dir, "subscriptions.opml")

	// A dry run reports and writes nothing.
	code, out, errOut := tributary(t, ctx, "sources", "import", "-config", cfgPath, "-n", opml)
	if code != exitFailure || !strings.Contains(out, "dry run") || !strings.Contains(out, "FAILED  Gone & Forgotten") {
		t.Fatalf("dry run exited %d:\n%s%s", code, out, errOut)
	}
	if _, err := os.Stat(target); err == nil {
		t.Fatalf("a dry run wrote %s", target)
	}

	// The import: the known feed is skipped, the dead one fails the check
	// and is left out, the other is added under a name made unique.
	code, out, errOut = tributary(t, ctx, "sources", "import", "-config", cfgPath, opml)
	if code != exitFailure {
		t.Errorf("import with a dead feed exited %d, want 1:\n%s%s", code, out, errOut)
	}
	for _, want := range []string{
		"added   Harbor Light (127.0.0.1", "FAILED  Gone & Forgotten", "404",
		"3 feeds in " + opml + ": 1 added, 1 already subscribed, 1 failed the check",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("import output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(errOut, "check: 2/2 (100%)") {
		t.Errorf("no progress on standard error:\n%s", errOut)
	}
	cfg, err := config.Load(cfgPath)
	if err != nil {
		t.Fatalf("config after import: %v", err)
	}
	var names []string
	for _, s := range cfg.Sources() {
		names = append(names, s.Name+" "+s.URL)
	}
	want := []string{"Harbor Light " + up.URL + "/good.xml", "Harbor Light (" + strings.TrimPrefix(up.URL, "http://") + ") " + up.URL + "/other.xml"}
	if !slices.Equal(names, want) {
		t.Errorf("sources after import:\n%q\nwant\n%q", names, want)
	}
	if got, _ := os.ReadFile(cfgPath); !strings.HasPrefix(string(got), original) || !strings.Contains(string(got), "sources_opml: subscriptions.opml") {
		t.Errorf("config after import:\n%s", got)
	}
	if tags := cfg.Sources()[1].Tags; !slices.Equal(tags, []string{"news"}) {
		t.Errorf("the folder did not become a tag: %q", tags)
	}

	// Importing again adds nothing (the dead feed fails again).
	code, out, _ = tributary(t, ctx, "sources", "import", "-config", cfgPath, opml)
	if code != exitFailure || !strings.Contains(out, "0 added, 2 already subscribed, 1 failed the check") || strings.Contains(out, "written to") {
		t.Errorf("second import exited %d:\n%s", code, out)
	}

	// Export lists every source, and reads back to the same names and URLs.
	code, out, errOut = tributary(t, ctx, "sources", "export", "-config", cfgPath)
	if code != exitOK {
		t.Fatalf("export exited %d: %s", code, errOut)
	}
	back, err := config.ReadOPML(strings.NewReader(out))
	if err != nil {
		t.Fatalf("exported OPML does not read back: %v\n%s", err, out)
	}
	var got []string
	for _, s := range back {
		got = append(got, s.Name+" "+s.URL)
	}
	if !slices.Equal(got, want) {
		t.Errorf("exported:\n%q\nwant\n%q", got, want)
	}
	exported := filepath.Join(dir, "out.opml")
	if code, _, errOut := tributary(t, ctx, "sources", "export", "-config", cfgPath, "-o", exported); code != exitOK {
		t.Errorf("export -o exited %d: %s", code, errOut)
	}
	if b, _ := os.ReadFile(exported); string(b) == "" || !strings.Contains(string(b), "<opml") {
		t.Errorf("export -o wrote %q", b)
	}
}

func TestSourcesUsageErrors(t *testing.T) {
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "config.yaml")
	os.WriteFile(cfgPath, []byte("sources:\n  - name: A\n    url: https://a.example/feed\n"), 0o644)
	notOPML := filepath.Join(dir, "feed.xml")
	os.WriteFile(notOPML, []byte(`<rss version="2.0"><channel/></rss>`), 0o644)
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no subcommand", []string{"sources"}, exitUsage, "want import or export"},
		{"unknown subcommand", []string{"sources", "list"}, exitUsage, `unknown subcommand "list"`},
		{"help", []string{"sources", "-h"}, exitOK, "Usage: tributary sources import"},
		{"import help", []string{"sources", "import", "-h"}, exitOK, "sources_opml: subscriptions.opml"},
		{"no file", []string{"sources", "import", "-config", cfgPath}, exitUsage, "want the OPML file"},
		{"not OPML", []string{"sources", "import", "-config", cfgPath, notOPML}, exitUsage, "not an OPML document"},
		{"missing file", []string{"sources", "import", "-config", cfgPath, filepath.Join(dir, "nope.opml")}, exitUsage, "nope.opml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := tributary(t, context.Background(), tt.args...)
			if code != tt.code || !strings.Contains(out+errOut, tt.want) {
				t.Errorf("exit %d (want %d), output lacks %q:\n%s%s", code, tt.code, tt.want, out, errOut)
			}
		})
	}
}

// TestImportThatBreaksTheConfigChangesNothing: a config whose sources_opml
// file would become invalid is restored.
func TestImportThatBreaksTheConfigChangesNothing(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "config.yaml")
	// A trailing document marker makes anything appended after it a second
	// YAML document, which Load refuses.
	original := "sources:\n  - name: A\n    url: https://a.example/feed\n...\n"
	os.WriteFile(cfgPath, []byte(original), 0o644)
	opml := filepath.Join(dir, "in.opml")
	os.WriteFile(opml, []byte(`<opml version="2.0"><body><outline text="B" xmlUrl="https://b.example/feed"/></body></opml>`), 0o644)
	code, out, errOut := tributary(t, context.Background(), "sources", "import", "-config", cfgPath, "-check=false", opml)
	if code == exitOK {
		t.Skipf("this YAML library accepts text after a document end marker; nothing to restore:\n%s", out)
	}
	if got, _ := os.ReadFile(cfgPath); string(got) != original {
		t.Errorf("config not restored:\n%s\n%s", got, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "subscriptions.opml")); err == nil {
		t.Errorf("the OPML file written for a failed import was left behind")
	}
	// Nothing was added, and the output does not say otherwise.
	if strings.Contains(out, "added   B") {
		t.Errorf("a refused import reported its feeds as added:\n%s", out)
	}
}

// TestImportLeavesOutBadOutlines: QA found one outline with an ftp:// URL
// refusing a whole import. The others are imported; it is reported.
func TestImportLeavesOutBadOutlines(t *testing.T) {
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "config.yaml")
	os.WriteFile(cfgPath, []byte("sources:\n  - name: A\n    url: https://a.example/feed\n"), 0o644)
	opml := filepath.Join(dir, "in.opml")
	os.WriteFile(opml, []byte(`<opml version="2.0"><body>
<outline text="B" xmlUrl="https://b.example/feed"/>
<outline text="Old FTP" xmlUrl="ftp://c.example/feed"/>
<outline text="★" xmlUrl="https://d.example/feed"/>
<outline text="Members" xmlUrl="ftp://reader:s3cret@e.example/feed"/>
</body></opml>`), 0o644)
	code, out, errOut := tributary(t, context.Background(), "sources", "import", "-config", cfgPath, "-check=false", opml)
	if code != exitFailure {
		t.Errorf("exit %d, want 1 (a feed was refused):\n%s%s", code, out, errOut)
	}
	for _, want := range []string{
		"added   B <https://b.example/feed>",
		"added   https://d.example/feed <https://d.example/feed>", // "★" makes no id: the URL names it
		`REFUSED Old FTP <ftp://c.example/feed>: "ftp://c.example/feed": scheme "ftp" is not supported`,
		`REFUSED Members <ftp://reader:xxxxx@e.example/feed>: "ftp://xxxxx@e.example/feed": scheme "ftp"`,
		"4 feeds in " + opml + ": 2 added, 0 already subscribed, 2 refused",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s%s", want, out, errOut)
		}
	}
	if strings.Contains(out, "s3cret") {
		t.Errorf("the import printed a source's password:\n%s", out)
	}
	cfg, err := config.Load(cfgPath)
	if err != nil {
		t.Fatalf("config after import: %v", err)
	}
	if n := len(cfg.Sources()); n != 3 {
		t.Errorf("%d sources after the import, want 3", n)
	}
}

// QA: an export holding a source's password was written readable by
// everyone, and an import rewrote a config of mode 0600 as 0644. A list
// that holds credentials is its owner's only; a file rewritten keeps its
// mode.
func TestFilesHoldingCredentialsArePrivate(t *testing.T) {
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "config.yaml")
	os.WriteFile(cfgPath, []byte("sources:\n  - name: A\n    url: https://a.example/feed\n"), 0o600)
	os.Chmod(cfgPath, 0o600)
	opml := filepath.Join(dir, "in.opml")
	os.WriteFile(opml, []byte(`<opml version="2.0"><body><outline text="B" xmlUrl="https://reader:s3cret@b.example/feed"/></body></opml>`), 0o644)
	ctx := context.Background()
	if code, out, errs := tributary(t, ctx, "sources", "import", "-config", cfgPath, "-check=false", opml); code != exitOK {
		t.Fatalf("import exited %d:\n%s%s", code, out, errs)
	}
	export := filepath.Join(dir, "export.opml")
	if code, out, errs := tributary(t, ctx, "sources", "export", "-config", cfgPath, "-o", export); code != exitOK {
		t.Fatalf("export exited %d:\n%s%s", code, out, errs)
	}
	for path, want := range map[string]os.FileMode{
		cfgPath: 0o600, filepath.Join(dir, "subscriptions.opml"): 0o600, export: 0o600,
	} {
		fi, err := os.Stat(path)
		if err != nil || fi.Mode().Perm() != want {
			t.Errorf("%s: mode %v (%v), want %v", filepath.Base(path), fi.Mode().Perm(), err, want)
		}
	}
}

// A list that holds a private source's URL is written for its owner only,
// as one holding a password is.
func TestExportOfPrivateSourceIsClosed(t *testing.T) {
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(cfgPath, []byte("sources:\n  - name: A\n    url: https://a.example/secret:a1b2c3d4e5/\n    private: true\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	export := filepath.Join(dir, "export.opml")
	if code, _, errOut := tributary(t, context.Background(), "sources", "export", "-config", cfgPath, "-o", export); code != exitOK {
		t.Fatalf("export -o exited %d: %s", code, errOut)
	}
	if fi, err := os.Stat(export); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("export of a private source: mode %v (%v), want 0600", fi.Mode().Perm(), err)
	}
}
