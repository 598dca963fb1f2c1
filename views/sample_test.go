package views

import (
	"time"
)

// Sample view models shaped like real API data (and, in hostile*, like an
// attacker who controls titles, tags and URLs in the VOD account).

var sampleNow = time.Date(2025, 6, 3, 13, 4, 0, 0, time.UTC)

func ts(s string) Timestamp {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return Timestamp{Raw: s}
	}
	return Timestamp{At: t, Raw: s}
}

var testAssets = AssetURLs{CSS: "/static/app.css", JS: "/static/app.js", HTMX: "/static/htmx.min.js", Icon: "/static/icon.svg"}

func sampleLayout(assets AssetURLs) Layout {
	return Layout{
		Title:       "Lookup",
		CSRFToken:   "csrf-token-123",
		DemoMode:    true,
		SignedIn:    true,
		AccessKeyID: "LTAI5tDemoVodboardKey9",
		Region:      "cn-shanghai",
		Assets:      assets,
		Nav:         NavLookup,
	}
}

func sampleImages(base string) []Image {
	return []Image{
		{
			ID: "3e34733b40b94a96ccf5c1ff6f69a1c0", Title: "Launch keynote — cover", Description: "Cover frame picked for the 2025 launch keynote replay.",
			ImageType: "CoverSnapshot", Status: "Normal", RegionID: "cn-shanghai", AppID: "app-1000000",
			StorageLocation: "outin-4f2b8c.oss-cn-shanghai.aliyuncs.com", CateID: 254766071, CateName: "Keynotes",
			Tags: []string{"launch", "keynote", "2025"}, CreationTime: ts("2025-05-31T02:37:23Z"),
			URL:       base + "/img/landscape.png?auth_key=1748959440-0-0-f00b9455c49a423ce69cf4e27333a1b2",
			Mezzanine: ImageMezzanine{OriginalFileName: "keynote-cover.png", FileSize: 8932, Width: 1920, Height: 1080, FileURL: base + "/img/landscape.png?Expires=1748959440&OSSAccessKeyId=LTAI5t&Signature=ALPET74o"},
		},
		{
			ID: "b7a1e2c3d4f5061728394a5b6c7d8e9f", Title: "Portrait teaser frame", ImageType: "NormalSnapshot", Status: "Normal",
			Tags: []string{"teaser"}, CreationTime: ts("2025-06-01T08:12:00Z"),
			URL:       base + "/img/portrait.png?auth_key=1748959440-0-0-aa",
			Mezzanine: ImageMezzanine{OriginalFileName: "teaser.jpg", FileSize: 245_112, Width: 1080, Height: 1920},
		},
		{
			ID: "c0ffee00c0ffee00c0ffee00c0ffee00", Title: "Sprite sheet (chapter 2)", ImageType: "SpriteSnapshot", Status: "Uploading",
			URL:       base + "/img/square.png?auth_key=1748959440-0-0-bb",
			Mezzanine: ImageMezzanine{FileSize: 1_832_004, Width: 1000, Height: 1000},
		},
		{
			ID: "deadbeefdeadbeefdeadbeefdeadbeef", Title: "", ImageType: "default", Status: "UploadFail",
			URL:       base + "/img/missing.png?auth_key=expired",
			Mezzanine: ImageMezzanine{Width: 640, Height: 360},
		},
	}
}

func sampleImageList(base string) ImageList {
	return ImageList{
		Lookup: Lookup{
			Requested: 7,
			NotFound:  []string{"f45cf4eba5c80233389558c39e0a1b2c", "0123456789abcdef0123456789abcdef"},
			ChunkErrors: []ChunkError{{
				IDs:       []string{"9f9f9f9f9f9f9f9f9f9f9f9f9f9f9f9f"},
				Message:   "ApsaraVideo VOD is throttling requests. Wait a few seconds and try again.",
				RequestID: "9E290613-04F4-47F4-795D30732077A1B2",
			}},
			Invalid: []InvalidID{{Value: "not an id!", Reason: "contains characters other than letters and digits"}},
		},
		Images: sampleImages(base),
	}
}

