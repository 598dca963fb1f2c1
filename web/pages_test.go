package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// signedIn returns a harness in demo mode and a browser signed in to it.
func signedIn(t *testing.T, o harnessOptions) (*harness, *browser) {
	t.Helper()
	h := newHarness(t, o)
	b := h.browser(t)
	b.mustSignIn(h.key)
	return h, b
}

func TestEveryPageAsPageAndFragment(t *testing.T) {
	t.Parallel()
	h, b := signedIn(t, harnessOptions{})
	imgs := h.images(t, func(i imageEntry) bool { return i.URL != "" })[:3]
	media := h.cat.MediaIDs()[:2]
	ref := h.cat.ReferenceIDs()[0]

	tests := []struct {
		name    string
		path    string
		testIDs []string // in the full page and the fragment
		page    []string // only in the full page
	}{
		{"lookup", "/lookup", []string{"image-lookup", "media-lookup", "reference-lookup"}, nil},
		{"library", "/library?type=image", []string{"library", "library-item", "pager"}, []string{"filters", "category-tree"}},
		{"cover", "/media/" + media[0] + "/cover", []string{"thumb"}, nil},
		{"image lookup", "/images?ids=" + imgs[0].ImageID + "," + imgs[1].ImageID, []string{"image-grid", "image-card", "recent-lookups"}, []string{"image-lookup", "media-lookup", "reference-lookup"}},
		{"image detail", "/images/" + imgs[2].ImageID, []string{"image-detail"}, nil},
		{"thumbnail", "/images/" + imgs[2].ImageID + "/thumb", []string{"thumb"}, nil},
		{"media lookup", "/media?ids=" + strings.Join(media, ",") + "&refs=" + ref, []string{"media-table", "media-row"}, []string{"media-lookup"}},
		{"media detail", "/media/" + media[0], []string{"media-detail"}, nil},
		{"media by reference", "/media/ref/" + ref, []string{"media-detail"}, nil},
		{"settings", "/settings", []string{"settings-form"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			full := b.get(tc.path)
			mustStatus(t, full, http.StatusOK)
			if !full.isFullPage() {
				t.Error("full page: no <html>")
			}
			if n := full.doc.Find(`meta[name="csrf-token"]`).Length(); n != 1 {
				t.Errorf("full page: %d csrf-token metas", n)
			}
			for _, id := range append(slices.Clone(tc.testIDs), tc.page...) {
				if full.find(id).Length() == 0 {
					t.Errorf("full page: no %s", id)
				}
			}
			frag := b.get(tc.path, htmx)
			mustStatus(t, frag, http.StatusOK)
			if frag.isFullPage() {
				t.Error("fragment contains <html>")
			}
			if frag.doc.Find("head title, header.topbar, footer").Length() != 0 {
				t.Error("fragment contains the layout")
			}
			for _, id := range tc.testIDs {
				if frag.find(id).Length() == 0 {
					t.Errorf("fragment: no %s", id)
				}
			}
			for _, p := range []*page{full, frag} {
				if !slices.Contains(p.header.Values("Vary"), "HX-Request") {
					t.Errorf("Vary = %q, want HX-Request", p.header.Values("Vary"))
				}
				if got := p.header.Get("Cache-Control"); got != "no-store" {
					t.Errorf("Cache-Control = %q, want no-store", got)
				}
				if ct := p.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
					t.Errorf("Content-Type = %q", ct)
				}
			}
			// A boosted request or a history restore gets the whole page.
			for _, hdr := range []string{"HX-Boosted", "HX-History-Restore-Request"} {
				p := b.get(tc.path, htmx, withHeader(hdr, "true"))
				if !p.isFullPage() {
					t.Errorf("%s: got a fragment, want the full page", hdr)
				}
			}
		})
	}

	t.Run("healthz", func(t *testing.T) {
		p := h.browser(t).get("/healthz")
		mustStatus(t, p, http.StatusOK)
		if strings.TrimSpace(p.body) != `{"status":"ok"}` {
			t.Errorf("body %q", p.body)
		}
	})
}

