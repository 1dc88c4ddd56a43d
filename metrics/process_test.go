package metrics

import (
	"context"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// The process gauges are there under their usual names, with values that
// can be the process's (soak QA: a leak was invisible without them).
func TestProcessGauges(t *testing.T) {
	r := NewRegistry()
	RegisterProcess(r)
	var b strings.Builder
	if err := r.WriteText(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	value := func(name string) (float64, bool) {
		for line := range strings.SplitSeq(b.String(), "\n") {
			if v, ok := strings.CutPrefix(line, name+" "); ok {
				f, err := strconv.ParseFloat(v, 64)
				return f, err == nil
			}
		}
		return 0, false
	}
	names := []string{"go_goroutines", "go_memstats_heap_inuse_bytes", "process_start_time_seconds"}
	if runtime.GOOS == "linux" {
		names = append(names, "process_resident_memory_bytes", "process_open_fds")
	}
	for _, name := range names {
		if v, ok := value(name); !ok || v <= 0 {
			t.Errorf("%s = %v (present %v), want a positive value:\n%s", name, v, ok, b.String())
		}
	}
	if v, _ := value("process_resident_memory_bytes"); runtime.GOOS == "linux" && v < 1<<20 {
		t.Errorf("resident memory %v bytes: not the process's", v)
	}
}
