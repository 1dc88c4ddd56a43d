package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestVerifyCommand(t *testing.T) {
	p, store := fetchedProject(t)
	ctx := context.Background()
	code, out, errs := tributary(t, ctx, "verify", "-config", p.config)
	if code != exitOK || !strings.Contains(out, store+": ok (2 entries)") {
		t.Errorf("verify of a sound store: exit %d:\n%s%s", code, out, errs)
	}

	// A backup spoilt where entries are stored: every page after the meta
	// pages overwritten, so that some entry is damaged whatever the layout.
	b, err := os.ReadFile(store)
	if err != nil {
		t.Fatal(err)
	}
	for i := 4 * 4096; i < len(b); i++ {
		b[i] = byte(i * 7)
	}
	spoilt := filepath.Join(t.TempDir(), "backup.db")
	if err := os.WriteFile(spoilt, b, 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs = tributary(t, ctx, "verify", spoilt)
	if code != exitFailure || !(strings.Contains(out, "PROBLEM ") || strings.Contains(errs, "store file is damaged")) {
		t.Errorf("verify of a damaged backup: exit %d, want 1 and what is wrong:\n%s%s", code, out, errs)
	}

	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"verify", filepath.Join(t.TempDir(), "none.db")}, "no store at"},
		{[]string{"verify", "a.db", "b.db"}, `unexpected argument "b.db"`},
	} {
		if code, out, errs := tributary(t, ctx, tt.args...); code != exitUsage || !strings.Contains(out+errs, tt.want) {
			t.Errorf("%q: exit %d, want 2 and %q:\n%s%s", tt.args, code, tt.want, out, errs)
		}
	}
}