// assertEmulatorURL checks that raw is an emulator URL signed for CDN
// (auth_key) or OSS (Expires + Signature), that it expires about ttl from
// now, and that the emulator serves it.
func assertEmulatorURL(t *testing.T, h *harness, raw, scheme string, ttl time.Duration) {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("URL %q: %v", raw, err)
	}
	emu, _ := url.Parse(h.emuURL)
	if u.Scheme != emu.Scheme || u.Host != emu.Host {
		t.Errorf("URL %q is not the emulator's (%s)", raw, h.emuURL)
	}
	var expiry string
	switch scheme {
	case "cdn":
		if !strings.HasPrefix(u.Path, "/cdn/") || u.Query().Get("auth_key") == "" {
			t.Errorf("URL %q is not a CDN auth_key URL", raw)
		}
		expiry, _, _ = strings.Cut(u.Query().Get("auth_key"), "-")
	case "oss":
		if !strings.HasPrefix(u.Path, "/oss/") || u.Query().Get("Signature") == "" {
			t.Errorf("URL %q is not an OSS signed URL", raw)
		}
		expiry = u.Query().Get("Expires")
	}
	if ttl > 0 {
		secs, err := strconv.ParseInt(expiry, 10, 64)
		if err != nil {
			t.Errorf("URL %q: expiry %q", raw, expiry)
		} else if d := time.Until(time.Unix(secs, 0)); d < ttl-time.Minute || d > ttl+time.Minute {
			t.Errorf("URL %q expires in %v, want about %v", raw, d.Round(time.Second), ttl)
		}
	}
	res, err := http.Get(raw)
	if err != nil {
		t.Fatalf("GET %s: %v", raw, err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("the emulator answers %d to %s", res.StatusCode, raw)
	}
}

func TestImageGrid(t *testing.T) {
	t.Parallel()
	h, b := signedIn(t, harnessOptions{})
	withURL := h.images(t, func(i imageEntry) bool { return i.URL != "" })[:4]
	without := h.images(t, func(i imageEntry) bool { return i.URL == "" })
	ids := []string{}
	for _, img := range withURL {
		ids = append(ids, img.ImageID)
	}
	if len(without) > 0 {
		ids = append(ids, without[0].ImageID)
	}
	p := b.get("/images?ids=" + url.QueryEscape(strings.Join(ids, ",")))
	mustStatus(t, p, http.StatusOK)
	mustOne(t, p, "image-grid")
	cards := p.find("image-card")
	if got := texts(cards, "data-id"); !slices.Equal(got, ids) {
		t.Fatalf("cards %v, want %v", got, ids)
	}
	if n := p.doc.Find("[data-flag]").Length(); n != 0 {
		t.Errorf("%d flags, want none", n)
	}
	for _, img := range withURL {
		card := cards.FilterFunction(func(_ int, s *goquery.Selection) bool { return s.AttrOr("data-id", "") == img.ImageID })
		el := card.Find("img")
		if el.Length() != 1 {
			t.Errorf("%s: %d <img>, want 1", img.ImageID, el.Length())
			continue
		}
		src := el.AttrOr("src", "")
		assertEmulatorURL(t, h, src, "cdn", time.Hour)
		if el.AttrOr("loading", "") != "lazy" {
			t.Errorf("%s: loading=%q", img.ImageID, el.AttrOr("loading", ""))
		}
		if el.AttrOr("width", "") != img.Mezzanine.Width.String() || el.AttrOr("height", "") != img.Mezzanine.Height.String() {
			t.Errorf("%s: %sx%s, want %sx%s", img.ImageID, el.AttrOr("width", ""), el.AttrOr("height", ""), img.Mezzanine.Width, img.Mezzanine.Height)
		}
		if el.AttrOr("data-resign-url", "") != "/images/"+img.ImageID+"/thumb" {
			t.Errorf("%s: data-resign-url=%q", img.ImageID, el.AttrOr("data-resign-url", ""))
		}
	}
	if len(without) > 0 {
		// The real service always answers with a URL, and so does the
		// emulator for a catalog entry that has none.
		card := cards.Last()
		if src := card.Find("img").AttrOr("src", ""); src == "" {
			t.Errorf("image without a catalog URL (%s): no thumbnail", without[0].ImageID)
		} else {
			assertEmulatorURL(t, h, src, "cdn", time.Hour)
		}
	}

	t.Run("thumbnail is re-signed", func(t *testing.T) {
		img := withURL[0]
		first := cards.First().Find("img").AttrOr("src", "")
		p := b.get("/images/"+img.ImageID+"/thumb", htmx)
		mustStatus(t, p, http.StatusOK)
		box := mustOne(t, p, "thumb")
		if id := box.AttrOr("id", ""); id == "" || id != cards.First().Find(`[data-testid="thumb"]`).AttrOr("id", "-") {
			t.Errorf("the fresh box has id %q, not the grid box's", id)
		}
		src := box.Find("img").AttrOr("src", "")
		if src == first {
			t.Error("the thumbnail URL was not re-signed")
		}
		assertEmulatorURL(t, h, src, "cdn", time.Hour)
	})
}

