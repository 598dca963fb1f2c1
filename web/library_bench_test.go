package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"vodboard/vodclient"
)

// BenchmarkLibraryPage measures /library with 100 items through the real
// router and the emulator on loopback: one SearchMedia call, decoding, the
// view model and rendering (the category tree is cached after the first
// page, as in a session). With the upstream 40 ms away, compare the page
// with one SearchMedia call alone: the page should cost little more.
func BenchmarkLibraryPage(b *testing.B) {
	// No client-side limit: the figures are the page's cost, not the pace
	// of 50 calls a second.
	h := newHarness(b, harnessOptions{rateLimits: vodclient.NewRateLimits(nil)})
	br := h.browser(b)
	br.mustSignIn(h.key)
	h.emu.SetRateLimit("SearchMedia", 0)
	for _, view := range []string{"grid", "list"} {
		target := "/library?size=100&view=" + view
		b.Run("100 items, "+view, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if status := br.serve(target); status != http.StatusOK {
					b.Fatalf("%s: %d", target, status)
				}
			}
			h.emu.ResetCalls()
		})
	}

	h.emu.SetLatency(40 * time.Millisecond)
	defer h.emu.SetLatency(0)
	b.Run("100 items, upstream 40ms", func(b *testing.B) {
		for b.Loop() {
			if status := br.serve("/library?size=100"); status != http.StatusOK {
				b.Fatalf("status %d", status)
			}
		}
		h.emu.ResetCalls()
	})
	b.Run("SearchMedia alone, upstream 40ms", func(b *testing.B) {
		cred, err := vodclient.AccessKey(h.key.AccessKeyID, h.key.AccessKeySecret)
		if err != nil {
			b.Fatal(err)
		}
		c, err := vodclient.New(vodclient.Config{Region: "cn-shanghai", Endpoint: h.emuURL, Credential: cred, Pacer: vodclient.NewRateLimits(nil)})
		if err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, err := c.SearchMedia(context.Background(), vodclient.SearchQuery{PageSize: 100}); err != nil {
				b.Fatal(err)
			}
		}
		h.emu.ResetCalls()
	})
}

// serve answers a GET as the browser's session and returns the status, not
// parsing the body: a benchmark measures the server, not goquery.
func (b *browser) serve(target string) int {
	rec := httptest.NewRecorder()
	b.serveTo(target, rec)
	return rec.Code
}

// request is a GET of target as the browser's session: its address and
// cookies.
func (b *browser) request(target string) *http.Request {
	req := httptest.NewRequest(http.MethodGet, target, nil)
	req.RemoteAddr = b.remoteAddr
	b.mu.Lock()
	for _, c := range b.cookies {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	b.mu.Unlock()
	return req
}
