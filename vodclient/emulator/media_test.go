package emulator

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"math"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// ---- container parsers, just enough to tell real files from stand-ins ----

// mp4Info is what parseMP4 found in an ISO BMFF file.
type mp4Info struct {
	major    string
	top      []string // top-level box types, in order
	seconds  float64  // mvhd duration
	avc      []string // per avc1 sample entry: "avc1.PPCCLL" from avcC
	avcW     []int
	avcH     []int
	audio    []string // per mp4a sample entry: "mp4a.OT.AOT" from esds
	channels []int
}

func parseMP4(b []byte) (*mp4Info, error) {
	info := &mp4Info{}
	var walk func(b []byte, depth int) error
	walk = func(b []byte, depth int) error {
		for len(b) > 0 {
			if len(b) < 8 {
				return fmt.Errorf("truncated box header")
			}
			size, typ, hdr := uint64(binary.BigEndian.Uint32(b)), string(b[4:8]), uint64(8)
			switch size {
			case 0:
				size = uint64(len(b))
			case 1:
				if len(b) < 16 {
					return fmt.Errorf("truncated large box")
				}
				size, hdr = binary.BigEndian.Uint64(b[8:]), 16
			}
			if size < hdr || size > uint64(len(b)) {
				return fmt.Errorf("box %q size %d of %d bytes left", typ, size, len(b))
			}
			body := b[hdr:size]
			b = b[size:]
			if depth == 0 {
				info.top = append(info.top, typ)
			}
			var err error
			switch typ {
			case "ftyp":
				if len(body) >= 4 {
					info.major = string(body[:4])
				}
			case "moov", "trak", "mdia", "minf", "stbl", "dinf", "edts", "udta":
				err = walk(body, depth+1)
			case "mvhd":
				if len(body) >= 32 && body[0] == 1 {
					info.seconds = float64(binary.BigEndian.Uint64(body[24:])) / float64(binary.BigEndian.Uint32(body[20:]))
				} else if len(body) >= 20 {
					info.seconds = float64(binary.BigEndian.Uint32(body[16:])) / float64(binary.BigEndian.Uint32(body[12:]))
				}
			case "stsd":
				if len(body) < 8 {
					return fmt.Errorf("short stsd")
				}
				err = walk(body[8:], depth+1)
			case "avc1":
				if len(body) < 78 {
					return fmt.Errorf("short avc1")
				}
				info.avcW = append(info.avcW, int(binary.BigEndian.Uint16(body[24:])))
				info.avcH = append(info.avcH, int(binary.BigEndian.Uint16(body[26:])))
				info.avc = append(info.avc, "avc1.?")
				err = walk(body[78:], depth+1)
			case "avcC":
				if len(body) < 4 || len(info.avc) == 0 {
					return fmt.Errorf("stray avcC")
				}
				info.avc[len(info.avc)-1] = fmt.Sprintf("avc1.%02x%02x%02x", body[1], body[2], body[3])
			case "mp4a":
				if len(body) < 28 {
					return fmt.Errorf("short mp4a")
				}
				info.channels = append(info.channels, int(binary.BigEndian.Uint16(body[16:])))
				info.audio = append(info.audio, "mp4a.?")
				err = walk(body[28:], depth+1)
			case "esds":
				if len(info.audio) == 0 {
					return fmt.Errorf("stray esds")
				}
				info.audio[len(info.audio)-1] = esdsCodec(body)
			}
			if err != nil {
				return fmt.Errorf("%s: %w", typ, err)
			}
		}
		return nil
	}
	return info, walk(b, 0)
}

// esdsCodec reads an esds box's ES descriptor: "mp4a.<object type in
// hex>.<audio object type>", or "mp4a.?" if it cannot.
func esdsCodec(b []byte) string {
	if len(b) < 4 {
		return "mp4a.?"
	}
	b = b[4:] // version, flags
	// descriptor reads a tag and its variable-length size.
	descriptor := func(b []byte) (tag byte, body, rest []byte, ok bool) {
		if len(b) < 2 {
			return 0, nil, nil, false
		}
		tag, b = b[0], b[1:]
		n := 0
		for i := 0; ; i++ {
			if i == 4 || len(b) == 0 {
				return 0, nil, nil, false
			}
			c := b[0]
			b = b[1:]
			n = n<<7 | int(c&0x7f)
			if c&0x80 == 0 {
				break
			}
		}
		if n > len(b) {
			return 0, nil, nil, false
		}
		return tag, b[:n], b[n:], true
	}
	tag, es, _, ok := descriptor(b)
	if !ok || tag != 3 || len(es) < 3 {
		return "mp4a.?"
	}
	flags := es[2]
	es = es[3:]
	if flags&0x80 != 0 { // streamDependenceFlag
		es = es[min(2, len(es)):]
	}
	if flags&0x40 != 0 && len(es) > 0 { // URL_Flag
		es = es[min(1+int(es[0]), len(es)):]
	}
	if flags&0x20 != 0 { // OCRstreamFlag
		es = es[min(2, len(es)):]
	}
	tag, dc, _, ok := descriptor(es)
	if !ok || tag != 4 || len(dc) < 13 {
		return "mp4a.?"
	}
	tag, dsi, _, ok := descriptor(dc[13:])
	if !ok || tag != 5 || len(dsi) < 1 {
		return fmt.Sprintf("mp4a.%x.?", dc[0])
	}
	return fmt.Sprintf("mp4a.%x.%d", dc[0], dsi[0]>>3)
}

