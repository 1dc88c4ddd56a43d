package parse

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// goldenResult is what a golden file holds: the parsed feed as gofeed's
// JSON has it, or the error and, for an HTML page, its alternates.
type goldenResult struct {
	Feed       *gofeed.Feed `json:",omitempty"`
	Error      string       `json:",omitempty"`
	Alternates []string     `json:",omitempty"`
}

// TestParseGolden parses each testdata/golden/NAME.in.* body, with the
// Content-Type in NAME.type when there is one, and compares the result
// with NAME.want.json. Run with -update to rewrite the files after
// checking the differences by hand.
func TestParseGolden(t *testing.T) {
	inputs, err := filepath.Glob(filepath.Join("testdata", "golden", "*.in.*"))
	if err != nil || len(inputs) == 0 {
		t.Fatalf("no golden inputs: %v", err)
	}
	p := New()
	for _, in := range inputs {
		name := strings.SplitN(filepath.Base(in), ".", 2)[0]
		t.Run(name, func(t *testing.T) {
			body, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			contentType := ""
			if ct, err := os.ReadFile(filepath.Join("testdata", "golden", name+".type")); err == nil {
				contentType = strings.TrimSpace(string(ct))
			}
			var res goldenResult
			res.Feed, err = p.Parse(body, contentType)
			if err != nil {
				res.Error = err.Error()
				var page *HTMLPageError
				if errors.As(err, &page) {
					res.Alternates = page.Alternates
				}
			}
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false) // keep the HTML in the files readable
			enc.SetIndent("", "  ")
			if err := enc.Encode(res); err != nil {
				t.Fatal(err)
			}
			got := buf.Bytes()
			want := filepath.Join("testdata", "golden", name+".want.json")
			if *update {
				if err := os.WriteFile(want, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			exp, err := os.ReadFile(want)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got, exp) {
				t.Errorf("%s differs from %s; got:\n%s", in, want, got)
			}
		})
	}
}
