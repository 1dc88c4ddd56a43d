package metrics

import (
	"context"
	"os"
	rtmetrics "runtime/metrics"
	"strconv"
	"strings"
	"time"
)

// RegisterProcess adds the process's own gauges under the names every
// Prometheus dashboard knows: go_goroutines, go_memstats_heap_inuse_bytes
// (heap in use by objects), process_resident_memory_bytes,
// process_open_fds and process_start_time_seconds. They are how an
// operator sees a long-running daemon leak; the last three read /proc and
// are left out where there is none.
func RegisterProcess(r *Registry) {
	start := float64(time.Now().Unix())
	read := func(name string) float64 {
		s := []rtmetrics.Sample{{Name: name}}
		rtmetrics.Read(s)
		switch s[0].Value.Kind() {
		case rtmetrics.KindUint64:
			return float64(s[0].Value.Uint64())
		case rtmetrics.KindFloat64:
			return s[0].Value.Float64()
		}
		return 0
	}
	one := func(v float64) ([]Sample, error) { return []Sample{{Value: v}}, nil }
	r.GaugeFunc("go_goroutines", "Goroutines that currently exist.", nil, func(context.Context) ([]Sample, error) {
		return one(read("/sched/goroutines:goroutines"))
	})
	// MemStats.HeapInuse, which dashboards read under this name, counts
	// the spans in use whole: objects and the free space within them.
	r.GaugeFunc("go_memstats_heap_inuse_bytes", "Bytes in in-use heap spans.", nil, func(context.Context) ([]Sample, error) {
		return one(read("/memory/classes/heap/objects:bytes") + read("/memory/classes/heap/unused:bytes"))
	})
	r.GaugeFunc("process_resident_memory_bytes", "Resident memory of the process.", nil, func(context.Context) ([]Sample, error) {
		b, err := os.ReadFile("/proc/self/statm")
		if err != nil {
			return nil, nil
		}
		fields := strings.Fields(string(b))
		if len(fields) < 2 {
			return nil, nil
		}
		pages, err := strconv.ParseFloat(fields[1], 64)
		if err != nil {
			return nil, nil
		}
		return one(pages * float64(os.Getpagesize()))
	})
	r.GaugeFunc("process_open_fds", "Open file descriptors of the process.", nil, func(context.Context) ([]Sample, error) {
		entries, err := os.ReadDir("/proc/self/fd")
		if err != nil {
			return nil, nil
		}
		return one(float64(len(entries) - 1)) // not the one reading the directory
	})
	r.GaugeFunc("process_start_time_seconds", "Start time of the process since the Unix epoch, in seconds.", nil,
		func(context.Context) ([]Sample, error) { return one(start) })
}
