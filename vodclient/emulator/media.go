package emulator

import (
	"cmp"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The demo media served at play URLs: per definition a six-second H.264/AAC
// clip of SMPTE bars labelled with the definition, its resolution and a
// running timecode, as MP4 and as HLS (three two-second MPEG-TS segments),
// and a five-second stereo chirp as MP3 and M4A. media/generate.sh made
// them with ffmpeg; media/README.md describes them.
//
//go:embed media/*.mp4 media/*.mp3 media/*.m4a media/hls
var mediaFS embed.FS

// mediaBudget bounds the embedded media's total size (tested).
const mediaBudget = 3_000_000

// mediaFile is one embedded file, ready to serve.
type mediaFile struct {
	name  string // path in mediaFS
	body  []byte
	ctype string
	etag  string // strong, of the content
}

// clip is the demo video of one definition.
type clip struct {
	def    string
	w, h   int    // nominal size, as labelled (0 for OD: "original")
	codecs string // RFC 6381 codecs of the clip, for master playlists
	mp4    *mediaFile
	hls    *hlsMedia // nil: no HLS version
}

// hlsMedia is a clip's media playlist: lines as written by ffmpeg, with the
// segment URIs replaced by the index of the segment they name.
type hlsMedia struct {
	lines    []hlsLine
	segments []*mediaFile
	seconds  float64
}

type hlsLine struct {
	text string
	seg  int // -1: a tag, copied; else the URI of segments[seg]
}

// clipTable lists the clips: nominal sizes as VOD's definitions have them;
// codecs as media/generate.sh encodes them (H.264 Main at the level given
// there, AAC-LC), checked by the tests.
var clipTable = []struct {
	def    string
	w, h   int
	codecs string
}{
	{"FD", 640, 360, "avc1.4d401e,mp4a.40.2"},
	{"LD", 960, 540, "avc1.4d401f,mp4a.40.2"},
	{"SD", 1280, 720, "avc1.4d401f,mp4a.40.2"},
	{"HD", 1920, 1080, "avc1.4d4028,mp4a.40.2"},
	{"2K", 2560, 1440, "avc1.4d4028,mp4a.40.2"},
	{"4K", 3840, 2160, "avc1.4d4028,mp4a.40.2"},
	{"OD", 0, 0, "avc1.4d4028,mp4a.40.2"},
}

// demoMedia holds the embedded media, loaded on first use.
type demoMedia struct {
	clips    []*clip // in clipTable order
	byDef    map[string]*clip
	mp3, m4a *mediaFile
	total    int // bytes, all files
}

var loadDemoMedia = sync.OnceValues(func() (*demoMedia, error) {
	return parseDemoMedia()
})

// media returns the embedded media; they are part of the binary, so a
// failure to load them is a build defect.
func media() *demoMedia {
	m, err := loadDemoMedia()
	if err != nil {
		panic("vod emulator: embedded media: " + err.Error())
	}
	return m
}

func parseDemoMedia() (*demoMedia, error) {
	m := &demoMedia{byDef: make(map[string]*clip)}
	file := func(name, ctype string) (*mediaFile, error) {
		b, err := mediaFS.ReadFile(name)
		if err != nil {
			return nil, err
		}
		m.total += len(b)
		sum := sha256.Sum256(b)
		return &mediaFile{name: name, body: b, ctype: ctype, etag: `"` + hex.EncodeToString(sum[:12]) + `"`}, nil
	}
	var err error
	if m.mp3, err = file("media/audio.mp3", "audio/mpeg"); err != nil {
		return nil, err
	}
	if m.m4a, err = file("media/audio.m4a", "audio/mp4"); err != nil {
		return nil, err
	}
	for _, row := range clipTable {
		c := &clip{def: row.def, w: row.w, h: row.h, codecs: row.codecs}
		if c.mp4, err = file("media/"+row.def+".mp4", "video/mp4"); err != nil {
			return nil, err
		}
		dir := "media/hls/" + row.def
		if pl, err := mediaFS.ReadFile(dir + "/index.m3u8"); err == nil {
			m.total += len(pl)
			if c.hls, err = parseHLSMedia(string(pl), func(uri string) (*mediaFile, error) {
				return file(dir+"/"+uri, "video/mp2t")
			}); err != nil {
				return nil, fmt.Errorf("%s/index.m3u8: %w", dir, err)
			}
		}
		m.clips = append(m.clips, c)
		m.byDef[c.def] = c
	}
	return m, nil
}

// parseHLSMedia reads a VOD media playlist whose segments are named
// 0.ts, 1.ts, ... in order.
func parseHLSMedia(pl string, load func(uri string) (*mediaFile, error)) (*hlsMedia, error) {
	h := &hlsMedia{}
	for line := range strings.Lines(pl) {
		line = strings.TrimRight(line, "\r\n")
		switch {
		case line == "":
			continue
		case strings.HasPrefix(line, "#EXTINF:"):
			d, _, _ := strings.Cut(strings.TrimPrefix(line, "#EXTINF:"), ",")
			sec, err := strconv.ParseFloat(d, 64)
			if err != nil {
				return nil, fmt.Errorf("bad %q", line)
			}
			h.seconds += sec
		case !strings.HasPrefix(line, "#"):
			if line != strconv.Itoa(len(h.segments))+".ts" {
				return nil, fmt.Errorf("segment %q, want %d.ts", line, len(h.segments))
			}
			f, err := load(line)
			if err != nil {
				return nil, err
			}
			h.lines = append(h.lines, hlsLine{seg: len(h.segments)})
			h.segments = append(h.segments, f)
			continue
		}
		h.lines = append(h.lines, hlsLine{text: line, seg: -1})
	}
	if len(h.segments) == 0 || !strings.HasPrefix(pl, "#EXTM3U") || !strings.Contains(pl, "#EXT-X-ENDLIST") {
		return nil, fmt.Errorf("not a complete VOD media playlist")
	}
	return h, nil
}

// clipFor picks the clip for a play stream: its definition's, else (AUTO,
// OD without HLS, anything unknown) the one nearest its size, else SD's.
// hls asks for a clip that has an HLS version.
func (m *demoMedia) clipFor(pi map[string]any, hls bool) *clip {
	if c := m.byDef[strings.ToUpper(stringAt(pi, "Definition"))]; c != nil && (!hls || c.hls != nil) {
		return c
	}
	long := max(numberAt(pi, "Width"), numberAt(pi, "Height"))
	if long <= 0 {
		return m.byDef["SD"]
	}
	var best *clip
	for _, c := range m.clips {
		if c.w == 0 || hls && c.hls == nil {
			continue
		}
		if best == nil || math.Abs(math.Log(float64(c.w)/float64(long))) < math.Abs(math.Log(float64(best.w)/float64(long))) {
			best = c
		}
	}
	return best
}

// playFile returns the file served for a play stream of format ext (mp4,
// mp3 or m4a), or nil for formats that get a placeholder.
func (m *demoMedia) playFile(pi map[string]any, ext string) *mediaFile {
	switch ext {
	case "mp3":
		return m.mp3
	case "m4a":
		return m.m4a
	case "mp4":
		if stringAt(pi, "StreamType") == "audio" {
			return m.m4a
		}
		return m.clipFor(pi, false).mp4
	}
	return nil
}

// mezzanineFile returns the file served for a mezzanine (source) file of
// extension ext, or nil for a placeholder: an MP4 source is the OD clip.
func (m *demoMedia) mezzanineFile(ext string) *mediaFile {
	switch ext {
	case "mp4":
		return m.byDef["OD"].mp4
	case "mp3":
		return m.mp3
	case "m4a":
		return m.m4a
	}
	return nil
}

// mediaPlaylist is c's HLS playlist with each segment's URL signed like
// the playlist (same scheme) and expiring with it.
func (e *Emulator) mediaPlaylist(r *http.Request, prefix string, a asset, c *clip, expiry time.Time) []byte {
	s := e.signer(r)
	ttl := expiry.Sub(s.now)
	var b strings.Builder
	for _, l := range c.hls.lines {
		if l.seg < 0 {
			b.WriteString(l.text)
		} else {
			b.WriteString(s.sign(prefix, asset{kind: kindSegment, id: a.id, job: a.job, n: l.seg}.path(), ttl))
		}
		b.WriteByte('\n')
	}
	return []byte(b.String())
}

// masterPlaylist is the adaptive (AUTO) stream of a media: a master
// playlist of its other HLS streams with the same encryption, by bitrate,
// or nil if it has none.
func (e *Emulator) masterPlaylist(r *http.Request, prefix, id string, auto map[string]any, plays []any, expiry time.Time) []byte {
	type variant struct {
		bandwidth int
		res       string
		codecs    string
		path      string
	}
	dm := media()
	var vs []variant
	for i, v := range plays {
		pi, _ := v.(map[string]any)
		a := playAsset(id, i, pi)
		if a.ext != "m3u8" || strings.EqualFold(stringAt(pi, "Definition"), "AUTO") || numberAt(pi, "Encrypt") != numberAt(auto, "Encrypt") {
			continue
		}
		c := dm.clipFor(pi, true)
		bw, ok := numberOf(pi["Bitrate"]) // kbit/s
		if !ok || bw <= 0 {
			bw = float64(c.hls.bytes()) * 8 / c.hls.seconds / 1000
		}
		w, h := numberAt(pi, "Width"), numberAt(pi, "Height")
		if w <= 0 || h <= 0 {
			w, h = c.w, c.h
		}
		res := ""
		if w > 0 && h > 0 {
			res = fmt.Sprintf(",RESOLUTION=%dx%d", w, h)
		}
		vs = append(vs, variant{bandwidth: int(math.Ceil(bw * 1000)), res: res, codecs: c.codecs, path: a.path()})
	}
	if len(vs) == 0 {
		return nil
	}
	slices.SortStableFunc(vs, func(a, b variant) int { return cmp.Compare(a.bandwidth, b.bandwidth) })
	s := e.signer(r)
	ttl := expiry.Sub(s.now)
	var b strings.Builder
	b.WriteString("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-INDEPENDENT-SEGMENTS\n")
	for _, v := range vs {
		fmt.Fprintf(&b, "#EXT-X-STREAM-INF:BANDWIDTH=%d%s,CODECS=%q\n%s\n", v.bandwidth, v.res, v.codecs, s.sign(prefix, v.path, ttl))
	}
	return []byte(b.String())
}

func (h *hlsMedia) bytes() int {
	n := 0
	for _, f := range h.segments {
		n += len(f.body)
	}
	return n
}
