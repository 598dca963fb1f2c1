package main

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"vodboard/vodclient/emulator"
)

// findBrowser returns the Chromium to drive: $CHROMIUM_BIN, /usr/bin/chromium
// or chromium on PATH. Without one the browser test is skipped, unless
// browserCeiling bounds one browser walkthrough: a ceiling on a hang, not a
// timing. The accessibility test's 40 page runs took 4 minutes on a 2-core
// machine running two other test runs at once.
const browserCeiling = 8 * time.Minute

// VODBOARD_REQUIRE_BROWSER=1 (CI), where it fails.
func findBrowser(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("CHROMIUM_BIN"); p != "" {
		if _, err := exec.LookPath(p); err != nil {
			t.Fatalf("CHROMIUM_BIN=%s: %v", p, err)
		}
		return p
	}
	if _, err := exec.LookPath("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	msg := "no Chromium found (tried $CHROMIUM_BIN, /usr/bin/chromium, chromium on PATH): " +
		"install one with `apt-get install chromium`, or set CHROMIUM_BIN to a Chrome/Chromium binary"
	if os.Getenv("VODBOARD_REQUIRE_BROWSER") == "1" {
		t.Fatal(msg + " (VODBOARD_REQUIRE_BROWSER=1)")
	}
	t.Skip(msg)
	return ""
}

// consoleLog collects what the pages write to the console.
type consoleLog struct {
	mu   sync.Mutex
	msgs []chromedp.ConsoleMessage
}

func (c *consoleLog) add(m chromedp.ConsoleMessage) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.msgs = append(c.msgs, m)
}

func (c *consoleLog) all() []chromedp.ConsoleMessage {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.msgs)
}

// netLog records, from the DevTools protocol's network events, which URLs
// the page asked for and the status each was answered with. The status
// comes from the raw response (responseReceivedExtraInfo): a cross-origin
// image answered 403 is blocked (ORB) and has no responseReceived.
type netLog struct {
	mu     sync.Mutex
	urls   map[network.RequestID]string
	asked  map[string]bool
	status map[network.RequestID][]int64
}

func (n *netLog) watch(ctx context.Context) {
	n.urls, n.asked, n.status = map[network.RequestID]string{}, map[string]bool{}, map[network.RequestID][]int64{}
	go func() {
		for ev, err := range chromedp.Events(ctx, network.RequestWillBeSent) {
			if err != nil {
				return
			}
			n.mu.Lock()
			n.urls[ev.RequestID] = ev.Request.URL
			n.asked[ev.Request.URL] = true
			n.mu.Unlock()
		}
	}()
	go func() {
		for ev, err := range chromedp.Events(ctx, network.ResponseReceivedExtraInfo) {
			if err != nil {
				return
			}
			n.mu.Lock()
			n.status[ev.RequestID] = append(n.status[ev.RequestID], ev.StatusCode)
			n.mu.Unlock()
		}
	}()
}

func (n *netLog) wasAsked(u string) bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.asked[u]
}

