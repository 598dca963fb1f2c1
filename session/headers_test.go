package session

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
)

func TestSecurityHeaders(t *testing.T) {
	for _, secure := range []bool{false, true} {
		e := echo.New()
		e.Use(SecurityHeaders(secure))
		e.GET("/ok", func(c echo.Context) error { return c.String(http.StatusOK, "ok") })
		e.GET("/fail", func(c echo.Context) error { return echo.NewHTTPError(http.StatusInternalServerError) })
		for _, path := range []string{"/ok", "/fail"} {
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
			h := rec.Header()
			want := map[string]string{
				"Content-Security-Policy":    ContentSecurityPolicy,
				"Referrer-Policy":            "no-referrer",
				"X-Content-Type-Options":     "nosniff",
				"X-Frame-Options":            "DENY",
				"Cross-Origin-Opener-Policy": "same-origin",
				"Permissions-Policy":         PermissionsPolicy,
			}
			for k, v := range want {
				if got := h.Get(k); got != v {
					t.Errorf("secure=%v %s: %s = %q, want %q", secure, path, k, got, v)
				}
			}
			if hsts := h.Get("Strict-Transport-Security"); (hsts != "") != secure || secure && !strings.HasPrefix(hsts, "max-age=") {
				t.Errorf("secure=%v %s: HSTS = %q", secure, path, hsts)
			}
		}
	}
	csp := ContentSecurityPolicy
	for _, bad := range []string{"unsafe-inline", "unsafe-eval", "*"} {
		if strings.Contains(csp, bad) {
			t.Errorf("CSP contains %s", bad)
		}
	}
	for _, need := range []string{"default-src 'self'", "script-src 'self'", "style-src 'self'",
		"object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
		"img-src 'self' http: https: data:", "media-src 'self' http: https:"} {
		if !strings.Contains(csp, need) {
			t.Errorf("CSP lacks %q", need)
		}
	}
}

func TestNoStore(t *testing.T) {
	e := echo.New()
	e.GET("/private", func(c echo.Context) error { return c.String(http.StatusOK, "x") }, NoStore())
	e.GET("/public", func(c echo.Context) error { return c.String(http.StatusOK, "x") })
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/private", nil))
	if got := rec.Header().Get("Cache-Control"); got != "no-store" {
		t.Fatalf("Cache-Control = %q, want no-store", got)
	}
	rec = httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/public", nil))
	if got := rec.Header().Get("Cache-Control"); got != "" {
		t.Fatalf("route without NoStore: Cache-Control = %q", got)
	}
}