// checkTS checks MPEG-TS packets and returns the PMT's stream types.
func checkTS(b []byte) ([]byte, error) {
	if len(b) == 0 || len(b)%188 != 0 {
		return nil, fmt.Errorf("%d bytes: not whole 188-byte packets", len(b))
	}
	for i := 0; i < len(b); i += 188 {
		if b[i] != 0x47 {
			return nil, fmt.Errorf("no sync byte at %d", i)
		}
	}
	// section returns the PSI section starting in packet p (PUSI set).
	section := func(p []byte) []byte {
		if p[1]&0x40 == 0 {
			return nil
		}
		off := 4
		if p[3]&0x20 != 0 {
			off += 1 + int(p[4])
		}
		if off >= 188 {
			return nil
		}
		off += 1 + int(p[off]) // pointer field
		if off+3 > 188 {
			return nil
		}
		n := int(binary.BigEndian.Uint16(p[off+1:]) & 0x0fff)
		if off+3+n > 188 || n < 9 {
			return nil
		}
		return p[off : off+3+n]
	}
	pid := func(p []byte) int { return int(binary.BigEndian.Uint16(p[1:]) & 0x1fff) }
	var pat []byte
	for i := 0; i < len(b) && pat == nil; i += 188 {
		if pid(b[i:]) == 0 {
			pat = section(b[i : i+188])
		}
	}
	if pat == nil || pat[0] != 0 || len(pat) < 16 {
		return nil, fmt.Errorf("no PAT")
	}
	pmtPID := int(binary.BigEndian.Uint16(pat[10:]) & 0x1fff)
	for i := 0; i < len(b); i += 188 {
		p := b[i : i+188]
		if pid(p) != pmtPID {
			continue
		}
		s := section(p)
		if s == nil || s[0] != 2 {
			return nil, fmt.Errorf("packet at %d is no PMT", i)
		}
		infoLen := int(binary.BigEndian.Uint16(s[10:]) & 0x0fff)
		var types []byte
		for es := s[12+infoLen : len(s)-4]; len(es) >= 5; {
			types = append(types, es[0])
			n := 5 + int(binary.BigEndian.Uint16(es[3:])&0x0fff)
			es = es[min(n, len(es)):]
		}
		return types, nil
	}
	return nil, fmt.Errorf("no PMT")
}

// mp3Frames walks MPEG-1 Layer III frames from the first to the end of b
// (after an ID3v2 tag, if any) and returns their count and sample rate.
func mp3Frames(b []byte) (frames, rate int, err error) {
	if len(b) >= 10 && string(b[:3]) == "ID3" {
		n := int(b[6])<<21 | int(b[7])<<14 | int(b[8])<<7 | int(b[9])
		b = b[min(10+n, len(b)):]
	}
	bitrates := [16]int{0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0}
	rates := [4]int{44100, 48000, 32000, 0}
	for off := 0; off < len(b); {
		if off+4 > len(b) {
			return 0, 0, fmt.Errorf("%d stray bytes at the end", len(b)-off)
		}
		h := binary.BigEndian.Uint32(b[off:])
		if h>>21 != 0x7ff || h>>19&3 != 3 || h>>17&3 != 1 {
			return 0, 0, fmt.Errorf("no MPEG-1 Layer III frame header at %d: %08x", off, h)
		}
		br, sr, pad := bitrates[h>>12&15], rates[h>>10&3], int(h>>9&1)
		if br == 0 || sr == 0 || rate != 0 && sr != rate {
			return 0, 0, fmt.Errorf("bad frame header at %d: %08x", off, h)
		}
		rate = sr
		off += 144*br*1000/sr + pad
		frames++
	}
	return frames, rate, nil
}

// ---- the embedded files ----