func sampleImageDetail(base string) ImageDetail {
	img := sampleImages(base)[0]
	img.AuditStatus = "Normal"
	return ImageDetail{
		Image:      img,
		URLExpires: time.Date(2025, 6, 3, 14, 3, 0, 0, time.UTC),
		Now:        sampleNow,
	}
}

func sampleVideo(base string) Media {
	return Media{
		ID: "10a5fa364a5b71ef89246733a78e0c1d", Title: "Launch keynote 2025 (full replay)",
		Description: "Full replay of the keynote, with Q&A.", Status: "Normal",
		CoverURL:  base + "/img/landscape.png?auth_key=1748959440-0-0-cc",
		Snapshots: []string{base + "/img/landscape.png?s=1", base + "/img/square.png?s=2", base + "/img/landscape.png?s=3"},
		CateID:    781111, CateName: "Keynotes", Tags: []string{"launch", "keynote", "replay"},
		StorageLocation: "outin-4f2b8c.oss-cn-shanghai.aliyuncs.com", StorageClass: "Standard",
		DownloadSwitch: "on", AppID: "app-1000000", TemplateGroupID: "b4039216985f4312a5382a4ed1e2f3a4",
		ReferenceID:  "keynote-2025-full",
		UserData:     "{\n  \"Extend\": \"campaign-42\",\n  \"MessageCallback\": {\n    \"CallbackURL\": \"https://hooks.example.com/vod\"\n  }\n}",
		CreationTime: ts("2025-05-28T09:15:50Z"), ModificationTime: ts("2025-06-02T06:38:48Z"),
		Mezzanine: MediaMezzanine{
			FileName: "keynote-2025-master.mp4", FileURL: "http://outin-4f2b8c.oss-cn-shanghai.aliyuncs.com/sv/27ffc438-164h67f57ef.mp4",
			FileMD5: "9e107d9d372bb6826bd81d3542a419d6", Status: "Normal", Size: 2_412_096_477, Duration: 4242.493,
			Bitrate: 4548.228, Fps: 29.97002997, Width: 1920, Height: 1080, CreationTime: ts("2025-05-28T09:15:50Z"),
			VideoStreams: []VideoStream{{
				Index: 0, CodecName: "h264", CodecLongName: "H.264 / AVC / MPEG-4 AVC / MPEG-4 part 10", Profile: "High", Level: "40",
				Width: 1920, Height: 1080, Bitrate: 4352.1, Fps: 29.97002997, AvgFPS: 29.97, PixFmt: "yuv420p", HDRType: "SDR",
				Sar: "1:1", Dar: "16:9", Rotate: "0", HasBFrames: 2, NumFrames: 127_148, Duration: 4242.466,
				Timebase: "1/30000", CodecTimeBase: "1001/60000", CodecTag: "0x31637661", CodecTagString: "avc1",
				StartTime: ts("2025-05-28T09:15:50Z"), Lang: "und",
			}},
			AudioStreams: []AudioStream{
				{Index: 1, CodecName: "aac", CodecLongName: "AAC (Advanced Audio Coding)", Lang: "eng", Channels: 2, ChannelLayout: "stereo",
					SampleRate: 48000, SampleFmt: "fltp", Bitrate: 192.0, Duration: 4242.493, NumFrames: 198_867,
					Timebase: "1/48000", CodecTimeBase: "1/48000", CodecTag: "0x6134706d", CodecTagString: "mp4a", StartTime: ts("2025-05-28T09:15:50Z")},
				{Index: 2, CodecName: "aac", CodecLongName: "AAC (Advanced Audio Coding)", Lang: "zho", Channels: 1, ChannelLayout: "mono",
					SampleRate: 44100, SampleFmt: "fltp", Bitrate: 62.885, Duration: 4242.493, NumFrames: 182_700,
					Timebase: "1/44100", CodecTimeBase: "1/44100", CodecTag: "0x6134706d", CodecTagString: "mp4a"},
			},
		},
		PlayInfos: []PlayInfo{
			playInfo(base, "FD", "m3u8", 640, 360, 450.878, 239_112_000, "Normal", false),
			playInfo(base, "LD", "m3u8", 960, 540, 900.4, 478_224_000, "Normal", true),
			playInfo(base, "SD", "mp4", 1280, 720, 1800.2, 954_448_000, "Normal", false),
			playInfo(base, "HD", "mp4", 1920, 1080, 3600.9, 1_908_896_000, "Normal", false),
			playInfo(base, "SD", "mp4", 1280, 720, 1750.0, 930_000_000, "Invisible", false),
		},
	}
}

