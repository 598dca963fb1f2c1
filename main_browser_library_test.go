package main

import (
	"context"
	"encoding/json"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"vodboard/vodclient/emulator"
)

// tab is one signed-in demo browser tab for the walkthroughs below: every
// step waits for a condition, with a ceiling that holds on a loaded machine.
type tab struct {
	t       *testing.T
	ctx     context.Context
	base    string
	console *consoleLog
}

// newDemoTab starts the server and a browser, and signs in to the demo.
func newDemoTab(t *testing.T) *tab {
	t.Helper()
	if testing.Short() && os.Getenv("VODBOARD_REQUIRE_BROWSER") != "1" {
		t.Skip("browser test skipped in -short mode")
	}
	browser := findBrowser(t)
	srv := startServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), browserCeiling)
	t.Cleanup(cancel)
	ctx, console, _ := startBrowser(t, ctx, browser)
	b := &tab{t: t, ctx: ctx, base: srv.URL, console: console}
	b.do("open the sign-in page", chromedp.Navigate(srv.URL+"/login"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="demo-signin"]`)))
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`[data-testid="demo-signin"]`))); err != nil {
		t.Fatalf("demo sign-in: %v%s", err, pageState(ctx))
	}
	return b
}

func (b *tab) do(step string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v%s", step, err, pageState(b.ctx))
	}
}

// waitFor polls a JavaScript predicate (a function of no arguments) until
// it returns true.
func (b *tab) waitFor(step, fn string) {
	b.t.Helper()
	_, err := chromedp.Run(b.ctx, chromedp.PollFunction[bool](fn,
		chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(60*time.Second)))
	if err != nil {
		b.t.Fatalf("%s: %v%s", step, err, pageState(b.ctx))
	}
}

func eval[T any](b *tab, what, js string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
	return v
}

func (b *tab) query() url.Values {
	b.t.Helper()
	u, err := url.Parse(eval[string](b, "location", `location.href`))
	if err != nil {
		b.t.Fatal(err)
	}
	return u.Query()
}

// TestBrowserLibrary: the library as a user finds things in it. A search
// typed in the box swaps the results in place and changes the address; a
// status filter narrows them; the pager goes forward; Back returns to the
// previous results; the thumbnails load.
func TestBrowserLibrary(t *testing.T) {
	b := newDemoTab(t)
	b.waitFor("sign-in lands on the library", `() => location.pathname === '/library' &&
		document.querySelectorAll('[data-testid="library-item"]').length > 0`)
	b.do("mark the page", chromedp.Evaluate[chromedp.Void](`window.vodboardTestMark = 'library'`))
	swapped := func(step string) {
		t.Helper()
		if mark := eval[string](b, step, `String(window.vodboardTestMark)`); mark != "library" {
			t.Errorf("%s loaded a new page instead of swapping the results in", step)
		}
	}

	// 1. A search typed in the box.
	b.do("search", chromedp.SendKeys(chromedp.CSS(`#library-q`), "Kitchen Table\r"))
	b.waitFor("search results", `() => new URLSearchParams(location.search).get('q') === 'Kitchen Table' &&
		[...document.querySelectorAll('[data-testid="library-item"] .card-title')].length > 0 &&
		[...document.querySelectorAll('[data-testid="library-item"] .card-title')].every(e => e.textContent.includes('Kitchen Table'))`)
	swapped("the search")
	if got := eval[string](b, "address", `location.pathname + location.search`); got != "/library?q=Kitchen+Table" {
		t.Errorf("the address is %s, want the canonical /library?q=Kitchen+Table", got)
	}
	searchTotal := eval[string](b, "total", `document.querySelector('[data-testid="library-total"]').textContent`)

	// 2. A status filter.
	b.do("filter Normal", chromedp.Click(chromedp.CSS(`input[name="status"][value="Normal"]`)))
	b.waitFor("filtered results", `() => new URLSearchParams(location.search).getAll('status').join() === 'Normal' &&
		document.querySelector('[data-testid="library-total"]') &&
		[...document.querySelectorAll('[data-testid="library"] .badge[data-status]')].every(e => e.dataset.status === 'Normal')`)
	swapped("the filter")
	filtered := b.query()
	firstPage := eval[[]string](b, "first page", `[...document.querySelectorAll('[data-testid="library-item"]')].map(e => e.dataset.id)`)
	filteredTotal := eval[string](b, "total", `document.querySelector('[data-testid="library-total"]').textContent`)
	if filteredTotal == searchTotal {
		t.Logf("the Normal filter kept all %s results", searchTotal)
	}
	if len(firstPage) != 20 {
		t.Fatalf("the filtered first page has %d items, want a full page of 20 to page forward", len(firstPage))
	}

	// 3. Forward with the pager.
	b.do("next page", chromedp.Click(chromedp.CSS(`[data-testid="pager"] a[data-pager="next"]`)))
	b.waitFor("page 2", `() => new URLSearchParams(location.search).get('page') === '2' &&
		document.querySelector('[data-testid="library-summary"]').textContent.includes('21–')`)
	swapped("the pager")
	secondPage := eval[[]string](b, "second page", `[...document.querySelectorAll('[data-testid="library-item"]')].map(e => e.dataset.id)`)
	for _, id := range secondPage {
		for _, first := range firstPage {
			if id == first {
				t.Errorf("%s is on pages 1 and 2", id)
			}
		}
	}

	// 4. Back to the previous results.
	b.do("Back", chromedp.Evaluate[chromedp.Void](`history.back()`))
	b.waitFor("back on page 1", `() => !new URLSearchParams(location.search).has('page') &&
		document.querySelector('[data-testid="library-summary"]') &&
		document.querySelector('[data-testid="library-summary"]').textContent.includes('1–20')`)
	if got := b.query(); got.Encode() != filtered.Encode() {
		t.Errorf("after Back the address has %v, want %v", got, filtered)
	}
	if again := eval[[]string](b, "page 1 again", `[...document.querySelectorAll('[data-testid="library-item"]')].map(e => e.dataset.id)`); strings.Join(again, ",") != strings.Join(firstPage, ",") {
		t.Errorf("after Back the items are %q, want the first page %q", again, firstPage)
	}
	if n := eval[int](b, "layouts", `document.querySelectorAll('header.topbar').length + document.querySelectorAll('#library').length`); n != 2 {
		t.Errorf("%d headers and #library after Back, want one of each", n)
	}
	checkThumbnails(t, b.ctx, "#library-results")
	checkConsole(t, b.console)
}

