package web

import (
	"bytes"
	"image"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// gridSize is the grid measured: 24 cards, about a screenful.
const gridSize = 24

// BenchmarkThumbnailGrid measures a grid of 24 real-size originals
// (2400×1350 and up, served at the size the demo catalog declares) as the
// browser loads it: the originals straight from their signed URLs
// (thumbnails off), or the light thumbnails, made cold (nothing cached)
// or served warm. It reports the bytes the browser downloads and the
// longest side it gets; ns/op is the time to the last picture, fetched
// six at a time as a browser does.
//
//	go test -run '^$' -bench BenchmarkThumbnailGrid -benchtime 5x ./web/
func BenchmarkThumbnailGrid(b *testing.B) {
	h := newHarness(b, harnessOptions{thumbnails: true, thumbCacheSize: 64 << 20, emulatorPictureBytes: 512 << 20})
	br := h.browser(b)
	br.mustSignIn(h.key)
	var ids []string
	for _, img := range h.images(b, nil) {
		w, _ := img.Mezzanine.Width.Int64()
		ht, _ := img.Mezzanine.Height.Int64()
		if img.URL != "" && img.Status == "Normal" && max(w, ht) >= 2400 && len(ids) < gridSize {
			ids = append(ids, img.ImageID)
		}
	}
	if len(ids) < gridSize {
		b.Skipf("%d images of 2400 pixels and up in the catalog, want %d", len(ids), gridSize)
	}
	// Two lookups of 12 (a lookup of more than 20 IDs streams its grid in).
	var originals, thumbs []string
	for _, half := range [][]string{ids[:gridSize/2], ids[gridSize/2:]} {
		page := br.get("/images?ids=" + strings.Join(half, ","))
		mustStatus(b, page, http.StatusOK)
		imgs := page.find("image-card").Find("img")
		originals, thumbs = append(originals, texts(imgs, "data-fallback-src")...), append(thumbs, texts(imgs, "src")...)
	}
	if len(originals) != gridSize || len(thumbs) != gridSize {
		b.Fatalf("%d originals and %d thumbnails in the grid", len(originals), len(thumbs))
	}

	get := func(target string) []byte {
		if strings.HasPrefix(target, "/") {
			p := br.get(target)
			mustStatus(b, p, http.StatusOK)
			return []byte(p.body)
		}
		resp, err := http.Get(target)
		if err != nil {
			b.Fatal(err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil || resp.StatusCode != http.StatusOK {
			b.Fatalf("%d: %v", resp.StatusCode, err)
		}
		return body
	}
	// grid loads every picture, six at a time, and reports what came.
	grid := func(b *testing.B, targets []string) {
		bodies := make([][]byte, len(targets))
		turns := make(chan struct{}, 6)
		var wg sync.WaitGroup
		for i, target := range targets {
			turns <- struct{}{}
			wg.Go(func() {
				defer func() { <-turns }()
				bodies[i] = get(target)
			})
		}
		wg.Wait()
		b.StopTimer()
		var total, largest, longest int
		for _, body := range bodies {
			cfg, _, err := image.DecodeConfig(bytes.NewReader(body))
			if err != nil {
				b.Fatal(err)
			}
			total += len(body)
			largest = max(largest, len(body))
			longest = max(longest, cfg.Width, cfg.Height)
		}
		b.ReportMetric(float64(total), "bytes/grid")
		b.ReportMetric(float64(total)/float64(len(bodies)), "bytes/picture")
		b.ReportMetric(float64(largest), "max-bytes/picture")
		b.ReportMetric(float64(longest), "max-long-side-px")
		b.StartTimer()
	}

	for _, u := range originals { // the emulator renders each once
		get(u)
	}
	b.Run("originals", func(b *testing.B) {
		for b.Loop() {
			grid(b, originals)
		}
	})
	b.Run("thumbnails-cold", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			emptyDir(b, h.thumbDir)
			b.StartTimer()
			grid(b, thumbs)
		}
	})
	b.Run("thumbnails-warm", func(b *testing.B) {
		for b.Loop() {
			grid(b, thumbs)
		}
	})
}

// emptyDir removes the thumbnails cached in dir: the cache finds them
// gone and makes them again.
func emptyDir(b *testing.B, dir string) {
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Ext(path) == ".jpg" {
			err = os.Remove(path)
		}
		return err
	})
}