func TestEmbeddedMediaBudget(t *testing.T) {
	total := 0
	err := fs.WalkDir(mediaFS, "media", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		total += int(info.Size())
		t.Logf("%8d %s", info.Size(), p)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%8d total", total)
	if total > mediaBudget {
		t.Errorf("embedded media: %d bytes, over the budget of %d", total, mediaBudget)
	}
	if dm := media(); dm.total != total {
		t.Errorf("loaded %d bytes of %d embedded: a file is embedded but not used", dm.total, total)
	}
}

// encodedSize is the frame size generate.sh encodes a clip at.
func encodedSize(c *clip) (int, int) {
	if c.w == 0 || c.w > 1920 {
		return 1920, 1080
	}
	return c.w, c.h
}

func TestEmbeddedClipsAreRealMedia(t *testing.T) {
	dm := media()
	if len(dm.clips) != len(clipTable) {
		t.Fatalf("%d clips", len(dm.clips))
	}
	for _, c := range dm.clips {
		t.Run(c.def, func(t *testing.T) {
			info, err := parseMP4(c.mp4.body)
			if err != nil {
				t.Fatalf("%s: %v", c.mp4.name, err)
			}
			moov, mdat := slices.Index(info.top, "moov"), slices.Index(info.top, "mdat")
			if info.major != "isom" || info.top[0] != "ftyp" || moov < 0 || mdat < 0 || moov > mdat {
				t.Errorf("%s: brand %q, boxes %v: want ftyp isom, moov before mdat (faststart)", c.mp4.name, info.major, info.top)
			}
			w, h := encodedSize(c)
			if got := strings.Join(append(slices.Clone(info.avc), info.audio...), ","); got != c.codecs {
				t.Errorf("%s: codecs %s, table says %s", c.mp4.name, got, c.codecs)
			}
			if len(info.avcW) != 1 || info.avcW[0] != w || info.avcH[0] != h || !slices.Equal(info.channels, []int{2}) {
				t.Errorf("%s: video %vx%v, audio channels %v; want %dx%d, stereo", c.mp4.name, info.avcW, info.avcH, info.channels, w, h)
			}
			if math.Abs(info.seconds-6) > 0.1 {
				t.Errorf("%s: %.3f s", c.mp4.name, info.seconds)
			}
			if c.def == "OD" {
				if c.hls != nil {
					t.Error("OD has an HLS version; VOD serves the original as a file only")
				}
				return
			}
			if c.hls == nil || len(c.hls.segments) < 2 || len(c.hls.segments) > 3 || math.Abs(c.hls.seconds-6) > 0.1 {
				t.Fatalf("HLS: %+v", c.hls)
			}
			for _, s := range c.hls.segments {
				types, err := checkTS(s.body)
				if err != nil {
					t.Fatalf("%s: %v", s.name, err)
				}
				if !bytes.Equal(types, []byte{0x1b, 0x0f}) { // H.264, AAC (ADTS)
					t.Errorf("%s: PMT stream types % x, want H.264 and AAC", s.name, types)
				}
			}
		})
	}

	frames, rate, err := mp3Frames(dm.mp3.body)
	if err != nil || rate != 44100 || frames < 150 || frames > 250 || dm.mp3.body[3]&0xc0 == 0xc0 {
		t.Errorf("mp3: %d frames at %d Hz (%v), header % x", frames, rate, err, dm.mp3.body[:4])
	}
	info, err := parseMP4(dm.m4a.body)
	if err != nil || info.major != "M4A " || len(info.avc) != 0 || !slices.Equal(info.audio, []string{"mp4a.40.2"}) ||
		!slices.Equal(info.channels, []int{2}) || math.Abs(info.seconds-5) > 0.1 || !slices.Contains(info.top, "mdat") {
		t.Errorf("m4a: %+v, %v", info, err)
	}
}

// With ffprobe on PATH, every mp4 and audio file decodes, frame by frame,
// to what it should be, and every segment demuxes to two seconds of both
// streams. CI need not have ffmpeg: the test skips.
func TestEmbeddedMediaDecode(t *testing.T) {
	ffprobe, err := exec.LookPath("ffprobe")
	if err != nil {
		t.Skip("ffprobe not on PATH")
	}
	if testing.Short() {
		t.Skip("decodes every frame")
	}
	dir := t.TempDir()
	probe := func(name, count string) []map[string]any {
		t.Helper()
		b, err := mediaFS.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, strings.ReplaceAll(strings.TrimPrefix(name, "media/"), "/", "_"))
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(ffprobe, "-v", "error", count, "-show_entries",
			"stream=codec_name,profile,width,height,channels,nb_read_frames,nb_read_packets", "-of", "json", p).Output()
		if err != nil {
			t.Fatalf("ffprobe %s: %v", name, err)
		}
		var r struct{ Streams []map[string]any }
		if err := json.Unmarshal(out, &r); err != nil {
			t.Fatal(err)
		}
		return r.Streams
	}
	desc := func(ss []map[string]any) string {
		var parts []string
		for _, s := range ss {
			n := cmpOr(str(s["nb_read_frames"]), str(s["nb_read_packets"]))
			parts = append(parts, fmt.Sprintf("%v/%v %vx%v ch%v n%v", s["codec_name"], s["profile"], s["width"], s["height"], s["channels"], n))
		}
		return strings.Join(parts, "; ")
	}
	for _, c := range media().clips {
		w, h := encodedSize(c)
		want := func(frames int) string {
			return fmt.Sprintf("h264/Main %dx%d ch<nil> n%d; aac/LC <nil>x<nil> ch2 n", w, h, frames)
		}
		if got := desc(probe(c.mp4.name, "-count_frames")); !strings.HasPrefix(got, want(150)) {
			t.Errorf("%s: %s, want %s…", c.mp4.name, got, want(150))
		}
		if c.hls == nil {
			continue
		}
		for _, s := range c.hls.segments {
			if got := desc(probe(s.name, "-count_packets")); !strings.HasPrefix(got, want(50)) {
				t.Errorf("%s: %s, want %s…", s.name, got, want(50))
			}
		}
	}
	if got := desc(probe("media/audio.mp3", "-count_frames")); !strings.HasPrefix(got, "mp3/<nil> <nil>x<nil> ch2 n") {
		t.Errorf("mp3: %s", got)
	}
	if got := desc(probe("media/audio.m4a", "-count_frames")); !strings.HasPrefix(got, "aac/LC <nil>x<nil> ch2 n") {
		t.Errorf("m4a: %s", got)
	}
}

