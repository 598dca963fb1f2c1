package emulator

import (
	"bytes"
	"image"
	_ "image/jpeg"
	_ "image/png"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

func fetch(t testing.TB, method, u string) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.DefaultClient.Do(mustRequest(t, method, u))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

func decodeImage(t testing.TB, b []byte) (image.Image, string) {
	t.Helper()
	img, format, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("decode image: %v", err)
	}
	return img, format
}

// decodeSize reads the format and size of an image without decoding its
// pixels (pictures are full-size: decoding them all is slow under -race).
func decodeSize(t testing.TB, b []byte) (image.Rectangle, string) {
	t.Helper()
	cfg, format, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("decode image config: %v", err)
	}
	return image.Rect(0, 0, cfg.Width, cfg.Height), format
}

func aspect(w, h int) float64 { return float64(w) / float64(h) }

func imageURL(t testing.TB, srv *httptest.Server, id string, q url.Values) (string, map[string]any) {
	t.Helper()
	q.Set("ImageId", id)
	status, body := api(t, srv, "GetImageInfo", q)
	if status != 200 {
		t.Fatalf("GetImageInfo: %d %v", status, body)
	}
	info := obj(body["ImageInfo"])
	return str(info["URL"]), info
}

func TestSignedImageURLs(t *testing.T) {
	e, srv, _ := newTestServer(t, Options{})
	cat := e.Catalog()
	for _, title := range []string{"hero shot", "portrait crop", "logo lockup", "course banner", "sprite frame 001", "Brand guidelines"} {
		t.Run(title, func(t *testing.T) {
			id := imageIDByTitle(t, cat, title)
			for _, outputType := range []string{"cdn", "oss"} {
				u, info := imageURL(t, srv, id, url.Values{"OutputType": {outputType}})
				resp, b := fetch(t, http.MethodGet, u)
				if resp.StatusCode != 200 {
					t.Fatalf("%s: %d %s", u, resp.StatusCode, b)
				}
				got, format := decodeSize(t, b)
				if want := map[string]string{"image/png": "png", "image/jpeg": "jpeg"}[resp.Header.Get("Content-Type")]; format != want {
					t.Errorf("decoded %s, Content-Type %s", format, resp.Header.Get("Content-Type"))
				}
				// Served at the size the catalog declares, as a real account
				// serves the original.
				mz := obj(info["Mezzanine"])
				w, h := int(numberAt(mz, "Width")), int(numberAt(mz, "Height"))
				if got.Dx() != w || got.Dy() != h {
					t.Errorf("picture %dx%d, asset %dx%d", got.Dx(), got.Dy(), w, h)
				}
				cc := resp.Header.Get("Cache-Control")
				if !strings.HasPrefix(cc, "private, max-age=") || cc == "private, max-age=0" {
					t.Errorf("Cache-Control %q", cc)
				}
				// The mezzanine copy is served too.
				if resp, _ := fetch(t, http.MethodHead, str(mz["FileURL"])); resp.StatusCode != 200 {
					t.Errorf("HEAD mezzanine: %d", resp.StatusCode)
				}
			}
		})
	}
}

func TestPicturesDistinctAndDeterministic(t *testing.T) {
	e, srv, _ := newTestServer(t, Options{})
	ids := e.Catalog().ImageIDs()
	pixel := func(id string) (b []byte, rgba [4]uint32) {
		u, _ := imageURL(t, srv, id, url.Values{})
		_, b = fetch(t, http.MethodGet, u)
		img, _ := decodeImage(t, b)
		bd := img.Bounds()
		r, g, bl, a := img.At(bd.Dx()/4, bd.Dy()/4).RGBA()
		return b, [4]uint32{r, g, bl, a}
	}
	a1, pa := pixel(ids[0])
	a2, _ := pixel(ids[0])
	b1, pb := pixel(ids[2])
	if !bytes.Equal(a1, a2) {
		t.Error("the same image rendered twice differs")
	}
	if bytes.Equal(a1, b1) || pa == pb {
		t.Error("two different images look the same")
	}
	// Same seed, different picture sizes would be a different asset; a
	// fresh emulator renders identical bytes.
	e2, srv2, _ := newTestServer(t, Options{})
	u, _ := imageURL(t, srv2, e2.Catalog().ImageIDs()[0], url.Values{})
	_, c1 := fetch(t, http.MethodGet, u)
	if !bytes.Equal(a1, c1) {
		t.Error("rendering is not deterministic across emulators")
	}
}