func TestImageDetail(t *testing.T) {
	t.Parallel()
	h, b := signedIn(t, harnessOptions{})
	img := h.images(t, func(i imageEntry) bool { return i.URL != "" })[0]
	p := b.get("/images/" + img.ImageID)
	mustStatus(t, p, http.StatusOK)
	d := mustOne(t, p, "image-detail")
	if d.AttrOr("data-id", "") != img.ImageID {
		t.Errorf("data-id %q", d.AttrOr("data-id", ""))
	}
	assertEmulatorURL(t, h, d.Find(`[data-testid="thumb"] img`).AttrOr("src", ""), "cdn", time.Hour)
	if strings.TrimSpace(mustOne(t, p, "url-expiry").Find("time").First().AttrOr("datetime", "")) == "" {
		t.Error("no URL expiry shown")
	}
	if len(h.lookupCalls()) != 1 || h.lookupCalls()[0].Action != "GetImageInfo" {
		t.Errorf("calls: %+v, want one GetImageInfo", h.lookupCalls())
	}
}

func TestMediaLookup(t *testing.T) {
	t.Parallel()
	h, b := signedIn(t, harnessOptions{})
	all := h.cat.MediaIDs()
	p := b.lookup("/media?ids=" + strings.Join(all, ","))
	mustStatus(t, p, http.StatusOK)
	mustOne(t, p, "media-table")
	if got := texts(p.find("media-row"), "data-id"); !slices.Equal(got, all) {
		t.Errorf("rows %v, want %v", got, all)
	}

	refs := h.cat.ReferenceIDs()[:3]
	p = b.get("/media?refs=" + strings.Join(refs, ","))
	mustStatus(t, p, http.StatusOK)
	rows := p.find("media-row")
	if rows.Length() != len(refs) {
		t.Errorf("%d rows for %d references", rows.Length(), len(refs))
	}
	for i, ref := range refs {
		id := rows.Eq(i).AttrOr("data-id", "")
		if got := h.media(t, id).MediaInfo.ReferenceID; got != ref {
			t.Errorf("row %d: %s has reference %q, want %q", i, id, got, ref)
		}
	}

	// An asset asked for by ID and by reference is listed once.
	id := h.findMedia(t, "media with a reference", func(m mediaEntry) bool { return m.MediaInfo.ReferenceID != "" })
	p = b.get("/media?ids=" + id.MediaID + "&refs=" + id.MediaInfo.ReferenceID)
	if got := texts(p.find("media-row"), "data-id"); !slices.Equal(got, []string{id.MediaID}) {
		t.Errorf("rows %v, want just %s", got, id.MediaID)
	}
}

