package handlers

import (
	"encoding/json"
	"errors"
	"maps"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"vodboard/export"
	"vodboard/views"
	"vodboard/vodclient"
)

func TestExportFormat(t *testing.T) {
	tests := []struct {
		target, accept string
		fallback       bool
		want           export.Format
		ok, err        bool
	}{
		{"/l", "", false, "", false, false},
		{"/l", "", true, export.CSV, true, false},
		{"/l?format=csv", "application/json", false, export.CSV, true, false},
		{"/l?format=JSON", "", false, export.JSON, true, false},
		{"/l?format=", "", false, "", false, false},
		{"/l?format=xlsx", "", true, "", false, true},
		{"/l?format=csv&format=csv", "", false, "", false, true},
		{"/l", "application/json", false, export.JSON, true, false},
		{"/l", "text/html, application/json;q=0.1", false, export.JSON, true, false},
		{"/l", "application/json;q=0", true, export.CSV, true, false},
		{"/l", "*/*", false, "", false, false},
		{"/l", "application/*", false, "", false, false},
		{"/l", "application/jsonx, garbage;;", false, "", false, false},
	}
	for _, tc := range tests {
		r := httptest.NewRequest("GET", tc.target, nil)
		r.Header.Set("Accept", tc.accept)
		f, ok, err := exportFormat(r, tc.fallback)
		if f != tc.want || ok != tc.ok || (err != nil) != tc.err {
			t.Errorf("%s, Accept %q: %q %v %v, want %q %v error %v", tc.target, tc.accept, f, ok, err, tc.want, tc.ok, tc.err)
		}
		var param *ParamError
		if err != nil && (!errors.As(err, &param) || param.Name != "format") {
			t.Errorf("%s: error %v is not a ParamError naming format", tc.target, err)
		}
	}
}

func TestExportFileName(t *testing.T) {
	at := time.Date(2026, 11, 27, 14, 15, 0, 0, time.FixedZone("CST", 8*3600))
	if got := exportFileName("library-video", export.CSV, at); got != "vodboard-library-video-20261127T061500Z.csv" {
		t.Errorf("file name %q", got)
	}
}

func TestAssetRowOfEveryOutcome(t *testing.T) {
	o := ExportOptions{BaseURL: "https://vod.example.com/"}
	cells := func(r assetRow) map[string]string {
		var b strings.Builder
		w, _ := export.NewWriter(&b, export.JSON, assetColumns)
		w.Row(r.appendCells(nil, o)...)
		w.Close()
		var d struct{ Rows []map[string]json.RawMessage }
		if err := json.Unmarshal([]byte(b.String()), &d); err != nil || len(d.Rows) != 1 {
			t.Fatalf("%v: %s", err, b.String())
		}
		out := map[string]string{}
		for k, v := range d.Rows[0] {
			out[k] = string(v)
		}
		return out
	}
	found := cells(imageResultRow(vodclient.ImageResult{ID: "img1", Outcome: vodclient.Found, Image: vodclient.ImageInfo{
		ImageID: "img1", Title: "Poster", Tags: "a, b", Mezzanine: vodclient.Mezzanine{Width: 640, Height: 360, FileSize: 1000},
	}}))
	want := map[string]string{"id": `"img1"`, "kind": `"image"`, "outcome": `"found"`, "tags": `["a","b"]`, "size": "1000",
		"resolution": `"640x360"`, "duration": "null", "streams": "null", "detail": `"https://vod.example.com/images/img1"`, "error": "null"}
	for k, v := range want {
		if found[k] != v {
			t.Errorf("found image: %s = %s, want %s", k, found[k], v)
		}
	}
	flagged := cells(mediaResultRow(vodclient.MediaResult{ID: "ref-1", ByReference: true, Outcome: vodclient.NonExistentReference}))
	want = map[string]string{"id": "null", "reference_id": `"ref-1"`, "kind": "null", "outcome": `"nonexistent-reference"`, "tags": "null", "detail": "null", "streams": "null"}
	for k, v := range want {
		if flagged[k] != v {
			t.Errorf("unknown reference: %s = %s, want %s", k, flagged[k], v)
		}
	}
	failed := cells(mediaResultRow(vodclient.MediaResult{ID: "m1", Outcome: vodclient.Failed, Err: errors.New("boom")}))
	if failed["outcome"] != `"failed"` || !strings.Contains(failed["error"], "Something went wrong") || strings.Contains(failed["error"], "boom") {
		t.Errorf("failed ID: outcome %s, error %s, want the vetted message only", failed["outcome"], failed["error"])
	}
	audio := cells(mediaResultRow(vodclient.MediaResult{ID: "m2", Outcome: vodclient.Found, Media: vodclient.Media{
		MediaID:       "m2",
		MezzanineInfo: vodclient.MezzanineInfo{AudioStreamList: []vodclient.AudioStream{{}}, Duration: 5.5},
		PlayInfoList:  []vodclient.PlayInfo{{StreamType: "audio"}, {StreamType: "audio"}},
	}}))
	want = map[string]string{"kind": `"audio"`, "type": `"audio"`, "duration": "5.5", "streams": "1", "definitions": "2", "resolution": "null", "detail": `"https://vod.example.com/media/m2"`}
	for k, v := range want {
		if audio[k] != v {
			t.Errorf("audio asset: %s = %s, want %s", k, audio[k], v)
		}
	}
}

func TestDetailValuesUseTheirColumns(t *testing.T) {
	for name, tc := range map[string]struct {
		values  map[string]export.Cell
		columns []string
	}{
		"video stream": {videoStreamValues("m", views.VideoStream{}), streamColumns},
		"audio stream": {audioStreamValues("m", views.AudioStream{}), streamColumns},
		"definition":   {playInfoValues("m", views.PlayInfo{}), playInfoColumns},
	} {
		for k := range maps.Keys(tc.values) {
			if !slices.Contains(tc.columns, k) {
				t.Errorf("%s: value %q has no column", name, k)
			}
		}
	}
	if slices.Contains(playInfoColumns, "play_url") {
		t.Error("definitions export the signed PlayURL")
	}
}
