package vodclient

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// The testdata JSON files are the success examples of the published API
// references in ../shared/api, copied verbatim (see TestExamplesAreVerbatim).

func readExample(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestExamplesAreVerbatim(t *testing.T) {
	docs := map[string]string{
		"GetImageInfo.json":       "GetImageInfo.txt",
		"GetImageInfos.json":      "GetImageInfos.txt",
		"BatchGetMediaInfos.json": "BatchGetMediaInfos.txt",
		"GetImageInfo-older.json": "GetImageInfo-older.md",
	}
	for example, doc := range docs {
		text, err := os.ReadFile(filepath.Join("..", "..", "shared", "api", doc))
		if os.IsNotExist(err) {
			t.Skip("../shared/api is not beside the repository")
		}
		if err != nil {
			t.Fatal(err)
		}
		ex := strings.TrimSpace(string(readExample(t, example)))
		if !strings.Contains(string(text), ex) {
			t.Errorf("testdata/%s is not verbatim in %s", example, doc)
		}
	}
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	tm, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

func TestDecodeGetImageInfo(t *testing.T) {
	var resp getImageInfoResponse
	if err := json.Unmarshal(readExample(t, "GetImageInfo.json"), &resp); err != nil {
		t.Fatal(err)
	}
	want := ImageInfo{
		ImageID:         "bbc65bba53f9*****ed90de118a7849",
		Title:           "this is a sample",
		Description:     "Test description",
		ImageType:       "default",
		Status:          "Uploading",
		AppID:           "app-****",
		CateID:          254766071,
		CateName:        "Test",
		Tags:            "tag1,tag2,tag3",
		URL:             "http://example.aliyundoc.com/image/default/****.gif?auth_key=****",
		StorageLocation: "outin-****..oss-cn-shanghai.aliyuncs.com",
		CreationTime:    Time{Time: mustTime(t, "2018-11-21T02:37:23Z"), Raw: "2018-11-21T02:37:23Z"},
		Mezzanine: Mezzanine{
			FileURL:          "https://outin-bfefbb*****163e1c7426.oss-cn-XXXXXXXX.aliyuncs.com/image/default/5E84CD536*****D4DAD.png?Expires=1590982353&OSSAccessKeyId=*****&Signature=ALPET74o*****c%3D",
			OriginalFileName: "****.gif",
			Width:            200,
			Height:           200,
			FileSize:         8932, // a string in this document
		},
	}
	if resp.RequestID != "AB99D4DF-FAFA-49DC-9C548C1E261E****" {
		t.Errorf("RequestID = %q", resp.RequestID)
	}
	if !reflect.DeepEqual(resp.ImageInfo, want) {
		t.Errorf("ImageInfo =\n%+v\nwant\n%+v", resp.ImageInfo, want)
	}
	if got := resp.ImageInfo.TagList(); !reflect.DeepEqual(got, []string{"tag1", "tag2", "tag3"}) {
		t.Errorf("TagList = %q", got)
	}
}

func TestDecodeGetImageInfoOlder(t *testing.T) {
	var resp getImageInfoResponse
	if err := json.Unmarshal(readExample(t, "GetImageInfo-older.json"), &resp); err != nil {
		t.Fatal(err)
	}
	img := resp.ImageInfo
	if img.Mezzanine.FileSize != 8932 { // a number in the older document
		t.Errorf("FileSize = %d, want 8932", img.Mezzanine.FileSize)
	}
	if img.URL != "https://al*****.cn/image/default/5E84CD536*****D4DAD.png?auth_key=159098055*****70a396e834" ||
		img.StorageLocation != "outin-bfefbb*****163e1c7426.oss-cn-shanghai.aliyuncs.com" ||
		!strings.HasPrefix(img.Mezzanine.OriginalFileName, "https://outin-") || img.ImageType != "default" {
		t.Errorf("older ImageInfo decoded as %+v", img)
	}

	// AuditStatus and RegionId are documented in the older reference's
	// table but missing from its example.
	var older getImageInfoResponse
	if err := json.Unmarshal([]byte(`{"RequestId":"r","ImageInfo":{"ImageId":"a1","AuditStatus":"Blocked","RegionId":"cn-shanghai"}}`), &older); err != nil {
		t.Fatal(err)
	}
	if older.ImageInfo.AuditStatus != "Blocked" || older.ImageInfo.RegionID != "cn-shanghai" {
		t.Errorf("AuditStatus, RegionID = %q, %q", older.ImageInfo.AuditStatus, older.ImageInfo.RegionID)
	}
}

func TestDecodeGetImageInfos(t *testing.T) {
	var resp getImageInfosResponse
	if err := json.Unmarshal(readExample(t, "GetImageInfos.json"), &resp); err != nil {
		t.Fatal(err)
	}
	if resp.RequestID != "25818875-5F78-4AF6-D7393642CA58*****" || len(resp.ImageInfo) != 1 {
		t.Fatalf("decoded %+v", resp)
	}
	img := resp.ImageInfo[0]
	if img.ImageType != "NormalSnapshot" || img.CateName != "Test\n" || img.Description != "Test description\n" ||
		img.Mezzanine.FileSize != 8932 || img.Mezzanine.Width != 200 || img.CateID != 254766071 {
		t.Errorf("ImageInfo[0] = %+v", img)
	}
	if !reflect.DeepEqual([]string(resp.NonExistImageIDs), []string{"f45cf4eba5c80233389558c39****"}) {
		t.Errorf("NonExistImageIDs = %q", resp.NonExistImageIDs)
	}
}

func TestDecodeBatchGetMediaInfos(t *testing.T) {
	var resp batchGetMediaInfosResponse
	if err := json.Unmarshal(readExample(t, "BatchGetMediaInfos.json"), &resp); err != nil {
		t.Fatal(err)
	}
	// The example's lists hold JSON-encoded arrays; they are flattened.
	if got := []string(resp.NonExistMediaIDs); !reflect.DeepEqual(got, []string{"bbc65bba53f6ed90de118a7849****"}) {
		t.Errorf("NonExistMediaIDs = %q", got)
	}
	if got := []string(resp.ForbiddenMediaIDs); !reflect.DeepEqual(got, []string{"bbc65bba53f6ed90de118a7849****"}) {
		t.Errorf("ForbiddenMediaIDs = %q", got)
	}
	if got := []string(resp.NonExistReferenceIDs); !reflect.DeepEqual(got, []string{"123-123"}) {
		t.Errorf("NonExistReferenceIDs = %q", got)
	}
	if len(resp.MediaInfos) != 1 {
		t.Fatalf("%d MediaInfos, want 1", len(resp.MediaInfos))
	}
	m := resp.MediaInfos[0]
	if m.MediaID != "10a5fa364a5b71ef89246733a78e****" {
		t.Errorf("MediaID = %q", m.MediaID)
	}

	info := m.MediaInfo
	wantInfo := MediaInfo{
		MediaID:           "7753d144efd74d6c45fe0570****",
		Title:             "Alibaba Cloud VOD Video Title",
		Description:       "Alibaba Cloud VOD video description",
		Status:            "Normal",
		CateID:            0,
		CateName:          "cate1",
		Tags:              "tag1, tag2",
		AppID:             "app-****",
		CoverURL:          "https://example.aliyundoc.com/****.jpg",
		Snapshots:         info.Snapshots, // checked below
		StorageLocation:   "outin-***.oss-cn-shanghai.aliyuncs.com",
		StorageClass:      "Standard",
		RestoreStatus:     "Success",
		RestoreExpiration: Time{Time: mustTime(t, "2023-03-30T10:14:14Z"), Raw: "2023-03-30T10:14:14Z"},
		DownloadSwitch:    "on",
		TemplateGroupID:   "b4039216985f4312a5382a4ed****",
		UserData:          `{"Extend":"xxx","MessageCallback":"xxx"}`,
		ReferenceID:       "123-123",
		CreationTime:      Time{Time: mustTime(t, "2017-11-14T09:15:50Z"), Raw: "2017-11-14T09:15:50Z"},
		ModificationTime:  Time{Time: mustTime(t, "2017-06-26T06:38:48Z"), Raw: "2017-06-26T06:38:48Z"},
	}
	if !reflect.DeepEqual(info, wantInfo) {
		t.Errorf("MediaInfo =\n%+v\nwant\n%+v", info, wantInfo)
	}
	if got := info.TagList(); !reflect.DeepEqual(got, []string{"tag1", "tag2"}) {
		t.Errorf("TagList = %q", got)
	}
	// The example's snapshot element is a truncated JSON array ("...]"):
	// not decodable, so it is kept as sent rather than dropped.
	if len(info.Snapshots) != 1 || !strings.Contains(info.Snapshots[0], "snapshot/****.jpg?auth_key=1498476426") {
		t.Errorf("Snapshots = %q", info.Snapshots)
	}

	mez := m.MezzanineInfo
	wantMez := MezzanineInfo{
		MediaID:      "1f1a6fc03ca04814031b8a6559e****",
		FileName:     "27ffc438-164h67f57ef-0005-6884-51a-1****.mp4\n",
		FileURL:      "http://example-bucket-****.oss-cn-shanghai.aliyuncs.com/27ffc438-164h67f57ef-0005-6884-51a-1****.mp4",
		FileMD5:      "",
		Status:       "Normal",
		Size:         4096477,
		Duration:     42.493,
		Bitrate:      771.228,
		Fps:          25,
		Width:        960,
		Height:       540,
		CreationTime: Time{Time: mustTime(t, "2017-11-14T09:15:50Z"), Raw: "2017-11-14T09:15:50Z"},
		AudioStreamList: []AudioStream{{
			Index:          0,
			CodecName:      "aac",
			CodecLongName:  "AAC (Advanced Audio Coding)\n",
			CodecTag:       "0x6134706d",
			CodecTagString: "mp4a",
			CodecTimeBase:  "1/44100",
			Timebase:       "0.000000",
			Lang:           "und",
			Channels:       1,
			ChannelLayout:  "mono",
			SampleRate:     44100,
			SampleFmt:      "fltp",
			Bitrate:        62.885,
			Duration:       3.227574,
			NumFrames:      1,
			StartTime:      Time{Time: mustTime(t, "2017-01-11T12:00:00Z"), Raw: "2017-01-11T12:00:00Z"},
		}},
		VideoStreamList: []VideoStream{{
			Index:          1,
			CodecName:      "h264",
			CodecLongName:  "H.264 / AVC / MPEG-4 AVC / MPEG-4 part 10",
			CodecTag:       "0x31637661",
			CodecTagString: "avc1",
			CodecTimeBase:  "1/60",
			Timebase:       "0.000000",
			Profile:        "Main",
			Level:          "30",
			PixFmt:         "yuv420p",
			Width:          568,
			Height:         320,
			Sar:            "0:1",
			Dar:            "0:1",
			Rotate:         "90",
			Fps:            30,
			AvgFPS:         30,
			Bitrate:        500,
			Duration:       3.166667,
			NumFrames:      0,
			HasBFrames:     0,
			HDRType:        "HDR",
			Lang:           "und",
			StartTime:      Time{Time: mustTime(t, "2017-01-11T12:00:00Z"), Raw: "2017-01-11T12:00:00Z"},
		}},
	}
	if !reflect.DeepEqual(mez, wantMez) {
		t.Errorf("MezzanineInfo =\n%+v\nwant\n%+v", mez, wantMez)
	}

	if len(m.PlayInfoList) != 1 {
		t.Fatalf("%d PlayInfos, want 1", len(m.PlayInfoList))
	}
	wantPlay := PlayInfo{
		JobID:           "80e9c6580e754a798c3c19c59b16****",
		Definition:      "LD",
		Format:          "m3u8",
		StreamType:      "video",
		Status:          "Normal",
		Specification:   "H264.LD",
		NarrowBandType:  "0",
		Width:           360,
		Height:          640,
		Bitrate:         450.878,
		Fps:             25,
		Size:            418112,
		Duration:        9.0464,
		HDRType:         "HLG",
		BitDepth:        8,
		CodecName:       "h264",
		Encrypt:         1,
		EncryptType:     "AliyunVoDEncryption",
		EncryptMode:     "License",
		PlayURL:         "https://example.aliyundoc.com/d52ee123f331466aabf6ab32a93d****/a777f9e24e6e47a2a942467d5c38ea37-8ee8e04293c6657fdda282bc422704****.m3u8",
		WatermarkID:     "dgfn26457856****",
		JobType:         2,
		JobExt:          "CopyrightMarkTest",
		TemplateID:      "a86a4338dd2e83da45154004a541****",
		TemplateGroupID: "fb0716154b21a4ecb5b70a26ccc8****",
		// The example's CreationTime carries a trailing new line: it still
		// parses, and the raw value is kept as sent.
		CreationTime:     Time{Time: mustTime(t, "2022-04-18T07:37:15Z"), Raw: "2022-04-18T07:37:15Z\n"},
		ModificationTime: Time{Time: mustTime(t, "2022-04-20T06:32:19Z"), Raw: "2022-04-20T06:32:19Z"},
	}
	if !reflect.DeepEqual(m.PlayInfoList[0], wantPlay) {
		t.Errorf("PlayInfo =\n%+v\nwant\n%+v", m.PlayInfoList[0], wantPlay)
	}
	if !m.PlayInfoList[0].Encrypted() || m.PlayInfoList[0].Invisible() {
		t.Error("Encrypted/Invisible wrong for the example PlayInfo")
	}
}

func TestDecodeLenient(t *testing.T) {
	// Numbers as strings and strings as numbers, nulls, absent lists,
	// unparsable values: none of them fails the response.
	body := `{"MediaInfos":[{"MediaId":"m1",
		"MediaInfo":{"CateId":"42","ReferenceId":12345,"Snapshots":null,"CreationTime":"yesterday"},
		"MezzanineInfo":{"Size":"4096477","Width":"960","Duration":42.5,"Bitrate":null,"Fps":"n/a",
			"VideoStreamList":[{"Width":1920,"Bitrate":5000.5,"Rotate":0,"Level":41,"NumFrames":"12.0"}],
			"AudioStreamList":null},
		"PlayInfoList":[{"Width":"1280","Size":"1024","Encrypt":"0","NarrowBandType":1.0,"BitDepth":"10","CreationTime":null}]}],
		"NonExistMediaIds":"m2"}`
	var resp batchGetMediaInfosResponse
	if err := json.Unmarshal([]byte(body), &resp); err != nil {
		t.Fatal(err)
	}
	m := resp.MediaInfos[0]
	checks := []struct {
		name      string
		got, want any
	}{
		{"CateID", m.MediaInfo.CateID, Int(42)},
		{"ReferenceID", m.MediaInfo.ReferenceID, String("12345")},
		{"Snapshots", len(m.MediaInfo.Snapshots), 0},
		{"CreationTime.Raw", m.MediaInfo.CreationTime.Raw, "yesterday"},
		{"CreationTime.Valid", m.MediaInfo.CreationTime.Valid(), false},
		{"Size", m.MezzanineInfo.Size, Int(4096477)},
		{"Width", m.MezzanineInfo.Width, Int(960)},
		{"Duration", m.MezzanineInfo.Duration, Float(42.5)},
		{"Bitrate", m.MezzanineInfo.Bitrate, Float(0)},
		{"Fps", m.MezzanineInfo.Fps, Float(0)},
		{"stream Width", m.MezzanineInfo.VideoStreamList[0].Width, Int(1920)},
		{"stream Bitrate", m.MezzanineInfo.VideoStreamList[0].Bitrate, Float(5000.5)},
		{"stream Rotate", m.MezzanineInfo.VideoStreamList[0].Rotate, String("0")},
		{"stream Level", m.MezzanineInfo.VideoStreamList[0].Level, String("41")},
		{"stream NumFrames", m.MezzanineInfo.VideoStreamList[0].NumFrames, Int(12)},
		{"AudioStreamList", m.MezzanineInfo.AudioStreamList == nil, true},
		{"PlayInfo Width", m.PlayInfoList[0].Width, Int(1280)},
		{"PlayInfo Size", m.PlayInfoList[0].Size, Int(1024)},
		{"PlayInfo Encrypt", m.PlayInfoList[0].Encrypt, Int(0)},
		{"PlayInfo NarrowBandType", m.PlayInfoList[0].NarrowBandType, String("1.0")},
		{"PlayInfo BitDepth", m.PlayInfoList[0].BitDepth, Int(10)},
		{"PlayInfo CreationTime", m.PlayInfoList[0].CreationTime.Valid(), false},
		{"NonExistMediaIDs", []string(resp.NonExistMediaIDs), []string{"m2"}},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s = %#v, want %#v", c.name, c.got, c.want)
		}
	}
}

func BenchmarkDecodeBatchGetMediaInfos20(b *testing.B) {
	var one batchGetMediaInfosResponse
	if err := json.Unmarshal(readExample(b, "BatchGetMediaInfos.json"), &one); err != nil {
		b.Fatal(err)
	}
	var raw map[string]any
	if err := json.Unmarshal(readExample(b, "BatchGetMediaInfos.json"), &raw); err != nil {
		b.Fatal(err)
	}
	entry := raw["MediaInfos"].([]any)[0]
	entries := make([]any, 20)
	for i := range entries {
		entries[i] = entry
	}
	raw["MediaInfos"] = entries
	body, err := json.Marshal(raw)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		var resp batchGetMediaInfosResponse
		if err := json.Unmarshal(body, &resp); err != nil {
			b.Fatal(err)
		}
		if len(resp.MediaInfos) != 20 {
			b.Fatal("wrong count")
		}
	}
}
