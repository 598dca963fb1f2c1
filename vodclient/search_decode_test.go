package vodclient

import (
	"encoding/json"
	"reflect"
	"testing"
)

// testdata/SearchMedia.json follows the response of ../shared/api/SearchMedia.md
// (whose own example elides values), with the audio record sending numbers
// as strings and the image record as sparse as the reference allows.
func TestDecodeSearchMedia(t *testing.T) {
	var resp searchMediaResponse
	if err := json.Unmarshal(readExample(t, "SearchMedia.json"), &resp); err != nil {
		t.Fatal(err)
	}
	if resp.Total != 1234 || resp.ScrollToken != "24e0fba7188fae707e146esa54****" || len(resp.MediaList) != 3 {
		t.Fatalf("Total %d, ScrollToken %q, %d items", resp.Total, resp.ScrollToken, len(resp.MediaList))
	}
	v, a, img := resp.MediaList[0], resp.MediaList[1], resp.MediaList[2]
	checks := []struct {
		name      string
		got, want any
	}{
		{"video MediaType", v.MediaType, Video},
		{"video MediaId", v.MediaID, "a82a2cd7d4e147ba8e3a7a2d6f9d****"},
		{"video CreationTime", v.CreationTime.Time, mustTime(t, "2024-01-08T09:30:00Z")},
		{"VideoId", v.Video.VideoID, "a82a2cd7d4e147ba8e3a7a2d6f9d****"},
		{"Title", v.Video.Title, "Aurora X1 Launch Keynote"},
		{"Description", v.Video.Description, "Full replay of the keynote."},
		{"Status", v.Video.Status, "Normal"},
		{"CateId", v.Video.CateID, Int(1000201)},
		{"CateName", v.Video.CateName, "Product Launches"},
		{"Tags", v.Video.TagList(), []string{"launch", "keynote"}},
		{"CoverURL", v.Video.CoverURL, "https://vod.example.com/cover.png?auth_key=1-0-0-abc"},
		{"Duration", v.Video.Duration, Float(3725.3)},
		{"Size", v.Video.Size, Int(17716740096)},
		{"Snapshots", []string(v.Video.Snapshots), []string{"https://vod.example.com/snap-1.jpg"}},
		{"SpriteSnapshots", []string(v.Video.SpriteSnapshots), []string{"https://vod.example.com/sprite-1.jpg"}},
		{"StorageLocation", v.Video.StorageLocation, "outin-4c8a1f0e5d3b11efb2f200163e1c7426.oss-cn-shanghai.aliyuncs.com"},
		{"StorageClass", v.Video.StorageClass, "Standard"},
		{"RestoreExpiration", v.Video.RestoreExpiration.Valid(), false},
		{"DownloadSwitch", v.Video.DownloadSwitch, "on"},
		{"MediaSource", v.Video.MediaSource, "general"},
		{"TranscodeMode", v.Video.TranscodeMode, "NoTranscode"},
		{"AppId", v.Video.AppID, "app-1000000"},
		{"ReferenceId", v.Video.ReferenceID, String("launch-2024-keynote")},
		{"ModificationTime", v.Video.ModificationTime.Time, mustTime(t, "2024-01-08T12:30:00Z")},
		{"audio record", a.Audio != nil && a.Video == nil, true},
		{"AudioId", a.Audio.AudioID, "b93b3de8e5f258cb9f4b8b3e7a0e****"},
		{"audio Duration as a string", a.Audio.Duration, Float(1805.2)},
		{"audio Size as a string", a.Audio.Size, Int(28883200)},
		{"audio CateId as a string", a.Audio.CateID, Int(1000203)},
		{"audio Tags with spaces", a.Audio.TagList(), []string{"podcast", "render-queue"}},
		{"audio null Snapshots", a.Audio.Snapshots == nil, true},
		{"audio ModificationTime without zone", a.Audio.ModificationTime.Time, mustTime(t, "2024-02-01T11:00:00Z")},
		{"ImageId", img.Image.ImageID, "c04c4ef9f60369dc0a5c9c4f8b1f****"},
		{"image URL", img.Image.URL, "https://img.example.com/hero.png?auth_key=1-0-0-def"},
		{"ImageType", img.Image.ImageType, "default"},
		{"Ext", img.Image.Ext, "png"},
		{"image no tags", img.Image.TagList() == nil, true},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s = %#v, want %#v", c.name, c.got, c.want)
		}
	}
}

func TestSearchItemWithRecord(t *testing.T) {
	var resp searchMediaResponse
	body := `{"Total":"2","MediaList":[{"MediaType":"video","MediaId":"m1","CreationTime":"2024-01-01T00:00:00Z"},
		{"MediaType":"video","Video":{"VideoId":"m2","Title":"t"}}]}`
	if err := json.Unmarshal([]byte(body), &resp); err != nil {
		t.Fatal(err)
	}
	if resp.Total != 2 {
		t.Errorf("Total %d from a string", resp.Total)
	}
	first, second := resp.MediaList[0].withRecord(), resp.MediaList[1].withRecord()
	if first.Video == nil || first.Video.VideoID != "m1" {
		t.Errorf("an item without its record: %+v", first)
	}
	if second.MediaID != "m2" || second.Video.Title != "t" {
		t.Errorf("an item without MediaId: %+v", second)
	}
}

// BenchmarkDecodeSearchMedia100 decodes a 100-item SearchMedia answer (the
// three records of testdata/SearchMedia.json, repeated): what one library
// page of 100 costs the client beyond the network.
func BenchmarkDecodeSearchMedia100(b *testing.B) {
	var raw map[string]any
	if err := json.Unmarshal(readExample(b, "SearchMedia.json"), &raw); err != nil {
		b.Fatal(err)
	}
	three := raw["MediaList"].([]any)
	items := make([]any, 100)
	for i := range items {
		items[i] = three[i%3]
	}
	raw["MediaList"] = items
	body, err := json.Marshal(raw)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		var resp searchMediaResponse
		if err := json.Unmarshal(body, &resp); err != nil {
			b.Fatal(err)
		}
		if len(resp.MediaList) != 100 {
			b.Fatal("wrong count")
		}
	}
}
