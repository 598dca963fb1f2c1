package emulator

import (
	"encoding/binary"
	"hash/adler32"
	"hash/crc32"
	"math/bits"
)

// A block picture as an RGB PNG: every pngFreshRows-th scanline is the
// colours of its row of blocks with a fresh grain (deflate literals), and
// the scanlines between repeat it (deflate copies of the previous
// scanline), in one fixed-Huffman deflate block. Writing it costs a step
// per byte of the fresh scanlines and a few per repeated one; the file
// weighs about 0.8 bytes a pixel, as the PNGs of the demo catalog declare.

const (
	// pngGrain is the grain of fresh scanlines, ± levels of every channel
	// alike.
	pngGrain = 3
	// pngFreshRows is how often a scanline is fresh; it divides blockSide.
	pngFreshRows = 4
)

// encodePNG writes b as an 8-bit RGB PNG.
func (b blockPicture) encodePNG() []byte {
	cols, _, rgb := b.blockColors(blockSide)
	rowLen := 1 + 3*b.w // filter byte (none) and pixels
	row := make([]byte, rowLen)
	var rowSum uint32
	z := deflateBits{out: []byte{0x78, 0x01}} // zlib: deflate, 32K window, no dictionary
	z.write(0b011, 3)                         // the final block, fixed Huffman codes
	checksum := uint32(1)                     // adler32 of nothing
	rng := xorshift(b.grain)
	for y := range b.h {
		if y%pngFreshRows == 0 || rowLen > maxDeflateDistance {
			blocks := rgb[y/blockSide*cols:]
			for x := range b.w {
				c := blocks[min(x/blockSide, cols-1)]
				n := int(rng.next()>>32%(2*pngGrain+1)) - pngGrain
				for i := range 3 {
					row[1+3*x+i] = uint8(min(max(int(c[i])+n, 0), 255))
				}
			}
			for _, v := range row {
				z.literal(int(v))
			}
			rowSum = adler32.Checksum(row)
		} else {
			z.copyBack(rowLen, rowLen)
		}
		checksum = adler32Combine(checksum, rowSum, rowLen)
	}
	z.literal(256) // end of block
	z.flush()
	z.out = binary.BigEndian.AppendUint32(z.out, checksum)

	out := []byte("\x89PNG\r\n\x1a\n")
	chunk := func(kind string, body []byte) {
		out = binary.BigEndian.AppendUint32(out, uint32(len(body)))
		start := len(out)
		out = append(append(out, kind...), body...)
		out = binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(out[start:]))
	}
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(b.w))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(b.h))
	chunk("IHDR", append(ihdr, 8, 2, 0, 0, 0)) // 8-bit RGB, deflate, adaptive filters, no interlace
	chunk("IDAT", z.out)
	chunk("IEND", nil)
	return out
}

// adler32Combine returns the Adler-32 of the concatenation of two byte
// strings from their checksums and the second one's length (zlib's
// adler32_combine).
func adler32Combine(a1, a2 uint32, len2 int) uint32 {
	const base = 65521
	rem := uint32(len2 % base)
	sum1 := a1 & 0xffff
	sum2 := rem * sum1 % base
	sum1 += a2&0xffff + base - 1
	sum2 += a1>>16 + a2>>16 + base - rem
	if sum1 >= base {
		sum1 -= base
	}
	if sum1 >= base {
		sum1 -= base
	}
	if sum2 >= base<<1 {
		sum2 -= base << 1
	}
	if sum2 >= base {
		sum2 -= base
	}
	return sum2<<16 | sum1
}

// maxDeflateDistance is the farthest back a deflate copy reaches.
const maxDeflateDistance = 32768

// deflateBits writes a deflate stream with the fixed Huffman codes
// (RFC 1951, 3.2.6): bits are packed from the least significant end,
// Huffman codes most significant bit first.
type deflateBits struct {
	out []byte
	acc uint64
	n   uint
}

func (w *deflateBits) write(v uint32, n uint) {
	w.acc |= uint64(v) << w.n
	w.n += n
	for w.n >= 8 {
		w.out = append(w.out, byte(w.acc))
		w.acc >>= 8
		w.n -= 8
	}
}

func (w *deflateBits) flush() {
	if w.n > 0 {
		w.out = append(w.out, byte(w.acc))
		w.acc, w.n = 0, 0
	}
}

// code writes a Huffman code of n bits.
func (w *deflateBits) code(c uint32, n uint) {
	w.write(bits.Reverse32(c)>>(32-n), n)
}

// literal writes a literal/length symbol (0-287) in the fixed code.
func (w *deflateBits) literal(sym int) {
	switch {
	case sym < 144:
		w.code(uint32(0x30+sym), 8)
	case sym < 256:
		w.code(uint32(0x190+sym-144), 9)
	case sym < 280:
		w.code(uint32(sym-256), 7)
	default:
		w.code(uint32(0xc0+sym-280), 8)
	}
}

// Bases and extra bits of the length codes 257-285 and distance codes
// 0-29.
var (
	lengthBase    = [29]int{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
	lengthExtra   = [29]uint{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
	distanceBase  = [30]int{1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577}
	distanceExtra = [30]uint{0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13}
)

// match writes a copy of length bytes (3-258) from distance back
// (1-32768).
func (w *deflateBits) match(length, distance int) {
	i := len(lengthBase) - 1
	for lengthBase[i] > length {
		i--
	}
	w.literal(257 + i)
	w.write(uint32(length-lengthBase[i]), lengthExtra[i])
	j := len(distanceBase) - 1
	for distanceBase[j] > distance {
		j--
	}
	w.code(uint32(j), 5)
	w.write(uint32(distance-distanceBase[j]), distanceExtra[j])
}

// copyBack writes copies of n bytes from distance back, in matches of at
// most 258 bytes, none shorter than 3.
func (w *deflateBits) copyBack(n, distance int) {
	for n > 0 {
		l := min(n, 258)
		if rest := n - l; rest > 0 && rest < 3 {
			l -= 3 - rest
		}
		w.match(l, distance)
		n -= l
	}
}
