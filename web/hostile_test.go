package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"vodboard/views"
	"vodboard/vodclient/emulator"
)

const (
	xssScript = `<script>alert(1)</script>`
	xssAttr   = `"><img src=x onerror=alert(1)>`
	xssSVG    = `'><svg onload=alert(1)>`
)

// hostileCatalog is a catalog in the API's own shapes whose every text field
// is an injection attempt: "hostilemedia1" is small, "hugemedia1" has 5000
// snapshots and 1000 definitions.
func hostileCatalog(t *testing.T) *emulator.Catalog {
	t.Helper()
	stream := map[string]any{"Index": "0", "CodecName": xssScript, "CodecLongName": xssAttr, "Profile": xssSVG,
		"Lang": xssAttr, "Timebase": xssScript, "StartTime": xssAttr, "PixFmt": xssSVG, "Width": "1920", "Height": "1080"}
	media := func(id, ref string, snapshots, definitions int) map[string]any {
		snaps := make([]string, snapshots)
		for i := range snaps {
			snaps[i] = fmt.Sprintf("https://cdn.example.com/snap/%d.jpg", i)
		}
		playInfos := make([]map[string]any, definitions)
		for i := range playInfos {
			status := "Normal"
			if i%3 == 0 {
				status = "Invisible"
			}
			playInfos[i] = map[string]any{
				"JobId": fmt.Sprintf("job%04d", i), "Definition": xssAttr, "Format": xssScript, "StreamType": "video",
				"Status": status, "PlayURL": fmt.Sprintf("https://cdn.example.com/play/%d.m3u8", i),
				"Width": 1920, "Height": 1080, "Bitrate": "4000", "Duration": "60.0", "Size": 1000,
				"Specification": xssSVG, "WatermarkId": xssAttr, "JobExt": xssScript, "TemplateId": xssSVG,
				"CreationTime": xssScript, "EncryptType": xssAttr, "Encrypt": 1,
			}
		}
		return map[string]any{
			"MediaId": id,
			"MediaInfo": map[string]any{
				"MediaId": id, "Title": xssScript, "Description": xssAttr, "Status": "Normal",
				"Tags": xssAttr + "," + xssSVG, "CateName": xssSVG, "ReferenceId": ref,
				"CoverURL": "https://img.example.com/cover.png", "Snapshots": snaps,
				"UserData": `</pre>` + xssScript, "StorageClass": xssAttr, "AppId": xssScript,
				"CreationTime": xssAttr, "DownloadSwitch": xssScript,
			},
			"MezzanineInfo": map[string]any{
				"MediaId": id, "FileName": xssAttr, "FileURL": "https://oss.example.com/m.mp4",
				"Status": xssScript, "Width": 1920, "Height": 1080, "FileMD5": xssSVG,
				"VideoStreamList": []any{stream}, "AudioStreamList": []any{stream},
			},
			"PlayInfoList": playInfos,
		}
	}
	cat := map[string]any{
		"images": []any{map[string]any{
			"ImageId": "hostileimage1", "Title": xssScript, "Description": xssAttr, "ImageType": "default",
			"Status": "Normal", "Tags": xssAttr + "," + xssSVG, "CateName": xssScript, "AppId": xssSVG,
			"StorageLocation": xssAttr, "CreationTime": xssScript,
			"URL": "https://img.example.com/a.png?auth_key=1-0-0-abc",
			"Mezzanine": map[string]any{"FileURL": "https://oss.example.com/a.png", "OriginalFileName": xssScript,
				"Width": 640, "Height": 360, "FileSize": "1000"},
		}},
		"media": []any{media("hostilemedia1", "hostile-ref", 16, 12), media("hugemedia1", "huge-ref", 5000, 1000)},
	}
	raw, err := json.Marshal(cat)
	if err != nil {
		t.Fatal(err)
	}
	c, err := emulator.LoadCatalog(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// scriptURLs are what hostileURLs puts in place of the emulator's URLs.
var scriptURLs = []string{
	"javascript:alert(1)",
	" javascript:alert(1)",
	"JaVaScRiPt:alert(1)",
	"java\tscript:alert(1)",
	"data:text/html,<script>alert(1)</script>",
	"vbscript:msgbox(1)",
	"//evil.example/x.png",
	`https://x.example/"><script>alert(1)</script>`,
}

// hostileURLs replaces every URL in the emulator's successful answers with
// a script URL, as a compromised or buggy upstream might: the emulator
// itself always signs URLs of its own.
func hostileURLs(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		body := rec.Body.Bytes()
		if r.URL.Path == "/" && rec.Code == http.StatusOK {
			dec := json.NewDecoder(bytes.NewReader(body))
			dec.UseNumber()
			var v any
			if err := dec.Decode(&v); err == nil {
				n := 0
				replaceURLs(v, &n)
				body, _ = json.Marshal(v)
			}
		}
		for k, vs := range rec.Header() {
			if k != "Content-Length" {
				w.Header()[k] = vs
			}
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(rec.Code)
		w.Write(body)
	})
}

func replaceURLs(v any, n *int) {
	next := func() string {
		u := scriptURLs[*n%len(scriptURLs)]
		*n++
		return u
	}
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			switch k {
			case "URL", "CoverURL", "FileURL", "PlayURL":
				if _, ok := x.(string); ok {
					t[k] = next()
					continue
				}
			case "Snapshots":
				if a, ok := x.([]any); ok {
					for i := range a {
						a[i] = scriptURLs[i%len(scriptURLs)]
					}
					continue
				}
			}
			replaceURLs(x, n)
		}
	case []any:
		for _, x := range t {
			replaceURLs(x, n)
		}
	}
}

