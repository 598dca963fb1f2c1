package emulator

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Kinds of synthetic assets, indexes of synthetic.ids.
const (
	synthVideo = iota
	synthAudio
	synthImage
)

// maxSynthetic bounds Options.Synthetic (per kind).
const maxSynthetic = 1_000_000

// synthetic is the set of generated assets of a catalog. Only their IDs
// and search documents are kept; an entry is generated from its kind and
// number whenever it is asked for, so N of each kind cost little memory.
type synthetic struct {
	ids  [3][]string
	cats []Category // the catalog's default-type categories, handed out round the hash
}

// synthEpoch and synthSpan place creation times over two years.
var synthEpoch = time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)

const synthSpanMinutes = 2 * 365 * 24 * 60

// withSynthetic returns a copy of c with n generated videos, n generated
// audio files and n generated images after its own entries. Generation is
// deterministic: the same catalog and n give the same assets.
func (c *Catalog) withSynthetic(n int) *Catalog {
	out := *c
	s := &synthetic{}
	for _, cat := range c.categories {
		if cat.Type == "default" {
			s.cats = append(s.cats, cat)
		}
	}
	out.synth = s
	out.imageIndex = cloneIndex(c.imageIndex, n)
	out.mediaIndex = cloneIndex(c.mediaIndex, 2*n)
	out.search = searchIndex{
		video: slices.Grow(slices.Clone(c.search.video), n),
		audio: slices.Grow(slices.Clone(c.search.audio), n),
		image: slices.Grow(slices.Clone(c.search.image), n),
	}
	for kind := range s.ids {
		index, base := out.mediaIndex, len(c.media)+kind*n
		if kind == synthImage {
			index, base = out.imageIndex, len(c.images)
		}
		s.ids[kind] = make([]string, n)
		for j := range n {
			id := synthID(kind, j, 0)
			for salt := uint64(1); hasKey(index, id) || c.forbiddenSet[id]; salt++ {
				id = synthID(kind, j, salt)
			}
			s.ids[kind][j] = id
			index[id] = base + j
			a := s.attrs(kind, j)
			doc := searchDoc{id: id, title: strings.ToLower(a.title), status: a.status, tags: splitIDs(a.tags),
				storage: a.storage, at: a.at.Unix(), idx: base + j}
			if a.cate != nil {
				doc.cateID = a.cate.CateID
			}
			switch kind {
			case synthVideo:
				out.search.video = append(out.search.video, doc)
			case synthAudio:
				out.search.audio = append(out.search.audio, doc)
			default:
				out.search.image = append(out.search.image, doc)
			}
		}
	}
	out.search.sort()
	return &out
}

func cloneIndex(m map[string]int, extra int) map[string]int {
	out := make(map[string]int, len(m)+extra)
	for k, v := range m {
		out[k] = v
	}
	return out
}

func hasKey(m map[string]int, k string) bool {
	_, ok := m[k]
	return ok
}

// mix64 is the splitmix64 finaliser: a cheap, well-spread hash of x.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

// synthID is a 32-hex-digit ID, like the real ones.
func synthID(kind, j int, salt uint64) string {
	h := mix64(uint64(kind+1)<<40 ^ uint64(j) ^ salt<<56)
	return fmt.Sprintf("%016x%016x", h, mix64(h^0x5eed))
}

// synthRand is a splitmix64 sequence.
type synthRand uint64

func (r *synthRand) next() uint64 {
	*r += 0x9e3779b97f4a7c15
	return mix64(uint64(*r))
}

func (r *synthRand) intn(n int) int { return int(r.next() % uint64(n)) }

// synthAttrs are the searchable facts of a synthetic asset; everything
// else about it derives from seed.
type synthAttrs struct {
	title, status, tags, storage string
	cate                         *Category
	at                           time.Time
	seed                         synthRand
}

var (
	synthAdjectives = []string{"amber", "quiet", "rapid", "golden", "frozen", "crimson", "hidden", "silver",
		"northern", "electric", "gentle", "wild", "urban", "coastal", "midnight", "early"}
	synthSubjects = []string{"harbor", "forest", "market", "studio", "bridge", "canyon", "garden", "skyline",
		"kitchen", "festival", "library", "railway", "orchard", "glacier", "workshop", "stadium"}
	synthNouns = [3][]string{
		{"walkthrough", "timelapse", "interview", "keynote", "tutorial", "highlights", "b-roll", "trailer"},
		{"podcast", "interview", "soundtrack", "voiceover", "briefing", "mix", "lecture", "ambience"},
		{"poster", "thumbnail", "banner", "still", "portrait", "cover", "snapshot", "postcard"},
	}
	synthTags          = []string{"launch", "tutorial", "archive", "social", "internal", "featured", "draft", "4k"}
	synthMediaStatuses = []string{"Uploading", "UploadSucc", "UploadFail", "Transcoding", "TranscodeFail", "Checking", "Blocked"}
	synthBuckets       = []string{
		"outin-5e1d0c2a9b8f11ee8c9000163e1c7426.oss-cn-shanghai.aliyuncs.com",
		"outin-7a3b9e4c0d2f11ee9a1200163e0a55d1.oss-cn-beijing.aliyuncs.com",
	}
)

