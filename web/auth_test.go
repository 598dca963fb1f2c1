package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"vodboard/session"
	"vodboard/views"
	"vodboard/vodclient"
	"vodboard/vodclient/emulator"
)

func TestLoginFormFields(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{mode: "cloud"})
	p := h.browser(t).get("/login")
	mustStatus(t, p, http.StatusOK)
	form := mustOne(t, p, "login-form")
	if m, _ := form.Attr("method"); !strings.EqualFold(m, "post") {
		t.Errorf("login form method = %q, want post", m)
	}
	if a, _ := form.Attr("action"); a != "/login" {
		t.Errorf("login form action = %q, want /login", a)
	}
	for _, tc := range []struct {
		sel, typ string
	}{
		{`select[name="region"]`, ""},
		{`input[name="access_key_id"]`, "text"},
		{`input[name="access_key_secret"]`, "password"},
		{`input[name="security_token"]`, "password"},
		{`input[name="_csrf"]`, "hidden"},
		{`input[name="next"]`, "hidden"},
	} {
		s := form.Find(tc.sel)
		if s.Length() != 1 {
			t.Errorf("%s: found %d, want 1", tc.sel, s.Length())
			continue
		}
		if typ, _ := s.Attr("type"); tc.typ != "" && typ != tc.typ {
			t.Errorf("%s: type %q, want %q", tc.sel, typ, tc.typ)
		}
	}
	if v, _ := form.Find(`input[name="_csrf"]`).Attr("value"); v == "" {
		t.Error("hidden _csrf is empty")
	}
	if v, _ := p.doc.Find(`meta[name="csrf-token"]`).Attr("content"); v == "" {
		t.Error(`<meta name="csrf-token"> is empty`)
	}
	if got, _ := form.Find(`select[name="region"] option[selected]`).Attr("value"); got != "cn-shanghai" {
		t.Errorf("preselected region = %q, want the configured cn-shanghai", got)
	}
	if n := p.find("demo-form").Length(); n != 0 {
		t.Errorf("cloud mode shows %d demo forms", n)
	}
	if n := p.find("server-credentials").Length(); n != 0 {
		t.Errorf("server credentials are offered although not enabled")
	}
}

