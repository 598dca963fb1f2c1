package web

import (
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync"
	"testing"

	"github.com/labstack/echo/v4"
)

// emptyResponsesAlloc returns the bytes allocated for n requests through
// mw in flight at once, each waiting (as for a slow upstream) and then
// answering nothing, as a cancelled request does.
func emptyResponsesAlloc(t testing.TB, mw echo.MiddlewareFunc, n int) uint64 {
	e := echo.New()
	waiting, release := sync.WaitGroup{}, make(chan struct{})
	waiting.Add(n)
	e.GET("/", func(c echo.Context) error {
		waiting.Done()
		<-release
		return nil
	}, mw)
	reqs := make([]*http.Request, n)
	recs := make([]*httptest.ResponseRecorder, n)
	for i := range reqs {
		reqs[i] = httptest.NewRequest(http.MethodGet, "/", nil)
		reqs[i].Header.Set("Accept-Encoding", "gzip, deflate, br, zstd")
		recs[i] = httptest.NewRecorder()
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var done sync.WaitGroup
	for i := range n {
		done.Go(func() { e.ServeHTTP(recs[i], reqs[i]) })
	}
	waiting.Wait()
	close(release)
	done.Wait()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestNoCompressorForEmptyResponses: responses that end with nothing
// written (a request cancelled while it waited upstream) build no
// compressor. Echo's gzip middleware built one each (about 1 MB) when it
// closed them.
func TestNoCompressorForEmptyResponses(t *testing.T) {
	const n = 100
	if alloc := emptyResponsesAlloc(t, compress(), n); alloc > n*32<<10 {
		t.Errorf("%d empty responses allocated %d KB, want under 32 KB each", n, alloc>>10)
	}
}

// BenchmarkCompressDetailPage compresses a media detail page (about 84 KB
// of HTML) as a browser asks for it (zstd) and as older clients do (gzip).
func BenchmarkCompressDetailPage(b *testing.B) {
	h := newHarness(b, harnessOptions{})
	br := h.browser(b)
	br.mustSignIn(h.key)
	page := []byte(br.get("/media/" + h.cat.MediaIDs()[0]).body)
	e := echo.New()
	e.GET("/", func(c echo.Context) error { return c.HTMLBlob(http.StatusOK, page) }, compress())
	for _, enc := range []string{"zstd", "gzip"} {
		b.Run(enc, func(b *testing.B) {
			b.ReportAllocs()
			out := 0
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, "/", nil)
				req.Header.Set("Accept-Encoding", enc)
				rec := httptest.NewRecorder()
				e.ServeHTTP(rec, req)
				out = rec.Body.Len()
			}
			b.ReportMetric(float64(len(page)), "page-bytes")
			b.ReportMetric(float64(out), "sent-bytes")
		})
	}
}
