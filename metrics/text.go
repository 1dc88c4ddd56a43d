package metrics

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// ContentType is the media type of the text exposition format.
const ContentType = "text/plain; version=0.0.4; charset=utf-8"

// WriteText writes every family with at least one series in the Prometheus
// text format, families sorted by name and series by label values.
// GaugeFunc families are computed with ctx; a failing one is left out and
// its error returned once everything else is written.
func (r *Registry) WriteText(ctx context.Context, w io.Writer) error {
	r.mu.Lock()
	fams := make([]*family, 0, len(r.families))
	for _, f := range r.families {
		fams = append(fams, f)
	}
	r.mu.Unlock()
	slices.SortFunc(fams, func(a, b *family) int { return strings.Compare(a.name, b.name) })

	bw := bufio.NewWriter(w)
	var errs []error
	for _, f := range fams {
		ss, err := f.snapshot(ctx)
		if err != nil {
			errs = append(errs, fmt.Errorf("collect %s: %w", f.name, err))
			continue
		}
		if len(ss) == 0 {
			continue
		}
		f.write(bw, ss)
	}
	if err := bw.Flush(); err != nil {
		errs = append(errs, fmt.Errorf("write metrics: %w", err))
	}
	return errors.Join(errs...)
}

// snapshot copies the family's series, sorted by label values, so that
// writing does not hold the lock a request path may be waiting for.
func (f *family) snapshot(ctx context.Context) ([]series, error) {
	var ss []series
	if f.collect != nil {
		samples, err := f.collect(ctx)
		if err != nil {
			return nil, err
		}
		for _, s := range samples {
			if len(s.Labels) != len(f.labels) {
				return nil, fmt.Errorf("sample has %d label values for labels %v", len(s.Labels), f.labels)
			}
			ss = append(ss, series{values: s.Labels, value: s.Value})
		}
	} else {
		f.mu.Lock()
		ss = make([]series, 0, len(f.series))
		for _, s := range f.series {
			c := *s
			c.counts = slices.Clone(s.counts)
			ss = append(ss, c)
		}
		f.mu.Unlock()
	}
	slices.SortFunc(ss, func(a, b series) int { return slices.Compare(a.values, b.values) })
	return ss, nil
}

func (f *family) write(w *bufio.Writer, ss []series) {
	fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s %s\n", f.name, escapeHelp(f.help), f.name, f.typ)
	for _, s := range ss {
		if f.typ != typeHistogram {
			writeSample(w, f.name, f.labels, s.values, "", "", s.value)
			continue
		}
		var cum uint64
		for i, n := range s.counts {
			cum += n
			le := math.Inf(1)
			if i < len(f.buckets) {
				le = f.buckets[i]
			}
			writeSample(w, f.name+"_bucket", f.labels, s.values, "le", formatFloat(le), float64(cum))
		}
		writeSample(w, f.name+"_sum", f.labels, s.values, "", "", s.sum)
		writeSample(w, f.name+"_count", f.labels, s.values, "", "", float64(s.count))
	}
}

// writeSample writes one line: name{labels} value. extra is an additional
// label (a histogram's le) written last.
func writeSample(w *bufio.Writer, name string, labels, values []string, extra, extraValue string, v float64) {
	w.WriteString(name)
	if len(labels) > 0 || extra != "" {
		w.WriteByte('{')
		for i, l := range labels {
			if i > 0 {
				w.WriteByte(',')
			}
			writeLabel(w, l, values[i])
		}
		if extra != "" {
			if len(labels) > 0 {
				w.WriteByte(',')
			}
			writeLabel(w, extra, extraValue)
		}
		w.WriteByte('}')
	}
	w.WriteByte(' ')
	w.WriteString(formatFloat(v))
	w.WriteByte('\n')
}

func writeLabel(w *bufio.Writer, name, value string) {
	w.WriteString(name)
	w.WriteString(`="`)
	w.WriteString(escapeLabel(value))
	w.WriteByte('"')
}

// Label values escape backslash, double quote and line feed; HELP text
// escapes backslash and line feed only (the format's rules).
var (
	labelEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	helpEscaper  = strings.NewReplacer(`\`, `\\`, "\n", `\n`)
)

func escapeLabel(s string) string { return labelEscaper.Replace(s) }
func escapeHelp(s string) string  { return helpEscaper.Replace(s) }

// formatFloat writes integers without an exponent (counts read better as
// 1500000 than 1.5e+06) and other values in the shortest exact form.
func formatFloat(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	case math.IsNaN(v):
		return "NaN"
	case v == math.Trunc(v) && math.Abs(v) < 1e15:
		return strconv.FormatInt(int64(v), 10)
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// Handler serves the registry at a scrape. A family that fails to collect
// is logged and left out; the rest is served with status 200.
func (r *Registry) Handler(log *slog.Logger) http.Handler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		var b strings.Builder
		if err := r.WriteText(req.Context(), &b); err != nil {
			log.Warn("metrics scrape incomplete", "error", err)
		}
		h := w.Header()
		h.Set("Content-Type", ContentType)
		h.Set("Cache-Control", "no-store")
		_, _ = io.WriteString(w, b.String())
	})
}
