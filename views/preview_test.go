package views

import (
	"context"
	"image"
	"image/color"
	"image/png"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"vodboard/static"
)

// TestPreview renders every page with sample data for a visual check:
//
//	VODBOARD_PREVIEW_DIR=/tmp/vodboard-preview go test ./views -run TestPreview
//	(cd /tmp/vodboard-preview && python3 -m http.server 8765 --bind 127.0.0.1)
//	chromium --headless --no-sandbox --disable-gpu --screenshot=/tmp/x.png \
//	  --window-size=1400,1000 http://127.0.0.1:8765/media_detail.html
//
// Pages are served over HTTP rather than file:// because the sample image
// URLs must pass SafeURL (http/https only) and asset paths are absolute.
func TestPreview(t *testing.T) {
	dir := os.Getenv("VODBOARD_PREVIEW_DIR")
	if dir == "" {
		t.Skip("set VODBOARD_PREVIEW_DIR to write preview pages")
	}
	base := os.Getenv("VODBOARD_PREVIEW_BASE")
	if base == "" {
		base = "http://127.0.0.1:8765"
	}
	assets := static.New()
	for _, sub := range []string{"static", "img"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range assets.Names() {
		data, err := fs.ReadFile(assets.FS(), name)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, strings.TrimPrefix(assets.Path(name), "/")), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	writePNG(t, filepath.Join(dir, "img", "landscape.png"), 960, 540, 0)
	writePNG(t, filepath.Join(dir, "img", "portrait.png"), 540, 960, 1)
	writePNG(t, filepath.Join(dir, "img", "square.png"), 600, 600, 2)

	urls := AssetURLs{CSS: assets.Path(static.CSS), JS: assets.Path(static.JS), HTMX: assets.Path(static.HTMX), Icon: assets.Path(static.Icon)}
	for name, page := range pages(base, urls) {
		f, err := os.Create(filepath.Join(dir, name+".html"))
		if err != nil {
			t.Fatal(err)
		}
		err = page.Render(context.Background(), f)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("wrote %s", dir)
}

// writePNG draws a soft "photo": a gradient sky, a sun and hills.
func writePNG(t *testing.T, path string, w, h, variant int) {
	t.Helper()
	palettes := [][3]color.RGBA{
		{{40, 76, 160, 255}, {244, 162, 97, 255}, {38, 70, 83, 255}},
		{{94, 48, 140, 255}, {255, 190, 120, 255}, {52, 34, 70, 255}},
		{{20, 120, 130, 255}, {250, 230, 140, 255}, {22, 60, 60, 255}},
	}
	p := palettes[variant%len(palettes)]
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	sunX, sunY, sunR := float64(w)*0.68, float64(h)*0.38, float64(min(w, h))*0.12
	for y := 0; y < h; y++ {
		fy := float64(y) / float64(h)
		for x := 0; x < w; x++ {
			fx := float64(x) / float64(w)
			c := lerp(p[0], p[1], fy)
			if d := math.Hypot(float64(x)-sunX, float64(y)-sunY); d < sunR {
				c = color.RGBA{255, 236, 190, 255}
			}
			hill := 0.72 + 0.06*math.Sin(fx*7+float64(variant)) + 0.03*math.Sin(fx*19)
			if fy > hill {
				c = lerp(p[2], color.RGBA{10, 20, 25, 255}, (fy-hill)*2)
			}
			img.SetRGBA(x, y, c)
		}
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}

func lerp(a, b color.RGBA, f float64) color.RGBA {
	f = math.Max(0, math.Min(1, f))
	mix := func(x, y uint8) uint8 { return uint8(float64(x) + (float64(y)-float64(x))*f) }
	return color.RGBA{mix(a.R, b.R), mix(a.G, b.G), mix(a.B, b.B), 255}
}