func TestSignIn(t *testing.T) {
	t.Parallel()
	sts := newSTSKey(t)
	h := newHarness(t, harnessOptions{mode: "cloud", extraKeys: []emulator.Key{sts}})

	t.Run("valid keys start a new session", func(t *testing.T) {
		b := h.browser(t)
		form := b.get("/login?next=" + url.QueryEscape("/settings"))
		before := b.cookieValues()
		if len(before) == 0 {
			t.Fatal("the sign-in form set no cookie (it needs one for its CSRF secret)")
		}
		p := b.submit(form, `[data-testid="login-form"]`, url.Values{
			"access_key_id": {h.key.AccessKeyID}, "access_key_secret": {h.key.AccessKeySecret},
		})
		if p.status != http.StatusSeeOther || p.location() != "/settings" {
			t.Fatalf("status %d Location %q, want 303 to /settings", p.status, p.location())
		}
		after := b.cookieValues()
		name := session.CookieName
		if after[name] == "" || after[name] == before[name] {
			t.Fatalf("sign-in did not issue a new session cookie: before %v after %v", before, after)
		}
		mustStatus(t, b.get("/settings"), http.StatusOK)

		// The pre-sign-in cookie is not a session.
		old := h.browser(t)
		old.setCookies(before)
		if p := old.get("/"); p.status != http.StatusSeeOther {
			t.Errorf("the pre-sign-in cookie opened /: status %d", p.status)
		}
	})

	t.Run("signing in again replaces the session", func(t *testing.T) {
		b := h.browser(t)
		b.mustSignIn(h.key)
		first := b.cookieValues()
		idsBefore := h.srv.clients.ids()
		// A signed-in user posting the sign-in form again (an old tab).
		b.get("/settings") // the token rotated at sign-in
		if p := b.post("/login", url.Values{"region": {"cn-shanghai"}, "access_key_id": {h.key.AccessKeyID}, "access_key_secret": {h.key.AccessKeySecret}}); p.status != http.StatusSeeOther {
			t.Fatalf("second sign-in: status %d", p.status)
		}
		idsAfter := h.srv.clients.ids()
		added := diff(idsAfter, idsBefore)
		removed := diff(idsBefore, idsAfter)
		if len(added) != 1 || len(removed) != 1 || added[0] == removed[0] {
			t.Errorf("second sign-in: sessions added %v, removed %v; want one new ID replacing the old", added, removed)
		}
		old := h.browser(t)
		old.setCookies(first)
		if p := old.get("/"); p.status != http.StatusSeeOther {
			t.Errorf("the replaced session still works: status %d", p.status)
		}
	})

	refusals := []struct {
		name       string
		id, secret string
		token      string
		wantStatus int
	}{
		{"wrong secret", h.key.AccessKeyID, "not-the-secret-" + randomHex(t, 4), "", http.StatusUnauthorized},
		{"unknown key", "LTAI5tNoSuchKey0000", "whatever-secret-" + randomHex(t, 4), "", http.StatusUnauthorized},
		{"wrong STS token", sts.AccessKeyID, sts.AccessKeySecret, "CAIS-wrong-token-" + randomHex(t, 4), http.StatusUnauthorized},
		{"STS key without its token", sts.AccessKeyID, sts.AccessKeySecret, "", http.StatusUnauthorized},
	}
	for _, tc := range refusals {
		t.Run(tc.name, func(t *testing.T) {
			b := h.browser(t)
			p := b.signIn(emulator.Key{AccessKeyID: tc.id, AccessKeySecret: tc.secret, SecurityToken: tc.token}, "")
			if tc.wantStatus != 0 && p.status != tc.wantStatus {
				t.Errorf("status = %d, want %d", p.status, tc.wantStatus)
			}
			if p.status < 400 {
				t.Fatalf("status = %d, want a refusal", p.status)
			}
			mustOne(t, p, "login-error")
			if got, _ := p.find("login-form").Find(`input[name="access_key_id"]`).Attr("value"); got != tc.id {
				t.Errorf("typed AccessKey ID not kept: %q, want %q", got, tc.id)
			}
			for _, secret := range []string{tc.secret, tc.token} {
				if secret != "" && strings.Contains(p.body, secret) {
					t.Errorf("the response body contains the secret or token %q", secret)
				}
			}
			if v, _ := p.find("login-form").Find(`input[name="access_key_secret"]`).Attr("value"); v != "" {
				t.Errorf("secret field pre-filled with %q", v)
			}
			if p := b.get("/"); p.status != http.StatusSeeOther {
				t.Errorf("a refused sign-in left a session: GET / status %d", p.status)
			}
		})
	}

	t.Run("STS keys with their token", func(t *testing.T) {
		h.emu.ResetCalls()
		b := h.browser(t)
		p := b.signIn(sts, "")
		if p.status != http.StatusSeeOther {
			t.Fatalf("status %d, want 303; body %s", p.status, excerpt(p.body))
		}
		id := h.cat.MediaIDs()[0]
		mustStatus(t, b.get("/media/"+id), http.StatusOK)
		for _, c := range h.calls("") {
			if c.AccessKeyID != sts.AccessKeyID {
				t.Errorf("call %s signed by %q, want the STS key", c.Action, c.AccessKeyID)
			}
		}
		if strings.Contains(h.logs.String(), sts.SecurityToken) || strings.Contains(h.logs.String(), sts.AccessKeySecret) {
			t.Error("the STS secret or token was logged")
		}
	})
}

