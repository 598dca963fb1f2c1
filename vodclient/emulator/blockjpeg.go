package emulator

import (
	"encoding/binary"
	"image/color"
	"math"
	"math/bits"
	"math/rand/v2"
	"sync"
)

// A block picture as a baseline JPEG (4:2:0): each 8×8 luma block is the
// block's level (its DC coefficient) plus one of grainTextures textures
// (AC coefficients chosen once, entropy-coded once); chroma is flat over
// each 16×16 MCU. Writing it costs a few table lookups a block.

const (
	jpegQuality   = 85
	grainTextures = 64
	// grainTerms and grainOdds shape a texture: each of the first
	// grainTerms AC coefficients (zigzag order) is ±1 or ±2 with
	// probability 1/grainOdds: a grain of about 13 levels of luma (standard
	// deviation), and a file of about a quarter of a byte a pixel.
	grainTerms = 44
	grainOdds  = 2
)

// jpegTables are the Huffman codes and quantisation tables every block
// JPEG uses, and the entropy-coded grain textures.
type jpegTables struct {
	quant    [2][64]byte  // luma, chroma; zigzag order, as written
	dc, ac   [2]huffTable // luma, chroma
	textures [grainTextures][]huffBits
}

// huffBits is a code (or code plus extra bits) to write: n bits, MSB first.
type huffBits struct {
	bits uint32
	n    uint8
}

type huffTable struct {
	counts [16]byte
	values []byte
	codes  [256]huffBits
}

var blockJPEGTables = sync.OnceValue(newJPEGTables)

func newJPEGTables() *jpegTables {
	t := &jpegTables{}
	// The Annex K tables, scaled to jpegQuality as libjpeg does.
	scale := 200 - 2*jpegQuality
	for i := range 2 {
		for k, q := range annexKQuant[i] {
			t.quant[i][k] = byte(min(max((int(q)*scale+50)/100, 1), 255))
		}
	}
	for i := range 2 {
		t.dc[i] = newHuffTable(annexKHuffman[2*i])
		t.ac[i] = newHuffTable(annexKHuffman[2*i+1])
	}
	// Textures are fixed for every picture (a picture picks among them),
	// so every emulator writes the same bytes for the same picture.
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range t.textures {
		var coef [64]int
		for k := 1; k <= grainTerms; k++ {
			if rng.IntN(grainOdds) == 0 {
				coef[k] = (1 + rng.IntN(2)) * (1 - 2*rng.IntN(2))
			}
		}
		t.textures[i] = t.ac[0].encodeAC(coef)
	}
	return t
}

func newHuffTable(spec huffSpec) huffTable {
	t := huffTable{counts: spec.counts, values: spec.values}
	code, k := uint32(0), 0
	for n, count := range spec.counts {
		for range count {
			t.codes[spec.values[k]] = huffBits{bits: code, n: uint8(n + 1)}
			code++
			k++
		}
		code <<= 1
	}
	return t
}

// magnitude is JPEG's size category of v and its extra bits.
func magnitude(v int) (size uint8, extra uint32) {
	a := v
	if a < 0 {
		a, v = -a, v-1
	}
	size = uint8(bits.Len(uint(a)))
	return size, uint32(v) & (1<<size - 1)
}

// encodeAC codes the AC coefficients of coef (zigzag order).
func (t *huffTable) encodeAC(coef [64]int) []huffBits {
	var out []huffBits
	run := 0
	for k := 1; k < 64; k++ {
		if coef[k] == 0 {
			run++
			continue
		}
		for ; run > 15; run -= 16 {
			out = append(out, t.codes[0xf0]) // ZRL
		}
		size, extra := magnitude(coef[k])
		out = append(out, t.codes[byte(run<<4)|size], huffBits{extra, size})
		run = 0
	}
	if run > 0 {
		out = append(out, t.codes[0x00]) // EOB
	}
	return out
}

