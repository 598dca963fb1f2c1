package main

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"vodboard/vodclient/emulator"
)

// TestBrowserBigLookup: 300 image IDs pasted into the lookup form, as a
// content manager pastes a campaign's list. The counter warns past 1,000
// before anything is sent; the 300 go in 15 calls at the account's 10 a
// second, and meanwhile the progress bar moves and cards appear; then the
// finished grid, in the order asked, replaces the live view, the address
// bar holds the short link, and opening that link again shows the same.
func TestBrowserBigLookup(t *testing.T) {
	b := newDemoTab(t)
	images := emulator.DemoCatalog().ImageIDs()
	ids := slices.Clone(images)
	for i := len(ids); i < 300; i++ {
		ids = append(ids, fmt.Sprintf("%032x", i))
	}
	found := images[:min(len(images), 300)]

	b.do("open the lookup page", chromedp.Navigate(b.base+"/lookup"), chromedp.WaitVisible(chromedp.CSS(`#lookup-images`)))

	// The counter under the box warns before submitting.
	tooMany := strings.Join(append(slices.Clone(ids), madeUp(300, 1001)...), "\n")
	b.do("paste 1,001 IDs", chromedp.SetValue(chromedp.CSS(`#lookup-images`), tooMany),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('#lookup-images').dispatchEvent(new Event('input', {bubbles: true}))`))
	if got := eval[string](b, "counter", `document.querySelector('[data-count-for="lookup-images"]').textContent`); got != "1,001 IDs: a lookup takes at most 1,000" {
		t.Errorf("the counter says %q for 1,001 IDs", got)
	}

	// Record every step of the progress bar, and the cards shown while the
	// lookup is still live, as the page changes.
	b.do("watch the page", chromedp.Evaluate[chromedp.Void](`
		window.vodboardSteps = [];
		window.vodboardLiveCards = 0;
		new MutationObserver(() => {
			const bar = document.querySelector('[data-testid="lookup-progress"]');
			if (bar) {
				const done = Number(bar.dataset.done);
				if (window.vodboardSteps.at(-1) !== done) window.vodboardSteps.push(done);
			}
			const live = document.querySelectorAll('#lookup-live [data-testid="image-card"]').length;
			window.vodboardLiveCards = Math.max(window.vodboardLiveCards, live);
		}).observe(document.body, {subtree: true, childList: true, attributes: true});`))
	b.do("paste 300 IDs", chromedp.SetValue(chromedp.CSS(`#lookup-images`), strings.Join(ids, "\n")),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('#lookup-images').dispatchEvent(new Event('input', {bubbles: true}))`))
	if got := eval[string](b, "counter", `document.querySelector('[data-count-for="lookup-images"]').textContent`); got != "300 IDs" {
		t.Errorf("the counter says %q for 300 IDs", got)
	}
	b.do("look up", chromedp.Click(chromedp.CSS(`[data-testid="image-lookup"] button[type="submit"]`)))
	b.waitFor("the finished grid", fmt.Sprintf(`() => !document.querySelector('#lookup-live') &&
		document.querySelectorAll('#results [data-testid="image-card"]').length === %d &&
		document.querySelectorAll('#results [data-flag="nonexistent"]').length === %d`, len(found), 300-len(found)))

	steps := eval[[]int](b, "progress steps", `window.vodboardSteps`)
	if len(steps) < 3 || steps[0] != 0 || steps[len(steps)-1] != 300 || !slices.IsSorted(steps) {
		t.Errorf("the progress bar went %v: want it to start at 0, move and reach 300", steps)
	}
	if live := eval[int](b, "live cards", `window.vodboardLiveCards`); live == 0 {
		t.Error("no card appeared before the lookup was done")
	}
	cards := eval[[]string](b, "cards", `[...document.querySelectorAll('#results [data-testid="image-card"]')].map(c => c.dataset.id)`)
	if !slices.Equal(cards, found) {
		t.Errorf("the finished grid has %d cards, not the %d found in the order asked", len(cards), len(found))
	}
	link := eval[string](b, "address", `location.pathname + location.search`)
	if !strings.HasPrefix(link, "/l/") || len(link) > 40 {
		t.Fatalf("the address bar holds %q, want the lookup's short link", link)
	}

	// The link opens the same lookup as a page of its own.
	b.do("open the short link", chromedp.Navigate(b.base+link))
	b.waitFor("the same grid again", fmt.Sprintf(`() => !document.querySelector('#lookup-live') &&
		document.querySelectorAll('#results [data-testid="image-card"]').length === %d`, len(found)))
	again := eval[[]string](b, "cards", `[...document.querySelectorAll('#results [data-testid="image-card"]')].map(c => c.dataset.id)`)
	if !slices.Equal(again, cards) {
		t.Error("the short link shows other cards")
	}
	checkConsole(t, b.console)
}

// madeUp returns well-formed IDs from..to-1 that no catalog has.
func madeUp(from, to int) []string {
	var out []string
	for i := from; i < to; i++ {
		out = append(out, fmt.Sprintf("%032x", i))
	}
	return out
}
