package emulator

import (
	"encoding/json"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
)

func TestLoadCatalogErrors(t *testing.T) {
	tests := []struct {
		name, json string
		wantErr    string // substring; "" means success
	}{
		{"empty", `{}`, ""},
		{"minimal", `{"images":[{"ImageId":"i1"}],"media":[{"MediaId":"m1","MediaInfo":{}}],"forbidden":["f1"]}`, ""},
		{"not an object", `[]`, "load catalog"},
		{"unknown key", `{"videos":[]}`, `unknown field "videos"`},
		{"trailing data", `{} {}`, "after the catalog"},
		{"image not an object", `{"images":["i1"]}`, "images[0]: want a JSON object, got a string"},
		{"missing ImageId", `{"images":[{"Title":"x"}]}`, "images[0]: missing ImageId"},
		{"empty ImageId", `{"images":[{"ImageId":""}]}`, "images[0]: empty ImageId"},
		{"numeric ImageId", `{"images":[{"ImageId":7}]}`, "images[0]: ImageId: want string, got a number"},
		{"duplicate ImageId", `{"images":[{"ImageId":"a"},{"ImageId":"b"},{"ImageId":"a"}]}`, `images[2] (ImageId "a"): duplicate ImageId, first at images[0]`},
		{"URL not a string", `{"images":[{"ImageId":"a","URL":1}]}`, `images[0] (ImageId "a"): URL: want string, got a number`},
		{"bad Mezzanine width", `{"images":[{"ImageId":"a","Mezzanine":{"Width":"wide"}}]}`, "Mezzanine.Width: want number"},
		{"string sizes accepted", `{"images":[{"ImageId":"a","Mezzanine":{"Width":"200","Height":200,"FileSize":"8932"}}]}`, ""},
		{"missing MediaId", `{"media":[{"MediaInfo":{}}]}`, "media[0]: missing MediaId"},
		{"missing MediaInfo", `{"media":[{"MediaId":"m"}]}`, `media[0] (MediaId "m"): missing MediaInfo`},
		{"MediaInfo not an object", `{"media":[{"MediaId":"m","MediaInfo":[]}]}`, "MediaInfo: want object, got an array"},
		{"duplicate MediaId", `{"media":[{"MediaId":"m","MediaInfo":{}},{"MediaId":"m","MediaInfo":{}}]}`, `media[1] (MediaId "m"): duplicate MediaId, first at media[0]`},
		{"inner MediaId differs", `{"media":[{"MediaId":"m","MediaInfo":{"MediaId":"n"}}]}`, `MediaInfo.MediaId "n" differs`},
		{"duplicate ReferenceId", `{"media":[{"MediaId":"m","MediaInfo":{"ReferenceId":"r"}},{"MediaId":"n","MediaInfo":{"ReferenceId":"r"}}]}`, `media[1] (MediaId "n"): duplicate MediaInfo.ReferenceId "r", first at media[0]`},
		{"snapshot not a string", `{"media":[{"MediaId":"m","MediaInfo":{"Snapshots":[1]}}]}`, "MediaInfo.Snapshots[0]: want string"},
		{"PlayInfoList not an array", `{"media":[{"MediaId":"m","MediaInfo":{},"PlayInfoList":{"PlayInfo":[]}}]}`, "PlayInfoList: want array, got an object"},
		{"PlayInfo not an object", `{"media":[{"MediaId":"m","MediaInfo":{},"PlayInfoList":["x"]}]}`, "PlayInfoList[0]: want object"},
		{"duplicate JobId", `{"media":[{"MediaId":"m","MediaInfo":{},"PlayInfoList":[{"JobId":"j"},{"JobId":"j"}]}]}`, `PlayInfoList[1]: duplicate JobId "j"`},
		{"forbidden not a string", `{"forbidden":[1]}`, "forbidden[0]: want a non-empty media ID string"},
		{"forbidden duplicate", `{"forbidden":["a","a"]}`, `forbidden[1]: duplicate ID "a"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := LoadCatalog(strings.NewReader(tt.json))
			if tt.wantErr == "" {
				if err != nil || c == nil {
					t.Fatalf("LoadCatalog: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error %v, want it to contain %q", err, tt.wantErr)
			}
		})
	}
}

func TestCatalogAccessors(t *testing.T) {
	c, err := LoadCatalog(strings.NewReader(`{
		"images": [{"ImageId":"i2"},{"ImageId":"i1"}],
		"media": [{"MediaId":"m2","MediaInfo":{"ReferenceId":"ref-2"}},{"MediaId":"m1","MediaInfo":{}},{"MediaId":"m3","MediaInfo":{"ReferenceId":"ref-3"}}],
		"forbidden": ["f1","f2"]}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name      string
		got, want []string
	}{
		{"ImageIDs", c.ImageIDs(), []string{"i2", "i1"}},
		{"MediaIDs", c.MediaIDs(), []string{"m2", "m1", "m3"}},
		{"ReferenceIDs", c.ReferenceIDs(), []string{"ref-2", "ref-3"}},
		{"ForbiddenIDs", c.ForbiddenIDs(), []string{"f1", "f2"}},
	} {
		if !slices.Equal(tt.got, tt.want) {
			t.Errorf("%s = %v, want %v", tt.name, tt.got, tt.want)
		}
	}
	if raw, ok := c.MediaEntry("m2"); !ok || !strings.Contains(string(raw), `"ReferenceId":"ref-2"`) {
		t.Errorf("MediaEntry = %s, %v", raw, ok)
	}
	if _, ok := c.ImageEntry("nope"); ok {
		t.Error("ImageEntry of an unknown ID")
	}
}

// A catalog saved from real responses (the documents' own examples) loads
// and is replayed with its shapes intact.
func TestLoadCatalogFromDocExamples(t *testing.T) {
	const doc = `{"images":[{
	  "CreationTime": "2018-11-21T02:37:23Z", "StorageLocation": "outin-xxxx.oss-cn-shanghai.aliyuncs.com",
	  "Status": "Normal", "CateId": 254766071, "Tags": "tag1,tag2,tag3", "ImageType": "default",
	  "CateName": "Test", "Description": "Test description", "AppId": "app-1000000",
	  "URL": "http://example.aliyundoc.com/image/default/5E84CD536.gif?auth_key=1590980553-0-0-abc",
	  "Title": "this is a sample", "ImageId": "bbc65bba53f9ed90de118a7849aa0001",
	  "Mezzanine": {"FileURL": "https://outin.oss-cn-shanghai.aliyuncs.com/image/default/5E84CD536.png?Expires=1590982353&OSSAccessKeyId=x&Signature=y%3D",
	    "OriginalFileName": "sample.gif", "Width": 200, "Height": 100, "FileSize": "8932"}}]}`
	c, err := LoadCatalog(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	_, srv, _ := newTestServer(t, Options{Catalog: c})
	u, info := imageURL(t, srv, "bbc65bba53f9ed90de118a7849aa0001", map[string][]string{})
	if v, ok := info["CateId"].(json.Number); !ok || v != "254766071" {
		t.Errorf("CateId = %#v", info["CateId"])
	}
	if v, ok := obj(info["Mezzanine"])["FileSize"].(string); !ok || v != "8932" {
		t.Errorf("FileSize = %#v", obj(info["Mezzanine"])["FileSize"])
	}
	// A .gif original is served as a PNG of the same aspect ratio.
	if !strings.Contains(u, "/cdn/image/bbc65bba53f9ed90de118a7849aa0001.png?") {
		t.Errorf("URL %s", u)
	}
	resp, b := fetch(t, "GET", u)
	if d, format := decodeSize(t, b); resp.StatusCode != 200 || format != "png" || d.Dx() != 2*d.Dy() {
		t.Errorf("%d %s %v", resp.StatusCode, format, d)
	}
}

var hexID = regexp.MustCompile(`^[0-9a-f]{32}$`)

var mediaStatuses = []string{"Uploading", "UploadSucc", "UploadFail", "Transcoding", "TranscodeFail", "Checking", "Blocked", "Normal"}

// The demo catalog covers every case the dashboard must render.
func TestDemoCatalogCoverage(t *testing.T) {
	c := DemoCatalog()
	if n := len(c.ForbiddenIDs()); n < 2 {
		t.Errorf("%d forbidden IDs", n)
	}
	if n := len(c.ReferenceIDs()); n < 5 {
		t.Errorf("%d reference IDs", n)
	}
	for _, id := range slices.Concat(c.ImageIDs(), c.MediaIDs(), c.ForbiddenIDs()) {
		if !hexID.MatchString(id) {
			t.Errorf("ID %q is not 32 hex digits", id)
		}
	}

	seen := map[string]map[string]bool{}
	mark := func(kind, v string) {
		if seen[kind] == nil {
			seen[kind] = map[string]bool{}
		}
		seen[kind][v] = true
	}
	shape := func(where string, v any, wantNumber bool) {
		t.Helper()
		_, isNum := v.(json.Number)
		_, isStr := v.(string)
		if v != nil && ((wantNumber && !isNum) || (!wantNumber && !isStr)) {
			t.Errorf("%s = %#v, want a %s", where, v, map[bool]string{true: "number", false: "string"}[wantNumber])
		}
	}
	for _, img := range c.images {
		mark("ImageType", stringAt(img, "ImageType"))
		mark("ImageStatus", stringAt(img, "Status"))
		if w, h := numberAt(img, "Mezzanine", "Width"), numberAt(img, "Mezzanine", "Height"); w > 0 {
			switch {
			case w > h:
				mark("orientation", "landscape")
			case w < h:
				mark("orientation", "portrait")
			default:
				mark("orientation", "square")
			}
		}
		if stringAt(img, "Status") == "Normal" && stringAt(img, "URL") == "" {
			t.Errorf("normal image %s has no URL", img["ImageId"])
		}
	}
	for _, m := range c.media {
		info := stringAtAny(m, "MediaInfo")
		mz := stringAtAny(m, "MezzanineInfo")
		status := stringAt(info, "Status")
		mark("MediaStatus", status)
		mark("StorageClass", stringAt(info, "StorageClass"))
		mark("RestoreStatus", stringAt(info, "RestoreStatus"))
		if stringAt(info, "UserData") != "" {
			if !json.Valid([]byte(stringAt(info, "UserData"))) {
				t.Errorf("%s: UserData is not JSON", m["MediaId"])
			}
			mark("has", "UserData")
		}
		shape("MezzanineInfo.Size", mz["Size"], true)
		shape("MezzanineInfo.Width", mz["Width"], true)
		shape("MezzanineInfo.Duration", mz["Duration"], false)
		langs := map[string]bool{}
		for _, a := range asArray(mz["AudioStreamList"]) {
			langs[stringAt(a.(map[string]any), "Lang")] = true
			mark("lang", stringAt(a.(map[string]any), "Lang"))
		}
		if len(langs) >= 3 {
			mark("has", "multilingual")
		}
		for _, v := range asArray(mz["VideoStreamList"]) {
			vs := v.(map[string]any)
			shape("VideoStream.Width", vs["Width"], false)
			shape("VideoStream.Bitrate", vs["Bitrate"], false)
			shape("VideoStream.Fps", vs["Fps"], false)
		}
		plays := asArray(m["PlayInfoList"])
		video := len(asArray(mz["VideoStreamList"])) > 0
		if !video && len(asArray(mz["AudioStreamList"])) > 0 {
			mark("has", "audio-only")
			for _, p := range plays {
				pi := p.(map[string]any)
				if stringAt(pi, "StreamType") != "audio" {
					t.Errorf("%s: audio-only media has a %s stream", m["MediaId"], stringAt(pi, "StreamType"))
				}
				mark("audioFormat", stringAt(pi, "Format"))
			}
		}
		switch status {
		case "Uploading", "UploadFail", "UploadSucc", "TranscodeFail", "Blocked":
			if len(plays) != 0 {
				t.Errorf("%s is %s but has %d streams", m["MediaId"], status, len(plays))
			}
		case "Normal":
			if len(plays) == 0 {
				t.Errorf("%s is Normal without streams", m["MediaId"])
			}
		}
		if (status == "Uploading" || status == "UploadFail") && (stringAt(info, "CoverURL") != "" || len(asArray(mz["VideoStreamList"])) > 0) {
			t.Errorf("%s is %s but has a cover or streams", m["MediaId"], status)
		}
		dup := map[string]bool{}
		for _, p := range plays {
			pi := p.(map[string]any)
			mark("Definition", stringAt(pi, "Definition"))
			mark("PlayStatus", stringAt(pi, "Status"))
			mark("EncryptType", stringAt(pi, "EncryptType")+"/"+stringAt(pi, "EncryptMode"))
			if stringAt(pi, "StreamType") == "video" {
				mark("HDRType", cmpOr(stringAt(pi, "HDRType"), "SDR"))
			}
			shape("PlayInfo.Width", pi["Width"], true)
			shape("PlayInfo.Size", pi["Size"], true)
			shape("PlayInfo.Encrypt", pi["Encrypt"], true)
			shape("PlayInfo.Bitrate", pi["Bitrate"], false)
			shape("PlayInfo.Duration", pi["Duration"], false)
			shape("PlayInfo.Fps", pi["Fps"], false)
			if enc, _ := numberOf(pi["Encrypt"]); enc == 1 {
				mark("has", "encrypted")
			} else {
				mark("has", "clear")
			}
			k := stringAt(pi, "Definition") + "/" + stringAt(pi, "Format")
			if stringAt(pi, "Status") == "Normal" {
				if dup[k] {
					t.Errorf("%s: two Normal %s streams", m["MediaId"], k)
				}
				dup[k] = true
			}
		}
	}
	libraryCoverage(t, c, mark)
	for _, img := range c.images {
		if mz := stringAtAny(img, "Mezzanine"); mz["FileSize"] != nil {
			_, isStr := mz["FileSize"].(string)
			mark("FileSize", map[bool]string{true: "string", false: "number"}[isStr])
		}
	}
	want := map[string][]string{
		"ImageType":     {"default", "CoverSnapshot", "NormalSnapshot", "SpriteSnapshot", "SpriteOriginSnapshot"},
		"ImageStatus":   {"Uploading", "Normal", "UploadFail"},
		"orientation":   {"landscape", "portrait", "square"},
		"MediaStatus":   mediaStatuses,
		"videoStatus":   mediaStatuses,
		"audioStatus":   mediaStatuses,
		"categoryLevel": {"0", "1", "2"},
		"assetLevel":    {"0", "1", "2"},
		"title":         {"Chinese", "Spanish"},
		"Definition":    {"FD", "LD", "SD", "HD", "OD", "2K", "4K", "SQ", "HQ", "AUTO"},
		"PlayStatus":    {"Normal", "Invisible"},
		"HDRType":       {"HDR10", "HLG", "DolbyVision", "HDRVivid", "SDR"},
		"EncryptType":   {"AliyunVoDEncryption/License", "HLSEncryption/", "/"},
		"StorageClass":  {"Standard", "IA", "Archive", "ColdArchive"},
		"RestoreStatus": {"Processing", "Success", "Failed"},
		"lang":          {"eng", "zho", "jpn", "spa"},
		"audioFormat":   {"mp3", "m4a"},
		"has":           {"UserData", "multilingual", "audio-only", "encrypted", "clear"},
		"FileSize":      {"string", "number"},
	}
	for kind, values := range want {
		for _, v := range values {
			if !seen[kind][v] {
				t.Errorf("demo catalog has no %s %q (has %v)", kind, v, slices.Sorted(maps.Keys(seen[kind])))
			}
		}
	}
}

// libraryCoverage checks what the library page browses, filters and sorts:
// enough assets of each kind, in every status of their kind, filed at every
// level of the category tree, tagged and titled variously, uploaded in
// every month of two years.
func libraryCoverage(t *testing.T, c *Catalog, mark func(kind, v string)) {
	t.Helper()
	counts := map[string]int{"image": len(c.images)}
	assets := slices.Clone(c.images)
	for _, m := range c.media {
		kind := "video"
		if isAudio(m) {
			kind = "audio"
		}
		counts[kind]++
		info := stringAtAny(m, "MediaInfo")
		mark(kind+"Status", stringAt(info, "Status"))
		assets = append(assets, info)
	}
	for kind, least := range map[string]int{"video": 120, "audio": 40, "image": 80} {
		if counts[kind] < least {
			t.Errorf("%d %s assets, want at least %d", counts[kind], kind, least)
		}
	}
	// Demo mode links to a lookup of every image and of every media ID,
	// and one lookup takes at most 200 IDs (handlers.MaxLookupIDs).
	if len(c.images) > 200 || len(c.media) > 200 {
		t.Errorf("%d images and %d media, want at most 200 of each", len(c.images), len(c.media))
	}

	cats := map[int64]Category{}
	for _, cat := range c.Categories() {
		cats[cat.CateID] = cat
		mark("categoryLevel", strconv.Itoa(cat.Level))
	}
	months := map[string]int{}
	tags := map[string]int{}
	for _, a := range assets {
		id, _ := numberOf(a["CateId"])
		if cat, ok := cats[int64(id)]; !ok {
			t.Errorf("%s: CateId %v is not in the category list", assetID(a), a["CateId"])
		} else if name := stringAt(a, "CateName"); name != cat.CateName {
			t.Errorf("%s: CateName %q, but category %d is %q", assetID(a), name, cat.CateID, cat.CateName)
		} else {
			mark("assetLevel", strconv.Itoa(cat.Level))
		}
		created, err := time.Parse(time.RFC3339, stringAt(a, "CreationTime"))
		if err != nil {
			t.Errorf("%s: CreationTime: %v", assetID(a), err)
		}
		months[created.Format("2006-01")]++
		for tag := range strings.SplitSeq(stringAt(a, "Tags"), ",") {
			tags[tag]++
		}
		title := stringAt(a, "Title")
		if strings.ContainsFunc(title, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
			mark("title", "Chinese")
		}
		if strings.ContainsAny(title, "áéíóúñÁÉÍÓÚÑ¿¡") {
			mark("title", "Spanish")
		}
	}
	for m := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC); m.Year() < 2026; m = m.AddDate(0, 1, 0) {
		if months[m.Format("2006-01")] == 0 {
			t.Errorf("nothing uploaded in %s", m.Format("2006-01"))
		}
		delete(months, m.Format("2006-01"))
	}
	if len(months) > 0 {
		t.Errorf("uploads outside 2024-2025: %v", months)
	}
	// Tag filters narrow the library: many tags, a few broad ones, none on
	// nearly everything.
	delete(tags, "")
	broad := 0
	for tag, n := range tags {
		if n >= 20 {
			broad++
		}
		if n > len(assets)/4 {
			t.Errorf("tag %q is on %d of %d assets", tag, n, len(assets))
		}
	}
	if len(tags) < 100 || broad < 5 {
		t.Errorf("%d distinct tags, %d on 20 or more assets; want at least 100 and 5", len(tags), broad)
	}
}

func assetID(a map[string]any) string { return cmpOr(stringAt(a, "MediaId"), stringAt(a, "ImageId")) }

// Every URL of every demo asset is served.
func TestDemoCatalogAllURLsServed(t *testing.T) {
	e, srv, _ := newTestServer(t, Options{})
	cat := e.Catalog()
	var urls []string
	imgs := cat.ImageIDs()
	for i := 0; i < len(imgs); i += 20 {
		_, body := api(t, srv, "GetImageInfos", map[string][]string{"ImageIds": {strings.Join(imgs[i:min(i+20, len(imgs))], ",")}})
		for _, m := range list(body["ImageInfo"]) {
			info := obj(m)
			urls = append(urls, str(info["URL"]), str(obj(info["Mezzanine"])["FileURL"]))
		}
	}
	media := cat.MediaIDs()
	for i := 0; i < len(media); i += 20 {
		_, body := api(t, srv, "BatchGetMediaInfos", map[string][]string{"MediaIds": {strings.Join(media[i:min(i+20, len(media))], ",")}})
		for _, m := range list(body["MediaInfos"]) {
			entry := obj(m)
			info := obj(entry["MediaInfo"])
			urls = append(urls, str(info["CoverURL"]), str(obj(entry["MezzanineInfo"])["FileURL"]))
			for _, s := range list(info["Snapshots"]) {
				urls = append(urls, str(s))
			}
			for _, p := range list(entry["PlayInfoList"]) {
				urls = append(urls, str(obj(p)["PlayURL"]))
			}
		}
	}
	// Every URL resolves to its asset; a sample of about 40 is also
	// fetched and rendered (rendering all of them is slow under -race).
	every := max(9, len(urls)/40)
	served := 0
	for i, u := range urls {
		if u == "" {
			continue
		}
		served++
		r := mustRequest(t, "GET", u)
		prefix, p, expiry, reason := e.verifyAssetURL(r)
		a, ok := parseAssetPath(p)
		if reason != "" || !ok {
			t.Errorf("%s: %q, parsed %v", u, reason, ok)
			continue
		}
		if _, ok := e.resolveAsset(r, prefix, a, expiry); !ok {
			t.Errorf("%s does not resolve", u)
		}
		if i%every != 0 {
			continue
		}
		if resp, b := fetch(t, "GET", u); resp.StatusCode != 200 || len(b) == 0 {
			t.Errorf("%s: %d", u, resp.StatusCode)
		}
	}
	t.Logf("%d URLs served", served)
	if served < 1500 {
		t.Errorf("only %d URLs served", served)
	}
}
