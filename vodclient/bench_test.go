package vodclient_test

import (
	"context"
	"fmt"
	"testing"

	"vodboard/vodclient"
)

// BenchmarkLookup100 measures a 100-ID lookup through the emulator on
// loopback: 5 concurrent calls of 20 IDs, signing, the emulator's signature
// check and response, and decoding. Rate limits are lifted on both sides
// so the figure is the client's and emulator's cost, not the 10 calls/s.
func BenchmarkLookup100(b *testing.B) {
	w := newWorld(b, func(c *vodclient.Config) { c.Pacer = vodclient.NewRateLimits(nil) })
	w.emu.SetRateLimit("GetImageInfos", 0)
	known := demoImageIDs(b, 40)
	ids := make([]string, 0, 100)
	ids = append(ids, known...)
	for i := len(ids); i < 100; i++ {
		ids = append(ids, fmt.Sprintf("%032x", i))
	}
	b.Run("GetImageInfos", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			res, err := w.client.GetImageInfos(context.Background(), ids, vodclient.URLOptions{})
			if err != nil || len(res) != 100 {
				b.Fatal(err)
			}
		}
		w.emu.ResetCalls()
	})
	b.Run("BatchGetMediaInfos", func(b *testing.B) {
		media := w.catalogMedia(b)
		for i := len(media); i < 100; i++ {
			media = append(media, fmt.Sprintf("%032x", 1000+i))
		}
		b.ReportAllocs()
		for b.Loop() {
			res, err := w.client.BatchGetMediaInfos(context.Background(), media, nil)
			if err != nil || len(res) != 100 {
				b.Fatal(err)
			}
		}
		w.emu.ResetCalls()
	})
}
