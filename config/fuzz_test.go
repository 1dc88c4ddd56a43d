package config

import (
	"errors"
	"strings"
	"testing"
)

// The seed corpora live in testdata/fuzz/<FuzzName>/.

func FuzzParse(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data, "fuzz.yaml")
		if err == nil {
			// What Parse accepts must stay valid: derived values included.
			if verr := c.Validate(); verr != nil {
				t.Fatalf("Parse accepted a config Validate rejects: %v", verr)
			}
			if !strings.HasSuffix(c.Server.BaseURL, "/") {
				t.Fatalf("base_url %q lacks its trailing slash", c.Server.BaseURL)
			}
			return
		}
		var ve *ValidationError
		var se *SyntaxError
		switch {
		case errors.As(err, &ve):
			if len(ve.Problems) == 0 {
				t.Fatal("ValidationError without problems")
			}
			for _, p := range ve.Problems {
				if p.Message == "" || p.Line < 0 {
					t.Fatalf("bad problem %+v", p)
				}
			}
		case errors.As(err, &se):
			if !strings.HasPrefix(se.Error(), "fuzz.yaml:") {
				t.Fatalf("syntax error without the file name: %v", se)
			}
		default:
			t.Fatalf("unexpected error type %T: %v", err, err)
		}
	})
}

func FuzzParseByteSize(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		b, err := ParseByteSize(s)
		if err != nil {
			return
		}
		if b < 0 {
			t.Fatalf("ParseByteSize(%q) = %d, negative", s, b)
		}
		if back, err := ParseByteSize(b.String()); err != nil || back != b {
			t.Fatalf("%d formats as %q, which reads back as %d, %v", b, b.String(), back, err)
		}
	})
}

func FuzzReadOPML(f *testing.F) {
	f.Fuzz(func(t *testing.T, data string) {
		srcs, err := ReadOPML(strings.NewReader(data))
		if err != nil {
			return
		}
		for _, s := range srcs {
			if s.URL == "" || s.Name == "" || s.ID != Slug(s.Name) {
				t.Fatalf("bad source %+v", s)
			}
			for _, tag := range s.Tags {
				if checkTag(tag) != "" && len([]rune(tag)) <= maxTagLen {
					t.Fatalf("tag %q of %+v is not a valid tag", tag, s)
				}
			}
		}
	})
}

func FuzzSlug(f *testing.F) {
	f.Fuzz(func(t *testing.T, name string) {
		s := Slug(name)
		if strings.HasPrefix(s, "-") || strings.HasSuffix(s, "-") || strings.Contains(s, "--") {
			t.Fatalf("Slug(%q) = %q: stray dashes", name, s)
		}
		if again := Slug(s); again != s {
			t.Fatalf("Slug(%q) = %q but Slug(%q) = %q", name, s, s, again)
		}
	})
}