func playInfo(base, def, format string, w, h int, kbps float64, size int64, status string, enc bool) PlayInfo {
	p := PlayInfo{
		JobID: "80e9c6580e754a798c3c19c59b16" + def, Definition: def, Format: format, StreamType: "video", Status: status,
		Specification: "H264." + def, NarrowBandType: "0", Width: w, Height: h, Bitrate: kbps, Fps: 25, Size: size, Duration: 4242.47,
		HDRType: "", BitDepth: 8, CodecName: "h264",
		PlayURL:    base + "/play/" + def + "." + format + "?auth_key=1748959440-0-0-dd",
		TemplateID: "a86a4338dd2e83da45154004a541" + def, TemplateGroupID: "fb0716154b21a4ecb5b70a26ccc81234",
		CreationTime: ts("2025-05-28T09:40:15Z"), ModificationTime: ts("2025-05-28T09:52:19Z"),
	}
	if enc {
		p.Encrypted, p.EncryptType, p.EncryptMode = true, "AliyunVoDEncryption", "License"
		p.WatermarkID, p.JobType, p.JobExt = "dgfn264578561a2b", 2, "CopyrightMarkTest"
	}
	return p
}

func sampleAudio(base string) Media {
	return Media{
		ID: "7d2fbc380b0e08e55f1a2b3c4d5e6f70", Title: "Podcast episode 12 — The edge of streaming", Status: "Normal",
		StorageClass: "IA", RestoreStatus: "", DownloadSwitch: "off", AppID: "app-1000000",
		CreationTime: ts("2025-04-02T11:00:00Z"),
		Mezzanine: MediaMezzanine{
			FileName: "ep12.wav", Size: 88_412_203, Duration: 2710.2, Bitrate: 256, Status: "Normal",
			AudioStreams: []AudioStream{{Index: 0, CodecName: "pcm_s16le", CodecLongName: "PCM signed 16-bit little-endian", Channels: 2,
				ChannelLayout: "stereo", SampleRate: 44100, SampleFmt: "s16", Bitrate: 1411.2, Duration: 2710.2}},
		},
		PlayInfos: []PlayInfo{{Definition: "SQ", Format: "mp3", StreamType: "audio", Status: "Normal", Bitrate: 128, Size: 43_363_200,
			Duration: 2710.2, CodecName: "mp3", Specification: "MP3.SQ", PlayURL: base + "/play/ep12.mp3",
			CreationTime: ts("2025-04-02T11:05:00Z")}},
	}
}

func sampleTranscoding(base string) Media {
	return Media{
		ID: "5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c", Title: "Customer interview (raw upload)", Status: "Transcoding",
		StorageClass: "Standard", CreationTime: ts("2025-06-03T12:58:00Z"),
		Mezzanine: MediaMezzanine{FileName: "interview-raw.mov", Size: 5_612_000_000, Status: "Normal"},
	}
}

func sampleArchived(base string) Media {
	return Media{
		ID: "a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0", Title: "Archive: 2019 product film", Status: "Blocked",
		StorageClass: "Archive", RestoreStatus: "Processing", RestoreExpiration: ts("2025-06-10T10:14:14Z"),
		CoverURL: base + "/img/portrait.png", CreationTime: ts("2019-11-14T09:15:50Z"),
		Mezzanine: MediaMezzanine{Size: 912_000_000, Duration: 185, Width: 1280, Height: 720},
	}
}

