package emulator

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// api signs a call with the demo key.
func api(t testing.TB, srv *httptest.Server, action string, q url.Values) (int, map[string]any) {
	t.Helper()
	resp, body := rawCall{key: DemoKey(), action: action, query: q}.do(t, srv)
	return resp.StatusCode, body
}

func ids(n int, prefix string) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%028d", prefix, i)
	}
	return out
}

func TestParameterValidation(t *testing.T) {
	e, srv, _ := newTestServer(t, Options{})
	img := e.Catalog().ImageIDs()[0]
	tests := []struct {
		action   string
		q        url.Values
		wantCode string
		wantIn   string // substring of Message
	}{
		{"GetImageInfo", url.Values{}, "MissingParameter", "ImageId"},
		{"GetImageInfo", url.Values{"ImageId": {img}, "AuthTimeout": {"0"}}, "InvalidParameter", "AuthTimeout"},
		{"GetImageInfo", url.Values{"ImageId": {img}, "AuthTimeout": {"soon"}}, "InvalidParameter", "AuthTimeout"},
		{"GetImageInfo", url.Values{"ImageId": {img}, "AuthTimeout": {"2592001"}, "OutputType": {"oss"}}, "InvalidParameter", "2592000"},
		{"GetImageInfo", url.Values{"ImageId": {img}, "AuthTimeout": {"2592001"}, "OutputType": {"cdn"}}, "", ""},
		{"GetImageInfo", url.Values{"ImageId": {img}, "OutputType": {"s3"}}, "InvalidParameter", "OutputType"},
		{"GetImageInfos", url.Values{}, "MissingParameter", "ImageIds"},
		{"GetImageInfos", url.Values{"ImageIds": {" , "}}, "MissingParameter", "ImageIds"},
		{"GetImageInfos", url.Values{"ImageIds": {strings.Join(ids(21, "a"), ",")}}, "InvalidParameter", "20"},
		{"GetImageInfos", url.Values{"ImageIds": {strings.Join(ids(20, "a"), ",")}}, "", ""},
		{"BatchGetMediaInfos", url.Values{}, "MissingParameter", "MediaIds"},
		{"BatchGetMediaInfos", url.Values{"MediaIds": {strings.Join(ids(21, "b"), ",")}}, "InvalidParameter", "20"},
		{"BatchGetMediaInfos", url.Values{"ReferenceIds": {strings.Join(ids(21, "r"), ",")}}, "InvalidParameter", "ReferenceIds"},
		{"BatchGetMediaInfos", url.Values{"MediaIds": {strings.Join(ids(20, "b"), ",")}, "ReferenceIds": {strings.Join(ids(20, "r"), ",")}}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.action+" "+tt.q.Encode()[:min(40, len(tt.q.Encode()))], func(t *testing.T) {
			status, body := api(t, srv, tt.action, tt.q)
			if str(body["Code"]) != tt.wantCode {
				t.Fatalf("code %q (%d, %v), want %q", body["Code"], status, body["Message"], tt.wantCode)
			}
			if tt.wantCode == "" {
				if status != 200 {
					t.Errorf("status %d", status)
				}
				return
			}
			if status != 400 {
				t.Errorf("status %d, want 400", status)
			}
			if !strings.Contains(str(body["Message"]), tt.wantIn) {
				t.Errorf("message %q does not mention %q", body["Message"], tt.wantIn)
			}
		})
	}
}

func TestGetImageInfosOrderAndNonExist(t *testing.T) {
	e, srv, _ := newTestServer(t, Options{})
	all := e.Catalog().ImageIDs()
	missing := "ffffffffffffffffffffffffffffffff"
	ask := []string{all[5], missing, all[0], all[5], all[9]}
	status, body := api(t, srv, "GetImageInfos", url.Values{"ImageIds": {strings.Join(ask, ",")}})
	if status != 200 {
		t.Fatalf("status %d %v", status, body)
	}
	var got []string
	for _, m := range list(body["ImageInfo"]) {
		got = append(got, str(obj(m)["ImageId"]))
	}
	if want := []string{all[5], all[0], all[9]}; !slices.Equal(got, want) {
		t.Errorf("ImageInfo order %v, want %v", got, want)
	}
	if ne := list(body["NonExistImageIds"]); len(ne) != 1 || str(ne[0]) != missing {
		t.Errorf("NonExistImageIds = %v", ne)
	}
	// All unknown: an empty ImageInfo array, not null.
	_, body = api(t, srv, "GetImageInfos", url.Values{"ImageIds": {missing}})
	if v, ok := body["ImageInfo"].([]any); !ok || len(v) != 0 {
		t.Errorf("ImageInfo = %#v, want []", body["ImageInfo"])
	}
}

