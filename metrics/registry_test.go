package metrics

import (
	"context"
	"errors"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// golden compares got with testdata/name, rewriting it under -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the output:\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

func text(t *testing.T, r *Registry) string {
	t.Helper()
	var b strings.Builder
	if err := r.WriteText(context.Background(), &b); err != nil {
		t.Fatalf("WriteText: %v", err)
	}
	return b.String()
}

func TestTextFormatGolden(t *testing.T) {
	r := NewRegistry()
	c := r.Counter("demo_requests_total", "Requests by route and code.", "route", "code")
	c.Inc("/b", "200")
	c.Add(2, "/a", "404")
	c.Inc("/a", "200")
	c.Add(1500000, "/big", "200")
	g := r.Gauge("demo_temperature_celsius", "A gauge with \\ and a\nnewline in its help.", "room")
	g.Set(21.5, `quote " and back\slash`)
	g.Set(-3, "line\nfeed")
	g.Add(0.25, "line\nfeed")
	r.Gauge("demo_up", "A gauge without labels.").Set(1)
	h := r.Histogram("demo_latency_seconds", "A histogram.", []float64{1, 0.1, 0.5, math.Inf(1)}, "route")
	for _, v := range []float64{0.05, 0.1, 0.3, 0.7, 2} {
		h.Observe(v, "/a")
	}
	r.Histogram("demo_size_bytes", "An unlabelled histogram.", []float64{100}).Observe(7)
	r.Counter("demo_unused_total", "Never incremented: not written.")
	r.GaugeFunc("demo_computed", "Computed at scrape time.", []string{"kind"}, func(context.Context) ([]Sample, error) {
		return []Sample{{Labels: []string{"z"}, Value: 2}, {Labels: []string{"a"}, Value: math.Inf(1)}}, nil
	})
	golden(t, "registry.golden", text(t, r))
}

func TestWriteTextKeepsGoingPastAFailedGaugeFunc(t *testing.T) {
	r := NewRegistry()
	r.Gauge("a_gauge", "A.").Set(1)
	boom := errors.New("store closed")
	r.GaugeFunc("b_failing", "B.", nil, func(context.Context) ([]Sample, error) { return nil, boom })
	r.Gauge("c_gauge", "C.").Set(3)
	var b strings.Builder
	err := r.WriteText(context.Background(), &b)
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), "b_failing") {
		t.Errorf("error = %v, want the GaugeFunc's error naming its family", err)
	}
	if got := b.String(); !strings.Contains(got, "a_gauge 1\n") || !strings.Contains(got, "c_gauge 3\n") || strings.Contains(got, "b_failing") {
		t.Errorf("output after a failed family:\n%s", got)
	}
}

func TestMisuseIsAProgrammingError(t *testing.T) {
	tests := []struct {
		name string
		fn   func(r *Registry)
	}{
		{"bad metric name", func(r *Registry) { r.Counter("9lives", "x") }},
		{"bad label name", func(r *Registry) { r.Counter("x_total", "x", "a-b") }},
		{"reserved label", func(r *Registry) { r.Gauge("x", "x", "__name") }},
		{"le on a histogram", func(r *Registry) { r.Histogram("x", "x", nil, "le") }},
		{"registered twice", func(r *Registry) { r.Gauge("x", "x"); r.Counter("x", "x") }},
		{"wrong label count", func(r *Registry) { r.Counter("x_total", "x", "a").Inc() }},
		{"negative counter", func(r *Registry) { r.Counter("x_total", "x").Add(-1) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("no panic")
				}
			}()
			tt.fn(NewRegistry())
		})
	}
}

func TestFormatFloat(t *testing.T) {
	tests := []struct {
		v    float64
		want string
	}{
		{0, "0"}, {42, "42"}, {-7, "-7"}, {1e6, "1000000"}, {0.25, "0.25"}, {1e20, "1e+20"},
		{math.Inf(1), "+Inf"}, {math.Inf(-1), "-Inf"}, {math.NaN(), "NaN"}, {1234.5678, "1234.5678"},
	}
	for _, tt := range tests {
		if got := formatFloat(tt.v); got != tt.want {
			t.Errorf("formatFloat(%v) = %q, want %q", tt.v, got, tt.want)
		}
	}
}
