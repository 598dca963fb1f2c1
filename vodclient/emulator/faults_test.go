package emulator

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestInjectFault(t *testing.T) {
	e, srv, _ := newTestServer(t, Options{})
	q := url.Values{"ImageIds": {e.Catalog().ImageIDs()[0]}}
	tests := []struct {
		fault      Fault
		wantStatus int
		wantCode   string
		wantType   string
		check      func(t *testing.T, resp *http.Response, body map[string]any)
	}{
		{FaultInternalError, 500, "InternalError", "application/json;charset=utf-8", nil},
		{FaultServiceUnavailable, 503, "ServiceUnAvailable", "application/json;charset=utf-8", nil},
		{FaultThrottling, 503, "Throttling.User", "application/json;charset=utf-8", func(t *testing.T, resp *http.Response, _ map[string]any) {
			if _, _, left, _ := parseRateHeader(t, resp.Header.Get("x-ratelimit-user-api")); left != FaultThrottlingTimeLeft.Milliseconds() {
				t.Errorf("TimeLeft %d", left)
			}
		}},
		{FaultTruncated, 200, "", "application/json;charset=utf-8", func(t *testing.T, _ *http.Response, body map[string]any) {
			raw := str(body["_raw"])
			if raw == "" || !strings.HasPrefix(raw, `{"RequestId":`) {
				t.Errorf("truncated body %q", raw)
			}
		}},
		{FaultNonJSON, 502, "", "text/html", func(t *testing.T, _ *http.Response, body map[string]any) {
			if !strings.Contains(str(body["_raw"]), "<html>") {
				t.Errorf("body %q", body["_raw"])
			}
		}},
		{FaultNonJSON200, 200, "", "text/html;charset=utf-8", nil},
	}
	for _, tt := range tests {
		t.Run(tt.fault.String(), func(t *testing.T) {
			e.InjectFault("GetImageInfos", tt.fault, 1)
			resp, body := rawCall{key: DemoKey(), action: "GetImageInfos", query: q}.do(t, srv)
			if resp.StatusCode != tt.wantStatus || str(body["Code"]) != tt.wantCode || resp.Header.Get("Content-Type") != tt.wantType {
				t.Fatalf("got %d %q %q, want %d %q %q", resp.StatusCode, body["Code"], resp.Header.Get("Content-Type"), tt.wantStatus, tt.wantCode, tt.wantType)
			}
			if tt.check != nil {
				tt.check(t, resp, body)
			}
			calls := e.Calls()
			if last := calls[len(calls)-1]; last.Fault != tt.fault || last.Status != tt.wantStatus {
				t.Errorf("recorded %+v", last)
			}
			// Consumed: the next call is normal.
			if resp, _ := (rawCall{key: DemoKey(), action: "GetImageInfos", query: q}).do(t, srv); resp.StatusCode != 200 {
				t.Errorf("after the fault: %d", resp.StatusCode)
			}
			e.ResetCalls()
		})
	}
}

func TestInjectFaultMatching(t *testing.T) {
	e, srv, _ := newTestServer(t, Options{})
	e.SetRateLimit("GetImageInfos", 0)
	img := url.Values{"ImageIds": {e.Catalog().ImageIDs()[0]}}
	media := url.Values{"MediaIds": {e.Catalog().MediaIDs()[0]}}
	e.InjectFault("BatchGetMediaInfos", FaultInternalError, 2)
	e.InjectFault("", FaultServiceUnavailable, 1)
	steps := []struct {
		action string
		q      url.Values
		want   int
	}{
		{"GetImageInfos", img, 503},        // the "any" fault
		{"GetImageInfos", img, 200},        // none left for images
		{"BatchGetMediaInfos", media, 500}, // first of two
		{"BatchGetMediaInfos", media, 500},
		{"BatchGetMediaInfos", media, 200},
	}
	for i, s := range steps {
		if resp, _ := (rawCall{key: DemoKey(), action: s.action, query: s.q}).do(t, srv); resp.StatusCode != s.want {
			t.Errorf("step %d %s: %d, want %d", i, s.action, resp.StatusCode, s.want)
		}
	}
	e.InjectFault("", FaultInternalError, 5)
	e.ClearFaults()
	if resp, _ := (rawCall{key: DemoKey(), action: "GetImageInfos", query: img}).do(t, srv); resp.StatusCode != 200 {
		t.Errorf("after ClearFaults: %d", resp.StatusCode)
	}
	// Faults hit only authenticated calls.
	e.InjectFault("", FaultInternalError, 1)
	bad := rawCall{key: DemoKey(), secret: "wrong", action: "GetImageInfos", query: img}
	if resp, body := bad.do(t, srv); str(body["Code"]) != "SignatureDoesNotMatch" {
		t.Errorf("unauthenticated call: %d %v", resp.StatusCode, body)
	}
	if resp, _ := (rawCall{key: DemoKey(), action: "GetImageInfos", query: img}).do(t, srv); resp.StatusCode != 500 {
		t.Errorf("fault not kept for the next good call: %d", resp.StatusCode)
	}
}

