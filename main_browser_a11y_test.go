package main

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"vodboard/internal/axe"
	"vodboard/vodclient/emulator"
)

// a11yPage is one page axe-core checks: a path of the demo and the status
// it answers with.
type a11yPage struct {
	name   string
	path   string
	status int64
}

// a11yPages are the pages of the demo a user meets, one of each kind:
// the library in every layout, lookups with every flag, both detail pages
// (video and audio), settings, and the error pages (a detail page of a
// missing, a forbidden and an invalid ID, a bad library parameter). The sign-in page is
// checked signed out, after these.
func a11yPages(t *testing.T) []a11yPage {
	t.Helper()
	cat := emulator.DemoCatalog()
	images, media, refs, forbidden := cat.ImageIDs(), cat.MediaIDs(), cat.ReferenceIDs(), cat.ForbiddenIDs()
	if len(images) < 6 || len(media) < 2 || len(refs) < 1 || len(forbidden) < 1 {
		t.Fatalf("the demo catalog has %d images, %d media, %d references, %d forbidden IDs; the pages below need more", len(images), len(media), len(refs), len(forbidden))
	}
	const missing = "0000000000000000000000000000dead"
	video := demoMedia(t, "playable video", func(typ string, m map[string]any) bool {
		return typ == "video" && normalStatus(m) && len(playInfos(m)) > 0
	})
	audio := demoMedia(t, "playable audio", func(typ string, m map[string]any) bool {
		return typ == "audio" && normalStatus(m) && len(playInfos(m)) > 0
	})
	ids := func(v ...string) string { return url.QueryEscape(strings.Join(v, ",")) }
	first := func(v []string, n int) []string { return slices.Clone(v[:min(len(v), n)]) }
	return []a11yPage{
		{"library grid", "/library", 200},
		{"library list", "/library?view=list", 200},
		{"library images", "/library?type=image", 200},
		{"library empty", "/library?q=" + url.QueryEscape("no title is like this one"), 200},
		{"lookup forms", "/lookup", 200},
		{"media lookup with flags", "/media?ids=" + ids(media[0], media[1], missing, forbidden[0]), 200},
		{"image lookup with flags", "/images?ids=" + ids(append(first(images, 6), missing)...), 200},
		{"reference lookup with flags", "/media?refs=" + ids(refs[0], "no-such-reference"), 200},
		// Over 20 IDs take several calls: the results stream in live.
		{"live image lookup", "/images?ids=" + ids(append(first(images, 45), missing)...), 200},
		{"live media lookup", "/media?ids=" + ids(append(first(media, 45), missing, forbidden[0])...), 200},
		{"image detail", "/images/" + images[0], 200},
		{"video detail", "/media/" + video, 200},
		{"audio detail", "/media/" + audio, 200},
		{"settings", "/settings", 200},
		{"not found", "/media/" + missing, 404},
		{"forbidden", "/media/" + forbidden[0], 403},
		{"invalid ID", "/images/not.an.image.id", 400},
		{"bad parameter", "/library?sort=sideways", 400},
	}
}

// colorSchemes are the two prefers-color-scheme values app.css styles.
var colorSchemes = []string{"light", "dark"}

// TestBrowserAccessibility runs axe-core on every page of the demo, in the
// light and the dark color scheme, and fails on any violation, naming the
// rule, its impact and the elements. axe-core is injected by the test
// (internal/axe), never served by vodboard.
func TestBrowserAccessibility(t *testing.T) {
	b := newDemoTab(t)
	script := axeScript(t, b.ctx)
	b.waitFor("sign-in lands on the library", `() => location.pathname === '/library'`)

	pages := a11yPages(t)
	for _, p := range pages {
		for _, scheme := range colorSchemes {
			t.Run(p.name+"/"+scheme, func(t *testing.T) {
				checkA11y(b.in(t), script, p, scheme)
			})
		}
	}

	// Signed out: the sign-in page.
	b.do("sign out", chromedp.Navigate(b.base+"/library"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="signout"]`)))
	if _, err := chromedp.RunResponse(b.ctx, chromedp.Click(chromedp.CSS(`[data-testid="signout"]`))); err != nil {
		t.Fatalf("sign out: %v%s", err, pageState(b.ctx))
	}
	for _, scheme := range colorSchemes {
		t.Run("sign-in/"+scheme, func(t *testing.T) {
			checkA11y(b.in(t), script, a11yPage{"sign-in", "/login", 200}, scheme)
		})
		t.Run("sign-in refused/"+scheme, func(t *testing.T) {
			b := b.in(t)
			setColorScheme(b, scheme)
			openPage(b, "/login")
			b.do("a wrong secret", chromedp.SetValue(chromedp.CSS(`#access_key_secret`), "not the secret"))
			if _, err := chromedp.RunResponse(b.ctx, chromedp.Submit(chromedp.CSS(`[data-testid="login-form"]`))); err != nil {
				t.Fatalf("sign in with a wrong secret: %v%s", err, pageState(b.ctx))
			}
			b.do("the sign-in error", chromedp.WaitVisible(chromedp.CSS(`[data-testid="login-error"]`)))
			audit(b, script, scheme)
		})
	}
	refused := a11yPage{"sign-in refused", "/login", 401}
	checkConsole(t, withoutErrorPages(b.console, b.base, append(pages, refused)))
}

