package static

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
)

func TestPathIsContentHashed(t *testing.T) {
	a := New()
	for _, name := range []string{CSS, JS, HTMX, Icon} {
		data, err := fs.ReadFile(a.FS(), name)
		if err != nil {
			t.Fatalf("%s not embedded: %v", name, err)
		}
		sum := sha256.Sum256(data)
		ext := name[strings.LastIndex(name, "."):]
		want := Prefix + strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:])[:8] + ext
		if got := a.Path(name); got != want {
			t.Errorf("Path(%q) = %q, want %q", name, got, want)
		}
	}
	if got := a.Path("nope.js"); got != "/static/nope.js" {
		t.Errorf("Path(unknown) = %q", got)
	}
	if got := a.Path(HTMX); !regexp.MustCompile(`^/static/htmx\.min\.[0-9a-f]{8}\.js$`).MatchString(got) {
		t.Errorf("Path(htmx) = %q", got)
	}
}

func TestHashChangesWithContent(t *testing.T) {
	one, err := newAssets(fstest.MapFS{"app.js": {Data: []byte("a")}})
	if err != nil {
		t.Fatal(err)
	}
	two, err := newAssets(fstest.MapFS{"app.js": {Data: []byte("b")}})
	if err != nil {
		t.Fatal(err)
	}
	if one.Path("app.js") == two.Path("app.js") {
		t.Error("different content, same hashed path")
	}
}

func get(t *testing.T, h http.Handler, method, path string, header map[string]string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(method, path, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func TestHandler(t *testing.T) {
	a := New()
	h := a.Handler()
	tests := []struct {
		name, path, wantType, wantCache string
		wantStatus                      int
	}{
		{"hashed css", a.Path(CSS), "text/css; charset=utf-8", "public, max-age=31536000, immutable", 200},
		{"hashed js", a.Path(JS), "text/javascript; charset=utf-8", "public, max-age=31536000, immutable", 200},
		{"hashed htmx", a.Path(HTMX), "text/javascript; charset=utf-8", "public, max-age=31536000, immutable", 200},
		{"hashed svg", a.Path(Icon), "image/svg+xml", "public, max-age=31536000, immutable", 200},
		{"plain name", "/static/app.js", "text/javascript; charset=utf-8", "public, max-age=300", 200},
		{"unknown", "/static/evil.js", "", "", 404},
		{"stale hash", "/static/app.00000000.js", "", "", 404},
		{"readme not embedded", "/static/README.md", "", "", 404},
		{"go source not embedded", "/static/static.go", "", "", 404},
		{"traversal", "/static/../go.mod", "", "", 404},
		{"subdirectory", "/static/a/app.js", "", "", 404},
		{"prefix only", "/static/", "", "", 404},
		{"outside prefix", "/app.js", "", "", 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := get(t, h, http.MethodGet, tt.path, nil)
			if res.StatusCode != tt.wantStatus {
				t.Fatalf("status %d, want %d", res.StatusCode, tt.wantStatus)
			}
			if tt.wantStatus != 200 {
				if cc := res.Header.Get("Cache-Control"); strings.Contains(cc, "immutable") {
					t.Errorf("404 cached as immutable: %q", cc)
				}
				return
			}
			if got := res.Header.Get("Content-Type"); got != tt.wantType {
				t.Errorf("Content-Type %q, want %q", got, tt.wantType)
			}
			if got := res.Header.Get("Cache-Control"); got != tt.wantCache {
				t.Errorf("Cache-Control %q, want %q", got, tt.wantCache)
			}
			if got := res.Header.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options %q", got)
			}
			body, _ := io.ReadAll(res.Body)
			name := strings.TrimPrefix(tt.path, Prefix)
			if as, ok := a.byHashed[name]; ok && string(body) != string(as.data) {
				t.Error("body differs from the embedded file")
			}
			if len(body) == 0 {
				t.Error("empty body")
			}
		})
	}
}

func TestHandlerConditionalAndMethods(t *testing.T) {
	a := New()
	h := a.Handler()
	res := get(t, h, http.MethodGet, a.Path(CSS), nil)
	etag := res.Header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	if res := get(t, h, http.MethodGet, a.Path(CSS), map[string]string{"If-None-Match": etag}); res.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: status %d, want 304", res.StatusCode)
	}
	if res := get(t, h, http.MethodHead, a.Path(JS), nil); res.StatusCode != 200 {
		t.Errorf("HEAD: status %d", res.StatusCode)
	}
	res = get(t, h, http.MethodPost, a.Path(JS), nil)
	if res.StatusCode != http.StatusMethodNotAllowed || res.Header.Get("Allow") != "GET, HEAD" {
		t.Errorf("POST: status %d, Allow %q", res.StatusCode, res.Header.Get("Allow"))
	}
}

func TestVendoredHTMXVersion(t *testing.T) {
	data, err := fs.ReadFile(New().FS(), HTMX)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `version:"2.0.11"`) {
		t.Error("htmx.min.js is not htmx 2.0.11; update static/README.md when upgrading")
	}
}

func TestAppJSHasNoEval(t *testing.T) {
	data, err := fs.ReadFile(New().FS(), JS)
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"eval(", "new Function", "innerHTML", ".style.", "setAttribute('style'", "setTimeout('", "setInterval('"} {
		if strings.Contains(string(data), bad) {
			t.Errorf("app.js uses %q", bad)
		}
	}
}
