package web

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"vodboard/session"
	"vodboard/vodclient/emulator"
)

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	h, b := signedIn(t, harnessOptions{})
	anon := h.browser(t)
	id := h.cat.MediaIDs()[0]
	tests := []struct {
		name string
		do   func() *page
		auth bool // an authenticated answer: must not be stored
	}{
		{"sign-in page", func() *page { return anon.get("/login") }, false},
		{"redirect to sign-in", func() *page { return anon.get("/settings") }, false},
		{"refused sign-in", func() *page { return anon.postRaw("/login", url.Values{}) }, false},
		{"healthz", func() *page { return anon.get("/healthz") }, false},
		{"home", func() *page { return b.get("/") }, true},
		{"media detail", func() *page { return b.get("/media/" + id) }, true},
		{"fragment", func() *page { return b.get("/media/"+id, htmx) }, true},
		{"not found", func() *page { return b.get("/media/0000dead") }, true},
		{"unknown route", func() *page { return b.get("/nope") }, true},
		{"settings", func() *page { return b.get("/settings") }, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.do()
			csp := p.header.Get("Content-Security-Policy")
			for _, bad := range []string{"unsafe-inline", "unsafe-eval", "*"} {
				if strings.Contains(csp, bad) {
					t.Errorf("CSP allows %s: %q", bad, csp)
				}
			}
			for _, want := range []string{"frame-ancestors 'none'", "script-src 'self'", "object-src 'none'", "base-uri 'none'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("CSP lacks %s: %q", want, csp)
				}
			}
			for k, want := range map[string]string{
				"Referrer-Policy":        "no-referrer",
				"X-Content-Type-Options": "nosniff",
				"X-Frame-Options":        "DENY",
			} {
				if got := p.header.Get(k); got != want {
					t.Errorf("%s = %q, want %q", k, got, want)
				}
			}
			if tc.auth && p.header.Get("Cache-Control") != "no-store" {
				t.Errorf("authenticated answer with Cache-Control %q", p.header.Get("Cache-Control"))
			}
			if p.header.Get("Strict-Transport-Security") != "" {
				t.Error("HSTS over plain HTTP")
			}
			if strings.HasPrefix(p.header.Get("Content-Type"), "text/html") {
				assertInert(t, p.doc)
			}
		})
	}
}

// assertInert checks that a page runs no code but the layout's own script
// files: no inline scripts or styles, no event handler attributes, no
// script URLs in any attribute.
func assertInert(t *testing.T, doc *goquery.Document) {
	t.Helper()
	doc.Find("script").Each(func(_ int, s *goquery.Selection) {
		src, ok := s.Attr("src")
		if !ok || !strings.HasPrefix(src, "/static/") {
			t.Errorf("a <script> that is not one of the layout's files: %s", outer(s))
		}
	})
	if n := doc.Find("style, [style]").Length(); n != 0 {
		t.Errorf("%d inline styles (CSP style-src 'self' blocks them)", n)
	}
	doc.Find("*").Each(func(_ int, s *goquery.Selection) {
		for _, a := range s.Nodes[0].Attr {
			name := strings.ToLower(a.Key)
			val := strings.ToLower(strings.Map(func(r rune) rune {
				if r <= ' ' {
					return -1
				}
				return r
			}, a.Val))
			if strings.HasPrefix(name, "on") {
				t.Errorf("event handler attribute %s=%q on <%s>", a.Key, a.Val, goquery.NodeName(s))
			}
			for _, scheme := range []string{"javascript:", "vbscript:", "data:text"} {
				if strings.HasPrefix(val, scheme) {
					t.Errorf("attribute %s=%q on <%s> is a script URL", a.Key, a.Val, goquery.NodeName(s))
				}
			}
			if (name == "src" || name == "href" || name == "action") && strings.HasPrefix(val, "//") {
				t.Errorf("attribute %s=%q on <%s> is scheme-relative", a.Key, a.Val, goquery.NodeName(s))
			}
			switch name {
			case "hx-get", "hx-post", "hx-put", "hx-patch", "hx-delete":
				if !strings.HasPrefix(val, "/") || strings.HasPrefix(val, "//") {
					t.Errorf("htmx attribute %s=%q on <%s> is not a local path", a.Key, a.Val, goquery.NodeName(s))
				}
			case "hx-push-url":
				if val != "true" && val != "false" && (!strings.HasPrefix(val, "/") || strings.HasPrefix(val, "//")) {
					t.Errorf("htmx attribute %s=%q on <%s> is not a local path", a.Key, a.Val, goquery.NodeName(s))
				}
			}
		}
	})
}

func outer(s *goquery.Selection) string {
	h, _ := goquery.OuterHtml(s)
	return excerpt(h)
}