func TestBatchGetMediaInfosResolution(t *testing.T) {
	e, srv, _ := newTestServer(t, Options{})
	cat := e.Catalog()
	media := cat.MediaIDs()
	keynote := mediaIDByTitle(t, cat, "Launch Keynote (full stream)")
	highlightsRef := "launch-2024-aurora-x1-highlights"
	highlights := mediaIDByTitle(t, cat, "90-second highlights")
	forbidden := cat.ForbiddenIDs()[0]
	missing := "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"

	q := url.Values{
		"MediaIds":     {strings.Join([]string{media[4], forbidden, missing, keynote}, ",")},
		"ReferenceIds": {strings.Join([]string{highlightsRef, "no-such-ref", "launch-2024-aurora-x1-keynote"}, ",")},
	}
	status, body := api(t, srv, "BatchGetMediaInfos", q)
	if status != 200 {
		t.Fatalf("status %d %v", status, body)
	}
	var got []string
	for _, m := range list(body["MediaInfos"]) {
		got = append(got, str(obj(m)["MediaId"]))
	}
	if want := []string{media[4], keynote, highlights}; !slices.Equal(got, want) {
		t.Errorf("MediaInfos %v, want %v (keynote asked twice is answered once)", got, want)
	}
	check := func(field string, want ...string) {
		t.Helper()
		var got []string
		for _, v := range list(body[field]) {
			got = append(got, str(v))
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s = %v, want %v", field, got, want)
		}
	}
	check("ForbiddenMediaIds", forbidden)
	check("NonExistMediaIds", missing)
	check("NonExistReferenceIds", "no-such-ref")

	// ReferenceIds alone are enough.
	status, body = api(t, srv, "BatchGetMediaInfos", url.Values{"ReferenceIds": {highlightsRef}})
	if status != 200 || len(list(body["MediaInfos"])) != 1 {
		t.Fatalf("by reference only: %d %v", status, body)
	}
	for _, f := range []string{"NonExistMediaIds", "ForbiddenMediaIds", "NonExistReferenceIds"} {
		if _, ok := body[f]; ok {
			t.Errorf("%s present although empty", f)
		}
	}
	calls := e.Calls()
	if last := calls[len(calls)-1]; !slices.Equal(last.ReferenceIDs, []string{highlightsRef}) || last.IDs != nil {
		t.Errorf("recorded %+v", last)
	}
}

// Field shapes (string versus number) are replayed exactly, and only URLs
// are rewritten.
func TestShapesReplayed(t *testing.T) {
	e, srv, _ := newTestServer(t, Options{})
	cat := e.Catalog()
	id := mediaIDByTitle(t, cat, "Fresh pasta")
	_, body := api(t, srv, "BatchGetMediaInfos", url.Values{"MediaIds": {id}})
	got := obj(list(body["MediaInfos"])[0])
	raw, _ := cat.MediaEntry(id)
	var want map[string]any
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.UseNumber()
	if err := dec.Decode(&want); err != nil {
		t.Fatal(err)
	}
	var walk func(path string, g, w any)
	walk = func(path string, g, w any) {
		switch wv := w.(type) {
		case map[string]any:
			gv := obj(g)
			if len(gv) != len(wv) {
				t.Errorf("%s: %d fields, want %d", path, len(gv), len(wv))
			}
			for k, x := range wv {
				walk(path+"."+k, gv[k], x)
			}
		case []any:
			gv := list(g)
			if len(gv) != len(wv) {
				t.Errorf("%s: %d items, want %d", path, len(gv), len(wv))
				return
			}
			for i := range wv {
				walk(fmt.Sprintf("%s[%d]", path, i), gv[i], wv[i])
			}
		case json.Number:
			if gv, ok := g.(json.Number); !ok || gv != wv {
				t.Errorf("%s = %#v, want number %s", path, g, wv)
			}
		case string:
			gv, ok := g.(string)
			switch {
			case !ok:
				t.Errorf("%s = %#v, want a string", path, g)
			case strings.HasPrefix(wv, "https://"):
				if !strings.HasPrefix(gv, srv.URL+"/") {
					t.Errorf("%s = %q, want an emulator URL", path, gv)
				}
			case gv != wv:
				t.Errorf("%s = %q, want %q", path, gv, wv)
			}
		default:
			if g != w {
				t.Errorf("%s = %#v, want %#v", path, g, w)
			}
		}
	}
	walk("MediaInfos[0]", got, want)
	if str(obj(got["PlayInfoList"].([]any)[0])["Width"]) == "" {
		t.Error("PlayInfo Width missing")
	}
}

