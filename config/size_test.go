package config

import (
	"strings"
	"testing"
)

func TestParseByteSize(t *testing.T) {
	tests := []struct {
		in   string
		want ByteSize
		err  string
	}{
		{"4096", 4096, ""},
		{"512KiB", 512 * KiB, ""},
		{"10MiB", 10 * MiB, ""},
		{"10 MiB", 10 * MiB, ""},
		{"10mib", 10 * MiB, ""},
		{"1GB", 1_000_000_000, ""},
		{"1.5MiB", 1536 * KiB, ""},
		{"100B", 100, ""},
		{"2TiB", 2 * TiB, ""},
		{"10M", 0, `unit "M" is ambiguous`},
		{"10 parsecs", 0, `unknown unit "parsecs"`},
		{"-5MiB", 0, "negative"},
		{"MiB", 0, "does not start with a number"},
		{"", 0, "does not start with a number"},
		{"1.2.3KB", 0, "is not a number"},
		{"99999999999999999999", 0, "too large"},
		{"9000000TiB", 0, "too large"},
		{"9000000000.5TiB", 0, "too large"},
	}
	for _, tt := range tests {
		got, err := ParseByteSize(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParseByteSize(%q) error = %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseByteSize(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
}

func TestByteSizeString(t *testing.T) {
	tests := []struct {
		in   ByteSize
		want string
	}{
		{0, "0B"}, {1500, "1500B"}, {KiB, "1KiB"}, {10 * MiB, "10MiB"}, {1536 * KiB, "1536KiB"}, {GiB, "1GiB"},
	}
	for _, tt := range tests {
		if got := tt.in.String(); got != tt.want {
			t.Errorf("ByteSize(%d).String() = %q, want %q", tt.in, got, tt.want)
		}
		if back, err := ParseByteSize(tt.in.String()); err != nil || back != tt.in {
			t.Errorf("ParseByteSize(%q) = %d, %v; want %d", tt.in.String(), back, err, tt.in)
		}
	}
}

func TestMaxBodyAcceptsIntegers(t *testing.T) {
	c := mustParse(t, "fetch: {max_body: 65536}\n"+minimal)
	if c.Fetch.MaxBody != 64*KiB {
		t.Errorf("max_body = %d, want %d", c.Fetch.MaxBody, 64*KiB)
	}
}