// attrs derives the searchable facts of synthetic asset j of kind: a title
// of three searchable words and its number, a creation time within two
// years from 2023, mostly Normal, a category (when the catalog has some)
// four times in five, the tag "synthetic" and one or two others.
func (s *synthetic) attrs(kind, j int) synthAttrs {
	r := synthRand(uint64(kind+1)<<40 ^ uint64(j))
	words := []string{synthAdjectives[r.intn(16)], synthSubjects[r.intn(16)], synthNouns[kind][r.intn(8)]}
	title := strings.ToUpper(words[0][:1]) + words[0][1:] + " " + words[1] + " " + words[2] + " " + strconv.Itoa(j+1)
	a := synthAttrs{title: title, storage: synthBuckets[r.intn(2)]}
	a.at = synthEpoch.Add(time.Duration(r.intn(synthSpanMinutes)) * time.Minute)
	switch p := r.intn(100); {
	case p < 80 || kind == synthImage && p < 90:
		a.status = "Normal"
	case kind == synthImage && p < 95:
		a.status = "Uploading"
	case kind == synthImage:
		a.status = "UploadFail"
	default:
		a.status = synthMediaStatuses[p%len(synthMediaStatuses)]
	}
	if len(s.cats) > 0 && r.intn(5) > 0 {
		a.cate = &s.cats[r.intn(len(s.cats))]
	}
	a.tags = "synthetic," + synthTags[r.intn(8)]
	if t := synthTags[r.intn(8)]; r.intn(2) == 0 && !strings.Contains(a.tags, t) {
		a.tags += "," + t
	}
	a.seed = r
	return a
}

// entry generates synthetic asset j of kind in the catalog's JSON shapes.
func (s *synthetic) entry(kind, j int) map[string]any {
	id, a := s.ids[kind][j], s.attrs(kind, j)
	if kind == synthImage {
		return synthImageEntry(id, a)
	}
	return synthMediaEntry(kind, id, a)
}

func num(v int64) json.Number { return json.Number(strconv.FormatInt(v, 10)) }

func setCategory(m map[string]any, cat *Category) {
	if cat != nil {
		m["CateId"], m["CateName"] = num(cat.CateID), cat.CateName
	}
}

func synthImageEntry(id string, a synthAttrs) map[string]any {
	r := a.seed
	ext := "jpg"
	if r.intn(10) < 3 {
		ext = "png"
	}
	imageType := "default"
	if p := r.intn(20); p < 3 {
		imageType = "CoverSnapshot"
	} else if p < 6 {
		imageType = "NormalSnapshot"
	}
	size := [][2]int64{{1920, 1080}, {1080, 1350}, {1200, 1200}, {1280, 720}}[r.intn(4)]
	created := a.at.Format(matchTimeLayout)
	img := map[string]any{
		"ImageId": id, "Title": a.title, "Description": "Generated by the emulator (-synthetic).",
		"ImageType": imageType, "Status": a.status, "CreationTime": created,
		"Tags": a.tags, "AppId": "app-1000000", "StorageLocation": a.storage,
		"URL": "https://img.synthetic.example/image/default/" + strings.ToUpper(id) + "." + ext,
		"Mezzanine": map[string]any{
			"FileURL":          "https://" + a.storage + "/image/default/" + strings.ToUpper(id) + "." + ext,
			"OriginalFileName": strings.ReplaceAll(strings.ToLower(a.title), " ", "_") + "." + ext,
			"Width":            num(size[0]),
			"Height":           num(size[1]),
			"FileSize":         strconv.FormatInt(size[0]*size[1]/4+int64(r.intn(50000)), 10),
		},
	}
	setCategory(img, a.cate)
	return img
}