func TestClipFor(t *testing.T) {
	dm := media()
	for _, tc := range []struct {
		def    string
		w, h   int
		hls    bool
		want   string
		reason string
	}{
		{"HD", 1920, 1080, false, "HD", "own"},
		{"hd", 0, 0, true, "HD", "case-insensitive"},
		{"HD", 1080, 1920, false, "HD", "portrait uses the landscape clip"},
		{"OD", 3840, 2160, false, "OD", "own mp4"},
		{"OD", 3840, 2160, true, "4K", "no OD HLS: nearest size"},
		{"AUTO", 1920, 1080, true, "HD", "nearest size"},
		{"AUTO", 3840, 2160, false, "4K", "nearest size"},
		{"XLD", 700, 400, false, "FD", "unknown: nearest size"},
		{"", 0, 0, true, "SD", "nothing known"},
	} {
		pi := map[string]any{"Definition": tc.def}
		if tc.w > 0 {
			pi["Width"], pi["Height"] = json.Number(strconv.Itoa(tc.w)), json.Number(strconv.Itoa(tc.h))
		}
		if got := dm.clipFor(pi, tc.hls); got.def != tc.want {
			t.Errorf("%s %dx%d hls=%v: %s, want %s (%s)", tc.def, tc.w, tc.h, tc.hls, got.def, tc.want, tc.reason)
		}
	}
}

// ---- served at play URLs ----

// demoPlays returns, from the demo catalog served by srv, one play stream
// of each (Definition, Format, Encrypt) with its MediaId.
func demoPlays(t *testing.T, e *Emulator, call func(ids []string) []any) map[string][2]map[string]any {
	t.Helper()
	pick := map[string]string{} // key → MediaId
	var ids []string
	for _, m := range e.Catalog().media {
		for _, v := range asArray(m["PlayInfoList"]) {
			pi, _ := v.(map[string]any)
			k := fmt.Sprintf("%s/%s/%d", stringAt(pi, "Definition"), stringAt(pi, "Format"), numberAt(pi, "Encrypt"))
			if _, ok := pick[k]; !ok {
				pick[k] = stringAt(m, "MediaId")
				if !slices.Contains(ids, pick[k]) {
					ids = append(ids, pick[k])
				}
			}
		}
	}
	out := map[string][2]map[string]any{}
	for len(ids) > 0 {
		n := min(20, len(ids))
		for _, entry := range call(ids[:n]) {
			entry := obj(entry)
			for _, p := range list(entry["PlayInfoList"]) {
				pi := obj(p)
				k := fmt.Sprintf("%s/%s/%v", pi["Definition"], pi["Format"], numberAt(pi, "Encrypt"))
				if _, done := out[k]; !done && pick[k] == str(entry["MediaId"]) {
					out[k] = [2]map[string]any{pi, entry}
				}
			}
		}
		ids = ids[n:]
	}
	if len(out) != len(pick) {
		t.Fatalf("found %d of %d kinds of play stream", len(out), len(pick))
	}
	return out
}

func embedded(t testing.TB, name string) []byte {
	t.Helper()
	b, err := mediaFS.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// playlistURIs returns the URI lines of a playlist.
func playlistURIs(b []byte) []string {
	var uris []string
	for line := range strings.Lines(string(b)) {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			uris = append(uris, line)
		}
	}
	return uris
}

