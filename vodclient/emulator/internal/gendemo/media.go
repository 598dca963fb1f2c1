package main

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

type mediaSpec struct {
	slug, title, desc string
	cat               category
	tags              string
	status            string
	audio             bool    // audio-only
	w, h              int     // video size of the source
	dur               float64 // seconds
	fps               float64
	hdr               string   // "" for SDR, else HDR10, HLG, DolbyVision, HDRVivid
	codec             string   // source video codec: h264 (default), hevc, prores
	langs             []string // audio tracks; none means a silent video
	defs              []string // definitions transcoded
	formats           []string // video formats: m3u8, mp4
	audioFormat       map[string]string
	done              []string // Transcoding: definitions finished so far (mp4)
	encrypt           string   // "", AliyunVoDEncryption, HLSEncryption
	invisible         []string // definitions with an older, Invisible duplicate
	auto              bool     // an AUTO adaptive stream
	watermark         int      // 0, or PlayInfo JobType 1 (tracing) / 2 (copyright)
	ref               string
	storage           string
	restore           string
	download          string
	userData          string
	snapshots         int
	coverExt          string
	mezzExt           string
	created           time.Time // zero: spread from the epoch by position
}

func mediaSpecs() []mediaSpec {
	video := []string{"m3u8", "mp4"}
	podcast := map[string]string{"SQ": "mp3", "HQ": "m4a"}
	return []mediaSpec{
		{
			slug: "keynote-full", title: "Aurora X1 Launch Keynote (full stream)",
			desc: "Full replay of the Aurora X1 launch keynote, recorded live at the Expo Center. Includes the Q&A.",
			cat:  catLaunches, tags: "aurora-x1,keynote,launch-2024,replay", status: "Normal",
			w: 3840, h: 2160, dur: 3725.44, fps: 25, hdr: "HDR10", codec: "hevc",
			langs: []string{"eng", "zho", "jpn", "spa"},
			defs:  []string{"FD", "LD", "SD", "HD", "2K", "4K", "OD"}, formats: video,
			invisible: []string{"HD", "SD"}, auto: true, watermark: 2,
			ref: "launch-2024-aurora-x1-keynote", storage: "Standard", download: "on",
			userData:  `{"Extend":{"campaign":"aurora-x1","owner":"events-team"},"MessageCallback":{"CallbackURL":"https://hooks.northwind-media.example/vod"}}`,
			snapshots: 6, mezzExt: "mov",
		},
		{
			slug: "keynote-highlights", title: "Aurora X1 Launch: 90-second highlights",
			desc: "Cut-down of the keynote for the newsletter and the product page.",
			cat:  catLaunches, tags: "aurora-x1,highlights,launch-2024", status: "Normal",
			w: 1920, h: 1080, dur: 91.2, fps: 25, langs: []string{"eng"},
			defs: []string{"LD", "SD", "HD"}, formats: video,
			ref: "launch-2024-aurora-x1-highlights", storage: "Standard", download: "on", snapshots: 3,
		},
		{
			slug: "teaser-vertical", title: "Aurora X1 teaser (vertical 9:16)",
			desc: "Stories and Reels teaser, captions burned in.",
			cat:  catLaunches, tags: "aurora-x1,teaser,vertical,social", status: "Normal",
			w: 1080, h: 1920, dur: 15.04, fps: 30, langs: []string{"eng"},
			defs: []string{"LD", "SD", "HD"}, formats: []string{"mp4"},
			storage: "Standard", download: "on", snapshots: 2,
		},
		{
			slug: "partner-preview", title: "Aurora X1 partner preview (embargoed)",
			desc: "Pre-brief for channel partners. Embargoed until the keynote; tracing watermark on every stream.",
			cat:  catLaunches, tags: "aurora-x1,partners,embargo", status: "Normal",
			w: 1920, h: 1080, dur: 1264.8, fps: 25, langs: []string{"eng", "zho"},
			defs: []string{"LD", "SD", "HD"}, formats: []string{"m3u8"},
			encrypt: "AliyunVoDEncryption", watermark: 1,
			ref: "aurora-x1-partner-preview", storage: "Standard", download: "off",
			userData:  `{"Extend":{"embargo":"2024-05-14T09:00:00Z","audience":"partners"}}`,
			snapshots: 2,
		},
		{
			slug: "kt-s1e1", title: "Kitchen Table S1E1: Fresh pasta from scratch",
			desc: "Chef Lucia Romano makes tagliatelle by hand, then a brown-butter sage sauce.",
			cat:  catCooking, tags: "kitchen-table,season-1,pasta,italian", status: "Normal",
			w: 1920, h: 1080, dur: 1452.6, fps: 25, langs: []string{"eng"},
			defs: []string{"FD", "LD", "SD", "HD"}, formats: video,
			ref: "kitchen-table-s01e01", storage: "Standard", download: "on", snapshots: 5,
		},
		{
			slug: "kt-s1e2", title: "Kitchen Table S1E2: Knife skills for weeknights",
			desc: "Dicing, julienne and chiffonade, and how to keep a knife sharp.",
			cat:  catCooking, tags: "kitchen-table,season-1,technique", status: "Normal",
			w: 1920, h: 1080, dur: 1318.0, fps: 25, langs: []string{"eng", "spa"},
			defs: []string{"LD", "SD", "HD"}, formats: video,
			ref: "kitchen-table-s01e02", storage: "IA", download: "on", snapshots: 4,
		},
		{
			slug: "kt-s1e3", title: "Kitchen Table S1E3: Sourdough, start to finish",
			desc: "Seven days from starter to crumb shot, filmed in HLG.",
			cat:  catCooking, tags: "kitchen-table,season-1,baking,hdr", status: "Normal",
			w: 3840, h: 2160, dur: 1906.3, fps: 50, hdr: "HLG", codec: "hevc", langs: []string{"eng"},
			defs: []string{"SD", "HD", "4K"}, formats: video,
			ref: "kitchen-table-s01e03", storage: "Standard", download: "on", snapshots: 5,
		},
		{
			slug: "kt-s1e4", title: "Kitchen Table S1E4: A 30-minute green curry",
			desc: "Subscriber episode: paste from scratch, then a weeknight shortcut.",
			cat:  catCooking, tags: "kitchen-table,season-1,thai,subscribers", status: "Normal",
			w: 1920, h: 1080, dur: 1744.9, fps: 25, langs: []string{"eng", "zho"},
			defs: []string{"LD", "SD", "HD"}, formats: video, encrypt: "HLSEncryption",
			storage: "Standard", download: "off", snapshots: 4,
		},
		{
			slug: "kt-s1e5", title: "Kitchen Table S1E5: Dumplings with Grandma Li",
			desc: "Pleating jiaozi with the chef's grandmother; Mandarin with English dub.",
			cat:  catCooking, tags: "kitchen-table,season-1,chinese,family", status: "Transcoding",
			w: 1920, h: 1080, dur: 1602.5, fps: 25, langs: []string{"zho", "eng"},
			defs: []string{"FD", "LD", "SD", "HD"}, formats: video, done: []string{"FD", "LD"},
			ref: "kitchen-table-s01e05", storage: "Standard", download: "on", snapshots: 2,
		},
		{
			slug: "kt-s1e6", title: "Kitchen Table S1E6: Sunday roast (rough cut)",
			cat: catCooking, tags: "kitchen-table,season-1,rough-cut", status: "Uploading",
			w: 1920, h: 1080, dur: 1500, fps: 25, langs: []string{"eng"},
			storage: "Standard", download: "on", mezzExt: "mov",
		},
		{
			slug: "rq-41", title: "The Render Queue #41: Colour grading on a budget",
			desc: "Three editors on LUTs, scopes and when to stop grading.",
			cat:  catPodcasts, tags: "podcast,render-queue,colour", status: "Normal",
			audio: true, dur: 2891.7, langs: []string{"eng"},
			defs: []string{"SQ", "HQ"}, audioFormat: podcast,
			ref: "render-queue-041", storage: "Standard", download: "on", mezzExt: "wav",
		},
		{
			slug: "rq-42", title: "The Render Queue #42: What HDR really means for editors",
			desc: "PQ, HLG, Dolby Vision and the deliverables nobody asked for.",
			cat:  catPodcasts, tags: "podcast,render-queue,hdr", status: "Normal",
			audio: true, dur: 3322.1, langs: []string{"eng"},
			defs: []string{"SQ", "HQ"}, audioFormat: map[string]string{"SQ": "mp3", "HQ": "mp3"},
			ref: "render-queue-042", storage: "Archive", restore: "Success", download: "on", mezzExt: "mp3",
		},
		{
			slug: "rq-43", title: "The Render Queue #43: Live from the launch floor",
			desc: "Recorded on the show floor right after the keynote.",
			cat:  catPodcasts, tags: "podcast,render-queue,live", status: "Normal",
			audio: true, dur: 2410.0, langs: []string{"eng"},
			defs: []string{"SQ"}, audioFormat: podcast,
			storage: "ColdArchive", restore: "Processing", download: "on", mezzExt: "mp3",
		},
		{
			slug: "rq-es-01", title: "La Cola de Render #1: Edición en español",
			desc: "Primer episodio de la edición en español del pódcast.",
			cat:  catPodcasts, tags: "podcast,render-queue,espanol", status: "Normal",
			audio: true, dur: 2175.4, langs: []string{"spa"},
			defs: []string{"SQ", "HQ"}, audioFormat: podcast,
			ref: "render-queue-es-001", storage: "SourceArchive", restore: "Failed", download: "on", mezzExt: "wav",
		},
		{
			slug: "rq-45-draft", title: "The Render Queue #45 (draft upload)",
			desc: "Unedited recording, waiting for the transcode template to be fixed.",
			cat:  catPodcasts, tags: "podcast,render-queue,draft", status: "UploadSucc",
			audio: true, dur: 3560.3, langs: []string{"eng"},
			storage: "Standard", download: "off", mezzExt: "wav",
		},
		{
			slug: "bund-blue-hour", title: "Shanghai Bund at blue hour: 4K b-roll",
			desc: "Locked-off and gimbal shots of the Bund skyline; no audio.",
			cat:  catBroll, tags: "b-roll,shanghai,city,dolby-vision", status: "Normal",
			w: 3840, h: 2160, dur: 184.0, fps: 25, hdr: "DolbyVision", codec: "hevc",
			defs: []string{"HD", "4K", "OD"}, formats: video,
			ref: "broll-shanghai-bund-0412", storage: "Standard", download: "on", snapshots: 4, mezzExt: "mov",
		},
		{
			slug: "tokyo-crosswalk", title: "Tokyo crosswalk timelapse (HDR Vivid)",
			cat: catBroll, tags: "b-roll,tokyo,timelapse,hdr", status: "Normal",
			w: 3840, h: 2160, dur: 62.0, fps: 30, hdr: "HDRVivid", codec: "hevc",
			defs: []string{"SD", "HD", "4K"}, formats: video,
			storage: "SourceIA", download: "on", snapshots: 3,
		},
		{
			slug: "barcelona-rooftops", title: "Barcelona rooftops: drone flyover",
			cat: catBroll, tags: "b-roll,barcelona,drone,aerial", status: "Normal",
			w: 2560, h: 1440, dur: 96.5, fps: 30, langs: []string{"und"},
			defs: []string{"LD", "SD", "HD", "2K"}, formats: video,
			storage: "Changing", download: "on", snapshots: 3,
		},
		{
			slug: "rain-window", title: "Rain on the studio window (ProRes master)",
			desc: "Transcode failed: unsupported ProRes 4444 XQ source. Re-export as ProRes 422 HQ.",
			cat:  catBroll, tags: "b-roll,loop,weather", status: "TranscodeFail",
			w: 1920, h: 1080, dur: 120.0, fps: 50, codec: "prores", langs: []string{"und"},
			storage: "Standard", download: "on", mezzExt: "mov",
		},
		{
			slug: "cs-northwind", title: "Customer story: Northwind Logistics",
			desc: "How Northwind cut onboarding time for drivers with short training videos.",
			cat:  catCustomers, tags: "customer-story,logistics,northwind", status: "Normal",
			w: 1920, h: 1080, dur: 212.4, fps: 25, langs: []string{"eng", "zho"},
			defs: []string{"LD", "SD", "HD"}, formats: video,
			ref: "cs-northwind-2024", storage: "Standard", download: "on", snapshots: 3,
		},
		{
			slug: "cs-harbor-clinic", title: "Customer story: Harbor Clinic",
			desc: "Blocked: the interviewee withdrew consent. Do not republish.",
			cat:  catCustomers, tags: "customer-story,healthcare,blocked", status: "Blocked",
			w: 1920, h: 1080, dur: 188.0, fps: 25, langs: []string{"eng"},
			ref: "cs-harbor-clinic-2024", storage: "Standard", download: "off",
		},
		{
			slug: "cs-fieldstone", title: "Customer story: Fieldstone Schools",
			desc: "Teachers and students on moving lessons online; English and Spanish audio.",
			cat:  catCustomers, tags: "customer-story,education,fieldstone", status: "Normal",
			w: 1920, h: 1080, dur: 245.9, fps: 25, langs: []string{"eng", "spa"},
			defs: []string{"FD", "LD", "SD", "HD"}, formats: video,
			storage: "Standard", download: "off", snapshots: 3,
		},
		{
			slug: "cs-montage", title: "Customer testimonials: 60-second montage (4:5)",
			cat: catCustomers, tags: "customer-story,montage,social", status: "Normal",
			w: 1080, h: 1350, dur: 60.0, fps: 30, langs: []string{"eng"},
			defs: []string{"SD", "HD"}, formats: []string{"mp4"},
			storage: "Standard", download: "on", snapshots: 2,
		},
		{
			slug: "training-onboarding", title: "Onboarding 101: Finding your way around the media library",
			desc: "Internal training. Plays in the ApsaraVideo Player only.",
			cat:  catTraining, tags: "training,onboarding,internal", status: "Normal",
			w: 1920, h: 1080, dur: 842.0, fps: 25, langs: []string{"eng"},
			defs: []string{"LD", "SD", "HD"}, formats: []string{"m3u8"}, auto: true, encrypt: "AliyunVoDEncryption",
			ref: "training-onb-101", storage: "Standard", download: "off", snapshots: 4, coverExt: "png",
		},
		{
			slug: "training-phishing", title: "Security awareness: Spotting phishing in five minutes",
			desc: "Mandatory yearly module. Audio in four languages.",
			cat:  catTraining, tags: "training,security,mandatory", status: "Normal",
			w: 1280, h: 720, dur: 301.0, fps: 30, langs: []string{"eng", "zho", "jpn", "spa"},
			defs: []string{"FD", "LD", "SD"}, formats: video, encrypt: "HLSEncryption",
			ref: "training-sec-phish-2024", storage: "Standard", download: "off", snapshots: 3,
			userData: `{"Extend":{"course":"SEC-101","mandatory":true}}`,
		},
		{
			slug: "training-proxy-conform", title: "Editing workflow: From proxies to final conform",
			desc: "Upload interrupted at 38%; re-upload from the edit suite.",
			cat:  catTraining, tags: "training,editing,workflow", status: "UploadFail",
			w: 1920, h: 1080, dur: 2400, fps: 25, langs: []string{"eng"},
			storage: "Standard", download: "on", mezzExt: "mov",
		},
		{
			slug: "training-accessibility", title: "Accessibility: Captions and audio description",
			desc: "How we caption and describe every release. Audio tracks: English, Spanish, Japanese, Mandarin.",
			cat:  catTraining, tags: "training,accessibility,captions", status: "Normal",
			w: 1920, h: 1080, dur: 655.3, fps: 25, langs: []string{"eng", "spa", "jpn", "zho"},
			defs: []string{"LD", "SD", "HD"}, formats: video, invisible: []string{"SD"},
			ref: "training-a11y-201", storage: "Standard", download: "on", snapshots: 3,
		},
		{
			slug: "allhands-q2", title: "Q2 all-hands: CEO update",
			desc: "Internal only. Recording of the quarterly all-hands.",
			cat:  catInternal, tags: "internal,all-hands,q2", status: "Normal",
			w: 1920, h: 1080, dur: 3310.0, fps: 25, langs: []string{"eng"},
			defs: []string{"LD", "SD", "HD"}, formats: video,
			storage: "IA", download: "off", snapshots: 2,
			userData: `{"Extend":{"visibility":"employees"}}`,
		},
	}
}