// sync waits until the log has caught up with the page: it has the page
// fetch a new URL of base (the server's) and waits for its request and
// response to be logged, which come after every earlier one.
func (n *netLog) sync(t *testing.T, ctx context.Context, base string) {
	t.Helper()
	path := fmt.Sprintf("/healthz?sync=%d", time.Now().UnixNano())
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch('`+path+`').then(() => '')`, chromedp.EvalAwaitPromise)); err != nil {
		t.Fatalf("fetch %s: %v", path, err)
	}
	for !n.wasAsked(base+path) || len(n.statuses(base+path)) == 0 {
		select {
		case <-time.After(10 * time.Millisecond):
		case <-ctx.Done():
			t.Fatalf("the network log never saw %s answered: %v", path, ctx.Err())
		}
	}
}

// statuses returns the statuses of the responses to requests for u.
func (n *netLog) statuses(u string) []int64 {
	n.mu.Lock()
	defer n.mu.Unlock()
	var out []int64
	for id, got := range n.urls {
		if got == u {
			out = append(out, n.status[id]...)
		}
	}
	return out
}

// TestBrowser walks through the demo as a user does, in headless Chromium:
// sign in, look up images and media through the forms (htmx swaps with
// pushed URLs), open a media asset, come back with the Back button, and
// see expired thumbnail URLs re-signed in place.
func TestBrowser(t *testing.T) {
	if testing.Short() && os.Getenv("VODBOARD_REQUIRE_BROWSER") != "1" {
		t.Skip("browser test skipped in -short mode")
	}
	browser := findBrowser(t)
	started := time.Now()

	cat := emulator.DemoCatalog()
	images, media := cat.ImageIDs(), cat.MediaIDs()
	if len(images) < 4 || len(media) < 4 {
		t.Fatalf("the demo catalog has %d images and %d media, want 4 of each for this test", len(images), len(media))
	}
	const missingID = "0000000000000000000000000000dead"
	if slices.Contains(images, missingID) || slices.Contains(media, missingID) {
		t.Fatalf("%s is in the demo catalog; pick another ID that does not exist", missingID)
	}
	// A spread over the catalog: different image types and formats.
	imageIDs := []string{images[0], images[len(images)/3], images[2*len(images)/3], images[len(images)-1]}
	mediaIDs := []string{media[0], media[1], media[len(media)/2], media[len(media)-1]}

	srv := startServer(t)

	// A ceiling for the whole walkthrough on a loaded machine; every step
	// ends as soon as its condition holds.
	ctx, cancel := context.WithTimeout(context.Background(), browserCeiling)
	defer cancel()
	ctx, console, requests := startBrowser(t, ctx, browser)
	t.Logf("browser up after %s", time.Since(started).Round(time.Millisecond))

	// must runs actions; the first error ends the test with what the page
	// looked like.
	must := func(step string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v%s", step, err, pageState(ctx))
		}
	}
	// navigate runs actions that load a new page (a link, a form post, the
	// Back button) and waits for it.
	navigate := func(step string, actions ...chromedp.Action[chromedp.Void]) int64 {
		t.Helper()
		resp, err := chromedp.RunResponse(ctx, actions...)
		if err != nil {
			t.Fatalf("%s: %v%s", step, err, pageState(ctx))
		}
		return resp.Status
	}
	location := func() *url.URL {
		t.Helper()
		href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href`))
		if err != nil {
			t.Fatalf("location.href: %v", err)
		}
		u, err := url.Parse(href)
		if err != nil {
			t.Fatalf("location.href %q: %v", href, err)
		}
		return u
	}
	eval := func(what, js string) []string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](js))
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return v
	}
	// waitPushedURL waits for htmx to push the results URL, path?param=...,
	// and checks that the IDs in it are the ones typed.
	waitPushedURL := func(path, param string, want []string) {
		t.Helper()
		_, err := chromedp.Run(ctx, chromedp.PollFunction[bool](
			`(path) => location.pathname === path && new URLSearchParams(location.search).has('ids')`,
			chromedp.WithPollingArgs(path), chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(30*time.Second)))
		u := location()
		if err != nil {
			t.Fatalf("address bar is %s, want %s?%s=... (hx-push-url): %v", u, path, param, err)
		}
		if got := splitIDs(u.Query().Get(param)); !slices.Equal(got, want) {
			t.Errorf("pushed URL %s has %s=%q, want %q", u, param, got, want)
		}
	}

	// 1. Signed out, / sends us to the sign-in page; the demo button signs
	// in, and / then leads to the library. The Lookup nav link opens the
	// lookup forms.
	must("open /", chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="demo-signin"]`)))
	if u := location(); u.Path != "/login" || u.Query().Get("next") != "/" {
		t.Errorf("signed out, / led to %s, want /login?next=%%2F", u)
	}
	if status := navigate("sign in to the demo", chromedp.Click(chromedp.CSS(`[data-testid="demo-signin"]`))); status != 200 {
		t.Errorf("demo sign-in answered %d", status)
	}
	if u := location(); u.Path != "/library" {
		problem := eval("sign-in error", `[...document.querySelectorAll('[data-testid="login-error"]')].map(e => e.innerText)`)
		t.Fatalf("after the demo sign-in the browser is at %s, want /library; sign-in error on the page: %q", u, problem)
	}
	must("library page", chromedp.WaitVisible(chromedp.CSS(`[data-testid="library-page"]`)))
	navigate("Lookup nav link", chromedp.Click(chromedp.CSS(`nav a[href="/lookup"]`)))
	if u := location(); u.Path != "/lookup" {
		t.Errorf("the Lookup nav link led to %s, want /lookup", u)
	}
	must("lookup page", chromedp.WaitVisible(chromedp.CSS(`form[data-testid="image-lookup"]`)))

	// 2. Image lookup through the form: grid, flagged missing ID, thumbnails.
	typed := append(slices.Clone(imageIDs), missingID)
	// A mark on the window survives an htmx swap, not a page load: it tells
	// that the form was sent by htmx and not as a plain GET.
	must("mark the page", chromedp.Evaluate[chromedp.Void](`window.vodboardTestMark = 'home'`))
	must("image lookup",
		chromedp.SendKeys(chromedp.CSS(`form[data-testid="image-lookup"] textarea[name="ids"]`), strings.Join(typed, "\n")),
		chromedp.Click(chromedp.CSS(`form[data-testid="image-lookup"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#results [data-testid="image-grid"]`)),
	)
	waitPushedURL("/images", "ids", typed)
	checkSwapped(t, ctx, "image lookup")
	cards := eval("image cards", `[...document.querySelectorAll('#results [data-testid="image-card"]')].map(e => e.dataset.id)`)
	if !sameSet(cards, imageIDs) {
		t.Errorf("image cards %q, want one for each of %q", cards, imageIDs)
	}
	flagged := eval("flags", `[...document.querySelectorAll('#results [data-flag="nonexistent"]')].map(e => e.textContent.trim())`)
	if !slices.Contains(flagged, missingID) {
		t.Errorf("nonexistent ID %s not flagged; [data-flag=nonexistent] holds %q", missingID, flagged)
	}
	t.Logf("image lookup: %d cards, flagged %q, URL %s", len(cards), flagged, location())
	checkThumbnails(t, ctx, "#results")
	// The grid shows light thumbnails, each with its signed original to
	// fall back on; the originals are 1,000 to 6,000 pixels wide.
	light := eval("light thumbnails", `[...document.querySelectorAll('#results [data-thumb] img')]
		.filter(i => !(new URL(i.src).pathname.startsWith('/thumb/image/') && i.naturalWidth <= 400 && i.naturalHeight <= 400 && i.dataset.fallbackSrc))
		.map(i => i.src + ' ' + i.naturalWidth + 'x' + i.naturalHeight)`)
	if len(light) > 0 {
		t.Errorf("grid images that are not light thumbnails of at most 400 pixels: %q", light)
	}

	// 3. Back to the lookup page by the nav link, then a media lookup.
	navigate("Lookup nav link", chromedp.Click(chromedp.CSS(`nav a[href="/lookup"]`)))
	if u := location(); u.Path != "/lookup" {
		t.Errorf("the Lookup nav link led to %s, want /lookup", u)
	}
	must("mark the page", chromedp.Evaluate[chromedp.Void](`window.vodboardTestMark = 'home'`))
	must("media lookup",
		chromedp.SendKeys(chromedp.CSS(`form[data-testid="media-lookup"] textarea[name="ids"]`), strings.Join(mediaIDs, ", ")),
		chromedp.Click(chromedp.CSS(`form[data-testid="media-lookup"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#results [data-testid="media-table"]`)),
	)
	waitPushedURL("/media", "ids", mediaIDs)
	checkSwapped(t, ctx, "media lookup")
	resultsURL := location()
	rowsJS := `[...document.querySelectorAll('#results [data-testid="media-row"]')].map(e => e.dataset.id)`
	if rows := eval("media rows", rowsJS); !sameSet(rows, mediaIDs) {
		t.Errorf("media rows %q, want one for each of %q", rows, mediaIDs)
	}
	checkThumbnails(t, ctx, "#results")

	// 4. Open an asset with playback definitions by its title link.
	open := eval("asset to open", `[...document.querySelectorAll('#results [data-testid="media-row"]')]
		.filter(r => parseInt(r.cells[6].textContent, 10) > 0).map(r => r.dataset.id)`)
	if len(open) == 0 {
		t.Fatalf("none of the media rows %q has a definition to look at", mediaIDs)
	}
	id := open[0]
	if status := navigate("open media "+id,
		chromedp.Click(chromedp.CSS(`#results [data-testid="media-row"][data-id="`+id+`"] .t a`))); status != 200 {
		t.Errorf("media detail of %s answered %d", id, status)
	}
	must("media detail", chromedp.WaitVisible(chromedp.CSS(`[data-testid="media-detail"]`)))
	if u := location(); u.Path != "/media/"+id {
		t.Errorf("the title link led to %s, want /media/%s", u, id)
	}
	if got := eval("detail id", `[document.querySelector('[data-testid="media-detail"]').dataset.id]`); got[0] != id {
		t.Errorf("media detail shows %q, want %s", got[0], id)
	}
	defs := eval("play infos", `[...document.querySelectorAll('[data-testid="play-infos"] tbody tr')].map(r => r.dataset.definition || '')`)
	if len(defs) == 0 {
		t.Errorf("media %s: play-infos table has no rows", id)
	}
	t.Logf("media detail %s: %d play infos %q", id, len(defs), defs)
	for _, kind := range []string{"video", "audio"} {
		sel := fmt.Sprintf(`[data-testid="%s-streams"] tbody tr, [data-testid="streams-empty"][data-kind="%s"], [data-testid="streams-empty"][data-kind="all"]`, kind, kind)
		if got := eval(kind+" streams", `[...document.querySelectorAll('`+sel+`')].map(e => e.tagName)`); len(got) == 0 {
			t.Errorf("media %s: neither a %s-streams table with rows nor its empty explanation", id, kind)
		}
	}

	// Cover and snapshots are loading=lazy too; scrolling through them also
	// makes them show in the full-page screenshot.
	checkThumbnails(t, ctx, `[data-testid="media-detail"]`)

	// 6. Screenshot of the detail page, for the README (from the top: the
	// sticky header would otherwise be drawn mid-page).
	must("scroll to the top", chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`))
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Errorf("screenshot: %v", err)
	} else if !bytes.HasPrefix(shot, []byte("\x89PNG")) {
		t.Errorf("screenshot is not a PNG (%d bytes)", len(shot))
	} else if dir := os.Getenv("VODBOARD_SCREENSHOT_DIR"); dir != "" {
		p := filepath.Join(dir, "media-detail.png")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Errorf("screenshot directory: %v", err)
		} else if err := os.WriteFile(p, shot, 0o644); err != nil {
			t.Errorf("write screenshot: %v", err)
		} else {
			t.Logf("wrote %s (%d bytes)", p, len(shot))
		}
	}

	// 5. Back: the media results come back (htmx keeps no snapshot, so the
	// browser loads /media?ids=... as a full page).
	navigate("Back", chromedp.NavigateBack())
	must("results after Back",
		chromedp.WaitNotPresent(chromedp.CSS(`[data-testid="media-detail"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#results [data-testid="media-table"]`)),
	)
	if u := location(); u.String() != resultsURL.String() {
		t.Errorf("after Back the address bar is %s, want %s", u, resultsURL)
	}
	checkOneLayout(t, ctx, "after Back")
	must("lookup forms after Back", chromedp.WaitVisible(chromedp.CSS(`form[data-testid="media-lookup"]`)))
	if rows := eval("media rows after Back", rowsJS); !sameSet(rows, mediaIDs) {
		t.Errorf("after Back the media rows are %q, want %q", rows, mediaIDs)
	}

	// 7. htmx's own history restore, within one page: an image lookup
	// pushes /images?ids=..., and Back pops to the media results, which
	// htmx (keeping no snapshots) fetches again from the server.
	must("mark the page", chromedp.Evaluate[chromedp.Void](`window.vodboardTestMark = 'home'`))
	must("image lookup on the results page",
		chromedp.SendKeys(chromedp.CSS(`form[data-testid="image-lookup"] textarea[name="ids"]`), strings.Join(imageIDs[:2], " ")),
		chromedp.Click(chromedp.CSS(`form[data-testid="image-lookup"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#results [data-testid="image-grid"]`)),
	)
	waitPushedURL("/images", "ids", imageIDs[:2])
	checkSwapped(t, ctx, "second image lookup")
	must("Back within the page",
		chromedp.Evaluate[chromedp.Void](`history.back()`),
		chromedp.WaitNotPresent(chromedp.CSS(`#results [data-testid="image-grid"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#results [data-testid="media-table"]`)),
	)
	if u := location(); u.String() != resultsURL.String() {
		t.Errorf("after Back within the page the address bar is %s, want %s", u, resultsURL)
	}
	checkSwapped(t, ctx, "htmx history restore")
	if rows := eval("media rows after htmx history restore", rowsJS); !sameSet(rows, mediaIDs) {
		t.Errorf("after htmx's history restore the media rows are %q, want %q", rows, mediaIDs)
	}

	// 8. Signed URLs expire for real, and an expired thumbnail is re-signed
	// in place, with no reload. Light thumbnails are vodboard's own URLs and
	// never expire; grids show signed originals with -thumbnails=false, so
	// this step runs on a second vodboard started so. A grid of thumbnails
	// signed for urlTTL seconds is left alone until its URLs have expired
	// (the expiry is read from the URLs themselves); its lazy thumbnails
	// below the fold have not been asked for by then. Scrolling down asks
	// for them with expired URLs: each gets 403, asks /images/{id}/thumb for
	// a fresh box, and loads.
	//
	// urlTTL is the time a fresh URL has to load. Between the re-sign and
	// the image request are a fragment request, a swap and the browser's
	// queue of six connections per host, all of it slow on a loaded 2-core
	// machine; 2 s (URLs that last 1 to 2 s, as expiries are whole seconds)
	// was too little. The page re-signs a thumbnail again when a fresh URL
	// expires too, but the test keeps clear of needing that.
	const urlTTL = 10
	grid := images[:min(len(images), 40)]
	plain := startServer(t, "-thumbnails=false")
	must("the second vodboard", chromedp.Navigate(plain.URL+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="demo-signin"]`)))
	navigate("sign in to the second vodboard's demo", chromedp.Click(chromedp.CSS(`[data-testid="demo-signin"]`)))
	must("URLs valid for a few seconds",
		chromedp.Navigate(plain.URL+"/settings"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="settings-form"]`)),
		chromedp.SetValue(chromedp.CSS(`input[name="auth_timeout"]`), strconv.Itoa(urlTTL)),
	)
	navigate("save settings", chromedp.Submit(chromedp.CSS(`[data-testid="settings-form"]`)))
	// A phone-wide window stacks the 40 cards into one column, far past
	// the fold and Chromium's lazy-loading margin (2,500 px when it judges
	// the network slow, as it does on a loaded machine), so some thumbnails
	// are surely asked for only after their URLs expired.
	must("a phone-wide window", chromedp.EmulateViewport(420, 900))
	defer chromedp.Run(ctx, chromedp.EmulateReset())
	navigate("a grid of demo images", chromedp.Navigate(plain.URL+"/images?ids="+strings.Join(grid, ",")))
	// 40 IDs are two calls: a live lookup, whose finished grid replaces it.
	must("the grid's lookup to finish", chromedp.WaitVisible(chromedp.CSS(`#results > [data-testid="image-grid"]`)))
	if cards := eval("cards", `[...document.querySelectorAll('#results [data-testid="image-card"]')].map(c => c.dataset.id)`); len(cards) != len(grid) {
		t.Fatalf("the finished grid has %d cards, want %d", len(cards), len(grid))
	}
	must("mark the grid page", chromedp.Evaluate[chromedp.Void](`window.vodboardTestMark = 'home'`))
	srcsJS := `Object.fromEntries([...document.querySelectorAll('#results [data-thumb]')]
		.filter(b => b.querySelector('img')).map(b => [b.id, b.querySelector('img').src]))`
	firstSrcs, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]string](srcsJS))
	if err != nil || len(firstSrcs) == 0 {
		t.Fatalf("grid of %d images: no thumbnail URLs (%v)", len(grid), err)
	}
	var expiry time.Time
	for id, src := range firstSrcs {
		exp, ok := urlExpiry(src)
		if !ok {
			t.Fatalf("%s: thumbnail URL %s carries no expiry", id, src)
		}
		if left := time.Until(exp); left > urlTTL*time.Second {
			t.Fatalf("%s: thumbnail URL %s expires in %s, want at most %ds (the AuthTimeout set)", id, src, left.Round(time.Millisecond), urlTTL)
		}
		if exp.After(expiry) {
			expiry = exp
		}
	}
	// The emulator refuses a URL once its clock is past the expiry; it runs
	// on this machine's clock.
	select {
	case <-time.After(time.Until(expiry) + 50*time.Millisecond):
	case <-ctx.Done():
		t.Fatalf("waiting for the thumbnail URLs to expire: %v", ctx.Err())
	}
	for !time.Now().After(expiry) {
		time.Sleep(10 * time.Millisecond)
	}
	// A thumbnail not asked for by now is asked for after its URL expired.
	requests.sync(t, ctx, plain.URL)
	var late []string
	for id, src := range firstSrcs {
		if !requests.wasAsked(src) {
			late = append(late, id)
		}
	}
	slices.Sort(late)
	if len(late) == 0 {
		t.Fatalf("all %d thumbnails were fetched before their URLs expired, so nothing tests re-signing: the grid must reach below the fold and the lazy-loading margin", len(firstSrcs))
	}
	t.Logf("URLs expired at %s; %d of %d thumbnails not yet fetched", expiry.Format(time.TimeOnly), len(late), len(firstSrcs))
	checkThumbnails(t, ctx, "#results")
	checkSwapped(t, ctx, "re-signing thumbnails")
	nowSrcs, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]string](srcsJS))
	if err != nil {
		t.Fatalf("thumbnail URLs now: %v", err)
	}
	requests.sync(t, ctx, plain.URL)
	for _, id := range late {
		first, now := firstSrcs[id], nowSrcs[id]
		if got := requests.statuses(first); !slices.Contains(got, 403) {
			t.Errorf("%s: its expired URL was answered %v, want 403", id, got)
		}
		if now == first || now == "" {
			t.Errorf("%s: not fetched before its URL expired, and not re-signed since (URL %s)", id, now)
		}
	}
	changed := 0
	for id, src := range nowSrcs {
		if src != firstSrcs[id] {
			changed++
		}
	}
	resigns := eval("re-sign counts", `[...document.querySelectorAll('#results [data-thumb][data-resigns]')].map(b => b.id + ':' + b.dataset.resigns)`)
	t.Logf("%d of %d thumbnails were re-signed after expiring (%d fetched late); re-signs per box: %q", changed, len(nowSrcs), len(late), resigns)

	checkConsole(t, console)
	t.Logf("walkthrough took %s", time.Since(started).Round(time.Millisecond))
}

