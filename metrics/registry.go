package metrics

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"sync"
)

// Metric types, as written on the # TYPE line.
const (
	typeCounter   = "counter"
	typeGauge     = "gauge"
	typeHistogram = "histogram"
)

var (
	metricName = regexp.MustCompile(`^[a-zA-Z_:][a-zA-Z0-9_:]*$`)
	labelName  = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`)
)

// Registry holds metric families and writes them in the text format. It is
// safe for concurrent use.
type Registry struct {
	mu       sync.Mutex
	families map[string]*family
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{families: map[string]*family{}}
}

// family is one metric name with its series.
type family struct {
	name, help, typ string
	labels          []string
	buckets         []float64 // upper bounds, ascending, without +Inf

	mu     sync.Mutex
	series map[string]*series // key: label values joined by keySep

	// collect, when set, computes the series at scrape time instead.
	collect func(ctx context.Context) ([]Sample, error)
}

// series is one combination of label values. value is the counter or gauge
// value; histograms use counts (per bucket, not cumulative; the last one is
// +Inf), sum and count.
type series struct {
	values []string
	value  float64
	counts []uint64
	sum    float64
	count  uint64
}

// keySep cannot occur in valid UTF-8, so joined label values never collide.
const keySep = "\xff"

// Sample is one series of a GaugeFunc: label values in declared order, and
// the value.
type Sample struct {
	Labels []string
	Value  float64
}

func (r *Registry) register(f *family) *family {
	if !metricName.MatchString(f.name) {
		panic(fmt.Sprintf("metrics: invalid metric name %q", f.name))
	}
	for _, l := range f.labels {
		if !labelName.MatchString(l) || strings.HasPrefix(l, "__") {
			panic(fmt.Sprintf("metrics: %s: invalid label name %q", f.name, l))
		}
		if l == "le" && f.typ == typeHistogram {
			panic(fmt.Sprintf("metrics: %s: histograms reserve the label le", f.name))
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.families[f.name]; dup {
		panic(fmt.Sprintf("metrics: %s registered twice", f.name))
	}
	f.series = map[string]*series{}
	r.families[f.name] = f
	return f
}

// Counter registers a counter family: a value that only goes up (restarts
// aside). By convention its name ends in _total.
func (r *Registry) Counter(name, help string, labels ...string) *Counter {
	return &Counter{r.register(&family{name: name, help: help, typ: typeCounter, labels: labels})}
}

// Gauge registers a gauge family: a value that goes up and down.
func (r *Registry) Gauge(name, help string, labels ...string) *Gauge {
	return &Gauge{r.register(&family{name: name, help: help, typ: typeGauge, labels: labels})}
}

// Histogram registers a histogram family with the given bucket upper
// bounds (sorted here; +Inf is implied).
func (r *Registry) Histogram(name, help string, buckets []float64, labels ...string) *Histogram {
	b := slices.Clone(buckets)
	slices.Sort(b)
	b = slices.Compact(b)
	if n := len(b); n > 0 && math.IsInf(b[n-1], 1) {
		b = b[:n-1]
	}
	return &Histogram{r.register(&family{name: name, help: help, typ: typeHistogram, labels: labels, buckets: b})}
}

// GaugeFunc registers a gauge family whose series fn computes at every
// scrape, for values another component already keeps (the number of stored
// entries). Each Sample must carry one value per label.
func (r *Registry) GaugeFunc(name, help string, labels []string, fn func(ctx context.Context) ([]Sample, error)) {
	r.register(&family{name: name, help: help, typ: typeGauge, labels: labels, collect: fn})
}

// get returns the series of values, creating it.
func (f *family) get(values []string) *series {
	if len(values) != len(f.labels) {
		panic(fmt.Sprintf("metrics: %s: got %d label values for labels %v", f.name, len(values), f.labels))
	}
	key := strings.Join(values, keySep)
	s := f.series[key]
	if s == nil {
		s = &series{values: slices.Clone(values)}
		if f.typ == typeHistogram {
			s.counts = make([]uint64, len(f.buckets)+1)
		}
		f.series[key] = s
	}
	return s
}

// Counter is a family of counters.
type Counter struct{ f *family }

// Add adds v (>= 0) to the series of the label values.
func (c *Counter) Add(v float64, values ...string) {
	if v < 0 || math.IsNaN(v) {
		panic(fmt.Sprintf("metrics: %s: counters cannot add %v", c.f.name, v))
	}
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	c.f.get(values).value += v
}

// Inc adds one.
func (c *Counter) Inc(values ...string) { c.Add(1, values...) }

// Gauge is a family of gauges.
type Gauge struct{ f *family }

// Set sets the series of the label values to v.
func (g *Gauge) Set(v float64, values ...string) {
	g.f.mu.Lock()
	defer g.f.mu.Unlock()
	g.f.get(values).value = v
}

// Add adds v (which may be negative).
func (g *Gauge) Add(v float64, values ...string) {
	g.f.mu.Lock()
	defer g.f.mu.Unlock()
	g.f.get(values).value += v
}

// Histogram is a family of histograms.
type Histogram struct{ f *family }

// Observe records one observation v in the series of the label values.
func (h *Histogram) Observe(v float64, values ...string) {
	h.f.mu.Lock()
	defer h.f.mu.Unlock()
	s := h.f.get(values)
	i, _ := slices.BinarySearch(h.f.buckets, v) // first bound >= v: le is inclusive
	s.counts[i]++
	s.sum += v
	s.count++
}