// checkMediaPlaylist fetches a media playlist and its segments and checks
// them against the embedded HLS files of def; the segments must be signed
// URLs of the playlist's own play stream in the same scheme.
func checkMediaPlaylist(t *testing.T, playlistURL, def string) {
	t.Helper()
	resp, b := fetch(t, http.MethodGet, playlistURL)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/vnd.apple.mpegurl" ||
		!strings.HasPrefix(string(b), "#EXTM3U\n") || !strings.Contains(string(b), "#EXT-X-PLAYLIST-TYPE:VOD\n") ||
		!strings.HasSuffix(string(b), "#EXT-X-ENDLIST\n") || strings.Count(string(b), "#EXTINF:2.0") != 3 {
		t.Fatalf("%s: %d %s\n%s", playlistURL, resp.StatusCode, resp.Header.Get("Content-Type"), b)
	}
	pu, _ := url.Parse(playlistURL)
	stem := strings.TrimSuffix(pu.Path, ".m3u8")
	segs := playlistURIs(b)
	if len(segs) != 3 {
		t.Fatalf("%s: %d segments", playlistURL, len(segs))
	}
	for n, s := range segs {
		su, err := url.Parse(s)
		if err != nil || su.Host != pu.Host || su.Path != fmt.Sprintf("%s/%d.ts", stem, n) ||
			(strings.HasPrefix(su.Path, "/cdn/") && su.Query().Get("auth_key") == "") ||
			(strings.HasPrefix(su.Path, "/oss/") && su.Query().Get("Signature") == "") {
			t.Fatalf("segment %d of %s: %s", n, playlistURL, s)
		}
		resp, body := fetch(t, http.MethodGet, s)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "video/mp2t" || resp.Header.Get("Access-Control-Allow-Origin") != "*" {
			t.Fatalf("%s: %d %s", s, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		if _, err := checkTS(body); err != nil {
			t.Errorf("%s: %v", s, err)
		}
		if want := embedded(t, fmt.Sprintf("media/hls/%s/%d.ts", def, n)); !bytes.Equal(body, want) {
			t.Errorf("%s: not media/hls/%s/%d.ts", s, def, n)
		}
	}
}

// Every kind of play stream in the demo catalog (Definition, Format,
// Encrypt) serves its definition's file.
func TestPlayURLsServeDemoMedia(t *testing.T) {
	e, srv, clock := newTestServer(t, Options{})
	plays := demoPlays(t, e, func(ids []string) []any {
		status, body := api(t, srv, "BatchGetMediaInfos", url.Values{"MediaIds": {strings.Join(ids, ",")}})
		if status != 200 {
			t.Fatalf("BatchGetMediaInfos: %d %v", status, body)
		}
		return list(body["MediaInfos"])
	})
	for _, k := range slices.Sorted(maps.Keys(plays)) {
		pi, entry := plays[k][0], plays[k][1]
		def, format := str(pi["Definition"]), str(pi["Format"])
		u := str(pi["PlayURL"])
		if !strings.Contains(u, "/cdn/play/") {
			t.Errorf("%s: %s", k, u)
		}
		switch {
		case format == "mp4":
			resp, b := fetch(t, http.MethodGet, u)
			if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "video/mp4" || !bytes.Equal(b, embedded(t, "media/"+def+".mp4")) {
				t.Errorf("%s: %d %s, %d bytes, want media/%s.mp4", k, resp.StatusCode, resp.Header.Get("Content-Type"), len(b), def)
			}
		case format == "m3u8" && def == "AUTO":
			checkMasterPlaylist(t, u, entry)
		case format == "m3u8":
			checkMediaPlaylist(t, u, def)
			// Signed OSS-style, its segments are OSS URLs.
			pu, _ := url.Parse(u)
			s := urlSigner{base: srv.URL, urlKey: e.urlKey, now: clock.Now()}
			checkMediaPlaylist(t, s.oss(strings.TrimPrefix(pu.Path, "/cdn/"), time.Hour), def)
		case format == "mp3" || format == "m4a":
			resp, b := fetch(t, http.MethodGet, u)
			ctype := map[string]string{"mp3": "audio/mpeg", "m4a": "audio/mp4"}[format]
			if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != ctype || !bytes.Equal(b, embedded(t, "media/audio."+format)) {
				t.Errorf("%s: %d %s, %d bytes", k, resp.StatusCode, resp.Header.Get("Content-Type"), len(b))
			}
		default:
			t.Errorf("%s: a format the demo catalog was not known to have", k)
		}
	}
}

// checkMasterPlaylist checks an AUTO stream: a master playlist of the
// media's other HLS streams with the same encryption, each served.
func checkMasterPlaylist(t *testing.T, u string, entry map[string]any) {
	t.Helper()
	resp, b := fetch(t, http.MethodGet, u)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/vnd.apple.mpegurl" || !strings.HasPrefix(string(b), "#EXTM3U\n") {
		t.Fatalf("%s: %d\n%s", u, resp.StatusCode, b)
	}
	var auto map[string]any
	want := map[string]string{} // path → Definition
	for _, p := range list(entry["PlayInfoList"]) {
		pi := obj(p)
		if str(pi["PlayURL"]) == u {
			auto = pi
		}
	}
	for _, p := range list(entry["PlayInfoList"]) {
		pi := obj(p)
		if str(pi["Format"]) == "m3u8" && str(pi["Definition"]) != "AUTO" && numberAt(pi, "Encrypt") == numberAt(auto, "Encrypt") {
			pu, _ := url.Parse(str(pi["PlayURL"]))
			want[pu.Path] = str(pi["Definition"])
		}
	}
	uris := playlistURIs(b)
	if len(uris) != len(want) || len(want) < 2 || strings.Count(string(b), "#EXT-X-STREAM-INF:BANDWIDTH=") != len(want) {
		t.Fatalf("%s: variants\n%s\nwant %v", u, b, want)
	}
	lastBW := 0
	for line := range strings.Lines(string(b)) {
		if bw, ok := strings.CutPrefix(line, "#EXT-X-STREAM-INF:BANDWIDTH="); ok {
			n, _ := strconv.Atoi(bw[:strings.IndexByte(bw, ',')])
			if n < lastBW || !strings.Contains(line, ",RESOLUTION=") || !strings.Contains(line, `,CODECS="avc1.4d40`) {
				t.Errorf("variant %q", line)
			}
			lastBW = n
		}
	}
	for _, v := range uris {
		vu, err := url.Parse(v)
		if err != nil || want[vu.Path] == "" {
			t.Fatalf("variant %s is not one of %v", v, want)
		}
		checkMediaPlaylist(t, v, want[vu.Path])
	}
}

// mediaPlayURL returns a signed play URL of format (and definition, if
// not "") of media id, asking with query q.
func mediaPlayURL(t *testing.T, call func(url.Values) (int, map[string]any), id, def, format string, q url.Values) string {
	t.Helper()
	q.Set("MediaIds", id)
	status, body := call(q)
	if status != 200 {
		t.Fatalf("%d %v", status, body)
	}
	for _, p := range list(obj(list(body["MediaInfos"])[0])["PlayInfoList"]) {
		if pi := obj(p); str(pi["Format"]) == format && (def == "" || str(pi["Definition"]) == def) {
			return str(pi["PlayURL"])
		}
	}
	t.Fatalf("%s has no %s %s stream", id, def, format)
	return ""
}

func TestMediaRangeRequests(t *testing.T) {
	e, srv, _ := newTestServer(t, Options{})
	call := func(q url.Values) (int, map[string]any) { return api(t, srv, "BatchGetMediaInfos", q) }
	keynote := mediaIDByTitle(t, e.Catalog(), "Aurora X1 Launch Keynote")
	podcast := mediaIDByTitle(t, e.Catalog(), "Render Queue #41")
	for _, tc := range []struct {
		url  string
		file string
	}{
		{mediaPlayURL(t, call, keynote, "SD", "mp4", url.Values{}), "media/SD.mp4"},
		{mediaPlayURL(t, call, keynote, "4K", "mp4", url.Values{}), "media/4K.mp4"},
		{mediaPlayURL(t, call, podcast, "", "mp3", url.Values{}), "media/audio.mp3"},
		{mediaPlayURL(t, call, podcast, "", "m4a", url.Values{}), "media/audio.m4a"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			want := embedded(t, tc.file)
			size := len(want)
			get := func(method string, header ...string) (*http.Response, []byte) {
				req := mustRequest(t, method, tc.url)
				for i := 0; i+1 < len(header); i += 2 {
					req.Header.Set(header[i], header[i+1])
				}
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				var buf bytes.Buffer
				if _, err := buf.ReadFrom(resp.Body); err != nil {
					t.Fatal(err)
				}
				return resp, buf.Bytes()
			}
			resp, _ := get(http.MethodHead)
			etag := resp.Header.Get("ETag")
			if resp.StatusCode != 200 || resp.Header.Get("Accept-Ranges") != "bytes" || resp.ContentLength != int64(size) || etag == "" {
				t.Fatalf("HEAD: %d, Accept-Ranges %q, %d bytes of %d, ETag %q", resp.StatusCode, resp.Header.Get("Accept-Ranges"), resp.ContentLength, size, etag)
			}
			for _, r := range []struct {
				header     string
				start, end int // of want
			}{
				{"bytes=0-1", 0, 2},
				{"bytes=100-1099", 100, 1100},
				{fmt.Sprintf("bytes=%d-", size-500), size - 500, size},
				{"bytes=-188", size - 188, size},
				{fmt.Sprintf("bytes=%d-%d", size/2, size+1000), size / 2, size},
			} {
				resp, b := get(http.MethodGet, "Range", r.header)
				cr := fmt.Sprintf("bytes %d-%d/%d", r.start, r.end-1, size)
				if resp.StatusCode != http.StatusPartialContent || resp.Header.Get("Content-Range") != cr || !bytes.Equal(b, want[r.start:r.end]) {
					t.Errorf("Range %s: %d %q (want %q), %d bytes", r.header, resp.StatusCode, resp.Header.Get("Content-Range"), cr, len(b))
				}
			}
			if resp, _ := get(http.MethodGet, "Range", fmt.Sprintf("bytes=%d-", size)); resp.StatusCode != http.StatusRequestedRangeNotSatisfiable {
				t.Errorf("Range past the end: %d", resp.StatusCode)
			}
			if resp, b := get(http.MethodGet, "Range", "bytes=10-19", "If-Range", etag); resp.StatusCode != 206 || !bytes.Equal(b, want[10:20]) {
				t.Errorf("If-Range current ETag: %d", resp.StatusCode)
			}
			if resp, b := get(http.MethodGet, "Range", "bytes=10-19", "If-Range", `"stale"`); resp.StatusCode != 200 || !bytes.Equal(b, want) {
				t.Errorf("If-Range stale ETag: %d, %d bytes", resp.StatusCode, len(b))
			}
			if resp, _ := get(http.MethodGet, "If-None-Match", etag); resp.StatusCode != http.StatusNotModified {
				t.Errorf("If-None-Match: %d", resp.StatusCode)
			}
		})
	}
}

