package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
)

// routeMethods lists every routed path with the methods it accepts, the
// path parameters filled in.
func routeMethods(e *echo.Echo) map[string][]string {
	out := map[string][]string{}
	for _, r := range e.Routes() {
		if r.Method == echo.RouteNotFound {
			continue
		}
		path := strings.NewReplacer(":id", "a82a2cd7d4e147ba8e3a7a2d6f9d0001", "*", "app.css").Replace(r.Path)
		out[path] = append(out[path], r.Method)
	}
	return out
}

// TestWrongMethodIs405 sends every method a route does not accept to every
// route, signed in and signed out, with and without a CSRF token: each is
// a 405 with an Allow header naming exactly the route's methods, never a
// 403 "Form expired", and nothing is called upstream.
func TestWrongMethodIs405(t *testing.T) {
	t.Parallel()
	h, signedIn := signedIn(t, harnessOptions{})
	routes := routeMethods(h.srv.Echo)
	for _, want := range []string{"/login", "/logout", "/settings", "/library", "/media/a82a2cd7d4e147ba8e3a7a2d6f9d0001"} {
		if routes[want] == nil {
			t.Fatalf("no route %s among %v", want, routes)
		}
	}
	signedOut := h.browser(t)
	signedOut.get("/login")
	for path, allowed := range routes {
		for _, method := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch} {
			if slices.Contains(allowed, method) {
				continue
			}
			t.Run(method+" "+path, func(t *testing.T) {
				for _, b := range []*browser{signedIn, signedOut} {
					for _, token := range []bool{false, true} {
						h.emu.ResetCalls()
						var opts []reqOption
						if token {
							opts = append(opts, withHeader("X-CSRF-Token", b.token()))
						}
						var p *page
						if method == http.MethodGet {
							p = b.get(path, opts...)
						} else {
							p = b.do(method, path, strings.NewReader(url.Values{"output_type": {"oss"}}.Encode()), opts...)
						}
						if p.status != http.StatusMethodNotAllowed {
							t.Fatalf("status %d, want 405; body %s", p.status, excerpt(p.body))
						}
						var got []string
						for _, m := range strings.Split(p.header.Get("Allow"), ",") {
							if m = strings.TrimSpace(m); m != "" && m != http.MethodOptions {
								got = append(got, m)
							}
						}
						slices.Sort(got)
						want := slices.Sorted(slices.Values(allowed))
						if !slices.Equal(got, want) {
							t.Errorf("Allow %q, want %v", p.header.Get("Allow"), want)
						}
						if len(h.emu.Calls()) != 0 {
							t.Error("a refused method called the API")
						}
					}
				}
			})
		}
	}
}

// TestCrossSitePostIsStill403: the 405 check changes nothing for the
// methods a route accepts: a POST from another site, or without a token,
// is refused by the CSRF check and changes nothing.
func TestCrossSitePostIsStill403(t *testing.T) {
	t.Parallel()
	h, b := signedIn(t, harnessOptions{})
	b.get("/settings")
	for _, tc := range []struct {
		name string
		path string
		opts []reqOption
		form url.Values
	}{
		{"cross-site settings", "/settings", []reqOption{withHeader("Sec-Fetch-Site", "cross-site")}, url.Values{"output_type": {"oss"}, "auth_timeout": {"60"}, "_csrf": {b.token()}}},
		{"cross-site sign-out", "/logout", []reqOption{withHeader("Sec-Fetch-Site", "cross-site")}, url.Values{"_csrf": {b.token()}}},
		{"settings without a token", "/settings", nil, url.Values{"output_type": {"oss"}, "auth_timeout": {"60"}}},
		{"sign-in without a token", "/login", nil, url.Values{"access_key_id": {h.key.AccessKeyID}, "access_key_secret": {h.key.AccessKeySecret}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := b.postRaw(tc.path, tc.form, tc.opts...)
			if p.status != http.StatusForbidden {
				t.Fatalf("status %d, want 403; body %s", p.status, excerpt(p.body))
			}
			if p.header.Get("Allow") != "" {
				t.Errorf("Allow %q on a 403", p.header.Get("Allow"))
			}
		})
	}
	if v := b.get("/settings").find("settings-form").Find(`input[name="auth_timeout"]`).AttrOr("value", ""); v == "60" {
		t.Error("a refused POST changed the settings")
	}
	mustStatus(t, b.get("/library"), http.StatusOK)
}