// TestMediaDetail renders every asset of the catalog and compares the
// tables with the catalog's streams and definitions.
func TestMediaDetail(t *testing.T) {
	t.Parallel()
	h, b := signedIn(t, harnessOptions{})
	for _, id := range h.cat.MediaIDs() {
		m := h.media(t, id)
		t.Run(id, func(t *testing.T) {
			p := b.get("/media/" + id)
			mustStatus(t, p, http.StatusOK)
			d := mustOne(t, p, "media-detail")
			if d.AttrOr("data-id", "") != id {
				t.Errorf("data-id %q", d.AttrOr("data-id", ""))
			}
			video, audio := len(m.MezzanineInfo.VideoStreamList), len(m.MezzanineInfo.AudioStreamList)
			checkStreams(t, p, "video", video, audio)
			checkStreams(t, p, "audio", audio, video)

			rows := p.doc.Find(`[data-testid="play-infos"] tbody tr`)
			if rows.Length() != len(m.PlayInfoList) {
				t.Errorf("%d definition rows, want %d", rows.Length(), len(m.PlayInfoList))
			}
			if len(m.PlayInfoList) == 0 {
				if p.find("playinfos-empty").Length() != 1 || strings.TrimSpace(p.find("playinfos-empty").Text()) == "" {
					t.Error("no definitions and no explanation")
				}
			} else if p.find("playinfos-empty").Length() != 0 {
				t.Error("definitions and the empty state both shown")
			}
			rows.Each(func(i int, r *goquery.Selection) {
				if i >= len(m.PlayInfoList) {
					return
				}
				want := m.PlayInfoList[i]
				if r.AttrOr("data-status", "") != want.Status || r.AttrOr("data-definition", "") != want.Definition {
					t.Errorf("row %d: %s/%s, want %s/%s", i, r.AttrOr("data-definition", ""), r.AttrOr("data-status", ""), want.Definition, want.Status)
				}
				if invisible := want.Status == "Invisible"; r.HasClass("is-secondary") != invisible {
					t.Errorf("row %d (%s): marked secondary %v", i, want.Status, !invisible)
				}
				r.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
					assertEmulatorURL(t, h, a.AttrOr("href", ""), "cdn", 0)
				})
			})
		})
	}

	t.Run("by reference", func(t *testing.T) {
		m := h.findMedia(t, "media with a reference", func(m mediaEntry) bool { return m.MediaInfo.ReferenceID != "" })
		p := b.get("/media/ref/" + m.MediaInfo.ReferenceID)
		mustStatus(t, p, http.StatusOK)
		if got := mustOne(t, p, "media-detail").AttrOr("data-id", ""); got != m.MediaID {
			t.Errorf("data-id %q, want %s", got, m.MediaID)
		}
	})
}

// checkStreams checks the video or audio table: one body row per stream,
// or the empty state with a reason.
func checkStreams(t *testing.T, p *page, kind string, n, other int) {
	t.Helper()
	rows := p.doc.Find(`[data-testid="` + kind + `-streams"] tbody tr`)
	if rows.Length() != n {
		t.Errorf("%s streams: %d rows, want %d", kind, rows.Length(), n)
	}
	if n > 0 {
		return
	}
	want := kind
	if other == 0 {
		want = "all"
	}
	empty := p.doc.Find(`[data-testid="streams-empty"][data-kind="` + want + `"]`)
	if empty.Length() != 1 || strings.TrimSpace(empty.Text()) == "" {
		t.Errorf("no %s streams and no streams-empty[data-kind=%s] explanation", kind, want)
	}
	if p.doc.Find(`[data-testid="`+kind+`-streams"]`).Length() != 0 {
		t.Errorf("an empty %s streams table is shown", kind)
	}
}

