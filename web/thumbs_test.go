package web

import (
	"cmp"
	"image"
	_ "image/jpeg"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"vodboard/vodclient/emulator"
)

// upstream sits in front of the emulator: it counts the requests for
// signed asset URLs (what the thumbnail service fetches), and can hide
// images from one AccessKey, as another account's VOD would not know them.
type upstream struct {
	next http.Handler

	mu      sync.Mutex
	fetched []string // paths of asset requests, with their status
	hidden  map[string]string
}

func (u *upstream) wrap(next http.Handler) http.Handler {
	u.next = next
	return u
}

// hide makes GetImageInfo of image id answer NoSuchResource to key.
func (u *upstream) hide(key emulator.Key, id string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.hidden == nil {
		u.hidden = map[string]string{}
	}
	u.hidden[id] = key.AccessKeyID
}

func (u *upstream) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/cdn/") || strings.HasPrefix(r.URL.Path, "/oss/") {
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		u.next.ServeHTTP(rec, r)
		u.mu.Lock()
		u.fetched = append(u.fetched, r.URL.Path+" "+http.StatusText(rec.status))
		u.mu.Unlock()
		return
	}
	action := cmp.Or(r.Header.Get("x-acs-action"), r.URL.Query().Get("Action"))
	u.mu.Lock()
	hiddenFrom, hidden := u.hidden[r.URL.Query().Get("ImageId")]
	u.mu.Unlock()
	if hidden && action == "GetImageInfo" && strings.Contains(r.Header.Get("Authorization"), "Credential="+hiddenFrom+",") {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte(`{"RequestId":"hidden","HostId":"vod.cn-shanghai.aliyuncs.com","Code":"NoSuchResource","Message":"The specified resource does not exist.","Recommend":""}`))
		return
	}
	u.next.ServeHTTP(w, r)
}