// The real client surfaces faults as errors, never a panic or a success.
func TestFaultsThroughRealClient(t *testing.T) {
	e, srv, _ := newTestServer(t, Options{})
	c := newClient(t, srv, DemoKey())
	q := map[string]string{"ImageId": e.Catalog().ImageIDs()[0]}
	for _, f := range []Fault{FaultInternalError, FaultServiceUnavailable, FaultThrottling, FaultTruncated, FaultNonJSON, FaultNonJSON200} {
		e.InjectFault("GetImageInfo", f, 1)
		if _, err := callAPI(context.Background(), c, "GetImageInfo", q); err == nil {
			t.Errorf("%v: no error", f)
		}
	}
}

func TestLatencyHonoursCancellation(t *testing.T) {
	e, srv, _ := newTestServer(t, Options{})
	c := newClient(t, srv, DemoKey())
	q := map[string]string{"ImageId": e.Catalog().ImageIDs()[0]}

	e.SetLatency(150 * time.Millisecond)
	start := time.Now()
	if _, err := callAPI(context.Background(), c, "GetImageInfo", q); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Errorf("answered in %v, latency 150ms", d)
	}

	e.SetLatency(time.Hour)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start = time.Now()
	_, err := callAPI(ctx, c, "GetImageInfo", q)
	if err == nil {
		t.Fatal("call with an hour of latency succeeded")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("client waited %v", d)
	}
	// The handler returns too: the call is recorded as given up.
	deadline := time.Now().Add(5 * time.Second)
	for {
		calls := e.Calls()
		if last := calls[len(calls)-1]; len(calls) == 2 && last.Status == 499 && last.Code == "RequestCanceled" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("handler still waiting; calls %+v", e.Calls())
		}
		time.Sleep(10 * time.Millisecond)
	}
	e.SetLatency(0)
	if _, err := callAPI(context.Background(), c, "GetImageInfo", q); err != nil {
		t.Errorf("after SetLatency(0): %v", err)
	}
}

func TestCallsRecord(t *testing.T) {
	e, srv, clock := newTestServer(t, Options{})
	ids := e.Catalog().MediaIDs()[:2]
	rawCall{key: DemoKey(), action: "BatchGetMediaInfos", query: url.Values{"MediaIds": {strings.Join(ids, ",")}, "ReferenceIds": {"r1"}}}.do(t, srv)
	rawCall{key: Key{AccessKeyID: "LTAI5tStranger", AccessKeySecret: "x"}, action: "GetImageInfo", query: url.Values{"ImageId": {"i1"}}}.do(t, srv)
	calls := e.Calls()
	if len(calls) != 2 {
		t.Fatalf("%d calls", len(calls))
	}
	first, second := calls[0], calls[1]
	if first.Action != "BatchGetMediaInfos" || first.AccessKeyID != DemoKey().AccessKeyID || first.Status != 200 || first.Code != "" ||
		strings.Join(first.IDs, ",") != strings.Join(ids, ",") || strings.Join(first.ReferenceIDs, ",") != "r1" ||
		first.SignatureVersion != "v3" || !first.At.Equal(clock.Now()) || first.Fault != FaultNone {
		t.Errorf("first call %+v", first)
	}
	if second.AccessKeyID != "LTAI5tStranger" || second.Status != 404 || second.Code != "InvalidAccessKeyId.NotFound" || second.IDs[0] != "i1" {
		t.Errorf("second call %+v", second)
	}
	// Calls returns a copy.
	calls[0].IDs[0] = "changed"
	if e.Calls()[0].IDs[0] == "changed" {
		t.Error("Calls shares memory with the record")
	}
	e.ResetCalls()
	if n := len(e.Calls()); n != 0 {
		t.Errorf("%d calls after ResetCalls", n)
	}
	// The record is bounded.
	rec := &callRecord{}
	for range maxCalls + 5 {
		rec.add(Call{})
	}
	if len(rec.calls) != maxCalls {
		t.Errorf("record holds %d calls, want %d", len(rec.calls), maxCalls)
	}
}

// Knobs may be turned while calls are in flight.
func TestKnobsWhileServing(t *testing.T) {
	e, srv, clock := newTestServer(t, Options{})
	q := url.Values{"ImageIds": {e.Catalog().ImageIDs()[0]}}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 50 {
			e.SetLatency(time.Duration(i%3) * time.Millisecond)
			e.SetRateLimit("GetImageInfos", i%5)
			e.InjectFault("", FaultInternalError, 1)
			e.AddKey(Key{AccessKeyID: "LTAI5tKnob", AccessKeySecret: "s"})
			_ = e.Calls()
			clock.Advance(time.Millisecond)
		}
		e.ClearFaults()
		e.ResetCalls()
	}()
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 10 {
				resp, _ := rawCall{key: DemoKey(), action: "GetImageInfos", query: q}.do(t, srv)
				switch resp.StatusCode {
				case 200, 500, 503:
				default:
					t.Errorf("status %d", resp.StatusCode)
				}
			}
		})
	}
	wg.Wait()
	<-done
}