// TestBlankFieldsAreRejectedBeforeAnyCall: credentials-go fills empty
// fields from the server's environment, so blanks must never reach it. The
// environment holds valid keys: had they been used, sign-in would succeed.
func TestBlankFieldsAreRejectedBeforeAnyCall(t *testing.T) {
	h := newHarness(t, harnessOptions{mode: "cloud"})
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", h.key.AccessKeyID)
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", h.key.AccessKeySecret)
	t.Setenv("ALIBABA_CLOUD_SECURITY_TOKEN", "")
	t.Setenv("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")

	tests := []struct {
		name                    string
		region, id, secret, tok string
	}{
		{"empty ID", "cn-shanghai", "", "x-secret", ""},
		{"whitespace ID", "cn-shanghai", " \t ", "x-secret", ""},
		{"empty secret", "cn-shanghai", h.key.AccessKeyID, "", ""},
		{"whitespace secret", "cn-shanghai", h.key.AccessKeyID, "   ", ""},
		{"both empty", "cn-shanghai", "", "", ""},
		{"only a token", "cn-shanghai", "", "", "CAIS-token"},
		{"blank region", "", h.key.AccessKeyID, h.key.AccessKeySecret, ""},
		{"unknown region", "mars-north-1", h.key.AccessKeyID, h.key.AccessKeySecret, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h.emu.ResetCalls()
			b := h.browser(t)
			form := b.get("/login")
			p := b.submit(form, `[data-testid="login-form"]`, url.Values{
				"region": {tc.region}, "access_key_id": {tc.id}, "access_key_secret": {tc.secret}, "security_token": {tc.tok},
			})
			if p.status != http.StatusBadRequest {
				t.Errorf("status = %d, want 400", p.status)
			}
			mustOne(t, p, "login-error")
			if calls := h.emu.Calls(); len(calls) != 0 {
				t.Errorf("%d upstream calls, want none: %+v", len(calls), calls)
			}
			if p := b.get("/"); p.status != http.StatusSeeOther {
				t.Errorf("a blank sign-in left a session")
			}
		})
	}
}

func TestDemoSignIn(t *testing.T) {
	t.Parallel()
	t.Run("one click in demo mode", func(t *testing.T) {
		h := newHarness(t, harnessOptions{mode: "demo"})
		b := h.browser(t)
		login := b.get("/login?next=%2Fsettings")
		mustOne(t, login, "demo-form")
		if strings.Contains(login.body, h.key.AccessKeySecret) {
			t.Error("the sign-in page contains the demo secret")
		}
		p := b.post("/login/demo", url.Values{"next": {"/settings"}})
		if p.status != http.StatusSeeOther || p.location() != "/settings" {
			t.Fatalf("POST /login/demo: status %d Location %q, want 303 to /settings; %s", p.status, p.location(), excerpt(p.body))
		}
		home := b.get("/library")
		mustStatus(t, home, http.StatusOK)
		if got, want := strings.TrimSpace(mustOne(t, home, "account").Find(".mono").Text()), views.MaskAccessKeyID(h.key.AccessKeyID); got != want {
			t.Errorf("account shows %q, want %q", got, want)
		}
		mustOne(t, home, "demo-banner")
	})
	t.Run("the demo form signs in as a browser submits it", func(t *testing.T) {
		h := newHarness(t, harnessOptions{mode: "demo"})
		b := h.browser(t)
		login := b.get("/login?next=%2Fsettings")
		p := b.submit(login, `[data-testid="demo-form"]`, nil)
		if p.status != http.StatusSeeOther || p.location() != "/settings" {
			t.Errorf("submitting the demo form: status %d Location %q, want 303 to /settings; %s",
				p.status, p.location(), p.find("login-error").Text())
		}
	})
	t.Run("no demo sign-in in cloud mode", func(t *testing.T) {
		h := newHarness(t, harnessOptions{mode: "cloud"})
		b := h.browser(t)
		b.get("/login")
		if p := b.post("/login/demo", nil); p.status != http.StatusNotFound {
			t.Errorf("POST /login/demo in cloud mode: status %d, want 404", p.status)
		}
		if len(h.emu.Calls()) != 0 {
			t.Error("cloud mode's /login/demo called the API")
		}
	})
}