// fetches returns the asset requests so far.
func (u *upstream) fetches() []string {
	u.mu.Lock()
	defer u.mu.Unlock()
	return append([]string(nil), u.fetched...)
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// thumbnailOf decodes a thumbnail answer and checks what every one shares:
// a private, cacheable JPEG with an ETag.
func thumbnailOf(t *testing.T, p *page) image.Image {
	t.Helper()
	mustStatus(t, p, http.StatusOK)
	if ct := p.header.Get("Content-Type"); ct != "image/jpeg" {
		t.Errorf("Content-Type %q, want image/jpeg", ct)
	}
	if cc := p.header.Get("Cache-Control"); cc != "private, max-age=3600" {
		t.Errorf("Cache-Control %q, want private, max-age=3600", cc)
	}
	if p.header.Get("ETag") == "" {
		t.Error("no ETag")
	}
	img, format, err := image.Decode(strings.NewReader(p.body))
	if err != nil || format != "jpeg" {
		t.Fatalf("thumbnail: %s, %v", format, err)
	}
	return img
}

// normalImages returns catalog images with a URL, in status Normal, for
// which pred holds.
func normalImages(t *testing.T, h *harness, pred func(w, h int) bool) []imageEntry {
	t.Helper()
	return h.images(t, func(i imageEntry) bool {
		w, _ := i.Mezzanine.Width.Int64()
		ht, _ := i.Mezzanine.Height.Int64()
		return i.URL != "" && i.Status == "Normal" && pred(int(w), int(ht))
	})
}

// Grids and lists load light thumbnails, each with its signed original
// as the fallback; detail pages show the originals.
func TestThumbnailsReplaceOriginalsInGridsAndLists(t *testing.T) {
	h := newHarness(t, harnessOptions{thumbnails: true})
	b := h.browser(t)
	b.mustSignIn(h.key)
	imgs := normalImages(t, h, func(w, h int) bool { return true })[:3]
	ids := []string{imgs[0].ImageID, imgs[1].ImageID, imgs[2].ImageID}

	checkLight := func(t *testing.T, box *goquery.Selection, light, original, resign string) {
		t.Helper()
		img := box.Find("img")
		if got := img.AttrOr("src", ""); got != light {
			t.Errorf("src %q, want %q", got, light)
		}
		if got := img.AttrOr("data-fallback-src", ""); !strings.HasPrefix(got, h.emuURL+original) {
			t.Errorf("data-fallback-src %q, want the signed original %s%s...", got, h.emuURL, original)
		}
		if got := img.AttrOr("data-resign-url", ""); got != resign {
			t.Errorf("data-resign-url %q, want %q", got, resign)
		}
	}
	checkOriginal := func(t *testing.T, box *goquery.Selection, original, resign string) {
		t.Helper()
		img := box.Find("img")
		if got := img.AttrOr("src", ""); !strings.HasPrefix(got, h.emuURL+original) {
			t.Errorf("src %q, want the signed original %s%s...", got, h.emuURL, original)
		}
		if _, ok := img.Attr("data-fallback-src"); ok {
			t.Error("an original has a fallback")
		}
		if got := img.AttrOr("data-resign-url", ""); got != resign {
			t.Errorf("data-resign-url %q, want %q", got, resign)
		}
	}

	t.Run("image lookup", func(t *testing.T) {
		p := b.get("/images?ids=" + strings.Join(ids, ","))
		mustStatus(t, p, http.StatusOK)
		cards := p.find("image-card")
		if cards.Length() != 3 {
			t.Fatalf("%d cards, want 3", cards.Length())
		}
		cards.Each(func(_ int, card *goquery.Selection) {
			id := card.AttrOr("data-id", "")
			checkLight(t, card.Find(`[data-testid="thumb"]`), "/thumb/image/"+id, "/cdn/image/"+id, "/images/"+id+"/thumb")
		})
		// A re-signed grid box is light too.
		p = b.get("/images/"+ids[0]+"/thumb", htmx)
		checkLight(t, mustOne(t, p, "thumb"), "/thumb/image/"+ids[0], "/cdn/image/"+ids[0], "/images/"+ids[0]+"/thumb")
	})
	t.Run("image detail", func(t *testing.T) {
		p := b.get("/images/" + ids[0])
		mustStatus(t, p, http.StatusOK)
		checkOriginal(t, mustOne(t, p, "image-detail").Find(`[data-testid="thumb"]`), "/cdn/image/"+ids[0], "/images/"+ids[0]+"/thumb?original=1")
		p = b.get("/images/"+ids[0]+"/thumb?original=1", htmx)
		checkOriginal(t, mustOne(t, p, "thumb"), "/cdn/image/"+ids[0], "/images/"+ids[0]+"/thumb?original=1")
	})
	t.Run("library", func(t *testing.T) {
		for _, target := range []string{"/library?type=image", "/library?type=image&view=list", "/library", "/library?view=list"} {
			p := b.get(target)
			mustStatus(t, p, http.StatusOK)
			items := p.find("library-item")
			light := 0
			items.Each(func(_ int, it *goquery.Selection) {
				img := it.Find(`[data-testid="thumb"] img`)
				if img.Length() == 0 {
					return // no picture: a placeholder
				}
				kind := map[bool]string{true: "image", false: "media"}[it.AttrOr("data-type", "") == "image"]
				if got, want := img.AttrOr("src", ""), "/thumb/"+kind+"/"+it.AttrOr("data-id", ""); got != want {
					t.Errorf("%s: src %q, want %q", target, got, want)
				}
				if !strings.HasPrefix(img.AttrOr("data-fallback-src", ""), h.emuURL+"/cdn/") {
					t.Errorf("%s: no signed original to fall back on", target)
				}
				light++
			})
			if light == 0 {
				t.Errorf("%s: no thumbnails among %d items", target, items.Length())
			}
		}
	})
	t.Run("media lookup and page", func(t *testing.T) {
		m := h.findMedia(t, "a video with a cover", func(m mediaEntry) bool {
			return m.MediaInfo.CoverURL != "" && m.MediaInfo.Status == "Normal" && len(m.MezzanineInfo.VideoStreamList) > 0
		})
		p := b.get("/media?ids=" + m.MediaID)
		mustStatus(t, p, http.StatusOK)
		checkLight(t, mustOne(t, p, "media-row").Find(`[data-testid="thumb"]`), "/thumb/media/"+m.MediaID, "/cdn/cover/"+m.MediaID, "/media/"+m.MediaID+"/cover?small=1")
		p = b.get("/media/"+m.MediaID+"/cover?original=1", htmx)
		checkOriginal(t, mustOne(t, p, "thumb"), "/cdn/cover/"+m.MediaID, "/media/"+m.MediaID+"/cover?original=1")

		cover := thumbnailOf(t, b.get("/thumb/media/"+m.MediaID))
		if got := cover.Bounds(); max(got.Dx(), got.Dy()) != 400 {
			t.Errorf("cover thumbnail %dx%d, want 400 on the long side", got.Dx(), got.Dy())
		}
	})
}

// A 2400×1350 original (2.6 MB as the emulator serves it, as heavy as the
// catalog declares) makes a 400×225 thumbnail under 65 KB; the browser's
// copy is revalidated with its ETag.
func TestThumbnailIsSmall(t *testing.T) {
	up := &upstream{}
	h := newHarness(t, harnessOptions{thumbnails: true, upstream: up.wrap})
	b := h.browser(t)
	b.mustSignIn(h.key)
	hero := normalImages(t, h, func(w, h int) bool { return w == 2400 && h == 1350 })
	if len(hero) == 0 {
		t.Skip("no 2400×1350 image in the catalog")
	}
	id := hero[0].ImageID
	mustStatus(t, b.get("/images?ids="+id), http.StatusOK)

	p := b.get("/thumb/image/" + id)
	img := thumbnailOf(t, p)
	if got := img.Bounds(); got.Dx() != 400 || got.Dy() != 225 {
		t.Errorf("thumbnail %dx%d, want 400x225", got.Dx(), got.Dy())
	}
	if n := len(p.body); n >= 65<<10 {
		t.Errorf("thumbnail of %d bytes, want under 65 KB", n)
	}
	t.Logf("2400×1350 original → %d-byte thumbnail", len(p.body))

	again := b.get("/thumb/image/"+id, withHeader("If-None-Match", p.header.Get("ETag")))
	mustStatus(t, again, http.StatusNotModified)
	if f := up.fetches(); len(f) != 1 {
		t.Errorf("asset fetches %q, want the original once", f)
	}
}

// The cache never holds more than its bound on disk; what it dropped is
// made again.
func TestThumbnailCacheStaysWithinItsBound(t *testing.T) {
	const bound = 15_000
	up := &upstream{}
	h := newHarness(t, harnessOptions{thumbnails: true, thumbCacheSize: bound, upstream: up.wrap})
	b := h.browser(t)
	b.mustSignIn(h.key)
	imgs := normalImages(t, h, func(w, h int) bool { return max(w, h) >= 600 && w*h <= 1_500_000 })
	if len(imgs) < 6 {
		t.Skipf("%d small images in the catalog, want 6", len(imgs))
	}
	imgs = imgs[:6]
	var ids []string
	for _, img := range imgs {
		ids = append(ids, img.ImageID)
	}
	mustStatus(t, b.get("/images?ids="+strings.Join(ids, ",")), http.StatusOK)
	served := 0
	for _, id := range ids {
		p := b.get("/thumb/image/" + id)
		thumbnailOf(t, p)
		served += len(p.body)
	}
	if served <= bound {
		t.Fatalf("6 thumbnails of %d bytes in all fit the bound of %d: nothing to evict", served, bound)
	}
	var onDisk int64
	filepath.WalkDir(h.thumbDir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Ext(path) == ".jpg" {
			info, _ := d.Info()
			onDisk += info.Size()
		}
		return err
	})
	if onDisk == 0 || onDisk > bound {
		t.Errorf("%d bytes of thumbnails on disk, want some and at most %d", onDisk, bound)
	}
	// The least recently used, the first, was dropped: it is made again
	// from its original; the last one is still there.
	before := len(up.fetches())
	thumbnailOf(t, b.get("/thumb/image/"+ids[5]))
	thumbnailOf(t, b.get("/thumb/image/"+ids[0]))
	if got := up.fetches()[before:]; len(got) != 1 || !strings.Contains(got[0], ids[0]) {
		t.Errorf("fetches after the bound: %q, want the first original only", got)
	}
}

