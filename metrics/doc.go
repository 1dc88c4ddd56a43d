/*
Package metrics exposes Tributary's metrics in the Prometheus text exposition
format (version 0.0.4), from a small registry written for the purpose:
counters, gauges and histograms with labels, and gauges computed at scrape
time. Tributary needs nothing else of a Prometheus client, and this keeps the
module graph free of one (client_golang brings protobuf, procfs and more).

# Contract

  - Registry.Counter, Gauge, Histogram and GaugeFunc register a metric
    family; a name registered twice, an invalid metric or label name, or a
    histogram label named "le" panics: those are programming errors, found
    by the first test that builds the registry.
  - Add, Inc, Set and Observe take the label values in the order the labels
    were declared; the wrong number of values panics. Counters refuse
    negative increments (panic), as Prometheus requires.
  - WriteText writes every family that has at least one series, families
    sorted by name and series by label values, so equal state gives equal
    bytes. GaugeFunc functions run during WriteText with the scrape's
    context; one that fails leaves its family out and WriteText returns its
    error after writing everything else.
  - Handler serves WriteText with Content-Type
    "text/plain; version=0.0.4; charset=utf-8"; a failed GaugeFunc is
    logged and the rest is still served (a partial scrape beats none).
  - HTTP middleware (HTTPMetrics.Wrap) counts requests by route and status
    code. The route is the pattern of the http.ServeMux that served the
    request, method removed ("/entries/{id}"), so that the number of series
    stays bounded whatever paths clients ask for; requests no pattern
    matched are counted under route "other".
  - Pipeline turns fetch round reports, merges and store reads into the
    tributary_* families documented in docs/metrics.md. A source URL in a
    label shows no password or token (feed.RedactedURL: user:xxxxx@,
    ?token=xxxxx), as in the logs.

# Caveats

Series are never removed: a source dropped from the config keeps its
counters until the process restarts (the store-backed per-source gauges
follow the configured sources at every scrape). Values are float64, as in
Prometheus; a counter incremented past 2^53 loses precision.
*/
package metrics
