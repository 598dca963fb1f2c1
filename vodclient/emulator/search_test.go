package emulator

import (
	"encoding/json"
	"maps"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// searchCatalog is a small library for precise SearchMedia assertions.
// Videos by CreationTime: v05 < v01 < v02 < v03 = v04 (a tie, broken by ID).
const searchCatalog = `{
 "categories": [
  {"CateId": 100, "CateName": "Marketing", "ParentId": -1, "Level": 0},
  {"CateId": 110, "CateName": "Launches", "ParentId": 100, "Level": 1, "Type": "default"},
  {"CateId": 111, "CateName": "Keynotes", "ParentId": 110, "Level": 2},
  {"CateId": 200, "CateName": "Training", "ParentId": -1, "Level": 0},
  {"CateId": 120, "CateName": "Social", "ParentId": 100, "Level": 1, "SubTotal": 0},
  {"CateId": 900, "CateName": "Materials", "ParentId": -1, "Level": 0, "Type": "material"},
  {"CateId": 910, "CateName": "Fonts", "ParentId": 900, "Level": 1, "Type": "material"}
 ],
 "media": [
  {"MediaId": "v01", "MediaInfo": {"MediaId": "v01", "Title": "Aurora Launch Keynote (full)", "Description": "The keynote.",
    "Status": "Normal", "CreationTime": "2024-01-08T09:30:00Z", "ModificationTime": "2024-01-08T12:30:00Z",
    "CateId": 111, "CateName": "Keynotes", "Tags": "launch, keynote", "StorageLocation": "bucket-a", "StorageClass": "Standard",
    "AppId": "app-1000000", "ReferenceId": "ref-1", "DownloadSwitch": "on", "UserData": "{}",
    "CoverURL": "https://vod.example/v01/cover.jpg",
    "Snapshots": ["https://vod.example/v01/s1.jpg", "https://vod.example/v01/s2.png"],
    "SpriteSnapshots": ["https://vod.example/v01/sprite-1.jpg"]},
   "MezzanineInfo": {"MediaId": "v01", "FileName": "keynote.mov", "Duration": "3725.4400", "Size": 17739055104, "Width": 3840, "Height": 2160,
    "VideoStreamList": [{"Index": "0", "Width": "3840", "Height": "2160"}], "AudioStreamList": [{"Index": "1"}]},
   "PlayInfoList": [{"JobId": "j1", "Format": "mp4", "StreamType": "video", "PlayURL": "https://vod.example/v01/hd.mp4", "Duration": "3725.44"}]},
  {"MediaId": "v02", "MediaInfo": {"Title": "Launch highlights", "Status": "Normal", "CreationTime": "2024-01-10T00:00:00Z",
    "CateId": 110, "Tags": "launch", "StorageLocation": "bucket-a"},
   "PlayInfoList": [{"StreamType": "video", "Duration": "90.5", "Format": "m3u8"}]},
  {"MediaId": "v03", "MediaInfo": {"Title": "Kitchen Table: fresh pasta", "Status": "Blocked", "CreationTime": "2024-02-01T00:00:00Z",
    "CateId": 200, "Tags": "cooking,pasta", "StorageLocation": "bucket-b"},
   "MezzanineInfo": {"VideoStreamList": [{"Index": "0"}]}},
  {"MediaId": "v04", "MediaInfo": {"Title": "Q&A: (or) \"quoted\" and it's back\\slashed", "Status": "Normal", "CreationTime": "2024-02-01T00:00:00Z",
    "CateId": "200", "Tags": "qa", "StorageLocation": "bucket-b"},
   "MezzanineInfo": {"Width": 1280, "Height": 720}},
  {"MediaId": "v05", "MediaInfo": {"Title": "Rough cut", "Status": "Uploading", "CreationTime": "2023-12-31T23:59:59Z"},
   "MezzanineInfo": {"FileName": "rough.mov"}},
  {"MediaId": "a01", "MediaInfo": {"Title": "The Render Queue #41", "Status": "Normal", "CreationTime": "2024-02-02T21:40:00Z",
    "CateId": 120, "Tags": "podcast", "CoverURL": "https://vod.example/a01/cover.jpg"},
   "MezzanineInfo": {"FileName": "rq41.wav", "Duration": "2891.7000", "Size": 510095879, "AudioStreamList": [{"Index": "0"}]},
   "PlayInfoList": [{"StreamType": "audio", "Format": "mp3"}]},
  {"MediaId": "a02", "MediaInfo": {"Title": "The Render Queue #45 (draft)", "Status": "UploadSucc", "CreationTime": "2024-02-13T02:32:00Z"},
   "MezzanineInfo": {"AudioStreamList": [{"Index": "0"}]}},
  {"MediaId": "a03", "MediaInfo": {"Title": "Voiceover take 3", "Status": "Uploading", "CreationTime": "2024-03-01T00:00:00Z"},
   "MezzanineInfo": {"FileName": "take3.mp3"}}
 ],
 "images": [
  {"ImageId": "i01", "Title": "Aurora hero shot", "Status": "Normal", "ImageType": "default", "CreationTime": "2024-01-08T09:30:00Z",
   "CateId": 100, "CateName": "Marketing", "Tags": "hero,launch", "StorageLocation": "bucket-a", "AppId": "app-1000000",
   "URL": "https://img.example/i01.png?auth_key=x",
   "Mezzanine": {"FileURL": "https://oss.example/i01.png", "OriginalFileName": "hero.png", "Width": 2400, "Height": 1350, "FileSize": "2916000"}},
  {"ImageId": "i02", "Title": "Cover snapshot", "Status": "Normal", "ImageType": "CoverSnapshot", "CreationTime": "2024-01-09T00:00:00Z"},
  {"ImageId": "i03", "Title": "Uploading poster", "Status": "Uploading", "CreationTime": "2024-01-10T00:00:00Z",
   "Mezzanine": {"OriginalFileName": "poster.jpg", "Width": 800, "Height": 1200}}
 ]
}`

func loadSearchCatalog(t testing.TB) *Catalog {
	t.Helper()
	c, err := LoadCatalog(strings.NewReader(searchCatalog))
	if err != nil {
		t.Fatalf("LoadCatalog: %v", err)
	}
	return c
}

// newSearchServer serves c with the limits of SearchMedia and
// GetCategories lifted (TestSearchRateLimits tests them).
func newSearchServer(t testing.TB, c *Catalog) (*Emulator, *httptest.Server, *fakeClock) {
	t.Helper()
	e, srv, clock := newTestServer(t, Options{Catalog: c})
	e.SetRateLimit("SearchMedia", 0)
	e.SetRateLimit("GetCategories", 0)
	return e, srv, clock
}

// hitIDs lists the MediaIds of a SearchMedia answer.
func hitIDs(body map[string]any) []string {
	out := []string{}
	for _, m := range list(body["MediaList"]) {
		out = append(out, str(obj(m)["MediaId"]))
	}
	return out
}

func search(t testing.TB, srv *httptest.Server, q url.Values) (int, map[string]any) {
	t.Helper()
	return api(t, srv, "SearchMedia", q)
}

func TestSearchMediaMatch(t *testing.T) {
	_, srv, _ := newSearchServer(t, loadSearchCatalog(t))
	tests := []struct {
		kind, match string
		want        []string
	}{
		{"", "", []string{"v04", "v03", "v02", "v01", "v05"}},
		{"video", "  ", []string{"v04", "v03", "v02", "v01", "v05"}},
		{"audio", "", []string{"a03", "a02", "a01"}},
		{"image", "", []string{"i03", "i02", "i01"}},
		// Title: fuzzy, case-insensitive, every word, in any order.
		{"video", "Title = 'launch'", []string{"v02", "v01"}},
		{"video", "Title = launch", []string{"v02", "v01"}},
		{"video", "Title = 'KEYNOTE aurora'", []string{"v01"}},
		{"video", "Title = 'aurora pasta'", []string{}},
		{"video", "Title = 'aun'", []string{"v02", "v01"}},
		{"video", "Title in ('pasta','keynote')", []string{"v03", "v01"}},
		{"audio", "Title = 'render queue'", []string{"a02", "a01"}},
		{"image", "Title = 'HERO'", []string{"i01"}},
		// ID fields of the search's own type.
		{"video", "VideoId = 'v03'", []string{"v03"}},
		{"video", "VideoId = v03", []string{"v03"}},
		{"video", "VideoId in ('v01','v05','nope')", []string{"v01", "v05"}},
		{"video", "VideoId = 'V03'", []string{}},
		{"audio", "AudioId = 'a01'", []string{"a01"}},
		{"image", "ImageId in ('i01','i03')", []string{"i03", "i01"}},
		// CateId: exact (a string CateId in the catalog counts), no subcategories.
		{"video", "CateId = 200", []string{"v04", "v03"}},
		{"video", "CateId = '200'", []string{"v04", "v03"}},
		{"video", "CateId in (110,111)", []string{"v02", "v01"}},
		{"video", "CateId = 100", []string{}},
		{"image", "CateId = 100", []string{"i01"}},
		// Status and StorageLocation: exact and multi-value.
		{"video", "Status = 'Blocked'", []string{"v03"}},
		{"video", "Status = normal", []string{}},
		{"video", "Status in ('Normal','Uploading')", []string{"v04", "v02", "v01", "v05"}},
		{"audio", "Status = UploadSucc", []string{"a02"}},
		{"image", "Status in ('Uploading')", []string{"i03"}},
		{"video", "StorageLocation = 'bucket-b'", []string{"v04", "v03"}},
		{"video", "StorageLocation in ('bucket-a','bucket-c')", []string{"v02", "v01"}},
		// Tags: one of the asset's tags, exactly.
		{"video", "Tags = 'launch'", []string{"v02", "v01"}},
		{"video", "Tags = 'keynote'", []string{"v01"}},
		{"video", "Tags = 'laun'", []string{}},
		{"video", "Tags in ('pasta','qa')", []string{"v04", "v03"}},
		{"image", "Tags = launch", []string{"i01"}},
		// CreationTime ranges: ( ) open, [ ] closed, either end open.
		{"video", "CreationTime = ('2024-01-08T09:30:00Z',)", []string{"v04", "v03", "v02"}},
		{"video", "CreationTime = ['2024-01-08T09:30:00Z',)", []string{"v04", "v03", "v02", "v01"}},
		{"video", "CreationTime = (,'2024-01-10T00:00:00Z')", []string{"v01", "v05"}},
		{"video", "CreationTime = (,'2024-01-10T00:00:00Z']", []string{"v02", "v01", "v05"}},
		{"video", "CreationTime = ['2024-01-08T09:30:00Z','2024-02-01T00:00:00Z')", []string{"v02", "v01"}},
		{"video", "CreationTime = [2024-02-01T00:00:00Z,2024-02-01T00:00:00Z]", []string{"v04", "v03"}},
		{"video", "CreationTime = (,)", []string{"v04", "v03", "v02", "v01", "v05"}},
		{"image", "CreationTime = ('2024-01-08T09:30:00Z','2024-01-10T00:00:00Z')", []string{"i02"}},
		// and / or.
		{"video", "Title = 'launch' and Status = 'Normal'", []string{"v02", "v01"}},
		{"video", "Title = 'launch' AND CateId = 111", []string{"v01"}},
		{"video", "(Title = 'pasta' or VideoId = 'v01')", []string{"v03", "v01"}},
		{"video", "Status = 'Normal' and (Tags = 'qa' OR Tags = 'keynote')", []string{"v04", "v01"}},
		{"video", "((CateId = 200 and Status = 'Blocked') or VideoId = v05)", []string{"v03", "v05"}},
		{"video", "Status in ('Normal','Blocked') and CreationTime = ('2024-01-09T00:00:00Z',) and (Tags = pasta or Title = highlights)", []string{"v03", "v02"}},
		// Hostile text inside quotes is one literal value.
		{"video", `Title = '(or) "quoted"'`, []string{"v04"}},
		{"video", `Title = 'back\slashed'`, []string{"v04"}},
		{"video", "Title = ' or VideoId = v01'", []string{}},
		{"video", "Title = 'a) or (VideoId = v01'", []string{}},
		{"video", "Tags in ('qa) or (Tags = launch')", []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.kind+" "+tt.match, func(t *testing.T) {
			q := url.Values{"Match": {tt.match}, "PageSize": {"100"}}
			if tt.kind != "" {
				q.Set("SearchType", tt.kind)
			}
			status, body := search(t, srv, q)
			if status != 200 {
				t.Fatalf("%d %v", status, body)
			}
			if got := hitIDs(body); !slices.Equal(got, tt.want) {
				t.Errorf("hits %v, want %v", got, tt.want)
			}
			if total := str(body["Total"]); total != strconv.Itoa(len(tt.want)) {
				t.Errorf("Total %s, want %d", total, len(tt.want))
			}
			kind := cmpOr(tt.kind, "video")
			for _, m := range list(body["MediaList"]) {
				if str(obj(m)["MediaType"]) != kind {
					t.Errorf("MediaType %v in a %s search", obj(m)["MediaType"], kind)
				}
			}
		})
	}
}

func TestSearchMediaErrors(t *testing.T) {
	_, srv, _ := newSearchServer(t, loadSearchCatalog(t))
	long := strings.Repeat("x", 61)
	tests := []struct {
		name    string
		q       url.Values
		param   string // the parameter the message names
		wantMsg string
	}{
		{"unknown field", url.Values{"Match": {"Foo = 1"}}, "Match", `The specified parameter "Match" is not valid. Unknown field "Foo".`},
		{"field names are case-sensitive", url.Values{"Match": {"title = 'a'"}}, "Match", `Unknown field "title"`},
		{"ID field of another type", url.Values{"Match": {"AudioId = 'a01'"}}, "Match", `"AudioId" cannot be used with SearchType video`},
		{"ImageId in a video search", url.Values{"Match": {"Title = 'x' and ImageId = 'i01'"}}, "Match", `"ImageId" cannot be used with SearchType video`},
		{"VideoId in an image search", url.Values{"SearchType": {"image"}, "Match": {"VideoId = 'v01'"}}, "Match", `"VideoId" cannot be used with SearchType image`},
		{"range on Title", url.Values{"Match": {"Title = (a,b)"}}, "Match", `"Title" does not take a range`},
		{"range on Status", url.Values{"Match": {"Status = [Normal,)"}}, "Match", `"Status" does not take a range`},
		{"exact CreationTime", url.Values{"Match": {"CreationTime = '2024-01-01T00:00:00Z'"}}, "Match", `"CreationTime" takes a range only`},
		{"CreationTime in", url.Values{"Match": {"CreationTime in ('2024-01-01T00:00:00Z')"}}, "Match", "takes a range only"},
		{"CreationTime not UTC ISO 8601", url.Values{"Match": {"CreationTime = ('2024-01-01',)"}}, "Match", `"2024-01-01" is not an ISO 8601 UTC time`},
		{"CreationTime with an offset", url.Values{"Match": {"CreationTime = ('2024-01-01T00:00:00+08:00',)"}}, "Match", "is not an ISO 8601 UTC time"},
		{"CateId not a number", url.Values{"Match": {"CateId in (1,abc)"}}, "Match", `CateId values are integers, got "abc"`},
		{"Title too long", url.Values{"Match": {"Title = '" + long + "'"}}, "Match", "at most 60 characters"},
		{"Title empty", url.Values{"Match": {"Title = '  '"}}, "Match", "Title text is empty"},
		{"top-level or", url.Values{"Match": {"Title = 'a' or Status = 'Normal'"}}, "Match", `Syntax error at character 13: "or" must be inside parentheses`},
		{"unclosed quote", url.Values{"Match": {"Title = 'abc"}}, "Match", "the quoted value is not closed"},
		{"quote inside a value", url.Values{"Match": {"Title = 'it''"}}, "Match", "Syntax error"},
		{"unbalanced parenthesis", url.Values{"Match": {"(Title = 'a'"}}, "Match", `expected ")"`},
		{"bad operator", url.Values{"Match": {"Status != 'Normal'"}}, "Match", `unexpected character '!'`},
		{"double quotes", url.Values{"Match": {`Title = "a"`}}, "Match", "single quotes"},
		{"SearchType", url.Values{"SearchType": {"Video"}}, "SearchType", "Valid values: video, audio, image, attached."},
		{"SortBy", url.Values{"SortBy": {"Title:Asc"}}, "SortBy", "Valid values: CreationTime:Desc, CreationTime:Asc."},
		{"SortBy lower case", url.Values{"SortBy": {"creationtime:desc"}}, "SortBy", "Valid values"},
		{"PageSize 101", url.Values{"PageSize": {"101"}}, "PageSize", "from 1 to 100"},
		{"PageSize 0", url.Values{"PageSize": {"0"}}, "PageSize", "from 1 to 100"},
		{"PageNo 0", url.Values{"PageNo": {"0"}}, "PageNo", "at least 1"},
		{"PageNo not a number", url.Values{"PageNo": {"two"}}, "PageNo", "at least 1"},
		{"past 5000 without a token", url.Values{"PageNo": {"51"}, "PageSize": {"100"}}, "PageNo", "PageNo*PageSize is 5100; paging reaches the first 5000 hits only: continue with the ScrollToken"},
		{"past 5000, audio", url.Values{"SearchType": {"audio"}, "PageNo": {"501"}}, "PageNo", "ScrollToken"},
		{"past 5000, images", url.Values{"SearchType": {"image"}, "PageNo": {"5001"}, "PageSize": {"1"}}, "PageNo", "narrow the Match"},
		{"forged token", url.Values{"ScrollToken": {strings.Repeat("0", 32)}}, "ScrollToken", "not a token of this search"},
		{"malformed token", url.Values{"ScrollToken": {"24e0fba7188fae707e146esa54****"}}, "ScrollToken", "not a token of this search"},
		{"token on an image search", url.Values{"SearchType": {"image"}, "ScrollToken": {strings.Repeat("0", 32)}}, "ScrollToken", "Only video and audio"},
		{"token on an attached search", url.Values{"SearchType": {"attached"}, "ScrollToken": {strings.Repeat("0", 32)}}, "ScrollToken", "Only video and audio"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := search(t, srv, tt.q)
			if status != 400 || str(body["Code"]) != "InvalidParameter" {
				t.Fatalf("%d %v, want 400 InvalidParameter", status, body)
			}
			msg := str(body["Message"])
			if !strings.HasPrefix(msg, `The specified parameter "`+tt.param+`" is not valid. `) || !strings.Contains(msg, tt.wantMsg) {
				t.Errorf("message %q, want it to name %s and contain %q", msg, tt.param, tt.wantMsg)
			}
		})
	}
	// The edges of the limits are fine.
	for _, q := range []url.Values{
		{"PageNo": {"50"}, "PageSize": {"100"}},
		{"PageNo": {"500"}},
		{"SearchType": {"image"}, "PageNo": {"5000"}, "PageSize": {"1"}},
		{"PageSize": {"100"}, "SortBy": {"CreationTime:Asc"}},
	} {
		if status, body := search(t, srv, q); status != 200 {
			t.Errorf("%v: %d %v", q, status, body)
		}
	}
}

