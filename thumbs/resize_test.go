package thumbs

import (
	"bytes"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"testing"
)

func TestResizeFitsTheLongSide(t *testing.T) {
	for _, tc := range []struct {
		name         string
		w, h         int
		wantW, wantH int
	}{
		{"landscape", 2400, 1350, 400, 225},
		{"portrait", 1080, 1920, 225, 400},
		{"small originals keep their size", 320, 180, 320, 180},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := resize(photo(t, tc.w, tc.h), 400, DefaultMaxPixels)
			if err != nil {
				t.Fatal(err)
			}
			b := decode(t, out).Bounds()
			if b.Dx() != tc.wantW || b.Dy() != tc.wantH {
				t.Errorf("thumbnail %dx%d, want %dx%d", b.Dx(), b.Dy(), tc.wantW, tc.wantH)
			}
			if len(out) > 65<<10 {
				t.Errorf("thumbnail of %d bytes, want under 65 KB", len(out))
			}
		})
	}
}

// Even an original that is fine detail everywhere (noise: the worst case
// for JPEG) makes a thumbnail under 65 KB.
func TestResizeKeepsThumbnailsLight(t *testing.T) {
	m := image.NewRGBA(image.Rect(0, 0, 400, 400))
	r := rand.New(rand.NewPCG(1, 2))
	for i := range m.Pix {
		m.Pix[i] = uint8(r.Uint32())
		if i%4 == 3 {
			m.Pix[i] = 0xff
		}
	}
	var b bytes.Buffer
	png.Encode(&b, m)
	out, err := resize(b.Bytes(), 400, DefaultMaxPixels)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) > maxThumbnailBytes {
		t.Errorf("thumbnail of noise: %d bytes, want at most %d", len(out), maxThumbnailBytes)
	}
	t.Logf("400×400 of noise: %d bytes", len(out))
}

// The box filter keeps colours: a flat original makes a flat thumbnail of
// the same colour, through every kind of decoded image.
func TestResizeKeepsColours(t *testing.T) {
	orange := color.NRGBA{0xf0, 0x80, 0x20, 0xff}
	out, err := resize(graphic(t, 1600, 900, orange), 400, DefaultMaxPixels)
	if err != nil {
		t.Fatal(err)
	}
	m := decode(t, out)
	if got := m.At(50, 100); !near(got, orange, 6) {
		t.Errorf("left half %v, want %v", got, orange)
	}
	// Transparency is drawn over white: a JPEG has none.
	if got := m.At(350, 100); !near(got, color.White, 6) {
		t.Errorf("transparent half %v, want white", got)
	}

	gray := image.NewGray(image.Rect(0, 0, 1000, 1000))
	for i := range gray.Pix {
		gray.Pix[i] = 0x60
	}
	var b bytes.Buffer
	jpeg.Encode(&b, gray, nil)
	out, err = resize(b.Bytes(), 400, DefaultMaxPixels)
	if err != nil {
		t.Fatal(err)
	}
	if got := decode(t, out).At(200, 200); !near(got, color.Gray{0x60}, 4) {
		t.Errorf("gray original made %v", got)
	}
}

func TestResizeRefusesBeforeDecoding(t *testing.T) {
	// A PNG header claiming 100000×100000 pixels, and nothing after: the
	// size is read from the header and refused before any pixel is.
	huge := graphic(t, 2, 2, color.NRGBA{A: 255})
	binary.BigEndian.PutUint32(huge[16:], 100000)
	binary.BigEndian.PutUint32(huge[20:], 100000)
	if _, err := resize(huge[:33], 400, DefaultMaxPixels); !errors.Is(err, ErrOriginal) {
		t.Errorf("huge picture: %v, want ErrOriginal", err)
	}
	if _, err := resize([]byte("<html>not an image</html>"), 400, DefaultMaxPixels); !errors.Is(err, ErrOriginal) {
		t.Errorf("not an image: %v, want ErrOriginal", err)
	}
}

// withOrientation inserts an EXIF APP1 segment stating orientation o
// after a JPEG's SOI marker.
func withOrientation(jpg []byte, o uint16, order binary.AppendByteOrder) []byte {
	tiff := []byte("II*\x00\x08\x00\x00\x00")
	if order == binary.BigEndian {
		tiff = []byte("MM\x00*\x00\x00\x00\x08")
	}
	tiff = order.AppendUint16(tiff, 1) // one entry
	tiff = order.AppendUint16(tiff, 0x0112)
	tiff = order.AppendUint16(tiff, 3) // SHORT
	tiff = order.AppendUint32(tiff, 1)
	tiff = order.AppendUint16(tiff, o)
	tiff = append(tiff, 0, 0, 0, 0, 0, 0) // value padding, next IFD
	seg := append([]byte("Exif\x00\x00"), tiff...)
	out := append([]byte{0xff, 0xd8, 0xff, 0xe1}, byte((len(seg)+2)>>8), byte(len(seg)+2))
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

// A camera's portrait photo is stored sideways with an orientation: the
// thumbnail is turned upright, as browsers show the original.
func TestResizeTurnsPhotosUpright(t *testing.T) {
	// 800×400, dark on its left half and light on its right.
	m := image.NewGray(image.Rect(0, 0, 800, 400))
	for y := range 400 {
		for x := range 800 {
			m.Pix[y*800+x] = map[bool]uint8{true: 0x20, false: 0xe0}[x < 400]
		}
	}
	var b bytes.Buffer
	jpeg.Encode(&b, m, &jpeg.Options{Quality: 95})
	for _, tc := range []struct {
		o            uint16
		order        binary.AppendByteOrder
		wantW, wantH int
		dark         image.Point // a point that is dark when upright
	}{
		{1, binary.LittleEndian, 400, 200, image.Pt(50, 100)},
		{3, binary.BigEndian, 400, 200, image.Pt(350, 100)},
		// Turned clockwise, the left (dark) half is on top.
		{6, binary.LittleEndian, 200, 400, image.Pt(100, 50)},
		{8, binary.BigEndian, 200, 400, image.Pt(100, 350)},
	} {
		out, err := resize(withOrientation(b.Bytes(), tc.o, tc.order), 400, DefaultMaxPixels)
		if err != nil {
			t.Fatal(err)
		}
		thumb := decode(t, out)
		if got := thumb.Bounds(); got.Dx() != tc.wantW || got.Dy() != tc.wantH {
			t.Errorf("orientation %d: %dx%d, want %dx%d", tc.o, got.Dx(), got.Dy(), tc.wantW, tc.wantH)
			continue
		}
		if got := thumb.At(tc.dark.X, tc.dark.Y); !near(got, color.Gray{0x20}, 12) {
			t.Errorf("orientation %d: %v at %v, want the dark half", tc.o, got, tc.dark)
		}
	}
}