// startBrowser starts headless Chromium under ctx with one tab, and watches
// the tab's console and network. The browser's own logs are printed if the
// test fails.
func startBrowser(t *testing.T, ctx context.Context, browser string) (context.Context, *consoleLog, *netLog) {
	t.Helper()
	var browserOut lockedBuffer
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(browser),
		chromedp.Headless,
		chromedp.NoSandbox, // tests run as root in CI containers
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		// The player tests start playback from a script, without a click.
		chromedp.Flag("autoplay-policy", "no-user-gesture-required"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
		chromedp.CombinedOutput(&browserOut),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	var cdpLog lockedBuffer
	logf := func(format string, args ...any) { fmt.Fprintf(&cdpLog, format+"\n", args...) }
	ctx, cancelTab := chromedp.NewContext(allocCtx, chromedp.WithLogf(logf), chromedp.WithErrorf(logf))
	t.Cleanup(cancelTab)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("chromedp log:\n%s\nchromium output (without its D-Bus complaints):\n%s", &cdpLog, withoutDBus(browserOut.String()))
		}
	})

	if err := chromedp.Do(ctx); err != nil { // start the browser
		t.Fatalf("start %s: %v", browser, err)
	}
	requests := &netLog{}
	requests.watch(ctx)
	console := &consoleLog{}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			console.add(m)
		}
	}()
	return ctx, console, requests
}