func TestCookieFlags(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		publicURL  string
		cookieName string
		secure     bool
	}{
		{"http", "", session.CookieName, false},
		{"behind an https proxy", "https://vod.example.com", session.SecureCookieName, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, harnessOptions{publicURL: tc.publicURL})
			b := h.browser(t)
			login := b.get("/login")
			p := b.submit(login, `[data-testid="login-form"]`, url.Values{
				"access_key_id": {h.key.AccessKeyID}, "access_key_secret": {h.key.AccessKeySecret},
			})
			mustStatus(t, p, http.StatusSeeOther)
			for _, resp := range []*page{login, p} {
				if len(resp.cookie) != 1 {
					t.Fatalf("%d cookies set, want 1: %q", len(resp.cookie), resp.header.Values("Set-Cookie"))
				}
				c := resp.cookie[0]
				if c.Name != tc.cookieName {
					t.Errorf("cookie name %q, want %q", c.Name, tc.cookieName)
				}
				if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Domain != "" || c.Secure != tc.secure {
					t.Errorf("cookie flags: HttpOnly %v SameSite %v Path %q Domain %q Secure %v; Set-Cookie %q",
						c.HttpOnly, c.SameSite, c.Path, c.Domain, c.Secure, resp.header.Values("Set-Cookie"))
				}
				if c.MaxAge <= 0 || time.Duration(c.MaxAge)*time.Second > session.DefaultAbsoluteTimeout {
					t.Errorf("cookie Max-Age %d, want at most the absolute timeout", c.MaxAge)
				}
				if resp.header.Get("Cache-Control") != "no-store" {
					t.Errorf("a response setting the session cookie has Cache-Control %q", resp.header.Get("Cache-Control"))
				}
			}
			if hsts := p.header.Get("Strict-Transport-Security"); tc.secure != (hsts != "") {
				t.Errorf("HSTS %q with https %v", hsts, tc.secure)
			}
			mustStatus(t, b.get("/settings"), http.StatusOK)

			// A tampered cookie is no session.
			vals := b.cookieValues()
			v := []byte(vals[tc.cookieName])
			v[len(v)/2] ^= 1
			vals[tc.cookieName] = string(v)
			forged := h.browser(t)
			forged.setCookies(vals)
			if p := forged.get("/settings"); p.status != http.StatusSeeOther {
				t.Errorf("tampered cookie: status %d", p.status)
			}
		})
	}
}

// TestSecretsNeverLeave walks through everything a user does, with failures
// on the way, and looks for the secret and the STS token in every response
// and in the logs.
func TestSecretsNeverLeave(t *testing.T) {
	t.Parallel()
	sts := newSTSKey(t)
	h := newHarness(t, harnessOptions{mode: "cloud", extraKeys: []emulator.Key{sts}})
	secrets := []string{h.key.AccessKeySecret, sts.AccessKeySecret, sts.SecurityToken}
	var browsers []*browser

	for _, key := range []emulator.Key{h.key, sts} {
		b := h.browser(t)
		browsers = append(browsers, b)
		// A typo first, then the right keys.
		wrong := key
		wrong.AccessKeySecret = key.AccessKeySecret + "x"
		if p := b.signIn(wrong, ""); p.status != http.StatusUnauthorized {
			t.Errorf("wrong secret: status %d", p.status)
		}
		if key.SecurityToken != "" {
			wrongToken := key
			wrongToken.SecurityToken += "x"
			if p := b.signIn(wrongToken, ""); p.status != http.StatusUnauthorized {
				t.Errorf("wrong token: status %d", p.status)
			}
		}
		b.mustSignIn(key)
		imgs := h.cat.ImageIDs()[:3]
		media := h.cat.MediaIDs()[:3]
		b.get("/")
		b.get("/images?ids=" + strings.Join(imgs, ","))
		b.get("/images/" + imgs[0])
		b.get("/images/"+imgs[0]+"/thumb", htmx)
		b.get("/media?ids=" + strings.Join(media, ",") + "&refs=nope")
		b.get("/media/" + media[0])
		h.emu.InjectFault("", emulator.FaultInternalError, 1)
		b.get("/media/" + media[1])
		h.emu.InjectFault("", emulator.FaultNonJSON, 1)
		b.get("/images/"+imgs[1], htmx)
		b.get("/media/" + url.PathEscape("<bad>"))
		b.get("/settings")
		b.post("/settings", url.Values{"output_type": {"oss"}, "auth_timeout": {"60"}})
		b.get("/images?ids=" + imgs[2])
		b.get("/nope")
		b.get("/settings")
		b.post("/logout", nil)
		b.get("/")
	}
	// The server's own logs, Echo's included.
	logs := h.logs.String()
	if !strings.Contains(logs, "request") {
		t.Fatalf("nothing was logged; is the logger wired? %q", logs)
	}
	for _, s := range secrets {
		for _, form := range encodings(s) {
			if strings.Contains(logs, form) {
				t.Errorf("the logs contain a secret (%q)", form)
			}
			for _, b := range browsers {
				for _, p := range b.history {
					if strings.Contains(p.body, form) {
						t.Errorf("a response body contains a secret (%q)", form)
					}
					for k, vs := range p.header {
						for _, v := range vs {
							if strings.Contains(v, form) {
								t.Errorf("header %s contains a secret (%q)", k, form)
							}
						}
					}
					if strings.Contains(p.location(), form) {
						t.Errorf("a redirect URL contains a secret")
					}
				}
			}
		}
	}
}

// encodings are the forms a secret could leak in.
func encodings(s string) []string {
	return []string{
		s,
		url.QueryEscape(s),
		base64.StdEncoding.EncodeToString([]byte(s)),
		base64.RawURLEncoding.EncodeToString([]byte(s)),
	}
}

func TestBodyLimit(t *testing.T) {
	t.Parallel()
	h, b := signedIn(t, harnessOptions{})
	b.get("/settings")
	huge := url.Values{"output_type": {"oss"}, "auth_timeout": {"60"}, "pad": {strings.Repeat("x", 100<<10)}}
	p := b.post("/settings", huge)
	if p.status != http.StatusRequestEntityTooLarge {
		t.Errorf("a 100 KiB form: status %d, want 413", p.status)
	}
	if v := b.get("/settings").find("settings-form").Find(`input[name="auth_timeout"]`).AttrOr("value", ""); v == "60" {
		t.Error("the over-long form was saved")
	}
	_ = h
}
