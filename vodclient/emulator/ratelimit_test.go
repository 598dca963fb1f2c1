package emulator

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"
)

func parseRateHeader(t testing.TB, h string) (limit, remain, timeLeft, reset int64) {
	t.Helper()
	if _, err := fmt.Sscanf(h, "Limit:%d,Remain:%d,TimeLeft:%d,Reset:%d", &limit, &remain, &timeLeft, &reset); err != nil {
		t.Fatalf("x-ratelimit-user-api %q: %v", h, err)
	}
	return
}

func TestGetImageInfosRateLimit(t *testing.T) {
	e, srv, clock := newTestServer(t, Options{})
	other := Key{AccessKeyID: "LTAI5tSecondUser", AccessKeySecret: "second-secret"}
	e.AddKey(other)
	q := url.Values{"ImageIds": {e.Catalog().ImageIDs()[0]}}
	start := clock.Now()
	for i := range 10 {
		clock.Advance(50 * time.Millisecond) // 10 calls within 500 ms
		resp, body := rawCall{key: DemoKey(), action: "GetImageInfos", query: q}.do(t, srv)
		if resp.StatusCode != 200 {
			t.Fatalf("call %d: %d %v", i+1, resp.StatusCode, body)
		}
		if _, remain, _, _ := parseRateHeader(t, resp.Header.Get("x-ratelimit-user-api")); remain != int64(9-i) {
			t.Errorf("call %d: Remain %d", i+1, remain)
		}
	}
	clock.Advance(100 * time.Millisecond) // t = 600 ms
	resp, body := rawCall{key: DemoKey(), action: "GetImageInfos", query: q}.do(t, srv)
	if resp.StatusCode != 503 || str(body["Code"]) != "Throttling.User" {
		t.Fatalf("11th call: %d %v", resp.StatusCode, body)
	}
	limit, remain, timeLeft, reset := parseRateHeader(t, resp.Header.Get("x-ratelimit-user-api"))
	// The first call (t = 50 ms) leaves the window at 1050 ms: 450 ms from now.
	if limit != 10 || remain != 0 || timeLeft != 450 || reset != start.Add(1050*time.Millisecond).UnixMilli() {
		t.Errorf("header %q", resp.Header.Get("x-ratelimit-user-api"))
	}

	// Another key and another action are not affected.
	if resp, _ := (rawCall{key: other, action: "GetImageInfos", query: q}).do(t, srv); resp.StatusCode != 200 {
		t.Errorf("other key: %d", resp.StatusCode)
	}
	if resp, _ := (rawCall{key: DemoKey(), action: "GetImageInfo", query: url.Values{"ImageId": q["ImageIds"]}}).do(t, srv); resp.StatusCode != 200 {
		t.Errorf("other action: %d", resp.StatusCode)
	}
	// Honouring TimeLeft is enough.
	clock.Advance(time.Duration(timeLeft) * time.Millisecond)
	if resp, body := (rawCall{key: DemoKey(), action: "GetImageInfos", query: q}).do(t, srv); resp.StatusCode != 200 {
		t.Errorf("after TimeLeft: %d %v", resp.StatusCode, body)
	}
	var throttled int
	for _, c := range e.Calls() {
		if c.Code == "Throttling.User" && c.Status == 503 {
			throttled++
		}
	}
	if throttled != 1 {
		t.Errorf("recorded %d throttled calls, want 1", throttled)
	}
}

func TestSetRateLimit(t *testing.T) {
	e, srv, _ := newTestServer(t, Options{})
	media := url.Values{"MediaIds": {e.Catalog().MediaIDs()[0]}}
	e.SetRateLimit("BatchGetMediaInfos", 2)
	for i, want := range []int{200, 200, 503} {
		if resp, _ := (rawCall{key: DemoKey(), action: "BatchGetMediaInfos", query: media}).do(t, srv); resp.StatusCode != want {
			t.Errorf("call %d: %d, want %d", i+1, resp.StatusCode, want)
		}
	}
	e.SetRateLimit("BatchGetMediaInfos", 0)
	e.SetRateLimit("GetImageInfos", 0)
	q := url.Values{"ImageIds": {e.Catalog().ImageIDs()[0]}}
	for i := range 15 {
		resp, _ := rawCall{key: DemoKey(), action: "GetImageInfos", query: q}.do(t, srv)
		if resp.StatusCode != 200 || strings.Contains(resp.Header.Get("x-ratelimit-user-api"), "Limit") {
			t.Fatalf("unlimited call %d: %d %q", i+1, resp.StatusCode, resp.Header.Get("x-ratelimit-user-api"))
		}
	}
}

// SearchMedia and GetCategories are limited to 50 calls per second per
// AccessKey each by default.
func TestSearchRateLimits(t *testing.T) {
	e, srv, clock := newTestServer(t, Options{Catalog: loadSearchCatalog(t)})
	for _, action := range []string{"SearchMedia", "GetCategories"} {
		t.Run(action, func(t *testing.T) {
			clock.Advance(2 * time.Second) // a fresh window
			for i := range 50 {
				clock.Advance(10 * time.Millisecond) // 50 calls within 500 ms
				resp, body := rawCall{key: DemoKey(), action: action}.do(t, srv)
				if resp.StatusCode != 200 {
					t.Fatalf("call %d: %d %v", i+1, resp.StatusCode, body)
				}
				if limit, remain, _, _ := parseRateHeader(t, resp.Header.Get("x-ratelimit-user-api")); limit != 50 || remain != int64(49-i) {
					t.Fatalf("call %d: header %q", i+1, resp.Header.Get("x-ratelimit-user-api"))
				}
			}
			resp, body := rawCall{key: DemoKey(), action: action}.do(t, srv)
			if resp.StatusCode != 503 || str(body["Code"]) != "Throttling.User" {
				t.Fatalf("51st call: %d %v", resp.StatusCode, body)
			}
			limit, remain, timeLeft, _ := parseRateHeader(t, resp.Header.Get("x-ratelimit-user-api"))
			if limit != 50 || remain != 0 || timeLeft != 510 {
				t.Errorf("header %q", resp.Header.Get("x-ratelimit-user-api"))
			}
			clock.Advance(time.Duration(timeLeft) * time.Millisecond)
			if resp, _ := (rawCall{key: DemoKey(), action: action}).do(t, srv); resp.StatusCode != 200 {
				t.Errorf("after TimeLeft: %d", resp.StatusCode)
			}
		})
	}
	last := e.Calls()[len(e.Calls())-2]
	if last.Action != "GetCategories" || last.Status != 503 || last.Code != "Throttling.User" {
		t.Errorf("throttled call recorded as %+v", last)
	}
}
