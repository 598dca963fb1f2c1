package session

import (
	"bytes"
	"errors"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/labstack/echo/v4"
)

func TestCSRF(t *testing.T) {
	m := newTestManager(t, Config{})
	e := newTestServer(t, m)
	for _, method := range []string{http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		e.Add(method, "/change", func(c echo.Context) error { return c.String(http.StatusOK, "changed") })
	}
	e.GET("/change", func(c echo.Context) error { return c.String(http.StatusOK, "read") })

	b := newBrowser(t, e)
	tok := b.token()
	stranger := newBrowser(t, e)
	strangerTok := stranger.token()
	b.signIn()
	tok = b.token()
	hdr := func(kv ...string) http.Header {
		h := http.Header{}
		for i := 0; i < len(kv); i += 2 {
			h.Set(kv[i], kv[i+1])
		}
		return h
	}

	cases := []struct {
		name   string
		b      *browser
		method string
		path   string
		form   url.Values
		header http.Header
		want   int
	}{
		{"GET unaffected", b, http.MethodGet, "/change", nil, nil, 200},
		{"GET without any cookie", newBrowser(t, e), http.MethodGet, "/change", nil, nil, 200},
		{"POST no token", b, http.MethodPost, "/change", url.Values{}, nil, 403},
		{"POST form token", b, http.MethodPost, "/change", url.Values{CSRFField: {tok}}, nil, 200},
		{"POST header token", b, http.MethodPost, "/change", nil, hdr(CSRFHeader, tok), 200},
		{"PUT header token", b, http.MethodPut, "/change", nil, hdr(CSRFHeader, tok), 200},
		{"PATCH no token", b, http.MethodPatch, "/change", nil, nil, 403},
		{"DELETE no token", b, http.MethodDelete, "/change", nil, nil, 403},
		{"DELETE header token", b, http.MethodDelete, "/change", nil, hdr(CSRFHeader, tok), 200},
		{"POST garbage token", b, http.MethodPost, "/change", url.Values{CSRFField: {"garbage"}}, nil, 403},
		{"POST another browser's token", b, http.MethodPost, "/change", url.Values{CSRFField: {strangerTok}}, nil, 403},
		{"POST token without cookie", newBrowser(t, e), http.MethodPost, "/change", url.Values{CSRFField: {tok}}, nil, 403},
		{"POST token in query only", b, http.MethodPost, "/change?_csrf=" + url.QueryEscape(tok), nil, nil, 403},
		{"POST cross-site even with token", b, http.MethodPost, "/change", url.Values{CSRFField: {tok}}, hdr("Sec-Fetch-Site", "cross-site"), 403},
		{"POST same-origin still needs token", b, http.MethodPost, "/change", url.Values{}, hdr("Sec-Fetch-Site", "same-origin"), 403},
		{"sign-in without token", newBrowser(t, e), http.MethodPost, "/login", url.Values{}, nil, 403},
		{"sign-out without token", b, http.MethodPost, "/logout", url.Values{}, nil, 403},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := tc.b.do(tc.method, tc.path, tc.form, tc.header)
			if rec.Code != tc.want {
				t.Fatalf("%s %s = %d %q, want %d", tc.method, tc.path, rec.Code, rec.Body.String(), tc.want)
			}
		})
	}
	// The session survived all of that.
	if rec := b.do(http.MethodGet, "/me", nil, nil); rec.Code != http.StatusOK {
		t.Fatalf("session lost: %d", rec.Code)
	}
}

func TestCSRFTokenRotatesAtSignIn(t *testing.T) {
	m := newTestManager(t, Config{})
	e := newTestServer(t, m)
	e.POST("/change", func(c echo.Context) error { return c.NoContent(http.StatusOK) })
	b := newBrowser(t, e)
	before := b.token()
	if rec := b.do(http.MethodPost, "/change", url.Values{CSRFField: {before}}, nil); rec.Code != 200 {
		t.Fatalf("token before sign-in rejected: %d", rec.Code)
	}
	b.signIn()
	if rec := b.do(http.MethodPost, "/change", url.Values{CSRFField: {before}}, nil); rec.Code != 403 {
		t.Fatalf("pre-sign-in token accepted after sign-in: %d", rec.Code)
	}
	// Tokens are masked per page, and every one of them is valid.
	t1, t2 := b.token(), b.token()
	if t1 == t2 {
		t.Fatal("two pages got the same token: not masked")
	}
	for _, tok := range []string{t1, t2} {
		if rec := b.do(http.MethodPost, "/change", nil, http.Header{CSRFHeader: {tok}}); rec.Code != 200 {
			t.Fatalf("fresh token rejected: %d", rec.Code)
		}
	}
}

func TestCSRFErrorIsClassifiable(t *testing.T) {
	m := newTestManager(t, Config{})
	e := echo.New()
	c := e.NewContext(httptest.NewRequest(http.MethodPost, "/", nil), httptest.NewRecorder())
	err := m.CSRF()(func(echo.Context) error { return nil })(c)
	var he *echo.HTTPError
	if !errors.As(err, &he) || he.Code != http.StatusForbidden || !errors.Is(err, ErrCSRF) {
		t.Fatalf("err = %v, want 403 HTTPError wrapping ErrCSRF", err)
	}
}

func TestCSRFTokenWithoutMiddleware(t *testing.T) {
	e := echo.New()
	c := e.NewContext(httptest.NewRequest(http.MethodGet, "/", nil), httptest.NewRecorder())
	if got := CSRFToken(c); got != "" {
		t.Fatalf("CSRFToken without middleware = %q, want empty", got)
	}
}

func TestCSRFMultipartForm(t *testing.T) {
	m := newTestManager(t, Config{})
	e := newTestServer(t, m)
	e.POST("/upload", func(c echo.Context) error { return c.NoContent(http.StatusOK) })
	b := newBrowser(t, e)
	tok := b.token()
	for _, tc := range []struct {
		token string
		want  int
	}{{tok, http.StatusOK}, {"", http.StatusForbidden}} {
		var body bytes.Buffer
		w := multipart.NewWriter(&body)
		_ = w.WriteField(CSRFField, tc.token)
		_ = w.Close()
		req := httptest.NewRequest(http.MethodPost, "/upload", &body)
		req.Header.Set(echo.HeaderContentType, w.FormDataContentType())
		req.AddCookie(b.cookies[m.CookieName()])
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		if rec.Code != tc.want {
			t.Errorf("multipart with token %v = %d, want %d", tc.token != "", rec.Code, tc.want)
		}
	}
}
