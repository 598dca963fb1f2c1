package emulator

import (
	"crypto/sha256"
	"encoding/binary"
	"image"
	"math"
)

// Pictures are served at the size their catalog entry declares, so that a
// page of originals costs what it costs on a real account. A picture is a
// block picture: its motif (drawn small) sampled once per 8×8 block, with a
// grain texture over it. Its JPEG and PNG files are written directly
// (blockjpeg.go, blockpng.go), a step per block or per row rather than a
// transform per pixel, so that a 6000×4000 original takes tens of
// milliseconds to make, not seconds, and not minutes under the race
// detector. The grain makes the files weigh about what the demo catalog
// declares: about a quarter of a byte a pixel as JPEG.

// Picture sizes.
const (
	// defaultPictureW and defaultPictureH size a picture whose catalog
	// entry declares no size.
	defaultPictureW, defaultPictureH = 1280, 720
	// coverSide bounds the longer side of covers and snapshots, whose
	// entries declare no size of their own (the video's is far larger
	// than a cover needs to be).
	coverSide = 1280
	// spriteSide bounds the longer side of a sprite sheet.
	spriteSide = 1600
	// maxPicturePixels and maxPictureSide bound a picture whatever its
	// entry declares (a JPEG's sides fit 16 bits); a larger one keeps its
	// aspect ratio within them.
	maxPicturePixels = 50_000_000
	maxPictureSide   = 65535
	// motifSide bounds the longer side at which the motif is drawn.
	motifSide = 480
	// blockSide is the side of the blocks that take one colour of the
	// motif (and one grain texture).
	blockSide = 8
)

// pictureSize is the size of a picture declared w×h: that size, or
// defaultPictureW×defaultPictureH when none is declared, scaled down to
// maxPicturePixels and maxPictureSide if larger.
func pictureSize(w, h int) (int, int) {
	if w <= 0 || h <= 0 {
		return defaultPictureW, defaultPictureH
	}
	if px := float64(w) * float64(h); px > maxPicturePixels {
		s := math.Sqrt(maxPicturePixels / px)
		w, h = max(1, int(float64(w)*s)), max(1, int(float64(h)*s))
	}
	return fitWithin(w, h, maxPictureSide)
}

// fitWithin scales w×h down so that its longer side is at most limit.
func fitWithin(w, h, limit int) (int, int) {
	if long := max(w, h); long > limit {
		s := float64(limit) / float64(long)
		return max(1, int(math.Round(float64(w)*s))), max(1, int(math.Round(float64(h)*s)))
	}
	return w, h
}

// blockPicture is a w×h picture whose blocks take their colours from a
// motif.
type blockPicture struct {
	w, h  int
	motif *image.RGBA
	grain uint64 // seeds the choice of grain textures
}

func newBlockPicture(p picture) blockPicture {
	w, h := pictureSize(p.w, p.h)
	mw, mh := fitWithin(w, h, motifSide)
	sum := sha256.Sum256([]byte("grain/" + p.seed))
	return blockPicture{w: w, h: h, motif: drawMotif(p, mw, mh), grain: binary.LittleEndian.Uint64(sum[:8]) | 1}
}

// colorAt returns the motif's colour (bilinear) at picture coordinates
// x, y.
func (b blockPicture) colorAt(x, y float64) (r, g, bl uint8) {
	m := b.motif
	mw, mh := m.Rect.Dx(), m.Rect.Dy()
	fx := min(max(x*float64(mw)/float64(b.w)-0.5, 0), float64(mw-1))
	fy := min(max(y*float64(mh)/float64(b.h)-0.5, 0), float64(mh-1))
	x0, y0 := int(fx), int(fy)
	x1, y1 := min(x0+1, mw-1), min(y0+1, mh-1)
	tx, ty := fx-float64(x0), fy-float64(y0)
	var out [3]uint8
	for c := range 3 {
		at := func(x, y int) float64 { return float64(m.Pix[m.PixOffset(x, y)+c]) }
		top := at(x0, y0)*(1-tx) + at(x1, y0)*tx
		bottom := at(x0, y1)*(1-tx) + at(x1, y1)*tx
		out[c] = uint8(math.Round(top*(1-ty) + bottom*ty))
	}
	return out[0], out[1], out[2]
}

// blockColors returns the colour of every block of side side, row by row,
// and the number of blocks across and down.
func (b blockPicture) blockColors(side int) (cols, rows int, rgb [][3]uint8) {
	cols, rows = (b.w+side-1)/side, (b.h+side-1)/side
	rgb = make([][3]uint8, cols*rows)
	for by := range rows {
		cy := float64(min(by*side+side/2, b.h-1)) + 0.5
		for bx := range cols {
			cx := float64(min(bx*side+side/2, b.w-1)) + 0.5
			r, g, bl := b.colorAt(cx, cy)
			rgb[by*cols+bx] = [3]uint8{r, g, bl}
		}
	}
	return cols, rows, rgb
}

// xorshift is a small deterministic generator for grain.
type xorshift uint64

func (s *xorshift) next() uint64 {
	*s ^= *s >> 12
	*s ^= *s << 25
	*s ^= *s >> 27
	return uint64(*s) * 2685821657736338717
}
