package web

import (
	"bytes"
	"fmt"
	"net/http"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"vodboard/vodclient"
)

// BenchmarkLibraryExport measures the export of 10,000 library rows (the
// demo's videos and synthetic ones) through the real router and the
// emulator on loopback: 100 SearchMedia calls, their decoding, and the
// file; and, to compare, of the first 1,000 of them (a server whose bound
// is 1,000 rows). Besides time and allocations per export it reports the
// size of the file and the peak of the heap above where it was before the
// export, sampled every millisecond. That peak counts garbage not yet
// collected, the emulator's included (it runs in the same process), so it
// follows the GC's pacing (GOGC) rather than the rows: what the export
// keeps is measured by TestExportMemoryIsFlat.
func BenchmarkLibraryExport(b *testing.B) {
	videos := 0
	cat := demoCatalog(b)
	for _, id := range cat.MediaIDs() {
		if cat.MediaType(id) == "video" {
			videos++
		}
	}
	const selection = 10_000
	for _, rows := range []int{1_000, selection} {
		// No client-side limit: the figures are the export's cost, not the
		// pace of 45 calls a second.
		h := newHarness(b, harnessOptions{synthetic: selection - videos, exportMaxRows: rows, rateLimits: vodclient.NewRateLimits(nil)})
		br := h.browser(b)
		br.mustSignIn(h.key)
		h.emu.SetRateLimit("SearchMedia", 0)
		for _, format := range []string{"csv", "json"} {
			b.Run(fmt.Sprintf("%d rows, %s", rows, format), func(b *testing.B) {
				b.ReportAllocs()
				var peak uint64
				var size int
				for b.Loop() {
					w := &lineCounter{header: http.Header{}}
					stop := samplePeakHeap()
					br.serveTo("/library?format="+format, w)
					peak = max(peak, stop())
					if w.status != http.StatusOK || w.lines < rows+1 {
						b.Fatalf("status %d, %d lines", w.status, w.lines)
					}
					size = w.bytes
					h.emu.ResetCalls()
				}
				b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
				b.ReportMetric(float64(size)/(1<<20), "file-MB")
			})
		}
	}
}

// samplePeakHeap samples the heap's objects (live, and garbage not yet
// collected) every millisecond until the function it returns is called,
// which returns their peak above the heap live before.
func samplePeakHeap() (stop func() uint64) {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 {
		metrics.Read(sample)
		return sample[0].Value.Uint64()
	}
	base := read()
	peak := base
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				peak = max(peak, read())
			}
		}
	})
	return func() uint64 {
		close(done)
		wg.Wait()
		return max(peak, read()) - base
	}
}

// lineCounter is a client that counts the lines and bytes of a response.
type lineCounter struct {
	header       http.Header
	status       int
	lines, bytes int
}

func (w *lineCounter) Header() http.Header    { return w.header }
func (w *lineCounter) WriteHeader(status int) { w.status = status }
func (w *lineCounter) Flush()                 {}

func (w *lineCounter) Write(b []byte) (int, error) {
	w.lines += bytes.Count(b, []byte{'\n'})
	w.bytes += len(b)
	return len(b), nil
}