func TestSignedURLRejections(t *testing.T) {
	e, srv, clock := newTestServer(t, Options{})
	id := e.Catalog().ImageIDs()[0]
	cdnURL, _ := imageURL(t, srv, id, url.Values{"AuthTimeout": {"60"}})
	ossURL, _ := imageURL(t, srv, id, url.Values{"AuthTimeout": {"60"}, "OutputType": {"oss"}})
	other := e.Catalog().ImageIDs()[1]

	tamper := func(u, from, to string) string { return strings.Replace(u, from, to, 1) }
	cdnQ, _ := url.Parse(cdnURL)
	authKey := cdnQ.Query().Get("auth_key")
	parts := strings.Split(authKey, "-")
	later := tamper(cdnURL, parts[0]+"-", "9999999999-")

	for name, u := range map[string]string{
		"cdn other path":     tamper(cdnURL, id, other),
		"cdn later expiry":   later,
		"cdn no auth_key":    strings.Split(cdnURL, "?")[0],
		"cdn hash altered":   tamper(cdnURL, parts[3], strings.Repeat("0", 32)),
		"oss other path":     tamper(ossURL, id, other),
		"oss other expiry":   tamper(ossURL, "Expires=", "Expires=1"),
		"oss wrong key id":   tamper(ossURL, OSSAccessKeyID, "LTAI5tSomeoneElse"),
		"oss signature gone": strings.Split(ossURL, "&Signature=")[0],
	} {
		t.Run(name, func(t *testing.T) {
			if resp, b := fetch(t, http.MethodGet, u); resp.StatusCode != 403 || len(b) == 0 || len(b) > 200 {
				t.Errorf("%s: %d %q", u, resp.StatusCode, b)
			}
		})
	}
	for _, u := range []string{cdnURL, ossURL} {
		if resp, _ := fetch(t, http.MethodGet, u); resp.StatusCode != 200 {
			t.Fatalf("fresh URL: %d", resp.StatusCode)
		}
	}
	clock.Advance(61 * time.Second)
	for _, u := range []string{cdnURL, ossURL} {
		if resp, b := fetch(t, http.MethodGet, u); resp.StatusCode != 403 || !strings.Contains(string(b), "expired") {
			t.Errorf("expired URL: %d %q", resp.StatusCode, b)
		}
	}
}

func TestSignedMediaURLs(t *testing.T) {
	e, srv, _ := newTestServer(t, Options{})
	cat := e.Catalog()
	teaser := mediaIDByTitle(t, cat, "teaser (vertical")
	podcast := mediaIDByTitle(t, cat, "Render Queue #41")
	status, body := api(t, srv, "BatchGetMediaInfos", url.Values{"MediaIds": {teaser + "," + podcast}})
	if status != 200 {
		t.Fatalf("%d %v", status, body)
	}
	entries := list(body["MediaInfos"])

	// Video: portrait cover and snapshots, mp4 play URLs, mezzanine.
	v := obj(entries[0])
	info, mz := obj(v["MediaInfo"]), obj(v["MezzanineInfo"])
	for _, u := range append([]any{info["CoverURL"]}, list(info["Snapshots"])...) {
		resp, b := fetch(t, http.MethodGet, str(u))
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d", u, resp.StatusCode)
		}
		// A frame of the video, at a cover's size.
		if d, _ := decodeSize(t, b); d.Dy() != coverSide || math.Abs(aspect(d.Dx(), d.Dy())-9.0/16) > 0.02 {
			t.Errorf("%s: %dx%d, want 9:16 and %d high", u, d.Dx(), d.Dy(), coverSide)
		}
	}
	snaps := list(info["Snapshots"])
	_, s0 := fetch(t, http.MethodGet, str(snaps[0]))
	_, s1 := fetch(t, http.MethodGet, str(snaps[1]))
	if bytes.Equal(s0, s1) {
		t.Error("two snapshots of one video are identical")
	}
	for _, p := range list(v["PlayInfoList"]) {
		resp, b := fetch(t, http.MethodGet, str(obj(p)["PlayURL"]))
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "video/mp4" || !bytes.Contains(b[:16], []byte("ftyp")) {
			t.Errorf("play %v: %d %s % x", obj(p)["PlayURL"], resp.StatusCode, resp.Header.Get("Content-Type"), b[:min(16, len(b))])
		}
	}
	if resp, _ := fetch(t, http.MethodGet, str(mz["FileURL"])); resp.StatusCode != 200 || !strings.Contains(str(mz["FileURL"]), "/oss/mezzanine/") {
		t.Errorf("mezzanine %v: %d", mz["FileURL"], resp.StatusCode)
	}

	// Audio: square cover, mp3 and m4a files.
	a := obj(entries[1])
	resp, b := fetch(t, http.MethodGet, str(obj(a["MediaInfo"])["CoverURL"]))
	if d, _ := decodeSize(t, b); resp.StatusCode != 200 || d.Dx() != coverSide || d.Dy() != coverSide {
		t.Errorf("audio cover: %d %v, want %d square", resp.StatusCode, d, coverSide)
	}
	wantType := map[string]string{"mp3": "audio/mpeg", "m4a": "audio/mp4"}
	for _, p := range list(a["PlayInfoList"]) {
		pi := obj(p)
		resp, _ := fetch(t, http.MethodGet, str(pi["PlayURL"]))
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != wantType[str(pi["Format"])] {
			t.Errorf("%s: %d %s", pi["Format"], resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	}
}

func TestHLSPlaylist(t *testing.T) {
	e, srv, clock := newTestServer(t, Options{})
	id := mediaIDByTitle(t, e.Catalog(), "Fresh pasta")
	_, body := api(t, srv, "BatchGetMediaInfos", url.Values{"MediaIds": {id}})
	var playlist string
	for _, p := range list(obj(list(body["MediaInfos"])[0])["PlayInfoList"]) {
		if str(obj(p)["Format"]) == "m3u8" {
			playlist = str(obj(p)["PlayURL"])
			break
		}
	}
	resp, b := fetch(t, http.MethodGet, playlist)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/vnd.apple.mpegurl" || !strings.HasPrefix(string(b), "#EXTM3U\n") {
		t.Fatalf("playlist: %d %s\n%s", resp.StatusCode, resp.Header.Get("Content-Type"), b)
	}
	var segs []string
	for line := range strings.Lines(string(b)) {
		if strings.HasPrefix(line, "http") {
			segs = append(segs, strings.TrimSpace(line))
		}
	}
	if len(segs) != 3 || !strings.Contains(string(b), "#EXT-X-ENDLIST") {
		t.Fatalf("playlist:\n%s", b)
	}
	for _, s := range segs {
		resp, b := fetch(t, http.MethodGet, s)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "video/mp2t" || b[0] != 0x47 {
			t.Errorf("segment %s: %d", s, resp.StatusCode)
		}
	}
	clock.Advance(2 * time.Hour)
	if resp, _ := fetch(t, http.MethodGet, segs[0]); resp.StatusCode != 403 {
		t.Errorf("segment after the playlist expired: %d", resp.StatusCode)
	}
}

