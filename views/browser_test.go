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
// lookup form swaps results and pushes the URL with the CSRF header, an
// expired thumbnail is re-signed exactly once, an image that stays broken
// does not loop, copy buttons give feedback, going back re-fetches a full
// page, and relative times are filled in.
func TestBrowserBehaviour(t *testing.T) {
	chrome := os.Getenv("CHROME")
	if chrome == "" {
		var err error
		if chrome, err = exec.LookPath("chromium"); err != nil {
			t.Skip("chromium not installed")
		}
	}
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}

	assets := static.New()
	layout := Layout{
		Title: "Lookup", CSRFToken: "tok-123", SignedIn: true, AccessKeyID: "LTAI5tExampleKey9", Region: "cn-shanghai",
		Assets: AssetURLs{CSS: assets.Path(static.CSS), JS: assets.Path(static.JS), HTMX: assets.Path(static.HTMX), Icon: assets.Path(static.Icon)},
		Nav:    NavLookup,
	}

	var (
		mu       sync.Mutex
		requests = map[string][]http.Header{} // by path
	)
	record := func(r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		requests[r.URL.Path] = append(requests[r.URL.Path], r.Header.Clone())
	}
	seen := func(path string) []http.Header {
		mu.Lock()
		defer mu.Unlock()
		return append([]http.Header(nil), requests[path]...)
	}

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
		list := ImageList{
			Lookup: Lookup{Requested: 2},
			Images: []Image{img("good", "expired.png"), img("gone", "expired.png")},
		}
		if fragment(r) {
			write(w, r, ImageResults(list))
			return
		}
		write(w, r, Page(layout, HomeContent(Home{ImageIDs: r.URL.Query().Get("ids")}, ImageResults(list))))
	})
	mux.HandleFunc("GET /images/{id}/thumb", func(w http.ResponseWriter, r *http.Request) {
		record(r)
		file := "expired.png"
		if r.PathValue("id") == "good" {
			file = "good.png"
		}
		write(w, r, ImageThumb(img(r.PathValue("id"), file)))
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

	step := func(name string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		sctx, cancel := context.WithTimeout(ctx, 15*time.Second)
		defer cancel()
		if err := chromedp.Do(sctx, actions...); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	eval := func(expr string) string {
		t.Helper()
		sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		v, err := chromedp.Run(sctx, chromedp.Evaluate[string](expr))
		if err != nil {
			t.Fatalf("evaluate %s: %v", expr, err)
		}
		return v
	}
	poll := func(expr string) chromedp.Action[chromedp.Void] {
		return chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(10*time.Second), chromedp.WithPollingInterval(50*time.Millisecond))
	}

	step("open home",
		chromedp.Navigate(srv.URL+"/"),
		poll(`window.htmx && document.querySelector('#lookup-images')`),
	)
	step("look up images",
		chromedp.SetValue(chromedp.CSS("#lookup-images"), "good, gone"),
		chromedp.Click(chromedp.CSS(`form[data-testid="image-lookup"] button[type="submit"]`)),
		poll(`document.querySelector('#results [data-testid="image-grid"]')`),
	)
	if got := eval(`location.pathname + " " + new URLSearchParams(location.search).get("ids")`); got != "/images good, gone" {
		t.Errorf("pushed URL = %q", got)
	}
	if h := seen("/images"); len(h) != 1 || h[0].Get("HX-Request") != "true" || h[0].Get("X-CSRF-Token") != "tok-123" {
		t.Errorf("lookup request headers: %v", h)
	}

	step("re-sign expired thumbnail",
		poll(`document.querySelector('#thumb-good img').naturalWidth > 0`),
		poll(`document.querySelector('#thumb-gone').classList.contains('is-broken')`),
	)
	time.Sleep(300 * time.Millisecond)
	good, gone := seen("/images/good/thumb"), seen("/images/gone/thumb")
	if len(good) != 1 || len(gone) != 1 {
		t.Errorf("thumb re-sign requests: good %d, gone %d; want 1 each", len(good), len(gone))
	}
	if len(good) > 0 && good[0].Get("X-CSRF-Token") != "tok-123" {
		t.Errorf("re-sign request without CSRF header")
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
