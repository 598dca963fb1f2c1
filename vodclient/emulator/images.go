package emulator

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"image"
	"math"
	"math/rand/v2"
)

// Picture styles: what is drawn over the seeded gradient and discs.
const (
	stylePhoto  = "photo"  // plain images
	styleSprite = "sprite" // a grid of tiles, like a sprite sheet
	styleCover  = "cover"  // a video frame: the picture alone, no motif
	styleAudio  = "audio"  // equaliser bars, for audio-only covers
	styleFrame  = "frame"  // a snapshot: discs shifted by variant, progress bar
)

// picture describes a generated image: deterministic for a seed, distinct
// between seeds, in the aspect ratio w:h.
type picture struct {
	seed    string
	style   string
	variant int
	w, h    int
	ext     string // png, jpg or jpeg
}

func (e *Emulator) picture(p picture) ([]byte, string, error) {
	ctype := "image/png"
	if p.ext == "jpg" || p.ext == "jpeg" {
		ctype = "image/jpeg"
	}
	key := fmt.Sprintf("%s|%s|%d|%dx%d|%s", p.seed, p.style, p.variant, p.w, p.h, p.ext)
	b, err := e.pictures.get(key, func() ([]byte, error) { return renderPicture(p) })
	return b, ctype, err
}

type rgb struct{ r, g, b float64 }

func hsl(h, s, l float64) rgb {
	h = math.Mod(h, 360)
	if h < 0 {
		h += 360
	}
	c := (1 - math.Abs(2*l-1)) * s
	x := c * (1 - math.Abs(math.Mod(h/60, 2)-1))
	m := l - c/2
	var r, g, b float64
	switch {
	case h < 60:
		r, g, b = c, x, 0
	case h < 120:
		r, g, b = x, c, 0
	case h < 180:
		r, g, b = 0, c, x
	case h < 240:
		r, g, b = 0, x, c
	case h < 300:
		r, g, b = x, 0, c
	default:
		r, g, b = c, 0, x
	}
	return rgb{(r + m) * 255, (g + m) * 255, (b + m) * 255}
}

// canvas wraps an RGBA image with alpha blending of flat colours.
type canvas struct{ *image.RGBA }

func (c canvas) blend(x, y int, col rgb, alpha float64) {
	i := c.PixOffset(x, y)
	p := c.Pix[i : i+3 : i+3]
	p[0] = uint8(float64(p[0])*(1-alpha) + col.r*alpha)
	p[1] = uint8(float64(p[1])*(1-alpha) + col.g*alpha)
	p[2] = uint8(float64(p[2])*(1-alpha) + col.b*alpha)
}

func (c canvas) rect(x0, y0, x1, y1 int, col rgb, alpha float64) {
	b := c.Bounds()
	for y := max(y0, b.Min.Y); y < min(y1, b.Max.Y); y++ {
		for x := max(x0, b.Min.X); x < min(x1, b.Max.X); x++ {
			c.blend(x, y, col, alpha)
		}
	}
}

func (c canvas) disc(cx, cy, r float64, col rgb, alpha float64) {
	b := c.Bounds()
	for y := max(int(cy-r), b.Min.Y); y < min(int(cy+r)+1, b.Max.Y); y++ {
		for x := max(int(cx-r), b.Min.X); x < min(int(cx+r)+1, b.Max.X); x++ {
			dx, dy := float64(x)-cx, float64(y)-cy
			if dx*dx+dy*dy <= r*r {
				c.blend(x, y, col, alpha)
			}
		}
	}
}

// renderPicture draws p at its full size and encodes it as its extension
// says.
func renderPicture(p picture) ([]byte, error) {
	b := newBlockPicture(p)
	if p.ext == "jpg" || p.ext == "jpeg" {
		return b.encodeJPEG(), nil
	}
	return b.encodePNG(), nil
}

// drawMotif draws p's picture at w×h: a diagonal gradient and translucent
// discs whose colours and places come from a hash of the seed, plus the
// style's motif.
func drawMotif(p picture, w, h int) *image.RGBA {
	sum := sha256.Sum256([]byte(p.seed))
	rng := rand.New(rand.NewPCG(binary.LittleEndian.Uint64(sum[0:8]), binary.LittleEndian.Uint64(sum[8:16])))
	hue := float64(binary.LittleEndian.Uint16(sum[16:18]) % 360)
	top := hsl(hue, 0.65, 0.58)
	bottom := hsl(hue+60+rng.Float64()*120, 0.6, 0.2)

	c := canvas{image.NewRGBA(image.Rect(0, 0, w, h))}
	for y := range h {
		for x := range w {
			t := 0.6*float64(x)/float64(w) + 0.4*float64(y)/float64(h)
			i := c.PixOffset(x, y)
			c.Pix[i+0] = uint8(top.r + (bottom.r-top.r)*t)
			c.Pix[i+1] = uint8(top.g + (bottom.g-top.g)*t)
			c.Pix[i+2] = uint8(top.b + (bottom.b-top.b)*t)
			c.Pix[i+3] = 255
		}
	}
	short := float64(min(w, h))
	for range 4 + rng.IntN(4) {
		cx, cy := rng.Float64(), rng.Float64()
		r := (0.1 + rng.Float64()*0.25) * short
		drift := rng.Float64() - 0.5
		cx = math.Mod(cx+drift*0.35*float64(p.variant)+10, 1)
		col := hsl(hue+rng.Float64()*120-60, 0.75, 0.45+rng.Float64()*0.4)
		c.disc(cx*float64(w), cy*float64(h), r, col, 0.3+rng.Float64()*0.35)
	}
	white, dark := rgb{255, 255, 255}, rgb{12, 12, 18}
	switch p.style {
	case styleSprite:
		cols := 10
		rows := max(1, int(math.Round(float64(cols)*float64(h)/float64(w))))
		for i := range cols * rows {
			x0, y0 := i%cols*w/cols, i/cols*h/rows
			c.rect(x0, y0, x0+w/cols, y0+h/rows, dark, rng.Float64()*0.35)
		}
		for i := 1; i < cols; i++ {
			c.rect(i*w/cols-1, 0, i*w/cols+1, h, dark, 0.8)
		}
		for j := 1; j < rows; j++ {
			c.rect(0, j*h/rows-1, w, j*h/rows+1, dark, 0.8)
		}
	case styleAudio:
		bars := 24
		for i := range bars {
			bh := (0.15 + rng.Float64()*0.5) * float64(h)
			x0 := (2*i + 1) * w / (2*bars + 1)
			c.rect(x0, h-int(bh)-h/12, x0+w/(2*bars+1), h-h/12, white, 0.75)
		}
	case styleFrame:
		band := max(4, h/25)
		c.rect(0, h-band, w, h, dark, 0.7)
		c.rect(0, h-band, w*min(p.variant, 10)/10, h, white, 0.8)
	}

	return c.RGBA
}