// One account's thumbnails are never another's: a session of another
// AccessKey asking for an image its VOD does not know gets 404, even
// though the thumbnail is cached, and nothing is fetched for it. A
// session of the same key shares the cache.
func TestThumbnailsOfOneAccountAreNotAnothers(t *testing.T) {
	other := newKey(t, "Other")
	up := &upstream{}
	h := newHarness(t, harnessOptions{thumbnails: true, extraKeys: []emulator.Key{other}, upstream: up.wrap})
	id := normalImages(t, h, func(w, h int) bool { return w*h <= 1_500_000 })[0].ImageID
	up.hide(other, id)

	alice := h.browser(t)
	alice.mustSignIn(h.key)
	mustStatus(t, alice.get("/images?ids="+id), http.StatusOK)
	thumbnailOf(t, alice.get("/thumb/image/"+id))
	if n := len(up.fetches()); n != 1 {
		t.Fatalf("%d fetches for the first thumbnail, want 1", n)
	}

	bob := h.browser(t)
	bob.mustSignIn(other)
	for range 2 {
		if p := bob.get("/thumb/image/" + id); p.status != http.StatusNotFound || strings.HasPrefix(p.body, "\xff\xd8") {
			t.Errorf("another account's session: status %d, want 404 without a picture", p.status)
		}
	}
	if n := len(up.fetches()); n != 1 {
		t.Errorf("%d fetches after the other account asked, want still 1", n)
	}

	colleague := h.browser(t)
	colleague.mustSignIn(h.key)
	thumbnailOf(t, colleague.get("/thumb/image/"+id))
	if n := len(up.fetches()); n != 1 {
		t.Errorf("%d fetches after a session of the same key asked, want still 1 (shared)", n)
	}
}