func TestEmptyStates(t *testing.T) {
	t.Parallel()
	h, b := signedIn(t, harnessOptions{})
	tests := []struct {
		what      string
		pred      func(mediaEntry) bool
		streams   string // data-kind of streams-empty, "" for none
		playInfos bool   // playinfos-empty shown
		mention   string // the explanation mentions this
	}{
		{"an audio-only asset", func(m mediaEntry) bool {
			return len(m.MezzanineInfo.VideoStreamList) == 0 && len(m.MezzanineInfo.AudioStreamList) > 0 && len(m.PlayInfoList) > 0
		}, "video", false, "audio-only"},
		{"an uploading asset", func(m mediaEntry) bool { return m.MediaInfo.Status == "Uploading" }, "all", true, "uploading"},
		{"an asset not transcoded yet", func(m mediaEntry) bool {
			return m.MediaInfo.Status == "UploadSucc" && len(m.PlayInfoList) == 0
		}, "", true, "transcod"},
		{"a failed transcode", func(m mediaEntry) bool {
			return m.MediaInfo.Status == "TranscodeFail" && len(m.PlayInfoList) == 0
		}, "", true, "transcoding failed"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			m := h.findMedia(t, tc.what, tc.pred)
			p := b.get("/media/" + m.MediaID)
			mustStatus(t, p, http.StatusOK)
			empty := p.find("streams-empty")
			if tc.streams == "" {
				if empty.Length() != 0 && len(m.MezzanineInfo.VideoStreamList)+len(m.MezzanineInfo.AudioStreamList) > 0 && empty.AttrOr("data-kind", "") == "all" {
					t.Error("streams-empty for all streams, though the source has streams")
				}
			} else if empty.Length() != 1 || empty.AttrOr("data-kind", "") != tc.streams {
				t.Errorf("streams-empty: %d with kind %q, want kind %q", empty.Length(), empty.AttrOr("data-kind", ""), tc.streams)
			}
			if got := p.find("playinfos-empty").Length() == 1; got != tc.playInfos {
				t.Errorf("playinfos-empty shown %v, want %v", got, tc.playInfos)
			}
			text := strings.ToLower(p.find("streams-empty").Text() + p.find("playinfos-empty").Text())
			if !strings.Contains(text, tc.mention) {
				t.Errorf("the explanations %q do not mention %q", strings.Join(strings.Fields(text), " "), tc.mention)
			}
			if p.doc.Find(`table tbody:empty`).Length() != 0 {
				t.Error("an empty table is shown")
			}
		})
	}
}

