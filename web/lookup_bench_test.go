package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"vodboard/vodclient"
)

// BenchmarkBigLookups measures whole live lookups, from the request to the
// "done" event, through the real router, the session's client and the
// admission queue, against the emulator 40 ms away:
//
//   - 100 and 1,000 media IDs (5 and 50 BatchGetMediaInfos calls), to
//     compare with one call alone: the targets are 1.3x and 3x;
//   - 300 image IDs (15 GetImageInfos calls) under the emulator's limit of
//     10 calls a second: the floor is 1.4 s (the first call at once, then
//     one every 100 ms), the target within 25% of it, with no call
//     throttled (throttled/op).
//
// Run with -benchtime=5x: one image lookup takes a second and a half.
func BenchmarkBigLookups(b *testing.B) {
	h := newHarness(b, harnessOptions{})
	br := h.browser(b)
	br.mustSignIn(h.key)
	h.emu.SetLatency(40 * time.Millisecond)
	defer h.emu.SetLatency(0)

	b.Run("one BatchGetMediaInfos call alone", func(b *testing.B) {
		cred, err := vodclient.AccessKey(h.key.AccessKeyID, h.key.AccessKeySecret)
		if err != nil {
			b.Fatal(err)
		}
		c, err := vodclient.New(vodclient.Config{Region: "cn-shanghai", Endpoint: h.emuURL, Credential: cred})
		if err != nil {
			b.Fatal(err)
		}
		ids := madeUpIDs("med", 20)
		for b.Loop() {
			if _, err := c.BatchGetMediaInfos(context.Background(), ids, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, n := range []int{100, 1000} {
		target := "/media?ids=" + strings.Join(madeUpIDs("med", n), ",")
		b.Run(strconv.Itoa(n)+" media IDs", func(b *testing.B) {
			for b.Loop() {
				br.streamLookup(b, target)
			}
		})
	}

	imgs := madeUpIDs("img", 300)
	copy(imgs, h.cat.ImageIDs())
	target := "/images?ids=" + strings.Join(imgs, ",")
	b.Run("300 image IDs at 10 calls a second", func(b *testing.B) {
		h.emu.ResetCalls()
		for b.Loop() {
			br.streamLookup(b, target)
		}
		throttled := 0
		for _, c := range h.calls("GetImageInfos") {
			if c.Code != "" {
				throttled++
			}
		}
		b.ReportMetric(float64(throttled)/float64(b.N), "throttled/op")
	})
}

// streamLookup runs a live lookup to its end as the page's EventSource
// does, and fails unless it ends with the results.
func (br *browser) streamLookup(b *testing.B, target string) {
	rec := httptest.NewRecorder()
	br.serveTo(target, rec, eventStream)
	body := rec.Body.String()
	last := strings.LastIndex(body, "event: ")
	if rec.Code != http.StatusOK || last < 0 || !strings.HasPrefix(body[last:], "event: done\n") || strings.Contains(body[last:], `data-testid="error"`) {
		b.Fatalf("%s: status %d, stream ends %q", target[:20], rec.Code, excerpt(body[max(last, 0):]))
	}
}