// The service fetches only what the session's VOD hands out: an ID it
// does not know is a 404 with no fetch, and nothing in the request can
// name a URL.
func TestThumbnailOnlyOfWhatTheSessionsVODHandsOut(t *testing.T) {
	up := &upstream{}
	h := newHarness(t, harnessOptions{thumbnails: true, upstream: up.wrap})
	b := h.browser(t)
	b.mustSignIn(h.key)

	var elsewhere int
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { elsewhere++ }))
	defer evil.Close()

	const unknown = "0000000000000000000000000000dead"
	h.emu.ResetCalls()
	for _, target := range []string{
		"/thumb/image/" + unknown,
		"/thumb/media/" + unknown,
		"/thumb/image/" + unknown + "?url=" + url.QueryEscape(evil.URL+"/x.jpg"),
		"/thumb/image/" + url.PathEscape(evil.URL+"/x.jpg"),
		"/thumb/image/..%2F..%2Fetc%2Fpasswd",
	} {
		if p := b.get(target); p.status != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", target, p.status)
		}
	}
	if f := up.fetches(); len(f) != 0 || elsewhere != 0 {
		t.Errorf("fetched %q and %d elsewhere, want nothing", f, elsewhere)
	}
	// The unknown ID was asked of VOD (it could be another instance's),
	// the malformed ones never.
	if calls := h.lookupCalls(); len(calls) != 3 {
		t.Errorf("%d VOD calls, want 3 (GetImageInfo twice and BatchGetMediaInfos once for the unknown ID): %+v", len(calls), calls)
	}

	// A real image with a URL in the query is made from its own original.
	id := normalImages(t, h, func(w, h int) bool { return w*h <= 1_500_000 })[0].ImageID
	thumbnailOf(t, b.get("/thumb/image/"+id+"?url="+url.QueryEscape(evil.URL+"/x.jpg")))
	if f := up.fetches(); len(f) != 1 || !strings.Contains(f[0], "/image/"+id) || elsewhere != 0 {
		t.Errorf("fetched %q and %d elsewhere, want the image's own original", f, elsewhere)
	}
}

// A remembered URL that expired is signed again by the session's VOD.
func TestThumbnailAfterItsSignedURLExpired(t *testing.T) {
	emuClock := newFakeClock()
	up := &upstream{}
	h := newHarness(t, harnessOptions{thumbnails: true, upstream: up.wrap, emulatorNow: emuClock.Now})
	b := h.browser(t)
	b.mustSignIn(h.key)
	p := b.submit(b.get("/settings"), `[data-testid="settings-form"]`, url.Values{"output_type": {"cdn"}, "auth_timeout": {"60"}})
	if p.status >= 400 {
		t.Fatalf("settings: %d", p.status)
	}
	id := normalImages(t, h, func(w, h int) bool { return w*h <= 1_500_000 })[0].ImageID
	mustStatus(t, b.get("/images?ids="+id), http.StatusOK)

	emuClock.Advance(2 * time.Minute) // the URL the lookup handed out has expired
	h.emu.ResetCalls()
	thumbnailOf(t, b.get("/thumb/image/"+id))
	if f := up.fetches(); len(f) != 2 || !strings.HasSuffix(f[0], "Forbidden") || !strings.HasSuffix(f[1], "OK") {
		t.Errorf("fetches %q, want the expired URL refused, then the fresh one", f)
	}
	if calls := h.calls("GetImageInfo"); len(calls) != 1 || calls[0].IDs[0] != id {
		t.Errorf("GetImageInfo calls %+v, want one for %s", calls, id)
	}
}

