package views

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/a-h/templ"
)

const testBase = "https://cdn.example.com"

func render(t *testing.T, c templ.Component) *goquery.Document {
	t.Helper()
	var buf bytes.Buffer
	if err := c.Render(context.Background(), &buf); err != nil {
		t.Fatalf("render: %v", err)
	}
	doc, err := goquery.NewDocumentFromReader(&buf)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return doc
}

func one(t *testing.T, doc *goquery.Document, sel string) *goquery.Selection {
	t.Helper()
	s := doc.Find(sel)
	if s.Length() != 1 {
		t.Fatalf("%s: found %d elements, want 1", sel, s.Length())
	}
	return s
}

func count(t *testing.T, doc *goquery.Document, sel string, want int) {
	t.Helper()
	if got := doc.Find(sel).Length(); got != want {
		t.Errorf("%s: found %d elements, want %d", sel, got, want)
	}
}

func attr(t *testing.T, s *goquery.Selection, name, want string) {
	t.Helper()
	got, ok := s.Attr(name)
	if !ok || got != want {
		t.Errorf("%s=%q (present %v), want %q", name, got, ok, want)
	}
}

func text(s *goquery.Selection) string { return strings.Join(strings.Fields(s.Text()), " ") }

func TestSafeURL(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"https://cdn.example.com/a.jpg?auth_key=1-0-0-abc", "https://cdn.example.com/a.jpg?auth_key=1-0-0-abc"},
		{"HTTP://cdn.example.com/a.jpg", "HTTP://cdn.example.com/a.jpg"},
		{"javascript:alert(1)", ""},
		{"JavaScript:alert(1)", ""},
		{" javascript:alert(1)", ""},
		{"java\tscript:alert(1)", ""},
		{"vbscript:msgbox(1)", ""},
		{"data:image/png;base64,AAAA", ""},
		{"//evil.example/x.png", ""},
		{"/images/abc", ""},
		{"https://user:pw@evil.example/", ""},
		{"https:evil.example", ""},
		{"ftp://files.example.com/a", ""},
		{`https://x.example/"><script>alert(1)</script>`, ""},
		{"https://x.example/a b.png", ""},
		{"https://x.example/it's.png", "https://x.example/it's.png"},
		{`https://x.example/a\b`, ""},
		{"https://cdn.example.com/a%20b.png?x=1&y=%22", "https://cdn.example.com/a%20b.png?x=1&y=%22"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := SafeURL(tt.in); got != tt.want {
			t.Errorf("SafeURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLocalURL(t *testing.T) {
	for in, want := range map[string]string{
		"/images?ids=a,b":      "/images?ids=a,b",
		"//evil.example":       "",
		`/\evil.example`:       "",
		"https://evil.example": "",
		"javascript:alert(1)":  "",
		"/x\nSet-Cookie: a":    "",
	} {
		if got := localURL(in); got != want {
			t.Errorf("localURL(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMaskAccessKeyID(t *testing.T) {
	for in, want := range map[string]string{
		"LTAI5tExampleKey9": "LTAI5t…Key9",
		"LTAI5tDemoKey":     "LTAI5t…oKey",
		"SHORTKEY12":        "SHO…12",
		"abc":               "a…",
		"":                  "",
	} {
		if got := MaskAccessKeyID(in); got != want {
			t.Errorf("MaskAccessKeyID(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFormatters(t *testing.T) {
	now := time.Date(2025, 6, 3, 13, 4, 0, 0, time.UTC)
	checks := []struct{ got, want string }{
		{FormatBytes(8932), "8.7 KB"},
		{FormatBytes(512), "512 B"},
		{FormatBytes(4096477), "3.9 MB"},
		{FormatBytes(2_412_096_477), "2.2 GB"},
		{FormatBytes(0), ""},
		{FormatInt(4096477), "4,096,477"},
		{FormatInt(-1234), "-1,234"},
		{FormatInt(12), "12"},
		{FormatDuration(42.493), "0:00:42"},
		{FormatDuration(4242.493), "1:10:42"},
		{FormatDuration(0), ""},
		{FormatSeconds(42.4930), "42.493 s"},
		{FormatBitrate(771.228), "771 kbps"},
		{FormatBitrate(4548.228), "4.55 Mbps"},
		{FormatFPS(29.97002997), "29.97"},
		{FormatFPS(25), "25"},
		{FormatResolution(960, 540), "960 × 540"},
		{FormatResolution(0, 540), ""},
		{FormatUTC(now), "2025-06-03 13:04:00 UTC"},
		{FormatRelative(now.Add(59*time.Minute), now), "in 59 minutes"},
		{FormatRelative(now.Add(-72*time.Hour), now), "3 days ago"},
		{FormatRelative(now.Add(-time.Hour), now), "1 hour ago"},
		{FormatRelative(now.Add(10*time.Second), now), "just now"},
		{FormatRelative(now.Add(59*time.Minute+50*time.Second), now), "in 1 hour"},
		{FormatRelative(now.Add(-10*24*time.Hour), now), "1 week ago"},
		{FormatRelative(now.Add(-40*24*time.Hour), now), "1 month ago"},
		{FormatRelative(now.Add(-800*24*time.Hour), now), "2 years ago"},
		{FormatRelative(now, time.Time{}), ""},
		{formatExpiry(now.Add(-3*time.Minute), now), "expired 3 minutes ago"},
	}
	for i, c := range checks {
		if c.got != c.want {
			t.Errorf("check %d: got %q, want %q", i, c.got, c.want)
		}
	}
}

// pages renders every page with sample data, as full pages.
func pages(base string, assets AssetURLs) map[string]templ.Component {
	l := sampleLayout(assets)
	home := sampleHome()
	home.ImageIDs = "3e34733b40b94a96ccf5c1ff6f69a1c0, b7a1e2c3d4f5061728394a5b6c7d8e9f"
	loginLayout := l
	loginLayout.SignedIn, loginLayout.Title = false, "Sign in"
	login := sampleLogin()
	loginErr := login
	loginErr.Demo, loginErr.Error, loginErr.ServerCredentials = nil, "The AccessKey ID or secret is wrong, or the key is disabled.", true
	loginErr.Region = "eu-central-1"
	settingsLayout := l
	settingsLayout.Nav, settingsLayout.Title = NavSettings, "Settings"
	errLayout := l
	errLayout.Title = "Not found"
	return map[string]templ.Component{
		"login":                Page(loginLayout, LoginContent(login)),
		"login_error":          Page(loginLayout, LoginContent(loginErr)),
		"home":                 Page(l, HomeContent(sampleHome(), nil)),
		"images":               Page(l, HomeContent(home, ImageResults(sampleImageList(base)))),
		"image_detail":         Page(l, ImageDetailContent(sampleImageDetail(base))),
		"media":                Page(l, HomeContent(Home{MediaIDs: "10a5fa364a5b71ef89246733a78e0c1d"}, MediaResults(sampleMediaList(base)))),
		"media_detail":         Page(l, MediaDetailContent(MediaDetail{Media: sampleVideo(base), Now: sampleNow})),
		"media_audio":          Page(l, MediaDetailContent(MediaDetail{Media: sampleAudio(base), Now: sampleNow})),
		"media_transcoding":    Page(l, MediaDetailContent(MediaDetail{Media: sampleTranscoding(base), Now: sampleNow})),
		"settings":             Page(settingsLayout, SettingsContent(Settings{CSRFToken: "csrf-token-123", OutputType: "oss", AuthTimeout: "7200", Saved: true})),
		"settings_error":       Page(settingsLayout, SettingsContent(Settings{CSRFToken: "csrf-token-123", OutputType: "oss", AuthTimeout: "9999999", AuthTimeoutError: "With OSS URLs the validity is at most 2592000 seconds (30 days)."})),
		"error":                Page(errLayout, ErrorContent(ErrorInfo{Status: 404, Message: "There is no media asset with this ID in cn-shanghai.", Hint: "Check the ID, or switch region by signing in again.", RequestID: "4c1d2f9e-7f3a-4b8e-9d0c-2a1b3c4d5e6f"})),
		"hostile_image_detail": Page(l, ImageDetailContent(ImageDetail{Image: hostileImage()})),
		"hostile_media_detail": Page(l, MediaDetailContent(MediaDetail{Media: hostileMedia()})),
	}
}

func TestEveryPageHasLayoutAndNoInlineCode(t *testing.T) {
	for name, c := range pages(testBase, testAssets) {
		t.Run(name, func(t *testing.T) {
			doc := render(t, c)
			one(t, doc, `[data-testid="demo-banner"]`)
			if !strings.Contains(text(doc.Find(`[data-testid="demo-banner"]`)), "Demo mode — data comes from vodboard's built-in VOD emulator") {
				t.Errorf("demo banner text: %q", text(doc.Find(`[data-testid="demo-banner"]`)))
			}
			attr(t, one(t, doc, `meta[name="csrf-token"]`), "content", "csrf-token-123")
			var cfg map[string]any
			raw, _ := one(t, doc, `meta[name="htmx-config"]`).Attr("content")
			if err := json.Unmarshal([]byte(raw), &cfg); err != nil {
				t.Fatalf("htmx-config is not JSON: %v", err)
			}
			for key, want := range map[string]any{
				"allowEval": false, "allowScriptTags": false, "includeIndicatorStyles": false,
				"historyCacheSize": float64(0), "selfRequestsOnly": true, "historyRestoreAsHxRequest": false,
			} {
				if cfg[key] != want {
					t.Errorf("htmx-config %s = %v, want %v", key, cfg[key], want)
				}
			}
			assertNoInlineCode(t, doc)
			one(t, doc, "main#main")
		})
	}
}

// assertNoInlineCode checks what the CSP forbids and what hostile data must
// never produce: inline scripts, scripts not from /static, event-handler
// and style attributes, hx-on, and script-like URLs in any attribute.
func assertNoInlineCode(t *testing.T, doc *goquery.Document) {
	t.Helper()
	doc.Find("script").Each(func(_ int, s *goquery.Selection) {
		src, ok := s.Attr("src")
		if !ok || !strings.HasPrefix(src, "/static/") || strings.TrimSpace(s.Text()) != "" {
			t.Errorf("script element not from /static: %s", goquery.NodeName(s)+" src="+src+" text="+s.Text())
		}
	})
	count(t, doc, "style", 0)
	count(t, doc, "iframe, object, embed, svg[onload]", 0)
	doc.Find("*").Each(func(_ int, s *goquery.Selection) {
		for _, a := range s.Nodes[0].Attr {
			name := strings.ToLower(a.Key)
			val := strings.ToLower(strings.Join(strings.Fields(a.Val), ""))
			if strings.HasPrefix(name, "on") || name == "style" || strings.HasPrefix(name, "hx-on") {
				t.Errorf("<%s> has attribute %s=%q", goquery.NodeName(s), a.Key, a.Val)
			}
			for _, bad := range []string{"javascript:", "vbscript:", "data:"} {
				if strings.HasPrefix(val, bad) {
					t.Errorf("<%s %s=%q> carries a %s URL", goquery.NodeName(s), a.Key, a.Val, bad)
				}
			}
			switch name {
			case "src", "href", "action", "data-copy", "hx-get", "data-resign-url", "title":
				if strings.Contains(val, "javascript:") {
					t.Errorf("<%s %s=%q>", goquery.NodeName(s), a.Key, a.Val)
				}
			}
		}
	})
	// Element names that only hostile data could introduce.
	count(t, doc, "img[onerror], img[src='x'], b[onmouseover]", 0)
}

func TestHostileDataIsInert(t *testing.T) {
	l := sampleLayout(testAssets)
	l.Title = xssTitle
	l.AccessKeyID = xssTag
	l.Alerts = []Alert{{Kind: AlertError, Title: xssTitle, Message: xssTag}}
	hostileLookup := Lookup{
		Requested:   3,
		Invalid:     []InvalidID{{Value: xssTitle, Reason: xssTag}},
		NotFound:    []string{xssTag},
		Forbidden:   []string{xssTitle},
		UnknownRefs: []string{xssURL},
		ChunkErrors: []ChunkError{{IDs: []string{xssTag}, Message: xssTitle, RequestID: xssTag}},
	}
	home := Home{ImageIDs: "</textarea><script>alert(1)</script>", Recent: []RecentLookup{
		{Kind: LookupImages, Label: xssTitle, URL: xssURL},
		{Kind: LookupMedia, Label: xssTag, URL: "//evil.example/x"},
	}, Examples: []Example{{Label: xssTitle, Description: xssTag, URL: "javascript:alert(1)"}}}
	components := map[string]templ.Component{
		"images":       HomeContent(home, ImageResults(ImageList{Lookup: hostileLookup, Images: []Image{hostileImage()}})),
		"media":        MediaResults(MediaList{Lookup: hostileLookup, Media: []Media{hostileMedia()}}),
		"image detail": ImageDetailContent(ImageDetail{Image: hostileImage(), Now: sampleNow}),
		"media detail": MediaDetailContent(MediaDetail{Media: hostileMedia(), Now: sampleNow}),
		"thumb":        ImageThumb(hostileImage(), false),
		"login":        LoginContent(Login{CSRFToken: xssTag, Next: xssURL, AccessKeyID: xssTag, Region: xssTag, Error: xssTitle}),
		"settings":     SettingsContent(Settings{CSRFToken: xssTag, AuthTimeout: xssTag, AuthTimeoutError: xssTitle}),
		"error":        ErrorContent(ErrorInfo{Status: 500, Title: xssTitle, Message: xssTag, Hint: xssTitle, RequestID: xssTag}),
		"error alert":  ErrorAlert(ErrorInfo{Status: 502, Title: xssTitle, Message: xssTag, RequestID: xssTag}),
	}
	for name, c := range components {
		t.Run(name, func(t *testing.T) {
			doc := render(t, Page(l, c))
			assertNoInlineCode(t, doc)
			if !strings.Contains(doc.Text(), `<script>alert(`) && !strings.Contains(doc.Text(), `"><img src=x onerror=alert(1)>`) {
				t.Errorf("hostile text should be shown as text")
			}
		})
	}

	t.Run("hostile titles are text", func(t *testing.T) {
		doc := render(t, ImageResults(ImageList{Images: []Image{hostileImage()}}))
		card := one(t, doc, `[data-testid="image-card"]`)
		attr(t, card, "data-id", `"><svg onload=alert(1)>`)
		if got := text(card.Find(".card-title")); got != xssTitle {
			t.Errorf("title = %q", got)
		}
		count(t, doc, `[data-testid="image-card"] img`, 0) // javascript: URL: no img at all
		one(t, doc, `[data-testid="image-card"] .thumb-empty`)
		tags := render(t, ImageDetailContent(ImageDetail{Image: hostileImage()})).Find(`[data-testid="tag"]`)
		if tags.Length() != 2 || tags.First().Text() != xssTag {
			t.Errorf("tags: %d, first %q", tags.Length(), tags.First().Text())
		}
	})
	t.Run("script-like URLs never reach attributes", func(t *testing.T) {
		doc := render(t, MediaDetailContent(MediaDetail{Media: hostileMedia()}))
		doc.Find(`[data-testid="copy-playurl"]`).Each(func(_ int, s *goquery.Selection) {
			attr(t, s, "data-copy", "")
			if _, ok := s.Attr("disabled"); !ok {
				t.Error("copy button of an unsafe PlayURL should be disabled")
			}
		})
		count(t, doc, `[data-testid="snapshots"] img`, 0)
		count(t, doc, `[data-testid="play-infos"] a`, 0)
		if got := text(one(t, doc, `[data-testid="user-data"]`)); got != `</pre><script>alert(1)</script>` {
			t.Errorf("user data = %q", got)
		}
		copyLink := one(t, doc, `[data-testid="copy-link"]`)
		attr(t, copyLink, "data-copy", "location")
	})
}

func TestLogin(t *testing.T) {
	t.Run("demo", func(t *testing.T) {
		doc := render(t, LoginContent(sampleLogin()))
		btn := one(t, doc, `[data-testid="demo-signin"]`)
		form := btn.Closest("form")
		attr(t, form, "method", "post")
		attr(t, form, "action", "/login/demo")
		// The server signs in with its own demo key: no key material in the form.
		if n := form.Find(`input[name="access_key_secret"], input[name="access_key_id"]`).Length(); n != 0 {
			t.Errorf("demo form carries %d key inputs, want none", n)
		}
		attr(t, form.Find(`input[name="_csrf"]`), "value", "csrf-token-123")
		attr(t, form.Find(`input[name="next"]`), "value", "/media/10a5fa364a5b71ef89246733a78e0c1d")
		main := one(t, doc, `[data-testid="login-form"]`)
		attr(t, main.Find(`input[name="access_key_id"]`), "value", "LTAI5tDemoVodboardKey9")
		attr(t, main.Find(`select[name="region"] option[selected]`), "value", "cn-shanghai")
		secret := main.Find(`input[name="access_key_secret"]`)
		attr(t, secret, "type", "password")
		if _, ok := secret.Attr("value"); ok {
			t.Error("password field must never be pre-filled")
		}
		count(t, doc, `[data-testid="login-error"]`, 0)
		count(t, doc, `[data-testid="server-credentials"]`, 0)
		attr(t, main, "action", "/login")

		if n := main.Find(`select[name="region"] option`).Length(); n != 9 {
			t.Errorf("%d regions, want 9", n)
		}
	})
	t.Run("error keeps input except the secret", func(t *testing.T) {
		doc := render(t, LoginContent(Login{
			CSRFToken: "tok", Region: "eu-central-1", AccessKeyID: "LTAI5tTyped", Error: "The AccessKey ID or secret is wrong.",
			ServerCredentials: true,
		}))
		if got := text(one(t, doc, `[data-testid="login-error"]`)); !strings.Contains(got, "The AccessKey ID or secret is wrong.") {
			t.Errorf("login error = %q", got)
		}
		main := one(t, doc, `[data-testid="login-form"]`)
		attr(t, main.Find(`input[name="access_key_id"]`), "value", "LTAI5tTyped")
		attr(t, main.Find(`select[name="region"] option[selected]`), "value", "eu-central-1")
		for _, name := range []string{"access_key_secret", "security_token"} {
			in := main.Find(`input[name="` + name + `"]`)
			attr(t, in, "type", "password")
			if _, ok := in.Attr("value"); ok {
				t.Errorf("%s must not be pre-filled", name)
			}
		}
		count(t, doc, `[data-testid="demo-signin"]`, 0)
		count(t, doc, `input[name="access_key_secret"][type="hidden"]`, 0)
		sc := one(t, doc, `form[data-testid="server-credentials"]`)
		attr(t, sc, "method", "post")
		attr(t, sc, "action", "/login/server")
		attr(t, sc.Find(`select[name="region"] option[selected]`), "value", "eu-central-1")
		attr(t, sc.Find(`input[name="_csrf"]`), "value", "tok")
		if sc.Find("button").Length() != 1 || !strings.Contains(text(sc), "Continue with server credentials") {
			t.Error("server credentials button missing")
		}
	})
}

func TestHome(t *testing.T) {
	home := sampleHome()
	home.MediaIDs = "10a5fa364a5b71ef89246733a78e0c1d"
	doc := render(t, HomeContent(home, nil))
	for _, f := range []struct{ testID, action, field, value string }{
		{"image-lookup", "/images", "ids", ""},
		{"media-lookup", "/media", "ids", "10a5fa364a5b71ef89246733a78e0c1d"},
		{"reference-lookup", "/media", "refs", ""},
	} {
		form := one(t, doc, `form[data-testid="`+f.testID+`"]`)
		attr(t, form, "method", "get")
		attr(t, form, "action", f.action)
		attr(t, form, "hx-get", f.action)
		attr(t, form, "hx-target", "#results")
		attr(t, form, "hx-push-url", "true")
		ta := form.Find(`textarea[name="` + f.field + `"]`)
		if ta.Length() != 1 || ta.Text() != f.value {
			t.Errorf("%s: textarea %s: %d, %q", f.testID, f.field, ta.Length(), ta.Text())
		}
		if !strings.Contains(text(form), "commas, spaces or new lines") {
			t.Errorf("%s: help text missing", f.testID)
		}
	}
	one(t, doc, "#results")
	recent := one(t, doc, `[data-testid="recent-lookups"]`)
	attr(t, recent, "id", "recent-lookups")
	links := recent.Find("a")
	if links.Length() != 3 {
		t.Fatalf("%d recent links", links.Length())
	}
	attr(t, links.First(), "href", "/images?ids=3e34733b40b94a96ccf5c1ff6f69a1c0")
	attr(t, links.First(), "hx-get", "/images?ids=3e34733b40b94a96ccf5c1ff6f69a1c0")
	count(t, doc, `[data-testid="try-these"] a`, 3)

	empty := render(t, HomeContent(Home{}, nil))
	one(t, empty, `[data-testid="recent-lookups"]`)
	count(t, empty, `[data-testid="try-these"]`, 0)

	oob := render(t, RecentLookupsOOB(home.Recent))
	attr(t, one(t, oob, "#recent-lookups"), "hx-swap-oob", "true")
}

func TestImageResults(t *testing.T) {
	v := sampleImageList(testBase)
	doc := render(t, ImageResults(v))
	one(t, doc, `[data-testid="image-grid"]`)
	cards := doc.Find(`[data-testid="image-card"]`)
	if cards.Length() != len(v.Images) {
		t.Fatalf("%d cards, want %d", cards.Length(), len(v.Images))
	}
	first := cards.First()
	attr(t, first, "data-id", v.Images[0].ID)
	img := first.Find("img")
	attr(t, img, "src", v.Images[0].URL)
	attr(t, img, "loading", "lazy")
	attr(t, img, "width", "1920")
	attr(t, img, "height", "1080")
	attr(t, img, "alt", v.Images[0].Title)
	attr(t, img, "data-resign-url", "/images/3e34733b40b94a96ccf5c1ff6f69a1c0/thumb")
	attr(t, first.Find(".thumb"), "id", "thumb-3e34733b40b94a96ccf5c1ff6f69a1c0")
	attr(t, first.Find(`a[href="/images/3e34733b40b94a96ccf5c1ff6f69a1c0"]`).Last(), "href", "/images/3e34733b40b94a96ccf5c1ff6f69a1c0")
	for _, want := range []string{"Launch keynote — cover", "CoverSnapshot", "Normal", "8.7 KB", "1920 × 1080"} {
		if !strings.Contains(text(first), want) {
			t.Errorf("first card lacks %q: %q", want, text(first))
		}
	}
	attr(t, one(t, doc, `[data-testid="copy-link"]`), "data-copy", "location")

	nonexistent := doc.Find(`[data-flag="nonexistent"]`)
	if nonexistent.Length() != 2 || text(nonexistent.First()) != "f45cf4eba5c80233389558c39e0a1b2c" {
		t.Errorf("nonexistent flags: %d %q", nonexistent.Length(), text(nonexistent.First()))
	}
	chunk := one(t, doc, `[data-testid="chunk-error"]`)
	for _, want := range []string{"9f9f9f9f9f9f9f9f9f9f9f9f9f9f9f9f", "throttling", "9E290613-04F4-47F4-795D30732077A1B2"} {
		if !strings.Contains(text(chunk), want) {
			t.Errorf("chunk error lacks %q", want)
		}
	}
	if got := text(one(t, doc, `[data-testid="invalid-ids"]`)); !strings.Contains(got, "not an id!") {
		t.Errorf("invalid ids = %q", got)
	}
	if got := text(one(t, doc, `[data-testid="results-summary"]`)); got != "4 of 7 images found" {
		t.Errorf("summary = %q", got)
	}

	empty := render(t, ImageResults(ImageList{Lookup: Lookup{Requested: 1, NotFound: []string{"abc"}}}))
	count(t, empty, `[data-testid="image-grid"]`, 0)
	one(t, empty, `[data-flag="nonexistent"]`)
	if !strings.Contains(text(empty.Find(".empty")), "None of the IDs returned a image") && !strings.Contains(text(empty.Find(".empty")), "None of the IDs") {
		t.Errorf("empty text = %q", text(empty.Find(".empty")))
	}
	attr(t, one(t, empty, `[data-testid="copy-link"]`), "data-copy", "location")
}

func TestImageThumbFragment(t *testing.T) {
	img := sampleImages(testBase)[1]
	doc := render(t, ImageThumb(img, false))
	box := one(t, doc, "body > div.thumb")
	attr(t, box, "id", "thumb-b7a1e2c3d4f5061728394a5b6c7d8e9f")
	attr(t, box.Find("img"), "src", img.URL)
	attr(t, box.Find("img"), "width", "1080")
	attr(t, box.Find("img"), "height", "1920")
}

func TestImageDetail(t *testing.T) {
	v := sampleImageDetail(testBase)
	doc := render(t, ImageDetailContent(v))
	d := one(t, doc, `[data-testid="image-detail"]`)
	attr(t, d, "data-id", v.Image.ID)
	count(t, doc, `[data-testid="tag"]`, 3)
	for _, want := range []string{
		v.Image.ID, "Launch keynote — cover", "Cover frame picked", "CoverSnapshot", "China (Shanghai)", "app-1000000",
		"outin-4f2b8c.oss-cn-shanghai.aliyuncs.com", "Keynotes", "#254766071", "2025-05-31 02:37:23 UTC", "3 days ago",
		"keynote-cover.png", "8.7 KB", "(8,932 bytes)", "1920 × 1080",
	} {
		if !strings.Contains(text(d), want) {
			t.Errorf("detail lacks %q", want)
		}
	}
	if got := text(one(t, doc, `[data-testid="url-expiry"]`)); got != "expires 14:03 UTC, in 59 minutes" {
		t.Errorf("expiry = %q", got)
	}
	one(t, doc, `[data-testid="url-expiry"] time[data-relative="expiry"][datetime="2025-06-03T14:03:00Z"]`)
	one(t, doc, `[data-testid="mezzanine"] a[href="`+v.Image.Mezzanine.FileURL+`"]`)
	one(t, doc, `time[data-relative][datetime="2025-05-31T02:37:23Z"]`)
	attr(t, one(t, doc, `[data-testid="copy-link"]`), "data-copy", "location")
	// Audit status (older API) shown when present.
	if !strings.Contains(text(d), "Audit status") {
		t.Error("audit status missing")
	}
}

func TestMediaResults(t *testing.T) {
	v := sampleMediaList(testBase)
	doc := render(t, MediaResults(v))
	one(t, doc, `[data-testid="media-table"]`)
	rows := doc.Find(`tr[data-testid="media-row"]`)
	if rows.Length() != 4 {
		t.Fatalf("%d rows", rows.Length())
	}
	first := rows.First()
	attr(t, first, "data-id", "10a5fa364a5b71ef89246733a78e0c1d")
	one(t, doc, `tr[data-id="10a5fa364a5b71ef89246733a78e0c1d"] a[href="/media/10a5fa364a5b71ef89246733a78e0c1d"]:not([aria-hidden])`)
	for _, want := range []string{"Launch keynote 2025 (full replay)", "Normal", "1:10:42", "2.2 GB", "1920 × 1080", "1 V", "2 A", "5", "Standard"} {
		if !strings.Contains(text(first), want) {
			t.Errorf("row lacks %q: %q", want, text(first))
		}
	}
	attr(t, one(t, doc, `[data-flag="nonexistent"]`), "data-flag", "nonexistent")
	if got := text(one(t, doc, `[data-flag="forbidden"]`)); got != "cc65bba53f6ed90de118a7849bb22cc0" {
		t.Errorf("forbidden = %q", got)
	}
	if got := text(one(t, doc, `[data-flag="nonexistent-reference"]`)); got != "123-123" {
		t.Errorf("unknown ref = %q", got)
	}
	one(t, doc, `[data-testid="copy-link"][data-copy="location"]`)
	if !strings.Contains(text(doc.Find(`[data-flag-group="forbidden"]`)), "Forbidden") {
		t.Error("forbidden explanation missing")
	}
}

func TestMediaDetail(t *testing.T) {
	v := MediaDetail{Media: sampleVideo(testBase), Now: sampleNow}
	doc := render(t, MediaDetailContent(v))
	d := one(t, doc, `[data-testid="media-detail"]`)
	attr(t, d, "data-id", v.Media.ID)
	count(t, doc, `[data-testid="tag"]`, 3)
	count(t, doc, `[data-testid="streams-empty"]`, 0)
	count(t, doc, `[data-testid="playinfos-empty"]`, 0)

	video := one(t, doc, `table[data-testid="video-streams"]`)
	if n := video.Find("tbody tr").Length(); n != 1 {
		t.Errorf("%d video rows", n)
	}
	if n := video.Find("thead th").Length(); n != 23 {
		t.Errorf("%d video columns, want 23 (every field)", n)
	}
	for _, want := range []string{"h264", "H.264 / AVC", "High", "40", "1920 × 1080", "4.35 Mbps", "29.97", "yuv420p", "SDR", "1:1", "16:9", "127,148", "4242.466 s", "1/30000", "1001/60000", "0x31637661", "avc1", "und"} {
		if !strings.Contains(text(video.Find("tbody")), want) {
			t.Errorf("video stream lacks %q", want)
		}
	}
	audio := one(t, doc, `table[data-testid="audio-streams"]`)
	if n := audio.Find("tbody tr").Length(); n != 2 {
		t.Errorf("%d audio rows", n)
	}
	if n := audio.Find("thead th").Length(); n != 16 {
		t.Errorf("%d audio columns, want 16 (every field)", n)
	}
	for _, want := range []string{"aac", "eng", "stereo", "48,000 Hz", "fltp", "192 kbps", "mp4a", "0x6134706d"} {
		if !strings.Contains(text(audio.Find("tbody")), want) {
			t.Errorf("audio stream lacks %q", want)
		}
	}
	plays := one(t, doc, `table[data-testid="play-infos"]`)
	rows := plays.Find("tbody tr")
	if rows.Length() != 5 {
		t.Fatalf("%d play info rows", rows.Length())
	}
	invisible := plays.Find(`tbody tr[data-status="Invisible"]`)
	if invisible.Length() != 1 || !invisible.HasClass("is-secondary") || !strings.Contains(text(invisible), "Invisible") {
		t.Errorf("invisible row not marked: %d", invisible.Length())
	}
	copyURL := rows.Eq(1).Find(`button[data-testid="copy-playurl"]`)
	attr(t, copyURL, "data-copy", v.Media.PlayInfos[1].PlayURL)
	encrypted := rows.Eq(1)
	for _, want := range []string{"Encrypted", "AliyunVoDEncryption", "License", "Copyright watermark", "CopyrightMarkTest", "dgfn264578561a2b"} {
		if !strings.Contains(text(encrypted), want) {
			t.Errorf("encrypted row lacks %q", want)
		}
	}
	if encrypted.Find(`[data-encrypted="true"] svg`).Length() != 1 {
		t.Error("encrypted row lacks the lock badge")
	}
	for _, want := range []string{"FD", "m3u8", "video", "640 × 360", "451 kbps", "25", "228 MB", "1:10:42", "h264", "H264.FD", "Normal", "2025-05-28 09:40:15 UTC"} {
		if !strings.Contains(text(rows.Eq(0)), want) {
			t.Errorf("FD row lacks %q: %q", want, text(rows.Eq(0)))
		}
	}
	info := text(d)
	for _, want := range []string{
		"Full replay of the keynote", "Keynotes", "Standard", "app-1000000", "b4039216985f4312a5382a4ed1e2f3a4",
		"keynote-2025-full", "2025-05-28 09:15:50 UTC", "2025-06-02 06:38:48 UTC", "keynote-2025-master.mp4",
		"9e107d9d372bb6826bd81d3542a419d6", "4.55 Mbps", "29.97 fps", "2,412,096,477 bytes",
	} {
		if !strings.Contains(info, want) {
			t.Errorf("detail lacks %q", want)
		}
	}
	if got := one(t, doc, `[data-testid="user-data"]`).Text(); !strings.Contains(got, "\n  \"Extend\": \"campaign-42\",") {
		t.Errorf("user data not kept as pretty-printed: %q", got)
	}
	count(t, doc, `[data-testid="snapshots"] img`, 3)
	attr(t, one(t, doc, `[data-testid="copy-link"]`), "data-copy", "location")
}

func TestMediaDetailEmptyStates(t *testing.T) {
	tests := []struct {
		name         string
		media        Media
		streams      []string // texts of streams-empty blocks
		playInfos    string   // text of playinfos-empty ("" when a table is expected)
		videoTable   bool
		audioTable   bool
		playInfoRows int
	}{
		{
			name: "audio only", media: sampleAudio(testBase),
			streams: []string{"This is an audio-only asset: it has no video streams."}, audioTable: true, playInfoRows: 1,
		},
		{
			name: "transcoding", media: sampleTranscoding(testBase),
			streams:   []string{"VOD has not reported stream details"},
			playInfos: "Still transcoding: definitions appear when transcoding finishes.",
		},
		{
			name: "uploading", media: Media{ID: "u", Status: "Uploading"},
			streams: []string{"Still uploading"}, playInfos: "Still uploading",
		},
		{
			name: "upload failed", media: Media{ID: "f", Status: "UploadFail"},
			streams: []string{"The upload failed"}, playInfos: "The upload failed",
		},
		{
			name: "transcode failed", media: Media{ID: "t", Status: "TranscodeFail", Mezzanine: sampleVideo(testBase).Mezzanine},
			videoTable: true, audioTable: true, playInfos: "Transcoding failed",
		},
		{
			name: "blocked", media: sampleArchived(testBase),
			streams: []string{"This asset is blocked"}, playInfos: "This asset is blocked",
		},
		{
			name: "silent video", media: Media{ID: "s", Status: "Normal", Mezzanine: MediaMezzanine{VideoStreams: sampleVideo(testBase).Mezzanine.VideoStreams}},
			streams: []string{"This video has no audio stream"}, videoTable: true, playInfos: "VOD returned no playable definitions",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := render(t, MediaDetailContent(MediaDetail{Media: tt.media, Now: sampleNow}))
			empties := doc.Find(`[data-testid="streams-empty"]`)
			if empties.Length() != len(tt.streams) {
				t.Fatalf("%d streams-empty blocks, want %d", empties.Length(), len(tt.streams))
			}
			for i, want := range tt.streams {
				if got := text(empties.Eq(i)); !strings.Contains(got, want) {
					t.Errorf("streams-empty %d = %q, want %q", i, got, want)
				}
			}
			count(t, doc, `table[data-testid="video-streams"]`, b2i(tt.videoTable))
			count(t, doc, `table[data-testid="audio-streams"]`, b2i(tt.audioTable))
			if tt.playInfos == "" {
				count(t, doc, `[data-testid="playinfos-empty"]`, 0)
				count(t, doc, `table[data-testid="play-infos"] tbody tr`, tt.playInfoRows)
			} else {
				count(t, doc, `table[data-testid="play-infos"]`, 0)
				if got := text(one(t, doc, `[data-testid="playinfos-empty"]`)); !strings.Contains(got, tt.playInfos) {
					t.Errorf("playinfos-empty = %q, want %q", got, tt.playInfos)
				}
			}
		})
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestSettings(t *testing.T) {
	doc := render(t, SettingsContent(Settings{CSRFToken: "tok", OutputType: "oss", AuthTimeout: "7200", Saved: true}))
	form := one(t, doc, `form[data-testid="settings-form"]`)
	attr(t, form, "method", "post")
	attr(t, form, "action", "/settings")
	attr(t, form.Find(`input[name="_csrf"]`), "value", "tok")
	attr(t, form.Find(`input[name="output_type"][checked]`), "value", "oss")
	attr(t, form.Find(`input[name="auth_timeout"]`), "value", "7200")
	one(t, doc, `[data-testid="settings-saved"]`)
	count(t, doc, `[data-testid="settings-error"]`, 0)
	for _, want := range []string{"2592000", "129600", "3600"} {
		if !strings.Contains(text(form), want) {
			t.Errorf("range %s not explained", want)
		}
	}

	bad := render(t, SettingsContent(Settings{OutputType: "cdn", AuthTimeout: "abc", AuthTimeoutError: "Enter a whole number of seconds."}))
	count(t, bad, `[data-testid="settings-saved"]`, 0)
	attr(t, one(t, bad, `[data-testid="settings-error"]`), "data-field", "auth_timeout")
	attr(t, one(t, bad, `input[name="auth_timeout"]`), "aria-invalid", "true")
	attr(t, one(t, bad, `input[name="auth_timeout"]`), "value", "abc")
	attr(t, one(t, bad, `input[name="output_type"][checked]`), "value", "cdn")
}

func TestErrors(t *testing.T) {
	e := ErrorInfo{Status: 503, Message: "ApsaraVideo VOD did not answer in time.", Hint: "Try again in a minute.", RequestID: "req-1"}
	for name, c := range map[string]templ.Component{"page": ErrorContent(e), "alert": ErrorAlert(e)} {
		t.Run(name, func(t *testing.T) {
			doc := render(t, c)
			box := one(t, doc, `[data-testid="error"]`)
			for _, want := range []string{"503", "Service Unavailable", "did not answer in time", "Try again in a minute."} {
				if !strings.Contains(text(box), want) {
					t.Errorf("error lacks %q: %q", want, text(box))
				}
			}
			if got := text(one(t, doc, `[data-testid="request-id"]`)); got != "req-1" {
				t.Errorf("request id = %q", got)
			}
		})
	}
	doc := render(t, ErrorAlert(ErrorInfo{}))
	if got := text(one(t, doc, `[data-testid="error"]`)); !strings.Contains(got, "Something went wrong") {
		t.Errorf("default message = %q", got)
	}
	count(t, doc, `[data-testid="request-id"]`, 0)
}

func TestLayout(t *testing.T) {
	l := sampleLayout(testAssets)
	l.Alerts = []Alert{{Kind: AlertSuccess, Message: "Signed in."}}
	doc := render(t, Page(l, templ.NopComponent))
	if got := doc.Find("title").Text(); got != "Lookup · vodboard" {
		t.Errorf("title = %q", got)
	}
	acct := one(t, doc, `[data-testid="account"]`)
	if !strings.Contains(text(acct), "LTAI5t…Key9") || strings.Contains(doc.Text(), "LTAI5tDemoVodboardKey9") {
		t.Errorf("access key not masked: %q", text(acct))
	}
	if !strings.Contains(text(acct), "China (Shanghai) · cn-shanghai") {
		t.Errorf("region: %q", text(acct))
	}
	signout := one(t, doc, `[data-testid="signout"]`).Closest("form")
	attr(t, signout, "method", "post")
	attr(t, signout, "action", "/logout")
	attr(t, signout.Find(`input[name="_csrf"]`), "value", "csrf-token-123")
	attr(t, one(t, doc, `nav a[aria-current="page"]`), "href", "/lookup")
	one(t, doc, ".alert-success")
	attr(t, one(t, doc, `script[src="/static/htmx.min.js"]`), "defer", "")

	l.ServerCredentials = true
	srvCreds := render(t, Page(l, templ.NopComponent))
	if got := text(one(t, srvCreds, `[data-testid="account"] .account-id`)); !strings.HasPrefix(got, "Server credentials") {
		t.Errorf("server credentials account = %q", got)
	}

	l.SignedIn, l.DemoMode = false, false
	out := render(t, Page(l, templ.NopComponent))
	count(t, out, `[data-testid="account"], nav, [data-testid="demo-banner"]`, 0)
}
