package emulator

import (
	"bytes"
	"encoding/binary"
)

// placeholder returns a tiny body of the right type for a media file
// extension: enough for a browser or player to recognise the format, not
// real audio or video.
func placeholder(ext string) ([]byte, string) {
	switch ext {
	case "mp4":
		return ftyp("isom", "isom", "iso2", "avc1", "mp41"), "video/mp4"
	case "m4a":
		return ftyp("M4A ", "M4A ", "mp42", "isom"), "audio/mp4"
	case "mov":
		return ftyp("qt  ", "qt  "), "video/quicktime"
	case "mp3":
		// An empty ID3v2.4 tag and one silent MPEG-1 Layer III frame
		// (128 kbit/s, 44.1 kHz: 417 bytes).
		b := []byte{'I', 'D', '3', 4, 0, 0, 0, 0, 0, 0}
		frame := make([]byte, 417)
		copy(frame, []byte{0xFF, 0xFB, 0x90, 0x00})
		return append(b, frame...), "audio/mpeg"
	case "flv":
		return []byte{'F', 'L', 'V', 1, 5, 0, 0, 0, 9, 0, 0, 0, 0}, "video/x-flv"
	case "wav":
		var b bytes.Buffer
		le := func(v any) { _ = binary.Write(&b, binary.LittleEndian, v) }
		b.WriteString("RIFF")
		le(uint32(36))
		b.WriteString("WAVEfmt ")
		le(uint32(16))
		le(uint16(1))      // PCM
		le(uint16(2))      // channels
		le(uint32(44100))  // sample rate
		le(uint32(176400)) // byte rate
		le(uint16(4))      // block align
		le(uint16(16))     // bits per sample
		b.WriteString("data")
		le(uint32(0))
		return b.Bytes(), "audio/wav"
	case "ts":
		// Three MPEG-TS null packets.
		pkt := make([]byte, 188)
		for i := range pkt {
			pkt[i] = 0xFF
		}
		copy(pkt, []byte{0x47, 0x1F, 0xFF, 0x10})
		return bytes.Repeat(pkt, 3), "video/mp2t"
	}
	return []byte("vodboard emulator placeholder\n"), "application/octet-stream"
}

// ftyp builds an ISO BMFF file-type box followed by an empty free box.
func ftyp(major string, compatible ...string) []byte {
	size := 16 + 4*len(compatible)
	b := binary.BigEndian.AppendUint32(nil, uint32(size))
	b = append(b, "ftyp"+major...)
	b = binary.BigEndian.AppendUint32(b, 0x200)
	for _, c := range compatible {
		b = append(b, c...)
	}
	b = binary.BigEndian.AppendUint32(b, 8)
	return append(b, "free"...)
}