func TestServerCredentials(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{"demo", "cloud"} {
		t.Run("404 unless enabled, "+mode, func(t *testing.T) {
			h := newHarness(t, harnessOptions{mode: mode})
			b := h.browser(t)
			b.get("/login")
			if p := b.post("/login/server", url.Values{"region": {"cn-shanghai"}}); p.status != http.StatusNotFound {
				t.Errorf("status %d, want 404", p.status)
			}
			if len(h.emu.Calls()) != 0 {
				t.Error("a disabled /login/server called the API")
			}
		})
	}

	serverKey := newKey(t, "Srv")
	cred, err := vodclient.AccessKey(serverKey.AccessKeyID, serverKey.AccessKeySecret)
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, harnessOptions{mode: "cloud", serverCreds: true, serverCred: cred, extraKeys: []emulator.Key{serverKey}})

	t.Run("enabled: signs in and calls with the server's keys", func(t *testing.T) {
		b := h.browser(t)
		login := b.get("/login")
		mustOne(t, login, "server-credentials")
		p := b.post("/login/server", url.Values{"region": {"cn-shanghai"}, "password": {serverPassword}, "next": {"/settings"}})
		if p.status != http.StatusSeeOther || p.location() != "/settings" {
			t.Fatalf("status %d Location %q; %s", p.status, p.location(), excerpt(p.body))
		}
		home := b.get("/media/" + h.cat.MediaIDs()[0])
		mustStatus(t, home, http.StatusOK)
		if got := mustOne(t, home, "account").Text(); strings.Contains(got, serverKey.AccessKeyID[:6]) {
			t.Errorf("the page shows the server's AccessKey ID: %q", got)
		}
		for _, c := range h.calls("") {
			if c.AccessKeyID != serverKey.AccessKeyID {
				t.Errorf("call signed by %q, want the server key", c.AccessKeyID)
			}
		}
		if strings.Contains(h.logs.String(), serverKey.AccessKeySecret) || strings.Contains(home.body, serverKey.AccessKeySecret) {
			t.Error("the server secret leaked into the logs or the page")
		}
	})
	t.Run("the server-credentials form signs in as a browser submits it", func(t *testing.T) {
		b := h.browser(t)
		login := b.get("/login")
		p := b.submit(login, `[data-testid="server-credentials"]`, url.Values{"password": {serverPassword}})
		if p.status != http.StatusSeeOther {
			t.Errorf("submitting the server-credentials form: status %d, want 303; %s", p.status, p.find("login-error").Text())
		}
	})
	t.Run("refused without the dashboard password", func(t *testing.T) {
		for _, password := range []string{"", "wrong password!", serverPassword + " "} {
			b := h.browser(t)
			b.get("/login")
			before := len(h.calls(""))
			p := b.post("/login/server", url.Values{"region": {"cn-shanghai"}, "password": {password}})
			if p.status != http.StatusUnauthorized {
				t.Errorf("password %q: status %d, want 401", password, p.status)
			}
			mustOne(t, p, "login-error")
			if strings.Contains(p.body, serverPassword) {
				t.Error("the page shows the password")
			}
			if n := len(h.calls("")); n != before {
				t.Errorf("password %q: %d upstream calls, want none", password, n-before)
			}
			if home := b.get("/"); home.status != http.StatusSeeOther {
				t.Errorf("password %q: signed in anyway", password)
			}
		}
	})
	t.Run("requires CSRF", func(t *testing.T) {
		b := h.browser(t)
		b.get("/login")
		if p := b.postRaw("/login/server", url.Values{"region": {"cn-shanghai"}, "password": {serverPassword}}); p.status != http.StatusForbidden {
			t.Errorf("status %d, want 403", p.status)
		}
	})
}