func synthMediaEntry(kind int, id string, a synthAttrs) map[string]any {
	r := a.seed
	audio := kind == synthAudio
	created := a.at.Format(matchTimeLayout)
	info := map[string]any{
		"MediaId": id, "Title": a.title, "Description": "Generated by the emulator (-synthetic).",
		"Status": a.status, "CreationTime": created, "ModificationTime": a.at.Add(time.Hour).Format(matchTimeLayout),
		"Tags": a.tags, "AppId": "app-1000000", "StorageLocation": a.storage, "StorageClass": "Standard",
		"DownloadSwitch": "on",
	}
	setCategory(info, a.cate)
	ext, seconds := "mp4", 30+r.intn(3570)
	if audio {
		ext, seconds = "mp3", 300+r.intn(3300)
	}
	duration := fmt.Sprintf("%d.%04d", seconds, r.intn(10000))
	mz := map[string]any{
		"MediaId": id, "FileName": id + "." + ext, "FileURL": "https://" + a.storage + "/sv/" + id + "." + ext,
		"Status": "Normal", "CreationTime": created,
	}
	entry := map[string]any{"MediaId": id, "MediaInfo": info, "MezzanineInfo": mz, "PlayInfoList": []any{}}
	if a.status == "Uploading" || a.status == "UploadFail" {
		mz["Status"] = a.status
		return entry
	}
	base := "https://vod.synthetic.example/" + id
	info["CoverURL"] = base + "/cover.jpg"
	audioStream := map[string]any{"Index": "0", "CodecName": "aac", "SampleRate": "44100", "Channels": "2", "Lang": "eng", "Duration": duration}
	var w, h int64
	kbps := int64(128)
	if audio {
		mz["AudioStreamList"] = []any{audioStream}
	} else {
		info["Snapshots"] = []any{base + "/snapshots/00001.jpg", base + "/snapshots/00002.jpg"}
		dims := [][2]int64{{1920, 1080}, {1280, 720}, {1080, 1920}, {3840, 2160}}[r.intn(4)]
		w, h, kbps = dims[0], dims[1], 2000+int64(r.intn(6000))
		audioStream["Index"] = "1"
		mz["Width"], mz["Height"], mz["Fps"] = num(w), num(h), "25.0000"
		mz["VideoStreamList"] = []any{map[string]any{"Index": "0", "CodecName": "h264", "Width": strconv.FormatInt(w, 10),
			"Height": strconv.FormatInt(h, 10), "Fps": "25", "Duration": duration}}
		mz["AudioStreamList"] = []any{audioStream}
	}
	mz["Duration"], mz["Bitrate"], mz["Size"] = duration, fmt.Sprintf("%d.0000", kbps), num(int64(seconds)*kbps*125)
	var plays []any
	switch a.status {
	case "Normal", "Checking":
		plays = synthPlays(id, audio, seconds, duration, w, h, created, 2)
	case "Transcoding":
		plays = synthPlays(id, audio, seconds, duration, w, h, created, 1)
	}
	if plays != nil {
		entry["PlayInfoList"] = plays
	}
	return entry
}

// synthPlays returns up to n streams: mp4 SD and HLS HD for video, mp3 SQ
// and m4a HQ for audio.
func synthPlays(id string, audio bool, seconds int, duration string, w, h int64, created string, n int) []any {
	type rung struct {
		def, format string
		kbps        int64
		scale       int64 // height of the rendition, 0 for audio
	}
	ladder := []rung{{"SD", "mp4", 900, 480}, {"HD", "m3u8", 2500, 720}}
	if audio {
		ladder = []rung{{"SQ", "mp3", 128, 0}, {"HQ", "m4a", 256, 0}}
	}
	var out []any
	for i, l := range ladder[:n] {
		p := map[string]any{
			"JobId": synthJobID(id, i), "Definition": l.def, "Format": l.format, "Status": "Normal",
			"Size": num(int64(seconds) * l.kbps * 125), "Bitrate": fmt.Sprintf("%d.000", l.kbps), "Duration": duration,
			"Encrypt": num(0), "PlayURL": fmt.Sprintf("https://vod.synthetic.example/%s/%s.%s", id, strings.ToLower(l.def), l.format),
			"CreationTime": created,
		}
		if audio {
			p["StreamType"] = "audio"
		} else {
			p["StreamType"] = "video"
			p["Height"] = num(l.scale)
			if h > 0 {
				p["Width"] = num(l.scale * w / h)
			}
			p["Fps"] = "25"
		}
		out = append(out, p)
	}
	return out
}

// synthJobID is a stream's 32-hex-digit JobId, distinct per asset and
// stream.
func synthJobID(id string, i int) string {
	var h uint64
	for k := 0; k < len(id); k++ {
		h = mix64(h ^ uint64(id[k]))
	}
	h = mix64(h ^ uint64(i+1))
	return fmt.Sprintf("%016x%016x", h, mix64(h))
}
