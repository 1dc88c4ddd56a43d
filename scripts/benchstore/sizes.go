package benchstore

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
)

// Sizes are the store sizes of the scale benchmarks: 10,000 and 100,000
// entries, or those TRIBUTARY_BENCH_SIZES lists (comma-separated; CI runs
// 10000 only), and 1,000,000 as well with TRIBUTARY_BENCH_1M=1: its store
// takes minutes to build the first time (stores are kept in $TMPDIR).
func Sizes() ([]int, error) {
	sizes := []int{10_000, 100_000}
	if v := os.Getenv("TRIBUTARY_BENCH_SIZES"); v != "" {
		sizes = nil
		for f := range strings.SplitSeq(v, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || n <= 0 {
				return nil, fmt.Errorf("TRIBUTARY_BENCH_SIZES=%q: want numbers of entries", v)
			}
			sizes = append(sizes, n)
		}
	}
	if os.Getenv("TRIBUTARY_BENCH_1M") == "1" && !slices.Contains(sizes, 1_000_000) {
		sizes = append(sizes, 1_000_000)
	}
	return sizes, nil
}

// SizesOf is Sizes for a benchmark, which fails on a bad setting.
func SizesOf(tb interface{ Fatal(args ...any) }) []int {
	sizes, err := Sizes()
	if err != nil {
		tb.Fatal(err)
	}
	return sizes
}