func TestSearchMediaSortAndPaging(t *testing.T) {
	_, srv, _ := newSearchServer(t, loadSearchCatalog(t))
	page := func(q url.Values) ([]string, string) {
		t.Helper()
		status, body := search(t, srv, q)
		if status != 200 {
			t.Fatalf("%v: %d %v", q, status, body)
		}
		if str(body["Total"]) != "5" {
			t.Errorf("%v: Total %v", q, body["Total"])
		}
		return hitIDs(body), str(body["ScrollToken"])
	}
	// Newest first by default, ties by ID in the same direction; oldest
	// first exactly reversed.
	if got, _ := page(url.Values{}); !slices.Equal(got, []string{"v04", "v03", "v02", "v01", "v05"}) {
		t.Errorf("default order %v", got)
	}
	if got, _ := page(url.Values{"SortBy": {"CreationTime:Desc"}}); !slices.Equal(got, []string{"v04", "v03", "v02", "v01", "v05"}) {
		t.Errorf("Desc %v", got)
	}
	if got, _ := page(url.Values{"SortBy": {"CreationTime:Asc"}}); !slices.Equal(got, []string{"v05", "v01", "v02", "v03", "v04"}) {
		t.Errorf("Asc %v", got)
	}
	// PageNo and PageSize.
	for _, tt := range []struct {
		pageNo string
		want   []string
	}{{"1", []string{"v04", "v03"}}, {"2", []string{"v02", "v01"}}, {"3", []string{"v05"}}, {"4", []string{}}} {
		if got, _ := page(url.Values{"PageNo": {tt.pageNo}, "PageSize": {"2"}}); !slices.Equal(got, tt.want) {
			t.Errorf("page %s: %v, want %v", tt.pageNo, got, tt.want)
		}
	}
	// A token continues right after the page it came with; PageNo and
	// PageSize then count from there.
	first, token := page(url.Values{"PageSize": {"2"}})
	if len(token) != 32 || !slices.Equal(first, []string{"v04", "v03"}) {
		t.Fatalf("first page %v, token %q", first, token)
	}
	if got, _ := page(url.Values{"PageSize": {"2"}, "ScrollToken": {token}}); !slices.Equal(got, []string{"v02", "v01"}) {
		t.Errorf("after the token: %v", got)
	}
	if got, _ := page(url.Values{"PageSize": {"2"}, "PageNo": {"2"}, "ScrollToken": {token}}); !slices.Equal(got, []string{"v05"}) {
		t.Errorf("page 2 after the token: %v", got)
	}
	if got, _ := page(url.Values{"PageSize": {"1"}, "PageNo": {"3"}, "ScrollToken": {token}}); !slices.Equal(got, []string{"v05"}) {
		t.Errorf("page 3 of 1 after the token: %v", got)
	}
	// A token from page 2 of 2 points after record 4.
	_, token2 := page(url.Values{"PageSize": {"2"}, "PageNo": {"2"}})
	got, last := page(url.Values{"PageSize": {"10"}, "ScrollToken": {token2}})
	if !slices.Equal(got, []string{"v05"}) {
		t.Errorf("after page 2: %v", got)
	}
	// At the end the token still answers, with nothing.
	if got, _ := page(url.Values{"PageSize": {"10"}, "ScrollToken": {last}}); len(got) != 0 {
		t.Errorf("past the end: %v", got)
	}
	// Uppercase hex is the same token.
	if got, _ := page(url.Values{"PageSize": {"2"}, "ScrollToken": {strings.ToUpper(token)}}); !slices.Equal(got, []string{"v02", "v01"}) {
		t.Errorf("uppercase token: %v", got)
	}
	// A token reaches 100 records: PageNo*PageSize > 100 is refused.
	for _, q := range []url.Values{{"PageSize": {"100"}, "PageNo": {"2"}}, {"PageSize": {"51"}, "PageNo": {"2"}}} {
		q.Set("ScrollToken", token)
		if status, body := search(t, srv, q); status != 400 || !strings.Contains(str(body["Message"]), `"PageNo"`) || !strings.Contains(str(body["Message"]), "at most 100") {
			t.Errorf("%v: %d %v", q, status, body)
		}
	}
	if status, _ := search(t, srv, url.Values{"PageSize": {"50"}, "PageNo": {"2"}, "ScrollToken": {token}}); status != 200 {
		t.Errorf("PageNo 2 of 50 with a token: %d", status)
	}
	// A token belongs to its SearchType, Match and SortBy, and to its offset.
	flipped := []byte(token)
	flipped[7] ^= 1 // the last digit of the offset
	for name, q := range map[string]url.Values{
		"other Match":      {"ScrollToken": {token}, "Match": {"Status = 'Normal'"}},
		"other SortBy":     {"ScrollToken": {token}, "SortBy": {"CreationTime:Asc"}},
		"other SearchType": {"ScrollToken": {token}, "SearchType": {"audio"}},
		"altered offset":   {"ScrollToken": {string(flipped)}},
		"truncated":        {"ScrollToken": {token[:30]}},
	} {
		status, body := search(t, srv, q)
		if status != 400 || !strings.HasPrefix(str(body["Message"]), `The specified parameter "ScrollToken" is not valid.`) {
			t.Errorf("%s: %d %v", name, status, body)
		}
	}
	// An explicit default SortBy is the same search as none.
	if status, body := search(t, srv, url.Values{"PageSize": {"2"}, "SortBy": {"CreationTime:Desc"}, "ScrollToken": {token}}); status != 200 || !slices.Equal(hitIDs(body), []string{"v02", "v01"}) {
		t.Errorf("explicit default SortBy: %d %v", status, body)
	}
	// Audio answers carry a token, images and attached none.
	for kind, want := range map[string]bool{"audio": true, "image": false, "attached": false} {
		_, body := search(t, srv, url.Values{"SearchType": {kind}})
		if _, has := body["ScrollToken"]; has != want {
			t.Errorf("%s: ScrollToken present %v", kind, has)
		}
	}
	_, body := search(t, srv, url.Values{"SearchType": {"attached"}, "Match": {"Title = 'x'"}})
	if str(body["Total"]) != "0" || body["MediaList"] == nil || len(list(body["MediaList"])) != 0 {
		t.Errorf("attached: %v", body)
	}
}

