package server

import (
	"strings"
	"testing"
)

func TestETagListMatches(t *testing.T) {
	const tag = `"abc"`
	tests := []struct {
		header string
		match  bool
	}{
		{`"abc"`, true},
		{`W/"abc"`, true},
		{`"x","abc"`, true},
		{` "x" ,	W/"abc" `, true},
		{`*`, true},
		{`"x", *`, true},
		{`"comma,inside", "abc"`, true},
		{``, false},
		{`abc`, false},
		{`"ab"`, false},
		{`"abc`, false},
		{`w/"abc"`, false}, // the weak prefix is case-sensitive
		{`"abc-gz"`, false},
		{`garbage, "abc"`, false}, // parsing stops at the first malformed element
	}
	for _, tt := range tests {
		if got := etagListMatches([]string{tt.header}, tag); got != tt.match {
			t.Errorf("If-None-Match %q against %s = %v, want %v", tt.header, tag, got, tt.match)
		}
	}
}

// FuzzETagList checks that any If-None-Match value is parsed without
// panicking and matches only by "*" or by containing the tag.
func FuzzETagList(f *testing.F) {
	f.Add(`"abc"`, `"abc"`)
	f.Add(`W/"x", "abc-gz"`, `"abc-gz"`)
	f.Add(`*`, `"abc"`)
	f.Add(`"a,b", W/"`, `"a,b"`)
	f.Fuzz(func(t *testing.T, header, tag string) {
		if !strings.HasPrefix(tag, `"`) || !strings.HasSuffix(tag, `"`) || len(tag) < 2 || strings.Count(tag, `"`) != 2 {
			t.Skip()
		}
		got := etagListMatches([]string{header}, tag)
		if got && !strings.Contains(header, "*") && !strings.Contains(header, tag) {
			t.Errorf("%q matched %s", header, tag)
		}
		if !etagListMatches([]string{header + ", " + tag}, tag) && !strings.ContainsAny(header, `"`) && strings.Trim(header, " \t,") == "" {
			t.Errorf("%s appended to %q did not match", tag, header)
		}
		if etagListMatches([]string{tag, header}, tag) != true {
			t.Errorf("%s on its own line did not match", tag)
		}
	})
}

func TestAcceptsGzipSplitLines(t *testing.T) {
	if !acceptsGzip([]string{"br", "gzip"}) || acceptsGzip([]string{"gzip", "gzip;q=0"}) {
		t.Errorf("several Accept-Encoding lines are not read as one list")
	}
}

// FuzzAcceptEncoding checks that any Accept-Encoding value is parsed
// without panicking, that splitting it over two lines does not change the
// answer, and that an explicit refusal of gzip always wins.
func FuzzAcceptEncoding(f *testing.F) {
	f.Add("gzip", "br")
	f.Add("gzip;q=0.5", "*;q=0")
	f.Add("x-gzip ; Q=1.0", "deflate")
	f.Add("*", "gzip;q=NaN")
	f.Fuzz(func(t *testing.T, a, b string) {
		joined := acceptsGzip([]string{a + "," + b})
		if split := acceptsGzip([]string{a, b}); split != joined {
			t.Errorf("%q,%q = %v on one line, %v on two", a, b, joined, split)
		}
		if acceptsGzip([]string{a + "," + b + ",gzip;q=0"}) {
			t.Errorf("%q,%q with gzip;q=0 accepts gzip", a, b)
		}
	})
}