func TestSignInNeedsCSRF(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{mode: "demo"})
	good := url.Values{"region": {"cn-shanghai"}, "access_key_id": {h.key.AccessKeyID}, "access_key_secret": {h.key.AccessKeySecret}}
	tests := []struct {
		name  string
		path  string
		token func(b *browser) string // "" = no token
		opts  []reqOption
		fresh bool // no GET /login first: no cookie at all
	}{
		{name: "no token", path: "/login", token: func(*browser) string { return "" }},
		{name: "no cookie", path: "/login", token: func(*browser) string { return "" }, fresh: true},
		{name: "forged token", path: "/login", token: func(*browser) string { return strings.Repeat("A", 86) }},
		{name: "another browser's token", path: "/login", token: func(*browser) string {
			o := h.browser(t)
			o.get("/login")
			return o.token()
		}},
		{name: "cross-site", path: "/login", token: func(b *browser) string { return b.token() }, opts: []reqOption{withHeader("Sec-Fetch-Site", "cross-site")}},
		{name: "demo without token", path: "/login/demo", token: func(*browser) string { return "" }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h.emu.ResetCalls()
			b := h.browser(t)
			if !tc.fresh {
				b.get("/login")
			}
			form := url.Values{}
			for k, v := range good {
				form[k] = v
			}
			if tok := tc.token(b); tok != "" {
				form.Set("_csrf", tok)
			}
			p := b.postRaw(tc.path, form, tc.opts...)
			if p.status != http.StatusForbidden {
				t.Errorf("status %d, want 403", p.status)
			}
			mustOne(t, p, "error")
			if len(h.emu.Calls()) != 0 {
				t.Error("a request without a valid CSRF token called the API")
			}
			if p := b.get("/"); p.status != http.StatusSeeOther {
				t.Error("a request without a valid CSRF token signed in")
			}
		})
	}
	t.Run("token in the header works", func(t *testing.T) {
		b := h.browser(t)
		b.get("/login")
		p := b.postRaw("/login", good, withHeader("X-CSRF-Token", b.token()))
		if p.status != http.StatusSeeOther {
			t.Errorf("status %d, want 303", p.status)
		}
	})
}

func TestSignInRateLimit(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{mode: "cloud"})
	b := h.browser(t)
	b.get("/login")
	blank := url.Values{"region": {"cn-shanghai"}, "access_key_id": {""}, "access_key_secret": {""}}
	var statuses []int
	limited := -1
	for i := range 30 {
		// A client cannot dodge the limit by claiming to be someone else:
		// no proxy is trusted.
		p := b.post("/login", blank, withHeader("X-Forwarded-For", fmt.Sprintf("203.0.113.%d", i+1)), withHeader("X-Real-IP", fmt.Sprintf("203.0.113.%d", i+1)))
		statuses = append(statuses, p.status)
		if p.status == http.StatusTooManyRequests {
			limited = i
			if p.header.Get("Retry-After") == "" {
				t.Error("429 without Retry-After")
			}
			mustOne(t, p, "error")
			break
		}
		if p.status != http.StatusBadRequest {
			t.Fatalf("attempt %d: status %d, want 400", i+1, p.status)
		}
	}
	if limited < 0 {
		t.Fatalf("30 sign-in attempts were never limited: %v", statuses)
	}
	if limited < 3 {
		t.Errorf("limited after only %d attempts", limited)
	}
	// Valid keys are refused too while limited.
	if p := b.post("/login", url.Values{"region": {"cn-shanghai"}, "access_key_id": {h.key.AccessKeyID}, "access_key_secret": {h.key.AccessKeySecret}}); p.status != http.StatusTooManyRequests {
		t.Errorf("valid keys while limited: status %d, want 429", p.status)
	}
	// Another client is not affected.
	o := h.browser(t)
	o.get("/login")
	if p := o.post("/login", blank); p.status != http.StatusBadRequest {
		t.Errorf("another client: status %d, want 400; %s", p.status, excerpt(p.body))
	}
}