// jpegBits writes entropy-coded data, stuffing a zero after each 0xFF.
type jpegBits struct {
	out []byte
	acc uint64
	n   uint
}

func (w *jpegBits) write(b huffBits) {
	w.acc = w.acc<<b.n | uint64(b.bits)
	w.n += uint(b.n)
	for w.n >= 8 {
		c := byte(w.acc >> (w.n - 8))
		w.out = append(w.out, c)
		if c == 0xff {
			w.out = append(w.out, 0)
		}
		w.n -= 8
	}
}

// flush pads the last byte with ones.
func (w *jpegBits) flush() {
	if w.n > 0 {
		w.write(huffBits{bits: 1<<(8-w.n) - 1, n: uint8(8 - w.n)})
	}
}

// dc writes the DC coefficient of a flat block of level v (0..255) of
// component c, as a difference from the previous one.
func (w *jpegBits) dc(t *jpegTables, c int, v uint8, prev *int) {
	// A flat block's DC coefficient is 8 × (level - 128), quantised.
	coef := int(math.Round(float64(8*(int(v)-128)) / float64(t.quant[min(c, 1)][0])))
	size, extra := magnitude(coef - *prev)
	*prev = coef
	w.write(t.dc[min(c, 1)].codes[size])
	w.write(huffBits{extra, size})
}

// encodeJPEG writes b as a baseline JPEG.
func (b blockPicture) encodeJPEG() []byte {
	t := blockJPEGTables()
	cols, rows, colors := b.blockColors(blockSide)
	w := jpegBits{out: jpegHeaders(t, b.w, b.h)}
	rng := xorshift(b.grain)
	var prev [3]int
	for my := range (rows + 1) / 2 {
		for mx := range (cols + 1) / 2 {
			// An MCU is four luma blocks and the chroma of their mean.
			var sum [3]int
			for i := range 4 {
				c := colors[min(2*my+i/2, rows-1)*cols+min(2*mx+i%2, cols-1)]
				y, _, _ := color.RGBToYCbCr(c[0], c[1], c[2])
				w.dc(t, 0, y, &prev[0])
				for _, h := range t.textures[rng.next()%grainTextures] {
					w.write(h)
				}
				for k := range sum {
					sum[k] += int(c[k])
				}
			}
			_, cb, cr := color.RGBToYCbCr(uint8(sum[0]/4), uint8(sum[1]/4), uint8(sum[2]/4))
			w.dc(t, 1, cb, &prev[1])
			w.write(t.ac[1].codes[0x00])
			w.dc(t, 2, cr, &prev[2])
			w.write(t.ac[1].codes[0x00])
		}
	}
	w.flush()
	return append(w.out, 0xff, 0xd9) // EOI
}

// jpegHeaders are the segments before the entropy-coded data: SOI, DQT,
// SOF0 (Y sampled 2×2, Cb and Cr 1×1), DHT and SOS.
func jpegHeaders(t *jpegTables, w, h int) []byte {
	out := []byte{0xff, 0xd8}
	segment := func(marker byte, body []byte) {
		out = append(out, 0xff, marker)
		out = binary.BigEndian.AppendUint16(out, uint16(len(body)+2))
		out = append(out, body...)
	}
	var dqt []byte
	for i, q := range t.quant {
		dqt = append(append(dqt, byte(i)), q[:]...)
	}
	segment(0xdb, dqt)
	sof := []byte{8}
	sof = binary.BigEndian.AppendUint16(sof, uint16(h))
	sof = binary.BigEndian.AppendUint16(sof, uint16(w))
	sof = append(sof, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1)
	segment(0xc0, sof)
	var dht []byte
	for i := range 2 {
		for class, table := range []huffTable{t.dc[i], t.ac[i]} {
			dht = append(dht, byte(class<<4|i))
			dht = append(dht, table.counts[:]...)
			dht = append(dht, table.values...)
		}
	}
	segment(0xc4, dht)
	segment(0xda, []byte{3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0})
	return out
}
