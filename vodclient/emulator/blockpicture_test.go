package emulator

import (
	"bytes"
	"image"
	"testing"
)

// Pictures are the size declared, whatever it is, as valid JPEGs and PNGs
// that weigh about what the demo catalog declares for their format (0.3
// and 0.9 bytes a pixel).
func TestPicturesAreTheDeclaredSizeAndWeight(t *testing.T) {
	for _, tc := range []struct {
		w, h           int
		ext            string
		minBPP, maxBPP float64
	}{
		{1, 1, "jpg", 0, 1000},
		{17, 9, "png", 0, 1000},
		{161, 93, "jpeg", 0, 1000},
		{161, 93, "png", 0, 1000},
		{2400, 1350, "jpg", 0.2, 0.35},
		{2400, 1350, "png", 0.6, 1.0},
	} {
		b, err := renderPicture(picture{seed: "image/t", style: stylePhoto, w: tc.w, h: tc.h, ext: tc.ext})
		if err != nil {
			t.Fatal(err)
		}
		// Small pictures are decoded whole; the large only their headers
		// (decoding them is slow under -race).
		var bounds image.Rectangle
		if tc.w*tc.h < 100_000 {
			m, _, err := image.Decode(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("%dx%d %s: %v", tc.w, tc.h, tc.ext, err)
			}
			bounds = m.Bounds()
		} else {
			bounds, _ = decodeSize(t, b)
		}
		if bounds.Dx() != tc.w || bounds.Dy() != tc.h {
			t.Errorf("%dx%d %s: decoded %v", tc.w, tc.h, tc.ext, bounds)
		}
		if bpp := float64(len(b)) / float64(tc.w*tc.h); bpp < tc.minBPP || bpp > tc.maxBPP {
			t.Errorf("%dx%d %s: %.2f bytes a pixel, want %.2f to %.2f", tc.w, tc.h, tc.ext, bpp, tc.minBPP, tc.maxBPP)
		}
	}
}

func TestPictureSizeBounds(t *testing.T) {
	for _, tc := range []struct{ w, h, wantW, wantH int }{
		{0, 0, defaultPictureW, defaultPictureH},
		{6000, 4000, 6000, 4000},
		{10000, 10000, 7071, 7071},
		{200000, 10, maxPictureSide, 3},
	} {
		if w, h := pictureSize(tc.w, tc.h); w != tc.wantW || h != tc.wantH {
			t.Errorf("pictureSize(%d, %d) = %d, %d; want %d, %d", tc.w, tc.h, w, h, tc.wantW, tc.wantH)
		}
	}
}