func TestAssetPathsRoundTrip(t *testing.T) {
	for _, a := range []asset{
		{kind: kindImage, id: "abc", ext: "png"},
		{kind: kindImageSource, id: "abc", ext: "jpg"},
		{kind: kindCover, id: "m1", ext: "jpg"},
		{kind: kindSnapshot, id: "m1", n: 3, ext: "jpg"},
		{kind: kindMezzanine, id: "m1", ext: "mov"},
		{kind: kindPlay, id: "m1", job: "j1", ext: "m3u8"},
		{kind: kindSegment, id: "m1", job: "j1", n: 2},
	} {
		got, ok := parseAssetPath(a.path())
		if a.kind == kindSegment {
			a.ext = ""
		}
		if !ok || got != a {
			t.Errorf("parseAssetPath(%q) = %+v, %v; want %+v", a.path(), got, ok, a)
		}
	}
	for _, p := range []string{"", "image", "image/x", "snapshot/m1/01.jpg", "snapshot/m1/-1.jpg", "play/m1/j1/0.mp4", "other/x.png"} {
		if a, ok := parseAssetPath(p); ok {
			t.Errorf("parseAssetPath(%q) = %+v, want failure", p, a)
		}
	}
}

// A URL signed by another emulator (another URL key) is refused.
func TestURLKeyIsPerEmulator(t *testing.T) {
	e1, srv1, _ := newTestServer(t, Options{})
	_, srv2, _ := newTestServer(t, Options{})
	u, _ := imageURL(t, srv1, e1.Catalog().ImageIDs()[0], url.Values{})
	if resp, _ := fetch(t, http.MethodGet, strings.Replace(u, srv1.URL, srv2.URL, 1)); resp.StatusCode != 403 {
		t.Errorf("cross-emulator URL: %d", resp.StatusCode)
	}
	// With a shared URLKey the signature carries over.
	e3, srv3, _ := newTestServer(t, Options{URLKey: "shared"})
	_, srv4, _ := newTestServer(t, Options{URLKey: "shared"})
	u, _ = imageURL(t, srv3, e3.Catalog().ImageIDs()[0], url.Values{})
	if resp, _ := fetch(t, http.MethodGet, strings.Replace(u, srv3.URL, srv4.URL, 1)); resp.StatusCode != 200 {
		t.Errorf("shared-key URL: %d", resp.StatusCode)
	}
}
