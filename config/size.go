package config

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// ByteSize is a number of bytes. In the file it is an integer (bytes) or a
// string with a unit: decimal B, KB, MB, GB, TB or binary KiB, MiB, GiB,
// TiB (case-insensitive, a space allowed before the unit, a fraction
// allowed: "1.5MiB").
type ByteSize int64

// Binary byte-size units.
const (
	KiB ByteSize = 1 << (10 * (iota + 1))
	MiB
	GiB
	TiB
)

// byteUnits maps a lowercased unit to its size. Single letters are left out
// on purpose: "10M" means MB to some and MiB to others.
var byteUnits = map[string]ByteSize{
	"": 1, "b": 1,
	"kb": 1e3, "mb": 1e6, "gb": 1e9, "tb": 1e12,
	"kib": KiB, "mib": MiB, "gib": GiB, "tib": TiB,
}

// ParseByteSize reads a size such as "512KiB", "10 MiB", "1GB" or "4096".
func ParseByteSize(s string) (ByteSize, error) {
	t := strings.TrimSpace(s)
	i := 0
	for i < len(t) && (t[i] >= '0' && t[i] <= '9' || t[i] == '.') {
		i++
	}
	num, unit := t[:i], strings.TrimSpace(t[i:])
	if num == "" {
		if strings.HasPrefix(t, "-") {
			return 0, fmt.Errorf("size %q is negative", s)
		}
		return 0, fmt.Errorf("size %q does not start with a number", s)
	}
	mult, ok := byteUnits[strings.ToLower(unit)]
	if !ok {
		switch strings.ToLower(unit) {
		case "k", "m", "g", "t":
			u := strings.ToUpper(unit)
			return 0, fmt.Errorf("size %q: unit %q is ambiguous, write %sB (powers of 1000) or %siB (powers of 1024)", s, unit, u, u)
		}
		return 0, fmt.Errorf("size %q: unknown unit %q (use B, KB, MB, GB, KiB, MiB or GiB)", s, unit)
	}
	if !strings.Contains(num, ".") {
		n, err := strconv.ParseInt(num, 10, 64)
		if err != nil || n > math.MaxInt64/int64(mult) {
			return 0, fmt.Errorf("size %q is too large", s)
		}
		return ByteSize(n) * mult, nil
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil {
		return 0, fmt.Errorf("size %q: %q is not a number", s, num)
	}
	// 2^63 is exactly representable, so >= catches every overflow.
	v := f * float64(mult)
	if v >= math.MaxInt64 {
		return 0, fmt.Errorf("size %q is too large", s)
	}
	return ByteSize(v), nil
}

// String writes the size in the largest binary unit that divides it
// exactly, so that it reads back to the same value: "10MiB", "1500B".
func (b ByteSize) String() string {
	for _, u := range [...]struct {
		size ByteSize
		name string
	}{{TiB, "TiB"}, {GiB, "GiB"}, {MiB, "MiB"}, {KiB, "KiB"}} {
		if b != 0 && b%u.size == 0 {
			return strconv.FormatInt(int64(b/u.size), 10) + u.name
		}
	}
	return strconv.FormatInt(int64(b), 10) + "B"
}