func TestSettings(t *testing.T) {
	t.Parallel()
	h, b := signedIn(t, harnessOptions{})
	img := h.images(t, func(i imageEntry) bool { return i.URL != "" })[0]
	thumbSrc := func(t *testing.T) string {
		t.Helper()
		p := b.get("/images?ids="+img.ImageID, htmx)
		mustStatus(t, p, http.StatusOK)
		return p.find("image-card").Find("img").AttrOr("src", "")
	}

	form := b.get("/settings")
	mustStatus(t, form, http.StatusOK)
	f := mustOne(t, form, "settings-form")
	if v := f.Find(`input[name="output_type"][checked]`).AttrOr("value", ""); v != "cdn" {
		t.Errorf("default output type %q, want cdn", v)
	}
	if v := f.Find(`input[name="auth_timeout"]`).AttrOr("value", ""); v != "3600" {
		t.Errorf("default auth timeout %q, want 3600", v)
	}
	assertEmulatorURL(t, h, thumbSrc(t), "cdn", time.Hour)

	invalid := []struct {
		name, output, timeout, field string
	}{
		{"not a number", "cdn", "abc", "auth_timeout"},
		{"zero", "cdn", "0", "auth_timeout"},
		{"negative", "oss", "-5", "auth_timeout"},
		{"fraction", "cdn", "1.5", "auth_timeout"},
		{"oss over 30 days", "oss", "2592001", "auth_timeout"},
		{"cdn over 30 days", "cdn", "2592001", "auth_timeout"},
		{"cdn far over", "cdn", "99999999999999999999", "auth_timeout"},
		{"unknown output type", "ftp", "60", "output_type"},
		{"no output type", "", "60", "output_type"},
	}
	for _, tc := range invalid {
		t.Run("invalid "+tc.name, func(t *testing.T) {
			p := b.submit(b.get("/settings"), `[data-testid="settings-form"]`, url.Values{"output_type": {tc.output}, "auth_timeout": {tc.timeout}})
			mustStatus(t, p, http.StatusUnprocessableEntity)
			msg := p.doc.Find(`[data-testid="settings-error"][data-field="` + tc.field + `"]`)
			if msg.Length() != 1 || strings.TrimSpace(msg.Text()) == "" {
				t.Errorf("no message for %s: %s", tc.field, excerpt(p.find("settings-form").Text()))
			}
			if p.find("settings-saved").Length() != 0 {
				t.Error("shown as saved")
			}
			if v := p.find("settings-form").Find(`input[name="auth_timeout"]`).AttrOr("value", ""); v != tc.timeout {
				t.Errorf("typed value not kept: %q", v)
			}
			again := b.get("/settings")
			if v := again.find("settings-form").Find(`input[name="auth_timeout"]`).AttrOr("value", ""); v != "3600" {
				t.Errorf("an invalid submission changed the settings: auth_timeout %q", v)
			}
		})
	}

	t.Run("oss URLs", func(t *testing.T) {
		p := b.submit(b.get("/settings"), `[data-testid="settings-form"]`, url.Values{"output_type": {"oss"}, "auth_timeout": {"600"}})
		if p.status != http.StatusSeeOther || p.location() != "/settings?saved=1" {
			t.Fatalf("status %d Location %q, want 303 to /settings?saved=1 (post/redirect/get)", p.status, p.location())
		}
		mustOne(t, b.get(p.location()), "settings-saved")
		again := b.get("/settings")
		if v := again.find("settings-form").Find(`input[name="output_type"][checked]`).AttrOr("value", ""); v != "oss" {
			t.Errorf("saved output type shows as %q", v)
		}
		if v := again.find("settings-form").Find(`input[name="auth_timeout"]`).AttrOr("value", ""); v != "600" {
			t.Errorf("saved auth timeout shows as %q", v)
		}
		assertEmulatorURL(t, h, thumbSrc(t), "oss", 10*time.Minute)
	})

	t.Run("htmx with the token in the header", func(t *testing.T) {
		b.get("/settings")
		form := url.Values{"output_type": {"cdn"}, "auth_timeout": {"7200"}}
		p := b.postRaw("/settings", form, htmx, withHeader("X-CSRF-Token", b.token()))
		mustStatus(t, p, http.StatusSeeOther)
		assertEmulatorURL(t, h, thumbSrc(t), "cdn", 2*time.Hour)
	})

	t.Run("empty timeout means the API default", func(t *testing.T) {
		p := b.submit(b.get("/settings"), `[data-testid="settings-form"]`, url.Values{"output_type": {"oss"}, "auth_timeout": {""}})
		mustStatus(t, p, http.StatusSeeOther)
		assertEmulatorURL(t, h, thumbSrc(t), "oss", time.Hour)
	})

	t.Run("without CSRF nothing is saved", func(t *testing.T) {
		p := b.postRaw("/settings", url.Values{"output_type": {"cdn"}, "auth_timeout": {"5"}}, htmx)
		mustStatus(t, p, http.StatusForbidden)
		if v := b.get("/settings").find("settings-form").Find(`input[name="auth_timeout"]`).AttrOr("value", "-"); v == "5" {
			t.Error("saved without a CSRF token")
		}
	})
}

func TestFlags(t *testing.T) {
	t.Parallel()
	h, b := signedIn(t, harnessOptions{})
	img := h.cat.ImageIDs()[0]
	media := h.cat.MediaIDs()[0]
	forbidden := h.cat.ForbiddenIDs()
	if len(forbidden) == 0 {
		t.Skip("the catalog has no forbidden media")
	}
	ref := h.cat.ReferenceIDs()[0]
	const missing, missingRef = "0000000000000000000000000000dead", "no-such-reference"

	lists := []struct {
		name   string
		path   string
		status int
		rows   string // testid of found items
		found  int
		flags  map[string][]string
	}{
		{"image lookup", "/images?ids=" + img + "," + missing, 200, "image-card", 1, map[string][]string{"nonexistent": {missing}}},
		{"media lookup", "/media?ids=" + media + "," + missing + "," + forbidden[0], 200, "media-row", 1,
			map[string][]string{"nonexistent": {missing}, "forbidden": {forbidden[0]}}},
		{"reference lookup", "/media?refs=" + ref + "," + missingRef, 200, "media-row", 1, map[string][]string{"nonexistent-reference": {missingRef}}},
		{"nothing found", "/media?ids=" + missing, 200, "media-row", 0, map[string][]string{"nonexistent": {missing}}},
		{"image detail, nonexistent", "/images/" + missing, 404, "image-detail", 0, map[string][]string{"nonexistent": {missing}}},
		{"media detail, nonexistent", "/media/" + missing, 404, "media-detail", 0, map[string][]string{"nonexistent": {missing}}},
		{"media detail, forbidden", "/media/" + forbidden[0], 403, "media-detail", 0, map[string][]string{"forbidden": {forbidden[0]}}},
		{"reference detail, unknown", "/media/ref/" + missingRef, 404, "media-detail", 0, map[string][]string{"nonexistent-reference": {missingRef}}},
	}
	for _, tc := range lists {
		t.Run(tc.name, func(t *testing.T) {
			for _, opt := range [][]reqOption{nil, {htmx}} {
				p := b.get(tc.path, opt...)
				mustStatus(t, p, tc.status)
				if n := p.find(tc.rows).Length(); n != tc.found {
					t.Errorf("%d %s, want %d", n, tc.rows, tc.found)
				}
				for _, kind := range []string{"nonexistent", "forbidden", "nonexistent-reference"} {
					got := texts(p.doc.Find(`[data-flag="`+kind+`"]`), "")
					if !slices.Equal(got, tc.flags[kind]) {
						t.Errorf("data-flag=%s: %v, want %v", kind, got, tc.flags[kind])
					}
				}
			}
		})
	}
}