func TestImageURLOptions(t *testing.T) {
	e, srv, clock := newTestServer(t, Options{})
	id := imageIDByTitle(t, e.Catalog(), "hero shot")
	tests := []struct {
		q          url.Values
		wantPrefix string
		wantParam  string
		wantExpiry int64
	}{
		{url.Values{}, "/cdn/image/", "auth_key", 3600},
		{url.Values{"OutputType": {"cdn"}, "AuthTimeout": {"60"}}, "/cdn/image/", "auth_key", 60},
		{url.Values{"OutputType": {"oss"}, "AuthTimeout": {"7200"}}, "/oss/image/", "Expires", 7200},
	}
	for _, tt := range tests {
		t.Run(tt.q.Encode(), func(t *testing.T) {
			tt.q.Set("ImageId", id)
			status, body := api(t, srv, "GetImageInfo", tt.q)
			if status != 200 {
				t.Fatalf("%d %v", status, body)
			}
			info := obj(body["ImageInfo"])
			u, err := url.Parse(str(info["URL"]))
			if err != nil || !strings.HasPrefix(u.Path, tt.wantPrefix) || !u.Query().Has(tt.wantParam) {
				t.Fatalf("URL %q", info["URL"])
			}
			var exp int64
			if tt.wantParam == "auth_key" {
				fmt.Sscanf(u.Query().Get("auth_key"), "%d-", &exp)
			} else {
				fmt.Sscan(u.Query().Get("Expires"), &exp)
			}
			if want := clock.Now().Unix() + tt.wantExpiry; exp != want {
				t.Errorf("expiry %d, want %d", exp, want)
			}
			// The mezzanine file is always an OSS URL.
			if fu := str(obj(info["Mezzanine"])["FileURL"]); !strings.Contains(fu, "/oss/image/"+id+"/source.") {
				t.Errorf("Mezzanine.FileURL %q", fu)
			}
		})
	}
}

// Every image answered has a signed URL that is served, whatever its
// status and even when its catalog entry has none, as the real service
// always returns one.
func TestEveryImageHasURL(t *testing.T) {
	c, err := LoadCatalog(strings.NewReader(`{"images": [
		{"ImageId": "up1", "Status": "Uploading", "Mezzanine": {"OriginalFileName": "poster.png"}},
		{"ImageId": "snap1", "Status": "Normal", "ImageType": "CoverSnapshot"},
		{"ImageId": "bare1"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	_, srv, _ := newTestServer(t, Options{Catalog: c})
	wantExt := map[string]string{"up1": ".png", "snap1": ".jpg", "bare1": ".png"}
	_, body := api(t, srv, "GetImageInfos", url.Values{"ImageIds": {"up1,snap1,bare1"}})
	infos := list(body["ImageInfo"])
	if len(infos) != 3 {
		t.Fatalf("ImageInfo = %v", body)
	}
	for _, v := range infos {
		id := str(obj(v)["ImageId"])
		u := str(obj(v)["URL"])
		if !strings.HasPrefix(u, srv.URL+"/cdn/image/"+id+wantExt[id]+"?auth_key=") {
			t.Errorf("%s: URL %q", id, u)
			continue
		}
		if resp, b := fetch(t, "GET", u); resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "image/") {
			t.Errorf("%s: GET %d %s", id, resp.StatusCode, b)
		}
	}
	if u, _ := imageURL(t, srv, "up1", url.Values{"OutputType": {"oss"}}); !strings.HasPrefix(u, srv.URL+"/oss/image/up1.png?") {
		t.Errorf("GetImageInfo URL %q", u)
	}
}
