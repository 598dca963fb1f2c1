package views

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/a-h/templ"
	"github.com/chromedp/chromedp"

	"vodboard/static"
)

// TestBrowserBehaviour drives static/app.js and htmx in headless Chromium
// against pages rendered by this package, under the production CSP: the
// lookup form swaps results and pushes the URL with the CSRF header; an
// expired thumbnail is re-signed once and loads at once; one whose fresh URL
// fails again is re-signed again after a pause and recovers, as does one
// whose re-sign met a server error; an image that stays broken is given up
// after a few tries and does not loop, nor does one the server says is
// gone; copy buttons give feedback, going back re-fetches a full page, and
// relative times are filled in.
func TestBrowserBehaviour(t *testing.T) {
	if testing.Short() && os.Getenv("VODBOARD_REQUIRE_BROWSER") != "1" {
		t.Skip("browser test skipped in -short mode")
	}
	chrome := findChromium(t)

	assets := static.New()
	layout := Layout{
		Title: "Lookup", CSRFToken: "tok-123", SignedIn: true, AccessKeyID: "LTAI5tExampleKey9", Region: "cn-shanghai",
		Assets: AssetURLs{CSS: assets.Path(static.CSS), JS: assets.Path(static.JS), HTMX: assets.Path(static.HTMX), Icon: assets.Path(static.Icon)},
		Nav:    NavLookup,
	}

	var (
		mu       sync.Mutex
		requests = map[string][]http.Header{} // by path
		times    = map[string][]time.Time{}   // by path
	)
	record := func(r *http.Request) int {
		mu.Lock()
		defer mu.Unlock()
		requests[r.URL.Path] = append(requests[r.URL.Path], r.Header.Clone())
		times[r.URL.Path] = append(times[r.URL.Path], time.Now())
		return len(requests[r.URL.Path])
	}
	seen := func(path string) []http.Header {
		mu.Lock()
		defer mu.Unlock()
		return append([]http.Header(nil), requests[path]...)
	}
	seenAt := func(path string) []time.Time {
		mu.Lock()
		defer mu.Unlock()
		return append([]time.Time(nil), times[path]...)
	}

	// The grid's images, all with a URL that fails (expired); the re-sign
	// endpoint below says what happens next to each.
	thumbIDs := []string{"good", "again", "gone", "deleted", "busy"}

	var srv *httptest.Server
	img := func(id, file string) Image {
		return Image{ID: id, Title: id, Status: "Normal", URL: srv.URL + "/img/" + file,
			Mezzanine: ImageMezzanine{Width: 320, Height: 180}}
	}
	write := func(w http.ResponseWriter, r *http.Request, c templ.Component) {
		w.Header().Set("Content-Security-Policy",
			"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; frame-ancestors 'none'")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if err := c.Render(r.Context(), w); err != nil {
			t.Errorf("render %s: %v", r.URL, err)
		}
	}
	fragment := func(r *http.Request) bool {
		return r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-History-Restore-Request") != "true"
	}
	var pngBytes bytes.Buffer
	if err := png.Encode(&pngBytes, image.NewRGBA(image.Rect(0, 0, 32, 18))); err != nil {
		t.Fatal(err)
	}

	mux := http.NewServeMux()
	mux.Handle("/static/", assets.Handler())
	mux.HandleFunc("GET /img/good.png", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Write(pngBytes.Bytes())
	})
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		record(r)
		write(w, r, Page(layout, HomeContent(Home{}, nil)))
	})
	mux.HandleFunc("GET /images", func(w http.ResponseWriter, r *http.Request) {
		record(r)
		var images []Image
		for _, id := range thumbIDs {
			images = append(images, img(id, "expired.png"))
		}
		list := ImageList{Lookup: Lookup{Requested: len(images)}, Images: images}
		if fragment(r) {
			write(w, r, ImageResults(list))
			return
		}
		write(w, r, Page(layout, HomeContent(Home{ImageIDs: r.URL.Query().Get("ids")}, ImageResults(list))))
	})
	// The re-sign endpoint, per image: good gets a URL that loads; again
	// gets one that fails too (it expired before it loaded), then one that
	// loads; gone only ever gets URLs that fail; deleted is answered 404
	// (the image no longer exists); busy is answered 503 once, then well.
	mux.HandleFunc("GET /images/{id}/thumb", func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		n := record(r)
		file := "expired.png"
		switch {
		case id == "deleted":
			http.Error(w, "no such image", http.StatusNotFound)
			return
		case id == "busy" && n == 1:
			http.Error(w, "try again", http.StatusServiceUnavailable)
			return
		case id == "good", id == "busy", id == "again" && n > 1:
			file = "good.png"
		}
		write(w, r, ImageThumb(img(id, file), r.URL.Query().Get("small") == "1"))
	})
	mux.HandleFunc("GET /detail", func(w http.ResponseWriter, r *http.Request) {
		now := time.Now()
		d := ImageDetail{
			Image:      Image{ID: "d", Title: "Detail", CreationTime: Timestamp{At: now.Add(-72 * time.Hour)}},
			URLExpires: now.Add(30 * time.Minute),
		}
		write(w, r, Page(layout, ImageDetailContent(d)))
	})
	srv = httptest.NewServer(mux)
	defer srv.Close()

	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		append(chromedp.DefaultExecAllocatorOptions[:],
			chromedp.ExecPath(chrome), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.WindowSize(1400, 2000))...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(allocCtx)
	defer cancel()
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}

	var (
		consoleMu sync.Mutex
		problems  []string
	)
	consoleCtx, stopConsole := context.WithCancel(ctx)
	defer stopConsole()
	go func() {
		for m, err := range chromedp.Console(consoleCtx) {
			if err != nil {
				return
			}
			if m.IsException() || strings.Contains(m.Text, "Content Security Policy") || strings.Contains(m.Text, "htmx:") {
				consoleMu.Lock()
				problems = append(problems, m.String())
				consoleMu.Unlock()
			}
		}
	}()

	// The timeouts are ceilings for a loaded machine, not waits: every step
	// ends as soon as its condition holds.
	step := func(name string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		sctx, cancel := context.WithTimeout(ctx, 60*time.Second)
		defer cancel()
		if err := chromedp.Do(sctx, actions...); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	eval := func(expr string) string {
		t.Helper()
		sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		v, err := chromedp.Run(sctx, chromedp.Evaluate[string](expr, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("evaluate %s: %v", expr, err)
		}
		return v
	}
	poll := func(expr string) chromedp.Action[chromedp.Void] {
		return chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(45*time.Second), chromedp.WithPollingInterval(50*time.Millisecond))
	}

	step("open home",
		chromedp.Navigate(srv.URL+"/"),
		poll(`window.htmx && document.querySelector('#lookup-images')`),
	)
	step("look up images",
		chromedp.SetValue(chromedp.CSS("#lookup-images"), strings.Join(thumbIDs, ", ")),
		chromedp.Click(chromedp.CSS(`form[data-testid="image-lookup"] button[type="submit"]`)),
		poll(`document.querySelector('#results [data-testid="image-grid"]')`),
	)
	if got := eval(`location.pathname + " " + new URLSearchParams(location.search).get("ids")`); got != "/images "+strings.Join(thumbIDs, ", ") {
		t.Errorf("pushed URL = %q", got)
	}
	if h := seen("/images"); len(h) != 1 || h[0].Get("HX-Request") != "true" || h[0].Get("X-CSRF-Token") != "tok-123" {
		t.Errorf("lookup request headers: %v", h)
	}

	// Every box ends loaded or given up (a failed image is complete too: an
	// image has loaded once it has pixels); then the requests tell how it
	// got there.
	thumbState := `(id) => { const b = document.querySelector('#thumb-' + id), i = b.querySelector('img');
		if (b.matches('.is-resigning')) return '';
		if (b.matches('.is-broken')) return 'given up';
		return i.complete && i.naturalWidth > 0 ? 'loaded' : ''; }`
	for _, c := range []struct{ id, want, what string }{
		{"good", "loaded", "loads after a re-sign"},
		{"again", "loaded", "loads after a second re-sign"},
		{"busy", "loaded", "loads after its re-sign met a 503"},
		{"gone", "given up", "is given up after its fresh URLs kept failing"},
		{"deleted", "given up", "is given up when the server says it is gone"},
	} {
		sctx, cancel := context.WithTimeout(ctx, 60*time.Second)
		got, err := chromedp.Run(sctx, chromedp.PollFunction[string](thumbState, chromedp.WithPollingArgs(c.id),
			chromedp.WithPollingTimeout(45*time.Second), chromedp.WithPollingInterval(50*time.Millisecond)))
		cancel()
		if err != nil || got != c.want {
			state := eval(`[...document.querySelectorAll('[data-thumb]')].map(b => { const i = b.querySelector('img');
				return b.id + ' class="' + b.className + '" data-resigns=' + b.getAttribute('data-resigns') +
					' complete=' + i.complete + ' naturalWidth=' + i.naturalWidth + ' src=' + i.getAttribute('src'); }).join('\n')`)
			t.Fatalf("%s %s: got %q (%v); re-sign requests: good %d, again %d, busy %d, gone %d, deleted %d; thumbnails:\n%s",
				c.id, c.what, got, err,
				len(seen("/images/good/thumb")), len(seen("/images/again/thumb")), len(seen("/images/busy/thumb")),
				len(seen("/images/gone/thumb")), len(seen("/images/deleted/thumb")), state)
		}
	}
	wantResigns := map[string]int{"good": 1, "again": 2, "busy": 2, "gone": 3, "deleted": 1}
	for _, id := range thumbIDs {
		reqs := seen("/images/" + id + "/thumb")
		if len(reqs) != wantResigns[id] {
			t.Errorf("%s: %d re-sign requests, want %d", id, len(reqs), wantResigns[id])
		}
		for i, h := range reqs {
			if h.Get("X-CSRF-Token") != "tok-123" || h.Get("HX-Request") != "true" {
				t.Errorf("%s: re-sign request %d has X-CSRF-Token %q, HX-Request %q", id, i+1, h.Get("X-CSRF-Token"), h.Get("HX-Request"))
			}
		}
		// Each re-sign after the first waits longer than the one before.
		at := seenAt("/images/" + id + "/thumb")
		for i := 1; i < len(at); i++ {
			if gap := at[i].Sub(at[i-1]); gap < time.Duration(i)*900*time.Millisecond {
				t.Errorf("%s: re-sign %d came %s after the one before, want a pause of about %ds", id, i+1, gap.Round(time.Millisecond), i)
			}
		}
	}
	// The count goes with the box, and a re-signed image does not wait to
	// be scrolled to: its fresh URL could expire too.
	if got := eval(`['good', 'again', 'busy', 'gone', 'deleted'].map(id => {
			const b = document.querySelector('#thumb-' + id), i = b.querySelector('img');
			return id + ':' + b.getAttribute('data-resigns') + ':' + i.getAttribute('loading');
		}).join(' ')`); got != "good:1:eager again:2:eager busy:2:eager gone:3:eager deleted:1:lazy" {
		t.Errorf("thumb boxes (id:data-resigns:loading) = %q", got)
	}
	// A box that was given up stays given up: its image failing once more
	// asks for nothing. (The failure is seen by the page's capture listener
	// first; the fetch after it is the round trip that any re-sign it
	// started would have come before.)
	eval(`new Promise(resolve => {
		const i = document.querySelector('#thumb-gone img');
		i.addEventListener('error', () => fetch('/img/good.png').then(() => resolve('')), { once: true });
		i.src = i.src + '?again';
	})`)
	if n := len(seen("/images/gone/thumb")); n != wantResigns["gone"] {
		t.Errorf("gone: a failure after giving up led to more re-signs (%d requests)", n)
	}

	step("copy link",
		chromedp.Click(chromedp.CSS(`[data-testid="copy-link"]`)),
		poll(`document.querySelector('[data-testid="copy-link"]').classList.contains('is-copied') || document.querySelector('[data-testid="copy-link"]').classList.contains('is-copy-failed')`),
	)
	if got := eval(`document.querySelector('[data-testid="copy-link"] .copy-label').textContent`); got != "Copied" {
		t.Errorf("copy feedback = %q", got)
	}

	step("back restores the full home page",
		chromedp.Evaluate[chromedp.Void](`history.back()`),
		poll(`location.pathname === '/' && document.querySelector('#results .results-placeholder')`),
	)
	homes := seen("/")
	if len(homes) != 2 {
		t.Fatalf("%d requests for /, want 2 (load, history restore)", len(homes))
	}
	if h := homes[1]; h.Get("HX-History-Restore-Request") != "true" || h.Get("HX-Request") != "" {
		t.Errorf("history restore request: HX-History-Restore-Request=%q HX-Request=%q",
			h.Get("HX-History-Restore-Request"), h.Get("HX-Request"))
	}

	step("relative times",
		chromedp.Navigate(srv.URL+"/detail"),
		poll(`document.querySelector('time.ts-rel').textContent === '3 days ago'`),
		poll(`document.querySelector('time[data-relative="expiry"]').textContent === 'in 30 minutes'`),
	)

	stopConsole()
	consoleMu.Lock()
	defer consoleMu.Unlock()
	for _, p := range problems {
		t.Errorf("browser console: %s", p)
	}
}

// findChromium returns the browser to drive: $CHROME, $CHROMIUM_BIN,
// /usr/bin/chromium or chromium on PATH. Without one the test is skipped,
// unless VODBOARD_REQUIRE_BROWSER=1 (CI), where it fails.
func findChromium(t *testing.T) string {
	t.Helper()
	for _, env := range []string{"CHROME", "CHROMIUM_BIN"} {
		if p := os.Getenv(env); p != "" {
			if _, err := exec.LookPath(p); err != nil {
				t.Fatalf("%s=%s: %v", env, p, err)
			}
			return p
		}
	}
	for _, name := range []string{"/usr/bin/chromium", "chromium"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	msg := "no Chromium found (tried $CHROME, $CHROMIUM_BIN, /usr/bin/chromium, chromium on PATH)"
	if os.Getenv("VODBOARD_REQUIRE_BROWSER") == "1" {
		t.Fatal(msg + " (VODBOARD_REQUIRE_BROWSER=1)")
	}
	t.Skip(msg)
	return ""
}