func TestInvalidIDsAreNotSent(t *testing.T) {
	t.Parallel()
	h, b := signedIn(t, harnessOptions{})
	good := h.cat.ImageIDs()[0]
	long := strings.Repeat("a", 65)
	tests := []struct {
		name    string
		path    string
		invalid []string
	}{
		{"image lookup", "/images?ids=" + url.QueryEscape(good+",bad id!,<script>"), []string{"id!", "<script>"}},
		{"media lookup", "/media?ids=" + url.QueryEscape("<script>alert(1)</script>,"+long), []string{"<script>alert(1)</script>", long}},
		{"reference lookup", "/media?ids=" + good + "&refs=" + url.QueryEscape("ref/../x,ok-ref"), []string{"ref/../x"}},
		{"quotes", "/images?ids=" + url.QueryEscape(`"><img src=x onerror=alert(1)>`), []string{`"><img`, "src=x", "onerror=alert(1)>"}},
		{"image detail", "/images/" + url.PathEscape("<script>"), []string{"<script>"}},
		{"media detail", "/media/" + url.PathEscape("bad id!"), []string{"bad id!"}},
		{"reference detail", "/media/ref/" + url.PathEscape("a.b"), []string{"a.b"}},
		{"too long", "/media/" + long, []string{long}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h.emu.ResetCalls()
			for _, opt := range [][]reqOption{nil, {htmx}} {
				p := b.get(tc.path, opt...)
				mustStatus(t, p, http.StatusBadRequest)
				box := mustOne(t, p, "invalid-ids")
				got := texts(box.Find("[data-invalid-id]"), "data-invalid-id")
				if !slices.Equal(got, tc.invalid) {
					t.Errorf("invalid IDs named %q, want %q", got, tc.invalid)
				}
				if p.doc.Find("script:not([src])").Length() != 0 {
					t.Error("an inline <script> element was rendered")
				}
			}
			if calls := h.emu.Calls(); len(calls) != 0 {
				t.Errorf("%d upstream calls, want none", len(calls))
			}
		})
	}
}

func TestRecentLookups(t *testing.T) {
	t.Parallel()
	h, b := signedIn(t, harnessOptions{})
	img := h.cat.ImageIDs()[0]
	p := b.get("/images?ids="+img, htmx)
	oob := mustOne(t, p, "recent-lookups")
	if oob.AttrOr("hx-swap-oob", "") != "true" {
		t.Error("the fragment's recent lookups are not an out-of-band swap")
	}
	home := b.get("/lookup")
	links := mustOne(t, home, "recent-lookups").Find("a")
	if links.Length() != 1 || links.AttrOr("href", "") != "/images?ids="+img {
		t.Errorf("recent lookups: %d links, first %q", links.Length(), links.AttrOr("href", ""))
	}
}