func TestMediaURLsStaySigned(t *testing.T) {
	e, srv, clock := newTestServer(t, Options{})
	call := func(q url.Values) (int, map[string]any) { return api(t, srv, "BatchGetMediaInfos", q) }
	keynote := mediaIDByTitle(t, e.Catalog(), "Aurora X1 Launch Keynote")
	mp4 := mediaPlayURL(t, call, keynote, "HD", "mp4", url.Values{})
	playlist := mediaPlayURL(t, call, keynote, "LD", "m3u8", url.Values{})
	// Play URLs are CDN URLs; an OSS-signed playlist signs its segments
	// the OSS way.
	s := urlSigner{base: srv.URL, urlKey: e.urlKey, now: clock.Now()}
	fd, _ := url.Parse(mediaPlayURL(t, call, keynote, "FD", "m3u8", url.Values{}))
	ossPlaylist := s.oss(strings.TrimPrefix(fd.Path, "/cdn/"), time.Minute)
	_, b := fetch(t, http.MethodGet, playlist)
	segs := playlistURIs(b)
	_, b = fetch(t, http.MethodGet, ossPlaylist)
	ossSegs := playlistURIs(b)
	if len(segs) != 3 || len(ossSegs) != 3 {
		t.Fatalf("segments %v %v", segs, ossSegs)
	}
	for _, u := range append([]string{mp4, playlist, ossPlaylist}, append(segs, ossSegs...)...) {
		if resp, _ := fetch(t, http.MethodGet, u); resp.StatusCode != 200 {
			t.Fatalf("%s: %d", u, resp.StatusCode)
		}
	}

	// Another segment's path under this one's signature, a later expiry,
	// no signature: 403.
	for name, u := range map[string]string{
		"cdn segment renumbered": strings.Replace(segs[0], "/0.ts?", "/1.ts?", 1),
		"oss segment renumbered": strings.Replace(ossSegs[0], "/0.ts?", "/2.ts?", 1),
		"cdn segment unsigned":   strings.Split(segs[1], "?")[0],
		"oss segment unsigned":   strings.Split(ossSegs[1], "&Signature=")[0],
		"mp4 later expiry":       strings.Replace(mp4, "auth_key=", "auth_key=9", 1),
		"mp4 other stream":       strings.Replace(mp4, ".mp4?", ".m4a?", 1),
	} {
		if resp, b := fetch(t, http.MethodGet, u); resp.StatusCode != 403 || resp.Header.Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("%s: %d, %d bytes", name, resp.StatusCode, len(b))
		}
	}

	// Properly signed, but no such segment (past the last, or of an mp4
	// stream): 404.
	pu, _ := url.Parse(playlist)
	stem := strings.TrimSuffix(strings.TrimPrefix(pu.Path, "/cdn/"), ".m3u8")
	mu, _ := url.Parse(mp4)
	mp4Stem := strings.TrimSuffix(strings.TrimPrefix(mu.Path, "/cdn/"), ".mp4")
	for _, p := range []string{stem + "/3.ts", mp4Stem + "/0.ts"} {
		if resp, _ := fetch(t, http.MethodGet, s.cdn(p, time.Minute)); resp.StatusCode != 404 {
			t.Errorf("%s: %d, want 404", p, resp.StatusCode)
		}
	}

	// The OSS playlist was signed for a minute, the others for an hour
	// (BatchGetMediaInfos' default); segments expire with their playlist.
	clock.Advance(61 * time.Second)
	for _, u := range ossSegs {
		if resp, b := fetch(t, http.MethodGet, u); resp.StatusCode != 403 || !strings.Contains(string(b), "expired") {
			t.Errorf("expired %s: %d, %d bytes", u, resp.StatusCode, len(b))
		}
	}
	if resp, _ := fetch(t, http.MethodGet, segs[0]); resp.StatusCode != 200 {
		t.Errorf("segment of an unexpired playlist: %d", resp.StatusCode)
	}
	clock.Advance(time.Hour)
	for _, u := range []string{mp4, playlist, segs[2]} {
		if resp, b := fetch(t, http.MethodGet, u); resp.StatusCode != 403 || !strings.Contains(string(b), "expired") {
			t.Errorf("expired %s: %d, %d bytes", u, resp.StatusCode, len(b))
		}
	}
}

