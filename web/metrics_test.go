package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"vodboard/metrics"
	"vodboard/vodclient/emulator"
)

// scrape reads the metrics as Prometheus would.
func scrape(t *testing.T, m *metrics.Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("metrics answered %d", rec.Code)
	}
	body, _ := io.ReadAll(rec.Body)
	return string(body)
}

func TestMetrics(t *testing.T) {
	t.Parallel()
	m := metrics.New()
	h, b := signedIn(t, harnessOptions{metrics: m})
	media := h.cat.MediaIDs()[0]
	image := h.cat.ImageIDs()[0]
	mustStatus(t, b.get("/library"), http.StatusOK)
	mustStatus(t, b.get("/media/"+media), http.StatusOK)
	mustStatus(t, b.get("/images/0000000000000000000000000000dead"), http.StatusNotFound)
	h.emu.InjectFault("GetImageInfo", emulator.FaultInternalError, 1)
	mustStatus(t, b.get("/images/"+image), http.StatusBadGateway)

	got := scrape(t, m)
	for _, want := range []string{
		`vodboard_http_requests_total{method="GET",route="/library",status="200"} 1`,
		`vodboard_http_requests_total{method="GET",route="/media/:id",status="200"} 1`,
		`vodboard_http_requests_total{method="GET",route="/images/:id",status="404"} 1`,
		`vodboard_http_requests_total{method="GET",route="/images/:id",status="502"} 1`,
		`vodboard_vod_calls_total{action="SearchMedia",code=""} 1`,
		`vodboard_vod_calls_total{action="GetImageInfo",code="NoSuchResource"} 1`,
		`vodboard_vod_calls_total{action="GetImageInfo",code="InternalError"} 1`,
		`vodboard_vod_call_duration_seconds_count{action="BatchGetMediaInfos"}`,
		`vodboard_http_request_duration_seconds_bucket{route="/library",le="+Inf"} 1`,
		`vodboard_clients_cached 1`,
		`vodboard_vod_queue_wait_seconds_count{action="SearchMedia"}`,
		`vodboard_sessions_active 1`,
		`go_goroutines`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the metrics lack %s", want)
		}
	}
	// No label carries a key, a session or an asset.
	secrets := []string{h.key.AccessKeyID, media, image, "0000000000000000000000000000dead"}
	for _, v := range b.cookieValues() {
		secrets = append(secrets, v)
	}
	labels := regexp.MustCompile(`\{[^}]*\}`).FindAllString(got, -1)
	for _, l := range labels {
		for _, s := range secrets {
			if s != "" && strings.Contains(l, s) {
				t.Errorf("a metric label carries %q: %s", s, l)
			}
		}
	}
}

func TestAccessLogHasTheStatusSent(t *testing.T) {
	t.Parallel()
	h, b := signedIn(t, harnessOptions{})
	image := h.cat.ImageIDs()[0]
	h.emu.InjectFault("GetImageInfo", emulator.FaultServiceUnavailable, 1)
	mustStatus(t, b.get("/images/"+image), http.StatusBadGateway)
	mustStatus(t, b.get("/images/"+strings.Repeat("x", 5000)), http.StatusBadRequest)
	logs := h.logs.String()
	if !regexp.MustCompile(`msg=request method=GET path=/images/` + image + ` status=502`).MatchString(logs) {
		t.Errorf("the access log does not record the 502 the user got:\n%s", lastLines(logs, 5))
	}
	for _, line := range strings.Split(logs, "\n") {
		if strings.Contains(line, "msg=request") && len(line) > 1024 {
			t.Errorf("an access log line of %d bytes: a long path is not cut short", len(line))
		}
	}
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