type rung struct {
	short int     // length of the shorter side
	kbps  float64 // video bitrate
}

var ladder = map[string]rung{
	"FD": {360, 400}, "LD": {540, 900}, "SD": {720, 1600}, "HD": {1080, 3200}, "2K": {1440, 7000}, "4K": {2160, 15000},
}

var audioKbps = map[string]float64{"SQ": 128, "HQ": 256}

// order of definitions in a PlayInfoList, lowest first.
var defOrder = []string{"FD", "LD", "SD", "HD", "2K", "4K", "OD", "AUTO", "SQ", "HQ"}

func even(f float64) int { return int(math.Round(f/2)) * 2 }

// sizeFor scales the source to a rung, keeping its aspect ratio.
func sizeFor(s mediaSpec, r rung) (int, int) {
	if s.w >= s.h {
		return even(float64(r.short) * float64(s.w) / float64(s.h)), r.short
	}
	return r.short, even(float64(r.short) * float64(s.h) / float64(s.w))
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

func media() []any {
	var out []any
	for i, s := range slices.Concat(mediaSpecs(), libraryMediaSpecs()) {
		out = append(out, buildMedia(i, s))
	}
	return out
}

func buildMedia(i int, s mediaSpec) mediaEntry {
	mid := id("media", s.slug)
	created := s.created
	if created.IsZero() {
		created = epoch.Add(time.Duration(i)*61*time.Hour + time.Duration(i*13)*time.Minute)
	}
	group := id("template-group", s.cat.name, s.encrypt, s.hdr != "")
	info := mediaInfo{
		MediaId:          mid,
		Title:            s.title,
		Description:      s.desc,
		Status:           s.status,
		CreationTime:     ts(created),
		ModificationTime: ts(created.Add(3*time.Hour + time.Duration(i)*time.Minute)),
		CateId:           s.cat.id,
		CateName:         s.cat.name,
		Tags:             s.tags,
		AppId:            appID,
		StorageLocation:  bucket,
		StorageClass:     s.storage,
		RestoreStatus:    s.restore,
		DownloadSwitch:   s.download,
		UserData:         s.userData,
		ReferenceId:      s.ref,
	}
	if s.restore == "Success" {
		info.RestoreExpiration = ts(epoch.AddDate(1, 4, 0))
	}
	uploaded := s.status != "Uploading" && s.status != "UploadFail"
	if uploaded && s.status != "UploadSucc" {
		info.TemplateGroupId = group
		ext := cmpOr(s.coverExt, "jpg")
		info.CoverURL = fmt.Sprintf("%s/%s/covers/%s-00001.%s", cdnHost, mid, strings.ToUpper(id("cover", s.slug)[:24]), ext)
		for k := 1; k <= s.snapshots; k++ {
			info.Snapshots = append(info.Snapshots,
				fmt.Sprintf("%s/%s/snapshots/normal/%s-%05d.jpg", cdnHost, mid, strings.ToUpper(id("snap", s.slug)[:24]), k))
		}
	}
	entry := mediaEntry{MediaId: mid, MediaInfo: info, MezzanineInfo: mezzanine(s, mid, created), PlayInfoList: []playInfo{}}
	// Checking: transcoded, waiting for review before it is published.
	if s.status == "Normal" || s.status == "Transcoding" || s.status == "Checking" {
		entry.PlayInfoList = plays(s, mid, created, group)
	}
	return entry
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func f4(f float64) string { return fmt.Sprintf("%.4f", f) }

func mezzanine(s mediaSpec, mid string, created time.Time) *mezzanineInfo {
	ext := cmpOr(s.mezzExt, "mp4")
	object := id("mezzanine-object", s.slug)
	name := fmt.Sprintf("%s-%s-%s-%s-%s.%s", object[:8], object[8:19], object[19:23], object[23:27], object[27:], ext)
	mz := &mezzanineInfo{
		MediaId:      mid,
		FileName:     name,
		Status:       "Normal",
		CreationTime: ts(created),
	}
	switch s.status {
	case "Uploading":
		mz.Status = "Uploading"
		return mz
	case "UploadFail":
		mz.Status = "UploadFail"
		return mz
	}
	mz.FileURL = fmt.Sprintf("https://%s/sv/%s/%s", bucket, id("sv", s.slug)[:8]+"-"+id("sv", s.slug)[8:19], name)
	var kbps float64
	if !s.audio {
		v := videoSource(s)
		mz.VideoStreamList = []videoStream{v}
		mz.Width, mz.Height = s.w, s.h
		mz.Fps = f4(s.fps)
		kbps += sourceVideoKbps(s)
	}
	for k, lang := range s.langs {
		a := audioSource(s, k, lang)
		mz.AudioStreamList = append(mz.AudioStreamList, a)
		var ak float64
		fmt.Sscan(a.Bitrate, &ak)
		kbps += ak
	}
	mz.Bitrate = f4(kbps)
	mz.Duration = f4(s.dur)
	mz.Size = int64(kbps * 1000 / 8 * s.dur)
	return mz
}

func sourceVideoKbps(s mediaSpec) float64 {
	pixels := float64(s.w * s.h)
	switch s.codec {
	case "prores":
		return pixels * s.fps * 0.0035
	case "hevc":
		return pixels * s.fps * 0.00018
	}
	return pixels * s.fps * 0.00025
}

func videoSource(s mediaSpec) videoStream {
	g := gcd(s.w, s.h)
	v := videoStream{
		Index:          "0",
		CodecName:      "h264",
		CodecLongName:  "H.264 / AVC / MPEG-4 AVC / MPEG-4 part 10",
		CodecTag:       "0x31637661",
		CodecTagString: "avc1",
		CodecTimeBase:  fmt.Sprintf("1/%d", int(s.fps*2)),
		Profile:        "High",
		Level:          "41",
		PixFmt:         "yuv420p",
		Width:          fmt.Sprint(s.w),
		Height:         fmt.Sprint(s.h),
		Sar:            "1:1",
		Dar:            fmt.Sprintf("%d:%d", s.w/g, s.h/g),
		Fps:            fmt.Sprintf("%.1f", s.fps),
		AvgFPS:         fmt.Sprintf("%.1f", s.fps),
		HasBFrames:     "2",
		Rotate:         "0",
		Lang:           "und",
		Timebase:       "1/12800",
		StartTime:      "0.000000",
		Duration:       fmt.Sprintf("%.6f", s.dur),
		NumFrames:      fmt.Sprint(int(s.dur * s.fps)),
		Bitrate:        fmt.Sprintf("%.3f", sourceVideoKbps(s)),
		HDRType:        s.hdr,
	}
	switch s.codec {
	case "hevc":
		v.CodecName, v.CodecLongName = "hevc", "H.265 / HEVC (High Efficiency Video Coding)"
		v.CodecTag, v.CodecTagString = "0x31637668", "hvc1"
		v.Profile, v.Level, v.PixFmt = "Main 10", "153", "yuv420p10le"
	case "prores":
		v.CodecName, v.CodecLongName = "prores", "Apple ProRes (iCodec Pro)"
		v.CodecTag, v.CodecTagString = "0x78683461", "ap4x"
		v.Profile, v.Level, v.PixFmt, v.HasBFrames = "4444 XQ", "-99", "yuva444p12le", "0"
	}
	return v
}

func audioSource(s mediaSpec, k int, lang string) audioStream {
	index := k + 1
	if s.audio {
		index = k
	}
	a := audioStream{
		Index:          fmt.Sprint(index),
		CodecName:      "aac",
		CodecLongName:  "AAC (Advanced Audio Coding)",
		CodecTag:       "0x6134706d",
		CodecTagString: "mp4a",
		CodecTimeBase:  "1/48000",
		SampleFmt:      "fltp",
		SampleRate:     "48000",
		Channels:       "2",
		ChannelLayout:  "stereo",
		Lang:           lang,
		Timebase:       "1/48000",
		StartTime:      "0.000000",
		Duration:       fmt.Sprintf("%.6f", s.dur),
		NumFrames:      fmt.Sprint(int(s.dur * 48000 / 1024)),
		Bitrate:        "192.000",
	}
	switch s.mezzExt {
	case "wav":
		a.CodecName, a.CodecLongName = "pcm_s16le", "PCM signed 16-bit little-endian"
		a.CodecTag, a.CodecTagString = "0x0001", "[1][0][0][0]"
		a.CodecTimeBase, a.Timebase, a.SampleRate, a.SampleFmt = "1/44100", "1/44100", "44100", "s16"
		a.NumFrames, a.Bitrate = fmt.Sprint(int(s.dur*44100)), "1411.200"
	case "mp3":
		a.CodecName, a.CodecLongName = "mp3", "MP3 (MPEG audio layer 3)"
		a.CodecTag, a.CodecTagString = "0x0000", "[0][0][0][0]"
		a.CodecTimeBase, a.Timebase, a.SampleRate, a.SampleFmt = "1/44100", "1/14112000", "44100", "fltp"
		a.Channels, a.ChannelLayout = "1", "mono"
		a.NumFrames, a.Bitrate = fmt.Sprint(int(s.dur*44100/1152)), "160.000"
	}
	return a
}

// plays builds the PlayInfoList: every definition in every format, or
// only what a running transcode has finished.
func plays(s mediaSpec, mid string, created time.Time, group string) []playInfo {
	var out []playInfo
	done := created.Add(47 * time.Minute)
	add := func(def, format string, invisible bool) {
		p := playInfo{
			Definition:       def,
			Format:           format,
			StreamType:       "video",
			Status:           "Normal",
			NarrowBandType:   "0",
			Duration:         f4(s.dur),
			CreationTime:     ts(done),
			ModificationTime: ts(done.Add(2 * time.Minute)),
			TemplateGroupId:  group,
		}
		variant := ""
		if invisible {
			p.Status = "Invisible"
			p.CreationTime = ts(created.Add(20 * time.Minute))
			p.ModificationTime = ts(created.Add(22 * time.Minute))
			variant = "old"
		}
		p.JobId = id("job", s.slug, def, format, variant)
		p.TemplateId = id("template", def, format, s.hdr != "", variant)
		var kbps float64
		switch {
		case s.audio:
			p.StreamType = "audio"
			p.CodecName = "aac"
			if format == "mp3" {
				p.CodecName = "mp3"
			}
			p.Specification = strings.ToUpper(format) + "." + def
			kbps = audioKbps[def]
		case def == "OD":
			p.Width, p.Height = s.w, s.h
			p.Specification = "Original"
			kbps = sourceVideoKbps(s) + 192
		case def == "AUTO":
			top := topDef(s)
			p.Width, p.Height = sizeFor(s, ladder[top])
			p.Specification = "AUTO"
			kbps = ladder[top].kbps + 128
		default:
			p.Width, p.Height = sizeFor(s, ladder[def])
			codec := "H264"
			if s.hdr != "" && (def == "HD" || def == "2K" || def == "4K") {
				codec = "H265"
			}
			p.Specification = codec + "." + def
			kbps = ladder[def].kbps + 128
		}
		if !s.audio {
			p.Fps = fmt.Sprintf("%g", s.fps)
			p.CodecName, p.BitDepth = "h264", 8
			if s.hdr != "" && (def == "HD" || def == "2K" || def == "4K" || def == "OD" || def == "AUTO") {
				p.CodecName, p.BitDepth, p.HDRType = "h265", 10, s.hdr
			}
		}
		if invisible {
			kbps *= 1.12 // the older template was less efficient
		}
		p.Bitrate = fmt.Sprintf("%.3f", kbps)
		p.Size = int64(kbps * 1000 / 8 * s.dur)
		switch s.encrypt {
		case "AliyunVoDEncryption":
			p.Encrypt, p.EncryptType, p.EncryptMode = 1, "AliyunVoDEncryption", "License"
		case "HLSEncryption":
			if format == "m3u8" {
				p.Encrypt, p.EncryptType = 1, "HLSEncryption"
			}
		}
		switch s.watermark {
		case 1:
			p.WatermarkId, p.JobType = id("watermark", "tracing")[:28], 1
		case 2:
			if def == "HD" || def == "4K" {
				p.WatermarkId, p.JobType, p.JobExt = id("watermark", "copyright")[:28], 2, "NorthwindMedia-2024"
			}
		}
		suffix := strings.ToLower(def)
		if p.Encrypt == 1 {
			suffix += "-encrypt-stream"
		}
		p.PlayURL = fmt.Sprintf("%s/%s/%s-%s.%s", cdnHost, mid, id("play", p.JobId)[:32], suffix, format)
		out = append(out, p)
	}
	defs := s.defs
	if s.status == "Transcoding" {
		defs = s.done
	}
	for _, def := range defs {
		switch {
		case s.audio:
			add(def, s.audioFormat[def], false)
		case def == "OD":
			add(def, "mp4", false)
		default:
			for _, format := range s.formats {
				if s.status == "Transcoding" && format != "mp4" {
					continue
				}
				if slices.Contains(s.invisible, def) {
					add(def, format, true)
				}
				add(def, format, false)
			}
		}
	}
	if s.auto && s.status == "Normal" {
		add("AUTO", "m3u8", false)
	}
	slices.SortStableFunc(out, func(a, b playInfo) int {
		return slices.Index(defOrder, a.Definition) - slices.Index(defOrder, b.Definition)
	})
	return out
}

func topDef(s mediaSpec) string {
	top := ""
	for _, d := range s.defs {
		if _, ok := ladder[d]; ok && (top == "" || ladder[d].short > ladder[top].short) {
			top = d
		}
	}
	return top
}