// withoutErrorPages leaves out of the console log the errors Chromium logs
// for the error pages the test opened on purpose ("the server responded
// with a status of 404").
func withoutErrorPages(console *consoleLog, base string, pages []a11yPage) *consoleLog {
	expected := map[string]string{}
	for _, p := range pages {
		if p.status >= 400 {
			expected[base+p.path] = fmt.Sprintf("status of %d ", p.status)
		}
	}
	kept := &consoleLog{}
	for _, m := range console.all() {
		if want, ok := expected[m.URL]; ok && m.Type == chromedp.ConsoleError && strings.Contains(m.Text, want) {
			continue
		}
		kept.add(m)
	}
	return kept
}

// checkA11y loads p in scheme, waits for it to settle, and runs axe-core
// on the whole document.
func checkA11y(b *tab, script string, p a11yPage, scheme string) {
	b.t.Helper()
	setColorScheme(b, scheme)
	if status := openPage(b, p.path); status != p.status {
		b.t.Errorf("%s answered %d, want %d", p.path, status, p.status)
	}
	audit(b, script, scheme)
}

// audit runs axe-core on the page in the tab once it has settled, and
// fails on each violation.
func audit(b *tab, script, scheme string) {
	b.t.Helper()
	waitSettled(b)
	checkSchemeApplied(b, scheme)
	violations := runAxe(b, script)
	for _, v := range violations {
		b.t.Errorf("%s (%s): %s [%s] %s\n%s", v.ID, v.Impact, v.Help, scheme, v.HelpURL, v.nodesText())
	}
	if len(violations) == 0 {
		b.t.Logf("%s in %s: no axe-core violations", eval[string](b, "location", `location.pathname + location.search`), scheme)
	}
}

// axeScript returns axe-core's script, or skips the test where it cannot
// be had (no npm), unless VODBOARD_REQUIRE_BROWSER=1 (CI), where it fails.
func axeScript(t *testing.T, ctx context.Context) string {
	t.Helper()
	started := time.Now()
	script, err := axe.Script(ctx)
	switch {
	case errors.Is(err, axe.ErrNoNPM) && os.Getenv("VODBOARD_REQUIRE_BROWSER") != "1":
		t.Skipf("axe-core %s: %v; install npm, or set %s to an axe.min.js", axe.Version, err, axe.EnvPath)
	case err != nil:
		t.Fatalf("axe-core %s: %v", axe.Version, err)
	}
	t.Logf("axe-core %s (%d bytes) ready after %s", axe.Version, len(script), time.Since(started).Round(time.Millisecond))
	return script
}

// in returns the tab for a subtest: the same browser tab, failing t.
func (b *tab) in(t *testing.T) *tab {
	c := *b
	c.t = t
	return &c
}

// setColorScheme emulates prefers-color-scheme for the pages loaded next.
func setColorScheme(b *tab, scheme string) {
	b.t.Helper()
	b.do("emulate prefers-color-scheme: "+scheme, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
		})
		return err
	}))
}

// checkSchemeApplied checks that the page sees the emulated scheme and
// that app.css honours it: a light page background in light, a dark one
// in dark.
func checkSchemeApplied(b *tab, scheme string) {
	b.t.Helper()
	dark := eval[bool](b, "prefers dark", `matchMedia('(prefers-color-scheme: dark)').matches`)
	if dark != (scheme == "dark") {
		b.t.Fatalf("the page sees prefers-color-scheme dark=%v, want %s", dark, scheme)
	}
	rgb := eval[[]float64](b, "body background", `getComputedStyle(document.body).backgroundColor.match(/[\d.]+/g).slice(0, 3).map(Number)`)
	if len(rgb) != 3 {
		b.t.Fatalf("body background %v is not rgb()", rgb)
	}
	lum := relativeLuminance(rgb[0], rgb[1], rgb[2])
	if scheme == "dark" && lum > 0.1 || scheme == "light" && lum < 0.7 {
		b.t.Errorf("in the %s scheme the page background is rgb%v (luminance %.2f): app.css does not follow prefers-color-scheme", scheme, rgb, lum)
	}
}

