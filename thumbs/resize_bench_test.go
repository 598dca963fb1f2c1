package thumbs

import (
	"fmt"
	"testing"
)

// BenchmarkResize measures making one thumbnail from a photo-like JPEG
// original (a gradient with grain) of the usual sizes: the CPU a cold
// thumbnail costs, and what it weighs.
//
//	go test -run '^$' -bench BenchmarkResize ./thumbs/
func BenchmarkResize(b *testing.B) {
	for _, size := range [][2]int{{2400, 1350}, {6000, 4000}} {
		b.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(b *testing.B) {
			original := photo(b, size[0], size[1])
			var thumb []byte
			for b.Loop() {
				var err error
				if thumb, err = resize(original, DefaultMaxSide, DefaultMaxPixels); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(original)), "original-bytes")
			b.ReportMetric(float64(len(thumb)), "thumbnail-bytes")
		})
	}
}