func TestHostileAPIData(t *testing.T) {
	t.Parallel()
	cat := hostileCatalog(t)
	variants := []struct {
		name     string
		upstream func(http.Handler) http.Handler
		urls     bool // the emulator's signed URLs come through
	}{
		{"hostile text", nil, true},
		{"hostile text and URLs", hostileURLs, false},
	}
	detail := func(snapshots, definitions int) func(t *testing.T, p *page, urls bool) {
		return func(t *testing.T, p *page, urls bool) {
			mustOne(t, p, "media-detail")
			if n := p.doc.Find(`[data-testid="play-infos"] tbody tr`).Length(); n != definitions {
				t.Errorf("%d definition rows, want %d", n, definitions)
			}
			if n, want := p.doc.Find(`[data-testid="play-infos"] tbody tr.is-secondary`).Length(), (definitions+2)/3; n != want {
				t.Errorf("%d Invisible rows marked, want %d", n, want)
			}
			// The gallery shows at most views.MaxSnapshotsShown; with script
			// URLs, only those the allowlist takes.
			shown := min(snapshots, views.MaxSnapshotsShown)
			snaps, want := p.doc.Find(`[data-testid="snapshots"] img`).Length(), shown
			if !urls {
				want = 0
				for i := range shown {
					if views.SafeURL(scriptURLs[i%len(scriptURLs)]) != "" {
						want++
					}
				}
			}
			if snaps != want {
				t.Errorf("%d snapshot images, want %d", snaps, want)
			}
			if more := p.doc.Find(`[data-testid="snapshots-more"]`).Length(); (snapshots > views.MaxSnapshotsShown) != (more == 1) {
				t.Errorf("%d snapshots: the count of those not shown appears %d times", snapshots, more)
			}
			if got := strings.TrimSpace(p.find("user-data").Text()); got != `</pre>`+xssScript {
				t.Errorf("user data shown as %q", got)
			}
			if got := texts(p.doc.Find(`[data-testid="video-streams"] tbody td code`).First(), ""); len(got) != 1 || got[0] != xssScript {
				t.Errorf("codec shown as %q", got)
			}
		}
	}
	pages := []struct {
		name, path string
		check      func(t *testing.T, p *page, urls bool)
		pageOnly   bool // huge: the full page only, to keep the run short
	}{
		{"image grid", "/images?ids=hostileimage1", func(t *testing.T, p *page, urls bool) {
			card := mustOne(t, p, "image-card")
			if got := strings.TrimSpace(card.Find(".card-title").Text()); got != xssScript {
				t.Errorf("title shown as %q", got)
			}
			if got := card.Find("img").Length(); (got == 1) != urls {
				t.Errorf("%d <img> in the card", got)
			}
		}, false},
		{"image detail", "/images/hostileimage1", func(t *testing.T, p *page, urls bool) {
			tags := texts(p.find("tag"), "")
			if len(tags) != 2 || tags[0] != xssAttr || tags[1] != xssSVG {
				t.Errorf("tags shown as %q", tags)
			}
		}, false},
		{"thumbnail", "/images/hostileimage1/thumb", nil, false},
		{"media list", "/media?ids=hostilemedia1", func(t *testing.T, p *page, urls bool) {
			mustOne(t, p, "media-row")
		}, false},
		{"media detail", "/media/hostilemedia1", detail(16, 12), false},
		{"media by reference", "/media/ref/hostile-ref", detail(16, 12), false},
		{"huge media detail", "/media/hugemedia1", detail(5000, 1000), true},
		{"library", "/library", libraryItemTitle("hostilemedia1", ".card-title"), false},
		{"image library", "/library?type=image&view=list", libraryItemTitle("hostileimage1", "td.lib-title a"), false},
	}
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			t.Parallel()
			h, b := signedIn(t, harnessOptions{catalog: cat, upstream: v.upstream})
			for _, pg := range pages {
				t.Run(pg.name, func(t *testing.T) {
					variants := [][]reqOption{nil, {htmx}}
					if pg.pageOnly {
						variants = variants[:1]
					}
					for _, opts := range variants {
						p := b.get(pg.path, opts...)
						mustStatus(t, p, http.StatusOK)
						assertInert(t, p.doc)
						if pg.name != "thumbnail" && !strings.Contains(p.doc.Text(), xssScript) && !strings.Contains(p.doc.Text(), xssAttr) {
							t.Error("the hostile text is not shown as text")
						}
						if pg.check != nil {
							pg.check(t, p, v.urls)
						}
						p.doc.Find("img[src]").Each(func(_ int, s *goquery.Selection) {
							src := s.AttrOr("src", "")
							ok := strings.HasPrefix(src, "/static/") || strings.HasPrefix(src, h.emuURL+"/")
							if !v.urls {
								// The one http(s) URL among scriptURLs may pass, escaped.
								ok = strings.HasPrefix(src, "/static/") || src == scriptURLs[len(scriptURLs)-1]
							}
							if !ok {
								t.Errorf("<img src=%q> is none of the expected URLs", src)
							}
						})
					}
				})
			}
		})
	}
}

// libraryItemTitle checks that the library shows the item's hostile title
// as text.
func libraryItemTitle(id, sel string) func(t *testing.T, p *page, urls bool) {
	return func(t *testing.T, p *page, urls bool) {
		item := p.doc.Find(`[data-testid="library-item"][data-id="` + id + `"]`)
		if item.Length() != 1 {
			t.Fatalf("%d library items %s", item.Length(), id)
		}
		if got := strings.TrimSpace(item.Find(sel).Text()); got != xssScript {
			t.Errorf("title shown as %q", got)
		}
	}
}