// hls.js fetches playlists and segments with XHR from the dashboard's
// origin: the answers must be readable cross-origin, preflights included.
func TestMediaCORS(t *testing.T) {
	e, srv, _ := newTestServer(t, Options{})
	call := func(q url.Values) (int, map[string]any) { return api(t, srv, "BatchGetMediaInfos", q) }
	playlist := mediaPlayURL(t, call, mediaIDByTitle(t, e.Catalog(), "Fresh pasta"), "", "m3u8", url.Values{})
	req := mustRequest(t, http.MethodGet, playlist)
	req.Header.Set("Origin", "http://127.0.0.1:8080")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Access-Control-Allow-Origin") != "*" ||
		!strings.Contains(resp.Header.Get("Access-Control-Expose-Headers"), "Content-Range") {
		t.Errorf("GET: %d %v", resp.StatusCode, resp.Header)
	}

	req = mustRequest(t, http.MethodOptions, playlist)
	req.Header.Set("Origin", "http://127.0.0.1:8080")
	req.Header.Set("Access-Control-Request-Method", "GET")
	req.Header.Set("Access-Control-Request-Headers", "range")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent || resp.Header.Get("Access-Control-Allow-Origin") != "*" ||
		!strings.Contains(resp.Header.Get("Access-Control-Allow-Methods"), "GET") ||
		!strings.Contains(resp.Header.Get("Access-Control-Allow-Headers"), "Range") {
		t.Errorf("preflight: %d %v", resp.StatusCode, resp.Header)
	}
	if resp, _ := fetch(t, http.MethodPost, playlist); resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d", resp.StatusCode)
	}
}

