package thumbs

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	_ "image/gif" // originals: GIF (the first frame)
	"image/jpeg"
	_ "image/png" // originals: PNG
	"math"

	_ "golang.org/x/image/bmp" // originals: BMP
	"golang.org/x/image/draw"
	_ "golang.org/x/image/webp" // originals: WebP
)

// Thumbnails are encoded at jpegQualities[0], or at the next quality when
// that makes more than maxThumbnailBytes (a thumbnail of fine detail
// everywhere, foliage or noise), so that none is heavier than that.
var jpegQualities = []int{80, 65, 50, 35}

const maxThumbnailBytes = 64 << 10

// background is what transparent originals are drawn over: thumbnails are
// JPEGs.
var background = color.RGBA{0xff, 0xff, 0xff, 0xff}

// resize makes the thumbnail of the encoded image original: at most
// maxSide pixels on its longer side (an original already that small keeps
// its size), upright as its EXIF orientation says, as a JPEG. It refuses
// originals of more than maxPixels before decoding them.
func resize(original []byte, maxSide, maxPixels int) ([]byte, error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(original))
	if err != nil {
		return nil, fmt.Errorf("%w: not an image it can read: %v", ErrOriginal, err)
	}
	if px := int64(cfg.Width) * int64(cfg.Height); px > int64(maxPixels) || px == 0 {
		return nil, fmt.Errorf("%w: %d×%d pixels, over the %d it decodes", ErrOriginal, cfg.Width, cfg.Height, maxPixels)
	}
	img, _, err := image.Decode(bytes.NewReader(original))
	if err != nil {
		return nil, fmt.Errorf("%w: decode %s: %v", ErrOriginal, format, err)
	}
	b := img.Bounds()
	w, h := fit(b.Dx(), b.Dy(), maxSide)
	src := shrink(img, min(b.Dx()/(2*w), b.Dy()/(2*h)))
	thumb := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(thumb, thumb.Bounds(), image.NewUniform(background), image.Point{}, draw.Src)
	draw.CatmullRom.Scale(thumb, thumb.Bounds(), src, src.Bounds(), draw.Over, nil)
	if format == "jpeg" {
		thumb = orient(thumb, exifOrientation(original))
	}
	var out bytes.Buffer
	for _, q := range jpegQualities {
		out.Reset()
		if err := jpeg.Encode(&out, thumb, &jpeg.Options{Quality: q}); err != nil {
			return nil, fmt.Errorf("encode thumbnail: %w", err)
		}
		if out.Len() <= maxThumbnailBytes {
			break
		}
	}
	return out.Bytes(), nil
}

// fit scales w×h down so that its longer side is at most side.
func fit(w, h, side int) (int, int) {
	if max(w, h) <= side {
		return w, h
	}
	s := float64(side) / float64(max(w, h))
	return max(1, int(math.Round(float64(w)*s))), max(1, int(math.Round(float64(h)*s)))
}

// shrink returns img reduced k times by averaging k×k blocks (a box
// filter), or img itself when k < 2. Scaling a 6000×4000 original straight
// to 400 pixels weighs every source pixel in a wide kernel; averaging it
// down first to twice the thumbnail's size costs one pass, and the kernel
// then has little left to do.
func shrink(img image.Image, k int) image.Image {
	if k < 2 {
		return img
	}
	b := img.Bounds()
	w, h := b.Dx()/k, b.Dy()/k
	switch m := img.(type) {
	case *image.YCbCr:
		out := image.NewYCbCr(image.Rect(0, 0, w, h), m.SubsampleRatio)
		box(out.Y, w, h, out.YStride, m.Y[m.YOffset(b.Min.X, b.Min.Y):], b.Dx(), b.Dy(), m.YStride, 1, k)
		// The chroma planes are subsampled alike: a block of k chroma
		// samples covers the same pixels as k luma blocks.
		cw, ch := chromaSize(w, h, m.SubsampleRatio)
		scw, sch := chromaSize(b.Dx(), b.Dy(), m.SubsampleRatio)
		co := m.COffset(b.Min.X, b.Min.Y)
		box(out.Cb, cw, ch, out.CStride, m.Cb[co:], scw, sch, m.CStride, 1, k)
		box(out.Cr, cw, ch, out.CStride, m.Cr[co:], scw, sch, m.CStride, 1, k)
		return out
	case *image.Gray:
		out := image.NewGray(image.Rect(0, 0, w, h))
		box(out.Pix, w, h, out.Stride, m.Pix[m.PixOffset(b.Min.X, b.Min.Y):], b.Dx(), b.Dy(), m.Stride, 1, k)
		return out
	case *image.NRGBA:
		out := image.NewNRGBA(image.Rect(0, 0, w, h))
		box(out.Pix, w, h, out.Stride, m.Pix[m.PixOffset(b.Min.X, b.Min.Y):], b.Dx(), b.Dy(), m.Stride, 4, k)
		return out
	case *image.RGBA:
		out := image.NewRGBA(image.Rect(0, 0, w, h))
		box(out.Pix, w, h, out.Stride, m.Pix[m.PixOffset(b.Min.X, b.Min.Y):], b.Dx(), b.Dy(), m.Stride, 4, k)
		return out
	}
	// Anything else (paletted, 16-bit, CMYK) is converted first.
	rgba := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(rgba, rgba.Bounds(), img, b.Min, draw.Src)
	return shrink(rgba, k)
}

// chromaSize is the size of the chroma planes of a w×h YCbCr image.
func chromaSize(w, h int, r image.YCbCrSubsampleRatio) (int, int) {
	switch r {
	case image.YCbCrSubsampleRatio422:
		return (w + 1) / 2, h
	case image.YCbCrSubsampleRatio420:
		return (w + 1) / 2, (h + 1) / 2
	case image.YCbCrSubsampleRatio440:
		return w, (h + 1) / 2
	case image.YCbCrSubsampleRatio411:
		return (w + 3) / 4, h
	case image.YCbCrSubsampleRatio410:
		return (w + 3) / 4, (h + 1) / 2
	}
	return w, h
}

// box writes into dst (w×h samples of n channels, rows stride apart) the
// means of k×k blocks of src (sw×sh, rows srcStride apart). Blocks past
// the source's edge are cut short.
func box(dst []uint8, w, h, stride int, src []uint8, sw, sh, srcStride, n, k int) {
	sums := make([]uint32, w*n)
	counts := make([]uint32, w)
	for y := range h {
		clear(sums)
		clear(counts)
		for sy := y * k; sy < min(y*k+k, sh); sy++ {
			row := src[sy*srcStride:]
			for x := range w {
				for sx := x * k; sx < min(x*k+k, sw); sx++ {
					for c := range n {
						sums[x*n+c] += uint32(row[sx*n+c])
					}
					counts[x]++
				}
			}
		}
		out := dst[y*stride:]
		for x := range w {
			for c := range n {
				if counts[x] > 0 {
					out[x*n+c] = uint8((sums[x*n+c] + counts[x]/2) / counts[x])
				}
			}
		}
	}
}