func TestSearchMediaFields(t *testing.T) {
	_, srv, _ := newSearchServer(t, loadSearchCatalog(t))
	keys := func(m map[string]any) []string { return slices.Sorted(maps.Keys(m)) }

	// Without Fields: MediaType, MediaId, CreationTime only.
	_, body := search(t, srv, url.Values{"Match": {"VideoId = v01"}})
	item := obj(list(body["MediaList"])[0])
	if got := keys(item); !slices.Equal(got, []string{"CreationTime", "MediaId", "MediaType"}) {
		t.Errorf("default item keys %v", got)
	}
	if str(item["CreationTime"]) != "2024-01-08T09:30:00Z" || str(item["MediaType"]) != "video" {
		t.Errorf("item %v", item)
	}

	// With Fields: the ID, CreationTime and exactly the requested fields
	// that exist for the type.
	_, body = search(t, srv, url.Values{"Match": {"VideoId = v01"},
		"Fields": {"Title, CoverURL,Duration,Size,Snapshots,SpriteSnapshots,StorageClass,CateId,Tags,Bogus,URL,Title,UserData,MediaSource"}})
	item = obj(list(body["MediaList"])[0])
	video := obj(item["Video"])
	want := []string{"CateId", "CoverURL", "CreationTime", "Duration", "Size", "Snapshots", "SpriteSnapshots", "StorageClass", "Tags", "Title", "VideoId"}
	if got := keys(video); !slices.Equal(got, want) {
		t.Errorf("Video keys %v, want %v", got, want)
	}
	if _, ok := item["Audio"]; ok {
		t.Error("a video hit has an Audio object")
	}
	if str(video["VideoId"]) != "v01" || str(video["Title"]) != "Aurora Launch Keynote (full)" || str(video["Tags"]) != "launch, keynote" {
		t.Errorf("Video %v", video)
	}
	for field, want := range map[string]string{"Duration": "3725.4400", "Size": "17739055104", "CateId": "111"} {
		if n, ok := video[field].(json.Number); !ok || n.String() != want {
			t.Errorf("%s = %#v, want the number %s", field, video[field], want)
		}
	}
	urls := []string{str(video["CoverURL"])}
	for _, s := range list(video["Snapshots"]) {
		urls = append(urls, str(s))
	}
	urls = append(urls, str(list(video["SpriteSnapshots"])[0]))
	wantPrefixes := []string{"/cdn/cover/v01.jpg?", "/cdn/snapshot/v01/0.jpg?", "/cdn/snapshot/v01/1.png?", "/cdn/sprite/v01/0.jpg?"}
	for i, u := range urls {
		if !strings.HasPrefix(u, srv.URL+wantPrefixes[i]) {
			t.Errorf("URL %q, want %s...", u, wantPrefixes[i])
			continue
		}
		if resp, b := fetch(t, "GET", u); resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "image/") {
			t.Errorf("GET %s: %d %s", u, resp.StatusCode, b)
		}
	}

	// Duration falls back to the streams; Size is absent when unknown.
	_, body = search(t, srv, url.Values{"Match": {"VideoId = v02"}, "Fields": {"Duration,Size,CoverURL"}})
	video = obj(obj(list(body["MediaList"])[0])["Video"])
	if got := keys(video); !slices.Equal(got, []string{"CreationTime", "Duration", "VideoId"}) || str(video["Duration"]) != "90.5" {
		t.Errorf("v02 Video %v", video)
	}

	// Audio hits carry an Audio object with AudioId.
	_, body = search(t, srv, url.Values{"SearchType": {"audio"}, "Match": {"AudioId = a01"}, "Fields": {"Title,Duration,Size,CoverURL,CateId"}})
	item = obj(list(body["MediaList"])[0])
	audio := obj(item["Audio"])
	if got := keys(audio); !slices.Equal(got, []string{"AudioId", "CateId", "CoverURL", "CreationTime", "Duration", "Size", "Title"}) || item["Video"] != nil {
		t.Errorf("Audio %v (item %v)", audio, item)
	}
	if resp, _ := fetch(t, "GET", str(audio["CoverURL"])); resp.StatusCode != 200 {
		t.Errorf("audio cover: %d", resp.StatusCode)
	}

	// Images: URL always signed and served, Ext of that URL, Size, Width
	// and Height from the Mezzanine as numbers.
	_, body = search(t, srv, url.Values{"SearchType": {"image"}, "SortBy": {"CreationTime:Asc"},
		"Fields": {"URL,Ext,Size,Width,Height,ImageType,Title,Duration,CoverURL,Status"}})
	imgs := list(body["MediaList"])
	if len(imgs) != 3 {
		t.Fatalf("MediaList %v", body["MediaList"])
	}
	for i, tt := range []struct {
		id, ext string
		keys    []string
		size    string
	}{
		{"i01", "png", []string{"CreationTime", "Ext", "Height", "ImageId", "ImageType", "Size", "Status", "Title", "URL", "Width"}, "2916000"},
		{"i02", "jpg", []string{"CreationTime", "Ext", "ImageId", "ImageType", "Status", "Title", "URL"}, ""},
		{"i03", "jpg", []string{"CreationTime", "Ext", "Height", "ImageId", "Status", "Title", "URL", "Width"}, ""},
	} {
		item := obj(imgs[i])
		img := obj(item["Image"])
		if str(item["MediaType"]) != "image" || str(img["ImageId"]) != tt.id {
			t.Errorf("hit %d: %v", i, item)
			continue
		}
		if got := keys(img); !slices.Equal(got, tt.keys) {
			t.Errorf("%s keys %v, want %v", tt.id, got, tt.keys)
		}
		if str(img["Ext"]) != tt.ext || str(img["Size"]) != tt.size {
			t.Errorf("%s: Ext %v Size %v", tt.id, img["Ext"], img["Size"])
		}
		u := str(img["URL"])
		if !strings.HasPrefix(u, srv.URL+"/cdn/image/"+tt.id+"."+tt.ext+"?auth_key=") {
			t.Errorf("%s URL %q", tt.id, u)
			continue
		}
		if resp, b := fetch(t, "GET", u); resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "image/") {
			t.Errorf("GET %s: %d %s", u, resp.StatusCode, b)
		}
	}
	if w, ok := obj(obj(imgs[0])["Image"])["Width"].(json.Number); !ok || w != "2400" {
		t.Errorf("Width %#v", obj(obj(imgs[0])["Image"])["Width"])
	}
}