// Formats no browser plays keep their small placeholders, and so do
// mezzanine files other than mp4, mp3 and m4a; an mp4 mezzanine is the OD
// clip.
func TestPlaceholdersAndMezzanine(t *testing.T) {
	cat, err := LoadCatalog(strings.NewReader(`{"media": [
		{"MediaId": "v1", "MediaInfo": {"Title": "x", "Status": "Normal"},
		 "MezzanineInfo": {"FileName": "source.mp4", "FileURL": "https://x/source.mp4", "Width": 1920, "Height": 1080},
		 "PlayInfoList": [
			{"JobId": "flv", "Definition": "SD", "Format": "flv", "StreamType": "video", "PlayURL": "https://x/a.flv"},
			{"JobId": "mpd", "Definition": "SD", "Format": "mpd", "StreamType": "video", "PlayURL": "https://x/a.mpd"},
			{"JobId": "aud", "Definition": "HQ", "Format": "mp4", "StreamType": "audio", "PlayURL": "https://x/a.mp4"},
			{"JobId": "xd", "Definition": "XD", "Format": "mp4", "StreamType": "video", "Width": 640, "Height": 360, "PlayURL": "https://x/b.mp4"}]},
		{"MediaId": "v2", "MediaInfo": {"Title": "y", "Status": "Normal"},
		 "MezzanineInfo": {"FileName": "source.mov", "FileURL": "https://x/source.mov", "Width": 1920, "Height": 1080}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	_, srv, _ := newTestServer(t, Options{Catalog: cat})
	status, body := api(t, srv, "BatchGetMediaInfos", url.Values{"MediaIds": {"v1,v2"}})
	if status != 200 {
		t.Fatalf("%d %v", status, body)
	}
	entries := list(body["MediaInfos"])
	want := map[string]struct {
		ctype string
		file  string // "" for a placeholder
	}{
		"flv": {"video/x-flv", ""},
		"mpd": {"application/octet-stream", ""},
		"aud": {"audio/mp4", "media/audio.m4a"},
		"xd":  {"video/mp4", "media/FD.mp4"},
	}
	for _, p := range list(obj(entries[0])["PlayInfoList"]) {
		pi := obj(p)
		w := want[str(pi["JobId"])]
		resp, b := fetch(t, http.MethodGet, str(pi["PlayURL"]))
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != w.ctype ||
			(w.file == "" && len(b) > 1000) || (w.file != "" && !bytes.Equal(b, embedded(t, w.file))) {
			t.Errorf("%s: %d %s, %d bytes, want %+v", pi["JobId"], resp.StatusCode, resp.Header.Get("Content-Type"), len(b), w)
		}
	}
	for i, w := range []struct{ ctype, file string }{{"video/mp4", "media/OD.mp4"}, {"video/quicktime", ""}} {
		resp, b := fetch(t, http.MethodGet, str(obj(obj(entries[i])["MezzanineInfo"])["FileURL"]))
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != w.ctype ||
			(w.file == "" && len(b) > 1000) || (w.file != "" && !bytes.Equal(b, embedded(t, w.file))) {
			t.Errorf("mezzanine %d: %d %s, %d bytes, want %+v", i, resp.StatusCode, resp.Header.Get("Content-Type"), len(b), w)
		}
	}
}
