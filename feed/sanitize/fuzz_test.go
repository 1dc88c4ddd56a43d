package sanitize

import (
	"strings"
	"testing"
)

// FuzzHTML checks that sanitising is idempotent and never lets anything
// executable through. Its seed corpus in testdata/fuzz/FuzzHTML holds the
// XSS vectors of the table test and samples of ordinary content.
func FuzzHTML(f *testing.F) {
	p := New()
	f.Fuzz(func(t *testing.T, in string) {
		out := p.HTML(in)
		if strings.Contains(strings.ToLower(out), "<script") {
			t.Fatalf("HTML(%q) = %q contains <script", in, out)
		}
		if again := p.HTML(out); again != out {
			t.Fatalf("not idempotent:\n  in    %q\n  once  %q\n  twice %q", in, out, again)
		}
		checkSafe(t, in, out)
	})
}