// The call record carries each call's own parameters, not the protocol's.
func TestSearchParamsRecorded(t *testing.T) {
	e, srv, _ := newSearchServer(t, loadSearchCatalog(t))
	q := url.Values{"SearchType": {"audio"}, "Match": {"Title = 'queue'"}, "Fields": {"Title"}, "PageSize": {"5"}}
	search(t, srv, q)
	v1Call(t, srv, "GET", DemoKey(), "GetCategories", url.Values{"CateId": {"100"}, "PageNo": {"2"}}, time.Now(), randHex(16))
	calls := e.Calls()
	if len(calls) != 2 {
		t.Fatalf("%d calls", len(calls))
	}
	want := map[string]string{"SearchType": "audio", "Match": "Title = 'queue'", "Fields": "Title", "PageSize": "5"}
	if got := calls[0].Params; calls[0].Action != "SearchMedia" || !maps.Equal(got, want) {
		t.Errorf("SearchMedia params %v, want %v", got, want)
	}
	if got, want := calls[1].Params, map[string]string{"CateId": "100", "PageNo": "2"}; calls[1].Status != 200 || !maps.Equal(got, want) {
		t.Errorf("GetCategories (V1) params %v, want %v (status %d)", got, want, calls[1].Status)
	}
	// Calls returns copies.
	calls[0].Params["Match"] = "changed"
	if e.Calls()[0].Params["Match"] != "Title = 'queue'" {
		t.Error("Calls shares Params with the record")
	}
}