// demoMedia finds a demo asset with pred over its catalog entry.
func demoMedia(t *testing.T, what string, pred func(typ string, entry map[string]any) bool) string {
	t.Helper()
	cat := emulator.DemoCatalog()
	for _, id := range cat.MediaIDs() {
		raw, _ := cat.MediaEntry(id)
		var m map[string]any
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		if pred(cat.MediaType(id), m) {
			return id
		}
	}
	t.Fatalf("the demo catalog has no %s", what)
	return ""
}

func playInfos(m map[string]any) []map[string]any {
	var out []map[string]any
	list, _ := m["PlayInfoList"].([]any)
	for _, v := range list {
		if p, ok := v.(map[string]any); ok {
			out = append(out, p)
		}
	}
	return out
}

func normalStatus(m map[string]any) bool {
	info, _ := m["MediaInfo"].(map[string]any)
	return info["Status"] == "Normal"
}

// TestBrowserPlayer: the demo really plays. A video starts and runs past
// one second (mp4), switching to an HLS definition keeps going from where
// it was, an audio asset plays, and an encrypted one explains itself.
func TestBrowserPlayer(t *testing.T) {
	video := demoMedia(t, "clear video with mp4 and HLS", func(typ string, m map[string]any) bool {
		formats := map[string]bool{}
		for _, p := range playInfos(m) {
			if p["Status"] == "Normal" && (p["Encrypt"] == nil || p["Encrypt"] == 0.0) {
				formats[p["Format"].(string)] = true
			}
		}
		return typ == "video" && normalStatus(m) && formats["mp4"] && formats["m3u8"]
	})
	audio := demoMedia(t, "playable audio", func(typ string, m map[string]any) bool {
		return typ == "audio" && normalStatus(m) && len(playInfos(m)) > 0
	})
	encrypted := demoMedia(t, "AliyunVoDEncryption video", func(typ string, m map[string]any) bool {
		for _, p := range playInfos(m) {
			if p["EncryptType"] == "AliyunVoDEncryption" {
				return true
			}
		}
		return false
	})
	b := newDemoTab(t)
	media := `document.querySelector('[data-testid="player"] [data-player-media]')`

	// 1. The video plays its default (native) definition.
	b.do("open the video", chromedp.Navigate(b.base+"/media/"+video), chromedp.WaitVisible(chromedp.CSS(`[data-testid="player"] video`)))
	b.waitFor("player ready", `() => !!document.querySelector('[data-testid="player"][data-current]')`)
	if cur := eval[string](b, "current", `document.querySelector('[data-testid="player"]').dataset.current`); !strings.HasSuffix(cur, "/mp4") {
		t.Errorf("the player starts with %q, want a native mp4 definition", cur)
	}
	b.do("play", chromedp.Evaluate[chromedp.Void](media+`.muted = true; `+media+`.play()`))
	b.waitFor("mp4 plays past one second", `() => `+media+`.currentTime > 1`)

	// 2. Switching to HLS keeps the position and keeps playing.
	before := eval[float64](b, "position", media+`.currentTime`)
	b.do("switch to HLS", chromedp.Click(chromedp.CSS(`[data-testid="player-definitions"] button[data-format="m3u8"]`)))
	b.waitFor("HLS plays on from the same position", `() => {
		const p = document.querySelector('[data-testid="player"]'), m = `+media+`;
		return p.dataset.current.endsWith('/m3u8') && m.currentTime > `+strconv.FormatFloat(before, 'f', 3, 64)+` + 0.5 && !m.paused;
	}`)
	if src := eval[string](b, "source", media+`.currentSrc`); !strings.HasPrefix(src, "blob:") && !strings.Contains(src, ".m3u8") {
		t.Errorf("after the switch the player plays %q, want HLS (hls.js's blob: or a native .m3u8)", src)
	}

	// 3. An audio asset plays in an <audio>.
	b.do("open the audio", chromedp.Navigate(b.base+"/media/"+audio), chromedp.WaitVisible(chromedp.CSS(`[data-testid="player"] audio`)))
	b.waitFor("audio player ready", `() => !!document.querySelector('[data-testid="player"][data-current]')`)
	b.do("play audio", chromedp.Evaluate[chromedp.Void](media+`.play()`))
	b.waitFor("audio plays past one second", `() => `+media+`.currentTime > 1`)

	// 4. An encrypted asset says why it does not play.
	b.do("open the encrypted asset", chromedp.Navigate(b.base+"/media/"+encrypted),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="player-unavailable"][data-reason="encrypted"]`)))
	if text := eval[string](b, "explanation", `document.querySelector('[data-testid="player-unavailable"]').innerText`); !strings.Contains(text, "ApsaraVideo Player") {
		t.Errorf("the encrypted asset's explanation does not name the ApsaraVideo Player: %q", text)
	}
	checkConsole(t, b.console)
}