func sampleMediaList(base string) MediaList {
	return MediaList{
		Lookup: Lookup{
			Requested:   7,
			NotFound:    []string{"bbc65bba53f6ed90de118a7849aa11bb"},
			Forbidden:   []string{"cc65bba53f6ed90de118a7849bb22cc0"},
			UnknownRefs: []string{"123-123"},
		},
		Media: []Media{sampleVideo(base), sampleAudio(base), sampleTranscoding(base), sampleArchived(base)},
	}
}

func sampleHome() Home {
	return Home{
		MaxIDs: 100,
		Recent: []RecentLookup{
			{Kind: LookupImages, Label: "3e34733b…, b7a1e2c3… +2", Count: 4, URL: "/images?ids=3e34733b40b94a96ccf5c1ff6f69a1c0"},
			{Kind: LookupMedia, Label: "10a5fa36…", Count: 1, URL: "/media?ids=10a5fa364a5b71ef89246733a78e0c1d"},
			{Kind: LookupReferences, Label: "keynote-2025-full", Count: 1, URL: "/media?refs=keynote-2025-full"},
		},
		Examples: []Example{
			{Label: "A gallery of covers and sprites", Description: "4 images, one still uploading", URL: "/images?ids=a,b,c,d"},
			{Label: "A video, a podcast and a failed upload", Description: "media IDs with every status", URL: "/media?ids=x,y,z"},
			{Label: "Look up by reference ID", Description: "custom IDs set at upload", URL: "/media?refs=keynote-2025-full"},
		},
	}
}

func sampleLogin() Login {
	return Login{
		CSRFToken:   "csrf-token-123",
		Next:        "/media/10a5fa364a5b71ef89246733a78e0c1d",
		Region:      "cn-shanghai",
		AccessKeyID: "LTAI5tDemoVodboardKey9",
		Demo:        &DemoCredentials{Region: "cn-shanghai", AccessKeyID: "LTAI5tDemoVodboardKey9"},
	}
}

// Hostile data: everything an attacker controls in the VOD account.
const (
	xssTitle = `<script>alert("title")</script>`
	xssTag   = `"><img src=x onerror=alert(1)>`
	xssURL   = `javascript:alert(1)`
)

func hostileImage() Image {
	return Image{
		ID: `"><svg onload=alert(1)>`, Title: xssTitle, Description: `<b onmouseover=alert(1)>desc</b>`,
		ImageType: xssTag, Status: `<script>`, AppID: xssTag, CateName: xssTitle,
		Tags: []string{xssTag, "ok"}, StorageLocation: xssTag, CreationTime: Timestamp{Raw: xssTitle},
		URL:       xssURL,
		Mezzanine: ImageMezzanine{OriginalFileName: xssTitle, FileURL: " javascript:alert(2)", Width: 10, Height: 10},
	}
}

func hostileMedia() Media {
	return Media{
		ID: `"><svg onload=alert(1)>`, Title: xssTitle, Description: xssTitle, Status: "Normal",
		CoverURL: "JAVASCRIPT:alert(1)", Snapshots: []string{xssURL, "data:image/svg+xml,<svg onload=alert(1)>", "//evil.example/x.png"},
		Tags: []string{xssTag}, CateName: xssTitle, StorageClass: xssTag, ReferenceID: xssTag,
		UserData: `</pre><script>alert(1)</script>`,
		Mezzanine: MediaMezzanine{
			FileName: xssTitle, FileURL: "java\tscript:alert(1)", FileMD5: xssTag,
			VideoStreams: []VideoStream{{CodecName: xssTitle, CodecLongName: xssTag, Profile: xssTag, Lang: xssTitle}},
			AudioStreams: []AudioStream{{CodecName: xssTitle, ChannelLayout: xssTag}},
		},
		PlayInfos: []PlayInfo{
			{Definition: xssTag, Format: xssTitle, Status: "Normal", PlayURL: xssURL, JobExt: xssTitle, WatermarkID: xssTag, JobType: 2},
			{Definition: "HD", Status: "Invisible", PlayURL: "vbscript:msgbox(1)"},
		},
	}
}