// checkConsole fails the test on any script error or refused resource the
// pages logged, and logs the rest.
func checkConsole(t *testing.T, console *consoleLog) {
	t.Helper()
	for _, m := range console.all() {
		if m.IsException() || m.Type == chromedp.ConsoleError || strings.Contains(m.Text, "Content Security Policy") {
			t.Errorf("browser console: %s: %s (%s:%d)", m.Type, m.Text, m.URL, m.Line+1)
		} else {
			t.Logf("browser console: %s: %s", m.Type, m.Text)
		}
	}
}

// checkThumbnails scrolls through the images under root as a user would
// (they are loading=lazy) until every one has loaded, that is has pixels:
// complete with a naturalWidth (a failed image is complete too). A
// thumbnail the page gave up on (is-broken) fails at once.
//
// Each round scrolls to the first image that has neither loaded nor failed,
// unless it is in view already, and so stays until it has: a lazy image is
// asked for only once a rendered frame has seen it in view, which on a
// loaded machine takes a while, and scrolling on too soon would skip it.
// A failed image is left to the page, which re-signs it in place.
func checkThumbnails(t *testing.T, ctx context.Context, root string) {
	t.Helper()
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('`+root+` img').length`))
	if err != nil || n == 0 {
		t.Errorf("no thumbnails under %s (%v)", root, err)
		return
	}
	start := time.Now()
	type state struct {
		Total  int
		Broken []string
	}
	got, err := chromedp.Run(ctx, chromedp.PollFunction[state](`(root) => {
		const imgs = [...document.querySelectorAll(root + ' img')];
		const pending = imgs.filter(i => !(i.complete && i.naturalWidth > 0));
		const broken = pending.filter(i => i.closest('.is-broken'));
		if (pending.length === 0 || broken.length > 0) {
			return {total: imgs.length, broken: broken.map(i => i.src + ' box=' + i.closest('[data-thumb]').className)};
		}
		const next = pending.find(i => !i.complete);
		if (next) {
			const r = next.getBoundingClientRect();
			if (r.bottom <= 0 || r.top >= window.innerHeight) next.scrollIntoView({block: 'center'});
		}
		return null;
	}`, chromedp.WithPollingArgs(root), chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(90*time.Second)))
	switch {
	case err == nil && len(got.Broken) == 0:
		t.Logf("%d thumbnails loaded in %s", got.Total, time.Since(start).Round(time.Millisecond))
	case err == nil:
		t.Errorf("the page gave up on %d of %d thumbnails: %q", len(got.Broken), got.Total, got.Broken)
	default:
		pending, _ := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('`+root+` img')]
			.filter(i => !(i.complete && i.naturalWidth > 0))
			.map(i => i.src + ' complete=' + i.complete + ' box=' + (i.closest('[data-thumb]') || {}).className)`))
		t.Errorf("thumbnails not loaded: %v; %d of %d pending: %q", err, len(pending), n, pending)
	}
}