func TestSignedOutRedirects(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{mode: "demo"})

	t.Run("back to the page after sign-in", func(t *testing.T) {
		b := h.browser(t)
		p := b.get("/media/xyz")
		if p.status != http.StatusSeeOther || p.location() != "/login?next=%2Fmedia%2Fxyz" {
			t.Fatalf("status %d Location %q, want 303 to /login?next=%%2Fmedia%%2Fxyz", p.status, p.location())
		}
		login := b.get(p.location())
		mustStatus(t, login, http.StatusOK)
		if v, _ := login.find("login-form").Find(`input[name="next"]`).Attr("value"); v != "/media/xyz" {
			t.Errorf("hidden next = %q", v)
		}
		p = b.submit(login, `[data-testid="login-form"]`, url.Values{"access_key_id": {h.key.AccessKeyID}, "access_key_secret": {h.key.AccessKeySecret}})
		if p.status != http.StatusSeeOther || p.location() != "/media/xyz" {
			t.Fatalf("after sign-in: status %d Location %q, want /media/xyz", p.status, p.location())
		}
		// xyz is a well-formed ID that does not exist.
		detail := b.get(p.location())
		mustStatus(t, detail, http.StatusNotFound)
		if got := texts(detail.doc.Find(`[data-flag="nonexistent"]`), ""); len(got) != 1 || got[0] != "xyz" {
			t.Errorf("flags = %v", got)
		}
	})

	t.Run("a query string survives", func(t *testing.T) {
		b := h.browser(t)
		target := "/images?ids=a1%2Cb2"
		p := b.get(target)
		if want := "/login?next=" + url.QueryEscape(target); p.location() != want {
			t.Fatalf("Location %q, want %q", p.location(), want)
		}
		if p := b.signIn(h.key, target); p.location() != target {
			t.Errorf("after sign-in: Location %q, want %q", p.location(), target)
		}
	})

	for _, next := range []string{"//evil.example", "https://evil.example", "/\\evil.example", "javascript:alert(1)", "/%2F%2Fevil.example", "http:/\\evil.example"} {
		t.Run("next="+next, func(t *testing.T) {
			b := h.browser(t)
			login := b.get("/login?next=" + url.QueryEscape(next))
			if v, _ := login.find("login-form").Find(`input[name="next"]`).Attr("value"); v != "/" {
				t.Errorf("hidden next = %q, want /", v)
			}
			// A tampered form field is checked too.
			p := b.submit(login, `[data-testid="login-form"]`, url.Values{
				"access_key_id": {h.key.AccessKeyID}, "access_key_secret": {h.key.AccessKeySecret}, "next": {next},
			})
			if p.status != http.StatusSeeOther || p.location() != "/" {
				t.Errorf("status %d Location %q, want 303 to /", p.status, p.location())
			}
			// Signed in already: GET /login?next= also redirects locally.
			if p := b.get("/login?next=" + url.QueryEscape(next)); p.location() != "/" {
				t.Errorf("signed-in GET /login: Location %q, want /", p.location())
			}
		})
	}

	t.Run("htmx request gets HX-Redirect", func(t *testing.T) {
		b := h.browser(t)
		// After sign-in the user returns to the page they were on
		// (HX-Current-URL), not to the fragment it asked for.
		for _, tc := range []struct{ target, page, want string }{
			{"/images?ids=abc", "http://vodboard.test/", "/"},
			{"/media/abc", "http://vodboard.test/media?ids=abc", "/media?ids=abc"},
			{"/images/abc/thumb", "http://vodboard.test/images?ids=abc,def", "/images?ids=abc,def"},
			{"/media/abc", "", "/"},
			{"/media/abc", "http://evil.example//evil.example/x", "/"},
		} {
			target := tc.target
			p := b.get(target, htmx, withHeader("HX-Current-URL", tc.page))
			want := "/login?next=" + url.QueryEscape(tc.want)
			if got := p.header.Get("HX-Redirect"); got != want {
				t.Errorf("%s from %s: HX-Redirect %q, want %q", target, tc.page, got, want)
			}
			if p.status >= 300 && p.status < 400 {
				t.Errorf("%s: status %d: htmx would follow a redirect and swap the sign-in page in", target, p.status)
			}
			if strings.TrimSpace(p.body) != "" {
				t.Errorf("%s: body %q, want none", target, excerpt(p.body))
			}
		}
	})
}