func TestIsAudio(t *testing.T) {
	tests := []struct {
		name, entry string
		want        bool
	}{
		{"audio streams only", `{"MezzanineInfo": {"AudioStreamList": [{}]}, "PlayInfoList": [{"StreamType": "audio"}]}`, true},
		{"audio mezzanine, no streams yet", `{"MezzanineInfo": {"AudioStreamList": [{}]}}`, true},
		{"audio play streams only", `{"PlayInfoList": [{"StreamType": "audio"}, {"StreamType": "audio"}]}`, true},
		{"an audio file not yet analysed", `{"MezzanineInfo": {"FileName": "take.M4A"}}`, true},
		{"an audio file URL", `{"MezzanineInfo": {"FileURL": "https://oss.example/x.flac?Expires=1"}}`, true},
		{"a video stream", `{"MezzanineInfo": {"VideoStreamList": [{}], "AudioStreamList": [{}]}}`, false},
		{"a picture size", `{"MezzanineInfo": {"Width": "1920", "Height": 1080, "AudioStreamList": [{}]}}`, false},
		{"a video play stream", `{"MezzanineInfo": {"AudioStreamList": [{}]}, "PlayInfoList": [{"StreamType": "audio"}, {"StreamType": "video"}]}`, false},
		{"an audio extension but a video stream", `{"MezzanineInfo": {"FileName": "x.mp3"}, "PlayInfoList": [{"StreamType": "video"}]}`, false},
		{"nothing known", `{"MezzanineInfo": {"FileName": "rough.mov"}}`, false},
		{"no mezzanine", `{}`, false},
	}
	for _, tt := range tests {
		m, err := decodeObject(json.RawMessage(tt.entry))
		if err != nil {
			t.Fatal(err)
		}
		if got := isAudio(m); got != tt.want {
			t.Errorf("%s: isAudio = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// The fields SearchMedia reads are type-checked when the catalog loads.
func TestLoadCatalogSearchFields(t *testing.T) {
	for in, wantErr := range map[string]string{
		`{"images": [{"ImageId": "a", "Tags": ["x"]}]}`:                        `images[0] (ImageId "a"): Tags: want string, got an array`,
		`{"images": [{"ImageId": "a", "CateId": "one"}]}`:                      "CateId: want number, got a string",
		`{"images": [{"ImageId": "a", "CreationTime": 1704700000}]}`:           "CreationTime: want string, got a number",
		`{"media": [{"MediaId": "m", "MediaInfo": {"Title": 7}}]}`:             "MediaInfo.Title: want string, got a number",
		`{"media": [{"MediaId": "m", "MediaInfo": {"StorageLocation": {}}}]}`:  "MediaInfo.StorageLocation: want string",
		`{"media": [{"MediaId": "m", "MediaInfo": {"SpriteSnapshots": [1]}}]}`: "MediaInfo.SpriteSnapshots[0]: want string",
		`{"media": [{"MediaId": "m", "MediaInfo": {"SpriteSnapshots": "x"}}]}`: "MediaInfo.SpriteSnapshots: want array",
		`{"media": [{"MediaId": "m", "MediaInfo": {"CateId": "1000201"}}]}`:    "",
		`{"images": [{"ImageId": "a", "CreationTime": "yesterday"}]}`:          "",
	} {
		_, err := LoadCatalog(strings.NewReader(in))
		if wantErr == "" && err != nil || wantErr != "" && (err == nil || !strings.Contains(err.Error(), wantErr)) {
			t.Errorf("%s: error %v, want %q", in, err, wantErr)
		}
	}
}

// An asset whose CreationTime cannot be read sorts as the oldest and is
// outside every CreationTime range.
func TestSearchMalformedCreationTime(t *testing.T) {
	c, err := LoadCatalog(strings.NewReader(`{"images": [
		{"ImageId": "b", "CreationTime": "2024-01-01T00:00:00Z"},
		{"ImageId": "a", "CreationTime": "yesterday"},
		{"ImageId": "c"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	_, srv, _ := newSearchServer(t, c)
	if _, body := search(t, srv, url.Values{"SearchType": {"image"}, "SortBy": {"CreationTime:Asc"}}); !slices.Equal(hitIDs(body), []string{"a", "c", "b"}) {
		t.Errorf("order %v", hitIDs(body))
	}
	if _, body := search(t, srv, url.Values{"SearchType": {"image"}, "Match": {"CreationTime = (,'2030-01-01T00:00:00Z')"}}); !slices.Equal(hitIDs(body), []string{"b"}) {
		t.Errorf("range %v", hitIDs(body))
	}
}

func TestCatalogMediaType(t *testing.T) {
	e, err := New(Options{Catalog: loadSearchCatalog(t), Synthetic: 2})
	if err != nil {
		t.Fatal(err)
	}
	c := e.Catalog()
	media := c.MediaIDs()
	for id, want := range map[string]string{
		"v01": "video", "v05": "video", "a01": "audio", "a02": "audio", "a03": "audio", "nope": "",
		media[8]: "video", media[9]: "video", media[10]: "audio", media[11]: "audio",
	} {
		if got := c.MediaType(id); got != want {
			t.Errorf("MediaType(%q) = %q, want %q", id, got, want)
		}
	}
}