// urlExpiry reads the expiry of a signed URL: the first field of a CDN
// auth_key, or an OSS Expires.
func urlExpiry(raw string) (time.Time, bool) {
	u, err := url.Parse(raw)
	if err != nil {
		return time.Time{}, false
	}
	v := u.Query().Get("Expires")
	if k := u.Query().Get("auth_key"); k != "" {
		v, _, _ = strings.Cut(k, "-")
	}
	secs, err := strconv.ParseInt(v, 10, 64)
	if err != nil || secs <= 0 {
		return time.Time{}, false
	}
	return time.Unix(secs, 0), true
}

// checkSwapped checks that the results came by an htmx swap into the page
// that was marked before the lookup, not by a page load, and that the
// fragment brought no second layout.
func checkSwapped(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	mark, err := chromedp.Run(ctx, chromedp.Evaluate[string](`String(window.vodboardTestMark)`))
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if mark != "home" {
		t.Errorf("%s loaded a new page instead of swapping the results in with htmx", what)
	}
	checkOneLayout(t, ctx, what)
}

// checkOneLayout checks that the page has one header and one #results: a
// full page swapped into #results would nest a second layout.
func checkOneLayout(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	n, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](
		`[document.querySelectorAll('header.topbar').length, document.querySelectorAll('#results').length, document.querySelectorAll('main').length]`))
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if !slices.Equal(n, []int{1, 1, 1}) {
		t.Errorf("%s: the page has %d headers, %d #results and %d main elements, want one of each", what, n[0], n[1], n[2])
	}
}

// pageState describes the page for a failure message.
func pageState(ctx context.Context) string {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	state, err := chromedp.Run(ctx, chromedp.Evaluate[string](
		`location.href + '\n' + (document.body ? document.body.innerText.slice(0, 1500) : '(no body)')`))
	if err != nil {
		return ""
	}
	return "\npage: " + state
}

// splitIDs splits IDs as the lookup forms accept them.
func splitIDs(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\r' || r == '\t' })
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// withoutDBus drops the D-Bus errors Chromium logs in containers without a
// system bus; they say nothing about the test.
func withoutDBus(out string) string {
	var keep []string
	for _, line := range strings.Split(out, "\n") {
		if !strings.Contains(line, ":ERROR:dbus/") {
			keep = append(keep, line)
		}
	}
	return strings.Join(keep, "\n")
}