// With thumbnails off, grids show the signed originals and /thumb is
// not there.
func TestThumbnailsOffShowOriginals(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	b := h.browser(t)
	b.mustSignIn(h.key)
	id := normalImages(t, h, func(w, h int) bool { return true })[0].ImageID
	p := b.get("/images?ids=" + id)
	mustStatus(t, p, http.StatusOK)
	img := mustOne(t, p, "image-card").Find("img")
	if src := img.AttrOr("src", ""); !strings.HasPrefix(src, h.emuURL+"/cdn/image/"+id) {
		t.Errorf("src %q, want the signed original", src)
	}
	if _, ok := img.Attr("data-fallback-src"); ok {
		t.Error("an original has a fallback")
	}
	if p := b.get("/thumb/image/" + id); p.status != http.StatusNotFound {
		t.Errorf("/thumb/image/%s: status %d, want 404", id, p.status)
	}
}

// A thumbnail of something the session was just shown is made from the
// URL that answer handed out, without asking VOD again; a session that
// was shown nothing asks once.
func TestThumbnailsUseTheURLsTheSessionWasGiven(t *testing.T) {
	h := newHarness(t, harnessOptions{thumbnails: true})
	b := h.browser(t)
	b.mustSignIn(h.key)
	small := normalImages(t, h, func(w, h int) bool { return w*h <= 1_500_000 })
	m := h.findMedia(t, "a video with a cover", func(m mediaEntry) bool {
		return m.MediaInfo.CoverURL != "" && m.MediaInfo.Status == "Normal" && len(m.MezzanineInfo.VideoStreamList) > 0
	})

	for _, tc := range []struct{ page, thumb string }{
		{"/images?ids=" + small[0].ImageID, "/thumb/image/" + small[0].ImageID},
		{"/media?ids=" + m.MediaID, "/thumb/media/" + m.MediaID},
		{"/library?type=image&q=" + small[1].ImageID, "/thumb/image/" + small[1].ImageID},
	} {
		mustStatus(t, b.get(tc.page), http.StatusOK)
		h.emu.ResetCalls()
		thumbnailOf(t, b.get(tc.thumb))
		if calls := h.lookupCalls(); len(calls) != 0 {
			t.Errorf("%s after %s: %d VOD calls, want none", tc.thumb, tc.page, len(calls))
		}
	}

	fresh := h.browser(t)
	fresh.mustSignIn(h.key)
	h.emu.ResetCalls()
	thumbnailOf(t, fresh.get("/thumb/image/"+small[2].ImageID))
	if calls := h.calls("GetImageInfo"); len(calls) != 1 || len(h.lookupCalls()) != 1 {
		t.Errorf("a session shown nothing: %d GetImageInfo of %d VOD calls, want 1 of 1", len(calls), len(h.lookupCalls()))
	}
}

func TestHandedOutIsBounded(t *testing.T) {
	h := newHandedOut()
	for i := range maxHandedOut + 10 {
		h.remember("image", strconv.Itoa(i), "https://cdn.example/"+strconv.Itoa(i))
	}
	if _, ok := h.lookup("image", "0"); ok {
		t.Error("the oldest URL is still remembered past the bound")
	}
	if u, ok := h.lookup("image", strconv.Itoa(maxHandedOut+9)); !ok || u != "https://cdn.example/"+strconv.Itoa(maxHandedOut+9) {
		t.Errorf("the newest URL: %q, %v", u, ok)
	}
	if _, ok := h.lookup("cover", "5"); ok {
		t.Error("an image's URL was taken for a cover")
	}
	if n := h.urls.Len(); n != maxHandedOut {
		t.Errorf("%d URLs remembered, want %d", n, maxHandedOut)
	}
}