func TestSessionTimeouts(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{mode: "demo"})

	t.Run("idle", func(t *testing.T) {
		b := h.browser(t)
		b.mustSignIn(h.key)
		h.clock.Advance(session.DefaultIdleTimeout - time.Minute)
		mustStatus(t, b.get("/settings"), http.StatusOK)
		// Activity resets the idle timer.
		h.clock.Advance(session.DefaultIdleTimeout - time.Minute)
		mustStatus(t, b.get("/settings"), http.StatusOK)
		before := h.srv.clients.len()

		h.clock.Advance(session.DefaultIdleTimeout + time.Second)
		p := b.get("/settings", htmx, withHeader("HX-Current-URL", "http://vodboard.test/settings"))
		if got := p.header.Get("HX-Redirect"); got != "/login?next=%2Fsettings" {
			t.Errorf("expired session, htmx: HX-Redirect %q", got)
		}
		p = b.get("/settings")
		if p.status != http.StatusSeeOther || !strings.HasPrefix(p.location(), "/login") {
			t.Errorf("expired session: status %d Location %q, want the sign-in page", p.status, p.location())
		}
		if h.srv.clients.len() != before-1 {
			t.Errorf("the expired session's client was not released: %d clients, had %d", h.srv.clients.len(), before)
		}
	})

	t.Run("absolute", func(t *testing.T) {
		b := h.browser(t)
		b.mustSignIn(h.key)
		step := session.DefaultIdleTimeout / 2
		var elapsed time.Duration
		for elapsed+step < session.DefaultAbsoluteTimeout {
			h.clock.Advance(step)
			elapsed += step
			if p := b.get("/settings"); p.status != http.StatusOK {
				t.Fatalf("after %v of activity: status %d", elapsed, p.status)
			}
		}
		h.clock.Advance(step)
		if p := b.get("/settings"); p.status != http.StatusSeeOther {
			t.Errorf("after the absolute timeout: status %d, want 303", p.status)
		}
	})
}

func TestSignOut(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{mode: "demo"})

	t.Run("GET does not sign out", func(t *testing.T) {
		b := h.browser(t)
		b.mustSignIn(h.key)
		p := b.get("/logout")
		if p.status >= 200 && p.status < 300 {
			t.Errorf("GET /logout: status %d", p.status)
		}
		mustStatus(t, b.get("/settings"), http.StatusOK)
	})

	t.Run("POST without CSRF is refused", func(t *testing.T) {
		b := h.browser(t)
		b.mustSignIn(h.key)
		if p := b.postRaw("/logout", nil); p.status != http.StatusForbidden {
			t.Errorf("status %d, want 403", p.status)
		}
		mustStatus(t, b.get("/settings"), http.StatusOK)
	})

	t.Run("the sign-out form ends the session", func(t *testing.T) {
		b := h.browser(t)
		b.mustSignIn(h.key)
		home := b.get("/library")
		mustStatus(t, home, http.StatusOK)
		signedIn := b.cookieValues()
		clients := h.srv.clients.len()

		form := home.find("signout").Closest("form")
		if form.Length() != 1 {
			t.Fatal("no sign-out form")
		}
		form.SetAttr("data-testid", "signout-form")
		p := b.submit(home, `[data-testid="signout-form"]`, nil)
		if p.status != http.StatusSeeOther || p.location() != "/login" {
			t.Fatalf("status %d Location %q, want 303 to /login", p.status, p.location())
		}
		if got := p.header.Get("Clear-Site-Data"); got != `"storage"` {
			t.Errorf("Clear-Site-Data = %q", got)
		}
		expired := false
		for _, c := range p.cookie {
			if c.Name == session.CookieName && c.MaxAge < 0 {
				expired = true
			}
		}
		if !expired {
			t.Errorf("the session cookie was not expired: %v", p.header.Values("Set-Cookie"))
		}
		if h.srv.clients.len() != clients-1 {
			t.Errorf("sign-out did not release the client: %d, had %d", h.srv.clients.len(), clients)
		}
		// The old cookie no longer works, even if the browser kept it.
		replay := h.browser(t)
		replay.setCookies(signedIn)
		if p := replay.get("/settings"); p.status != http.StatusSeeOther {
			t.Errorf("the signed-out cookie still works: status %d", p.status)
		}
		if p := b.get("/settings"); p.status != http.StatusSeeOther {
			t.Errorf("after sign-out: status %d", p.status)
		}
	})
}

// diff returns the elements of a missing from b.
func diff(a, b []string) []string {
	in := map[string]bool{}
	for _, s := range b {
		in[s] = true
	}
	var out []string
	for _, s := range a {
		if !in[s] {
			out = append(out, s)
		}
	}
	return out
}
