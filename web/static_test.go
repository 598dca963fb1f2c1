package web

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestStaticAssetsAreHashedCachedAndCompressed(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	login := httptest.NewRecorder()
	h.srv.ServeHTTP(login, httptest.NewRequest(http.MethodGet, "/login", nil))
	body := login.Body.String()
	i := strings.Index(body, `/static/app.`)
	if i < 0 {
		t.Fatal("the page links no hashed app asset")
	}
	path := body[i : i+strings.IndexAny(body[i:], `"' `)]

	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	rec := httptest.NewRecorder()
	h.srv.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET %s: %d", path, rec.Code)
	}
	if got := rec.Header().Get("Cache-Control"); !strings.Contains(got, "max-age=31536000") || !strings.Contains(got, "immutable") {
		t.Errorf("Cache-Control = %q, want a long immutable lifetime", got)
	}
	if got := rec.Header().Get("Content-Encoding"); got != "gzip" {
		t.Fatalf("Content-Encoding = %q, want gzip", got)
	}
	zr, err := gzip.NewReader(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(zr)
	if err != nil || len(plain) == 0 {
		t.Errorf("the gzip body does not decode: %v", err)
	}
}
