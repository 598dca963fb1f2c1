package metrics

import (
	"fmt"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestCodesStayBounded(t *testing.T) {
	m := New()
	for i := range 200 {
		m.VODAttempt("GetImageInfos", fmt.Sprintf("Weird.Code%d", i), time.Millisecond, false)
	}
	m.VODAttempt("GetImageInfos", `bad "code" {x}`, time.Millisecond, false)
	m.VODAttempt("SomethingElse", "", time.Millisecond, false)
	m.VODAttempt("SearchMedia", "Throttling.User", time.Millisecond, true)
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	got := string(body)
	if n := strings.Count(got, `vodboard_vod_calls_total{action="GetImageInfos",code="Weird.Code`); n != maxCodes {
		t.Errorf("%d distinct codes labelled, want the first %d", n, maxCodes)
	}
	for _, want := range []string{
		`vodboard_vod_calls_total{action="GetImageInfos",code="other"} 137`,
		`vodboard_vod_calls_total{action="other",code=""} 1`,
		`vodboard_vod_throttled_total{action="SearchMedia"} 1`,
		`vodboard_vod_retries_total{action="SearchMedia"} 1`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("metrics lack %s in:\n%s", want, grep(got, "vodboard_vod_calls_total"))
		}
	}
}

func TestNilRecordsNothing(t *testing.T) {
	var m *Metrics
	m.Request("/x", "GET", 200, time.Millisecond)
	m.Shed("inflight")
	m.VODAttempt("SearchMedia", "", time.Millisecond, false)
	m.QueueWait("SearchMedia", time.Millisecond)
	m.QueueLength("SearchMedia", 1)
	m.QueueRefused("SearchMedia")
	m.Gauge("x", "y", func() float64 { return 1 })
}

func grep(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) && !strings.Contains(l, "Weird") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