// relativeLuminance is WCAG's relative luminance of an sRGB colour.
func relativeLuminance(r, g, b float64) float64 {
	lin := func(c float64) float64 {
		c /= 255
		if c <= 0.04045 {
			return c / 12.92
		}
		return math.Pow((c+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

// openPage loads path and returns the status its document was answered
// with. It waits for the document to be parsed and its deferred scripts
// run, not for its images and media: what axe-core checks is in place by
// then, and the full-size images of a detail page would only slow the
// test down.
func openPage(b *tab, path string) int64 {
	b.t.Helper()
	b.do("mark the page being left", chromedp.Evaluate[chromedp.Void](`window.vodboardLeaving = true`))
	b.do("open "+path, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		res, err := cdp.Call(ctx, t, page.Navigate, page.NavigateParams{URL: b.base + path})
		if err == nil && res.ErrorText != "" {
			err = errors.New(res.ErrorText)
		}
		return err
	}))
	return poll[int64](b, "the new page", `window.vodboardLeaving || document.readyState === 'loading' ? 0 :
		performance.getEntriesByType('navigation')[0].responseStatus`)
}

// poll evaluates js until it returns a value other than T's zero value,
// and returns it. An evaluation that fails is tried again: the page's
// JavaScript context comes and goes while a new page loads.
func poll[T comparable](b *tab, what, js string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, time.Minute)
	defer cancel()
	var zero T
	for {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
		if err == nil && v != zero {
			return v
		}
		select {
		case <-ctx.Done():
			b.t.Fatalf("waiting for %s: %v (last evaluation: %v, %v)%s", what, ctx.Err(), v, err, pageState(b.ctx))
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// waitSettled waits until the page is done: its scripts run, no htmx
// request in flight or swap settling, no transition running (colours are
// measured as they end up), a live lookup finished (its progress at the
// total and the live view replaced by the results), and a player (when
// there is one) either ready or explaining why it cannot play.
func waitSettled(b *tab) {
	b.t.Helper()
	poll[bool](b, "the page to settle", `(() => {
		if (document.readyState === 'loading') return false;
		if (document.querySelector('.htmx-request, .htmx-settling, .htmx-swapping, .htmx-added')) return false;
		if (document.getAnimations().some(a => a.playState === 'running' && a.effect.getTiming().iterations !== Infinity)) return false;
		const unfinished = [...document.querySelectorAll('[data-testid="lookup-progress"]')]
			.some(p => p.dataset.total !== undefined && p.dataset.done !== p.dataset.total);
		if (unfinished || document.querySelector('[data-testid="lookup-live"]')) return false;
		const player = document.querySelector('[data-testid="player"]');
		if (player && !player.dataset.current && !document.querySelector('[data-testid="player-unavailable"]')) return false;
		return true;
	})()`)
}

// axeViolation is the part of an axe-core result a failure message needs.
type axeViolation struct {
	ID      string `json:"id"`
	Impact  string `json:"impact"`
	Help    string `json:"help"`
	HelpURL string `json:"helpUrl"`
	Nodes   []struct {
		Target  []string `json:"target"`
		HTML    string   `json:"html"`
		Summary string   `json:"summary"`
	} `json:"nodes"`
}

func (v axeViolation) nodesText() string {
	var sb strings.Builder
	for _, n := range v.Nodes {
		fmt.Fprintf(&sb, "  at %s\n    %s\n", strings.Join(n.Target, " "), n.HTML)
		for _, line := range strings.Split(n.Summary, "\n") {
			fmt.Fprintf(&sb, "    %s\n", line)
		}
	}
	return sb.String()
}

// runAxe injects axe-core into the page and runs every rule axe-core runs
// by default (WCAG 2.x A and AA, and its best practices) on the document.
func runAxe(b *tab, script string) []axeViolation {
	b.t.Helper()
	b.do("inject axe-core", chromedp.Evaluate[chromedp.Void](script+"\n;void 0"))
	return eval[[]axeViolation](b, "axe.run", `axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map(v => ({
		id: v.id, impact: v.impact || '', help: v.help, helpUrl: v.helpUrl,
		nodes: v.nodes.map(n => ({target: n.target.map(String), html: n.html, summary: n.failureSummary || ''})),
	})))`)
}

// cardBox is a grid card as laid out on the screen.
type cardBox struct {
	ID   string  `json:"id"`
	Top  float64 `json:"top"`
	Left float64 `json:"left"`
}

// TestBrowserKeyboard: the library and a lookup can be used from the
// keyboard. The arrow keys move between the cards of a grid as they are
// laid out, keeping to the same control; Enter opens a card; Escape leaves
// a selection; and after an htmx swap focus is on an element of the page,
// never lost on <body>.
func TestBrowserKeyboard(t *testing.T) {
	b := newDemoTab(t)
	b.waitFor("the library grid", `() => location.pathname === '/library' &&
		document.querySelectorAll('[data-card-grid] > [data-testid="library-item"]').length >= 8`)

	// 1. Arrow keys through the library grid, from the title link and from
	// the selection checkbox.
	cards := checkGridKeys(b, `[data-card-grid] > [data-testid="library-item"]`, ".card-title a")
	checkGridKeys(b, `[data-card-grid] > [data-testid="library-item"]`, "input[data-select]")

	// 2. Enter on a card's checkbox opens the card.
	second := cards[1].ID
	href := eval[string](b, "detail link", `document.querySelector('[data-testid="library-item"][data-id="`+second+`"] .card-title a').pathname`)
	b.do("focus a checkbox", chromedp.Evaluate[chromedp.Void](`document.querySelector('[data-testid="library-item"][data-id="`+second+`"] input[data-select]').focus()`))
	if _, err := chromedp.RunResponse(b.ctx, chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatalf("Enter on a card's checkbox: %v%s", err, pageState(b.ctx))
	}
	if got := eval[string](b, "location", `location.pathname`); got != href {
		t.Errorf("Enter on the checkbox of %s led to %s, want its detail page %s", second, got, href)
	}

	// The list view's rows too: Enter on a row's checkbox opens it rather
	// than submitting the filter form.
	b.do("the list view", chromedp.Navigate(b.base+"/library?view=list"))
	b.waitFor("the list", `() => document.querySelectorAll('[data-card-rows] > [data-testid="library-item"] input[data-select]').length >= 2`)
	row := eval[string](b, "a row", `document.querySelectorAll('[data-card-rows] > [data-testid="library-item"]')[1].dataset.id`)
	rowHref := eval[string](b, "row link", `document.querySelectorAll('[data-card-rows] > [data-testid="library-item"]')[1].querySelector('a[href]').pathname`)
	b.do("focus a row's checkbox", chromedp.Evaluate[chromedp.Void](`document.querySelectorAll('[data-card-rows] > [data-testid="library-item"]')[1].querySelector('input[data-select]').focus()`))
	if _, err := chromedp.RunResponse(b.ctx, chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatalf("Enter on a row's checkbox: %v%s", err, pageState(b.ctx))
	}
	if got := eval[string](b, "location", `location.pathname`); got != rowHref {
		t.Errorf("Enter on the checkbox of row %s led to %s, want its detail page %s", row, got, rowHref)
	}

	// 3. Escape leaves a selection.
	b.do("back to the library", chromedp.Navigate(b.base+"/library"))
	b.waitFor("the library grid", `() => document.querySelectorAll('[data-testid="library-item"] input[data-select]').length >= 3`)
	b.do("select two items",
		chromedp.Click(chromedp.CSS(`[data-testid="library-item"]:nth-child(1) input[data-select]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="library-item"]:nth-child(3) input[data-select]`)),
	)
	b.waitFor("two selected", `() => document.querySelector('[data-selection-count]').textContent === '2 selected'`)
	b.do("Escape", chromedp.KeyEvent(kb.Escape))
	b.waitFor("the selection is left", `() => document.querySelectorAll('[data-testid="library-item"] input[data-select]:checked').length === 0 &&
		document.querySelector('[data-selection-count]').textContent === '' &&
		!document.querySelector('[data-selection-bar]').classList.contains('has-selection')`)

	// 4. Focus after htmx swaps. A filter checkbox that swaps the results
	// keeps focus; the pager link that asked for the next page is swapped
	// away, and focus goes to the new results.
	b.do("mark the page", chromedp.Evaluate[chromedp.Void](`window.vodboardTestMark = 'library'`))
	b.do("Space on a status filter",
		chromedp.Evaluate[chromedp.Void](`document.querySelector('input[name="status"][value="Normal"]').focus()`),
		chromedp.KeyEvent(" "),
	)
	b.waitFor("filtered results", `() => new URLSearchParams(location.search).getAll('status').join() === 'Normal' &&
		!document.querySelector('.htmx-request, .htmx-settling')`)
	if got := eval[string](b, "focus", `document.activeElement.matches('input[name="status"][value="Normal"]') ? 'filter' : document.activeElement.outerHTML.slice(0, 120)`); got != "filter" {
		t.Errorf("after the filter swapped the results, focus is on %s, want the filter checkbox still", got)
	}
	// Focus stayed on the filter, so the new summary is read out.
	b.waitFor("the new summary in the live region", `() => document.getElementById('live').textContent ===
		document.querySelector('[data-testid="library-summary"]').textContent.replace(/\s+/g, ' ').trim()`)
	b.do("Enter on the pager's Next",
		chromedp.Evaluate[chromedp.Void](`document.querySelector('[data-testid="pager"] a[data-pager="next"]').focus()`),
		chromedp.KeyEvent(kb.Enter),
	)
	b.waitFor("page 2, focus in the new results", `() => new URLSearchParams(location.search).get('page') === '2' &&
		document.querySelector('[data-testid="library-summary"]').textContent.includes('21–') &&
		document.activeElement !== document.body && !!document.activeElement.closest('#library-results') &&
		!document.querySelector('[aria-busy]')`)
	if mark := eval[string](b, "mark", `String(window.vodboardTestMark)`); mark != "library" {
		t.Errorf("the filter and the pager loaded new pages instead of swapping the results in")
	}
	t.Logf("after Next, focus is on %s", eval[string](b, "focus", `document.activeElement.outerHTML.slice(0, 120)`))

	// 5. The arrow keys through a lookup's image grid.
	images := emulator.DemoCatalog().ImageIDs()
	b.do("an image lookup", chromedp.Navigate(b.base+"/images?ids="+url.QueryEscape(strings.Join(images[:min(len(images), 12)], ","))))
	b.waitFor("the image grid", `() => document.querySelectorAll('[data-card-grid] > [data-testid="image-card"]').length >= 8`)
	checkGridKeys(b, `[data-card-grid] > [data-testid="image-card"]`, ".card-title a")
	checkConsole(t, b.console)
}

// checkGridKeys focuses control in the first card of the grid whose cards
// match cards, and walks Right, Down, Left, Up, End and Home, checking
// after each key that focus is on the same control of the card the layout
// puts there. It returns the cards, as laid out.
func checkGridKeys(b *tab, cards, control string) []cardBox {
	b.t.Helper()
	boxes := eval[[]cardBox](b, "cards", `[...document.querySelectorAll('`+cards+`')].map(c => {
		const r = c.getBoundingClientRect();
		return {id: c.dataset.id, top: r.top + scrollY, left: r.left};
	})`)
	cols := 0
	for _, c := range boxes {
		if c.Top == boxes[0].Top {
			cols++
		}
	}
	if cols < 2 || len(boxes) < 2*cols {
		b.t.Fatalf("the grid has %d cards in rows of %d; the walk needs two full rows of two or more", len(boxes), cols)
	}
	b.t.Logf("grid of %d cards, %d columns", len(boxes), cols)
	last := len(boxes) - 1
	focused := func() string {
		return eval[string](b, "focused card", `(() => {
			const a = document.activeElement, card = a.closest('`+cards+`');
			return card && a.matches('`+control+`') ? card.dataset.id : 'not on `+control+` of a card: ' + a.outerHTML.slice(0, 120);
		})()`)
	}
	b.do("focus the first card", chromedp.Evaluate[chromedp.Void](`document.querySelector('`+cards+` `+control+`').focus()`))
	for _, step := range []struct {
		key, name string
		want      int
	}{
		{kb.ArrowRight, "Right", 1},
		{kb.ArrowDown, "Down", 1 + cols},
		{kb.ArrowLeft, "Left", cols},
		{kb.ArrowUp, "Up", 0},
		{kb.End, "End", last},
		{kb.Home, "Home", 0},
	} {
		b.do(step.name, chromedp.KeyEvent(step.key))
		if got := focused(); got != boxes[step.want].ID {
			b.t.Errorf("%s (%s): focus is on %s, want card %d (%s)", step.name, control, got, step.want, boxes[step.want].ID)
		}
	}
	return boxes
}
