// Package metrics holds vodboard's Prometheus metrics and serves them on
// their own listener (off unless configured, so they are never public by
// accident). Labels carry routes, actions, error codes and statuses only:
// never an AccessKey ID, a session ID or an asset ID.
//
// The other packages report through interfaces they declare themselves
// (vodclient.Observer, admission.Observer); web wires this package to them.
package metrics

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics is the set of vodboard's metrics on one registry. Its methods are
// safe for concurrent use; a nil *Metrics records nothing.
type Metrics struct {
	reg *prometheus.Registry

	httpRequests *prometheus.CounterVec
	httpDuration *prometheus.HistogramVec
	shed         *prometheus.CounterVec

	vodCalls     *prometheus.CounterVec
	vodDuration  *prometheus.HistogramVec
	vodRetries   *prometheus.CounterVec
	vodThrottled *prometheus.CounterVec

	queueWait    *prometheus.HistogramVec
	queueLength  *prometheus.GaugeVec
	queueRefused *prometheus.CounterVec

	codesMu sync.Mutex
	codes   map[string]bool // error codes seen, at most maxCodes
}

// maxCodes bounds the distinct error codes labelled; later ones are "other".
const maxCodes = 64

// New returns the metrics, registered with the Go runtime and process
// collectors on a registry of their own.
func New() *Metrics {
	m := &Metrics{
		reg:   prometheus.NewRegistry(),
		codes: map[string]bool{},
		httpRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vodboard_http_requests_total", Help: "HTTP requests answered, by route template, method and status.",
		}, []string{"route", "method", "status"}),
		httpDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "vodboard_http_request_duration_seconds", Help: "Time to answer HTTP requests, by route template.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 20},
		}, []string{"route"}),
		shed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vodboard_http_shed_total", Help: "Requests refused with 503 to protect the server, by reason (inflight, queue, deadline).",
		}, []string{"reason"}),
		vodCalls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vodboard_vod_calls_total", Help: "ApsaraVideo VOD API attempts, by action and error code (\"\" for success).",
		}, []string{"action", "code"}),
		vodDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "vodboard_vod_call_duration_seconds", Help: "Duration of VOD API attempts, by action.",
			Buckets: []float64{.01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"action"}),
		vodRetries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vodboard_vod_retries_total", Help: "VOD API attempts that were retries of a throttled call, by action.",
		}, []string{"action"}),
		vodThrottled: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vodboard_vod_throttled_total", Help: "VOD API answers refused for the account's rate limit, by action.",
		}, []string{"action"}),
		queueWait: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "vodboard_vod_queue_wait_seconds", Help: "Time rate-limited VOD calls waited for their turn, by action.",
			Buckets: []float64{.001, .01, .05, .1, .25, .5, 1, 2, 5, 10},
		}, []string{"action"}),
		queueLength: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "vodboard_vod_queue_length", Help: "Rate-limited VOD calls waiting for their turn, by action.",
		}, []string{"action"}),
		queueRefused: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vodboard_vod_queue_refused_total", Help: "VOD calls refused at once because their turn would come too late, by action.",
		}, []string{"action"}),
	}
	m.reg.MustRegister(
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.httpRequests, m.httpDuration, m.shed,
		m.vodCalls, m.vodDuration, m.vodRetries, m.vodThrottled,
		m.queueWait, m.queueLength, m.queueRefused,
	)
	return m
}

// Handler serves the registry in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Gauge registers a gauge whose value fn reads at every scrape (active
// sessions, cached clients).
func (m *Metrics) Gauge(name, help string, fn func() float64) {
	if m == nil {
		return
	}
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, fn))
}

// Request records one answered HTTP request. route is the route template
// ("/media/:id"), never the path.
func (m *Metrics) Request(route, method string, status int, took time.Duration) {
	if m == nil {
		return
	}
	if route == "" {
		route = "unmatched"
	}
	m.httpRequests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	m.httpDuration.WithLabelValues(route).Observe(took.Seconds())
}

// Shed records a request refused to protect the server.
func (m *Metrics) Shed(reason string) {
	if m == nil {
		return
	}
	m.shed.WithLabelValues(reason).Inc()
}

// VODAttempt records one attempt of a VOD API call: its action, the error
// code it ended with ("" for success), how long it took, whether it was a
// retry.
func (m *Metrics) VODAttempt(action, code string, took time.Duration, retry bool) {
	if m == nil {
		return
	}
	action = boundedAction(action)
	m.vodCalls.WithLabelValues(action, m.boundedCode(code)).Inc()
	m.vodDuration.WithLabelValues(action).Observe(took.Seconds())
	if retry {
		m.vodRetries.WithLabelValues(action).Inc()
	}
	if code == "Throttling" || strings.HasPrefix(code, "Throttling.") {
		m.vodThrottled.WithLabelValues(action).Inc()
	}
}

// QueueWait records how long a call waited for its turn.
func (m *Metrics) QueueWait(action string, waited time.Duration) {
	if m == nil {
		return
	}
	m.queueWait.WithLabelValues(boundedAction(action)).Observe(waited.Seconds())
}

// QueueLength sets how many calls of action wait, all accounts together.
func (m *Metrics) QueueLength(action string, delta int) {
	if m == nil {
		return
	}
	m.queueLength.WithLabelValues(boundedAction(action)).Add(float64(delta))
}

// QueueRefused records a call refused because its turn would come too late.
func (m *Metrics) QueueRefused(action string) {
	if m == nil {
		return
	}
	m.queueRefused.WithLabelValues(boundedAction(action)).Inc()
}

// knownActions are the VOD operations vodboard calls; anything else is
// "other", so a label can never grow without bound.
var knownActions = map[string]bool{
	"GetImageInfo": true, "GetImageInfos": true, "BatchGetMediaInfos": true, "SearchMedia": true, "GetCategories": true,
}

func boundedAction(a string) string {
	if knownActions[a] {
		return a
	}
	return "other"
}

// clientCodes are the codes vodclient assigns itself when the API gave none.
var clientCodes = map[string]bool{
	"vodboard.Timeout": true, "vodboard.Transport": true, "vodboard.InvalidResponse": true,
	"vodboard.NoCredentials": true, "vodboard.Overloaded": true, "vodboard.Canceled": true, "vodboard.Other": true,
}

// boundedCode keeps success (""), the client's own codes, and error codes
// of the API's shape (letters, digits, dots, at most 64 characters), the
// first maxCodes of them, and calls anything else "other": a code comes
// from the upstream, and a label must stay small.
func (m *Metrics) boundedCode(code string) string {
	if code == "" || clientCodes[code] {
		return code
	}
	if len(code) > 64 {
		return "other"
	}
	for _, r := range code {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_') {
			return "other"
		}
	}
	m.codesMu.Lock()
	defer m.codesMu.Unlock()
	if !m.codes[code] {
		if len(m.codes) >= maxCodes {
			return "other"
		}
		m.codes[code] = true
	}
	return code
}
