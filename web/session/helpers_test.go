package session

import (
	"crypto/sha256"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
)

// testKey returns a deterministic 32-byte operator key per seed.
func testKey(seed string) []byte {
	k := sha256.Sum256([]byte(seed))
	return k[:]
}

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
}

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

func (f *fakeClock) Advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.t = f.t.Add(d)
}

const (
	testKeyID  = "LTAI5tTestKeyID0001"
	testSecret = "s3cr3t-AccessKeySecret-value-42"
	testToken  = "CAIS-sts-token-value-very-secret"
)

func testMaterial() Material {
	return Material{
		Region:          "cn-shanghai",
		AccessKeyID:     testKeyID,
		AccessKeySecret: testSecret,
		SecurityToken:   testToken,
		Settings:        Settings{OutputType: "cdn", AuthTimeout: 3600},
	}
}

// newTestServer wires a Manager into an echo instance with the routes the
// tests drive: /form renders a CSRF token, /login signs in, /me loads,
// /settings saves, /logout signs out.
func newTestServer(t *testing.T, m *Manager) *echo.Echo {
	t.Helper()
	e := echo.New()
	e.Use(SecurityHeaders(false))
	e.Use(m.CSRF())
	e.GET("/form", func(c echo.Context) error {
		return c.String(http.StatusOK, CSRFToken(c))
	})
	e.POST("/login", func(c echo.Context) error {
		mat := testMaterial()
		if v := c.FormValue("key_id"); v != "" {
			mat.AccessKeyID = v
		}
		id, err := m.Start(c, mat)
		if err != nil {
			return err
		}
		return c.String(http.StatusOK, id)
	})
	e.GET("/me", func(c echo.Context) error {
		id, mat, ok, err := m.Load(c)
		if err != nil {
			return err
		}
		if !ok {
			return c.String(http.StatusUnauthorized, "anonymous")
		}
		return c.String(http.StatusOK, id+" "+mat.AccessKeyID+" "+mat.Settings.OutputType)
	})
	e.POST("/settings", func(c echo.Context) error {
		id, mat, ok, err := m.Load(c)
		if err != nil {
			return err
		}
		if !ok {
			return c.String(http.StatusUnauthorized, "anonymous")
		}
		mat.Settings.OutputType = c.FormValue("output")
		mat.AccessKeyID = "LTAIattemptToSwapKeys" // Save must ignore credential changes
		mat.AddLookup(Lookup{Kind: "media", URL: "/media?ids=1", At: mat.LastSeen})
		if err := m.Save(c, id, mat); err != nil {
			return err
		}
		return c.NoContent(http.StatusNoContent)
	})
	e.POST("/logout", func(c echo.Context) error {
		if err := m.End(c); err != nil {
			return err
		}
		return c.Redirect(http.StatusSeeOther, "/")
	})
	return e
}

// browser keeps cookies across requests to an echo instance, as a browser
// would for one site.
type browser struct {
	t       *testing.T
	e       *echo.Echo
	cookies map[string]*http.Cookie
}

func newBrowser(t *testing.T, e *echo.Echo) *browser {
	return &browser{t: t, e: e, cookies: map[string]*http.Cookie{}}
}

func (b *browser) do(method, path string, form url.Values, header http.Header) *httptest.ResponseRecorder {
	b.t.Helper()
	var req *http.Request
	if form != nil {
		req = httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
		req.Header.Set(echo.HeaderContentType, echo.MIMEApplicationForm)
	} else {
		req = httptest.NewRequest(method, path, nil)
	}
	for k, vs := range header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	for _, c := range b.cookies {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	rec := httptest.NewRecorder()
	b.e.ServeHTTP(rec, req)
	for _, c := range rec.Result().Cookies() {
		if c.MaxAge < 0 {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c
		}
	}
	return rec
}

// token fetches a CSRF token as a page render would.
func (b *browser) token() string {
	b.t.Helper()
	rec := b.do(http.MethodGet, "/form", nil, nil)
	if rec.Code != http.StatusOK || rec.Body.Len() == 0 {
		b.t.Fatalf("GET /form = %d %q, want 200 and a token", rec.Code, rec.Body.String())
	}
	return rec.Body.String()
}

// signIn signs in through the CSRF-protected form and returns the session ID.
func (b *browser) signIn() string {
	b.t.Helper()
	rec := b.do(http.MethodPost, "/login", url.Values{CSRFField: {b.token()}}, nil)
	if rec.Code != http.StatusOK {
		b.t.Fatalf("POST /login = %d %q, want 200", rec.Code, rec.Body.String())
	}
	return rec.Body.String()
}

func (b *browser) post(path string, form url.Values) *httptest.ResponseRecorder {
	b.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set(CSRFField, b.token())
	return b.do(http.MethodPost, path, form, nil)
}

func newTestManager(t *testing.T, cfg Config) *Manager {
	t.Helper()
	if cfg.Keys == nil {
		cfg.Keys = [][]byte{testKey("current")}
	}
	m, err := NewManager(cfg)
	if err != nil {
		t.Fatalf("NewManager: %v", err)
	}
	return m
}

// endLog records OnEnd calls.
type endLog struct {
	mu  sync.Mutex
	ids []string
}

func (l *endLog) record(id string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ids = append(l.ids, id)
}

func (l *endLog) count(id string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, x := range l.ids {
		if x == id {
			n++
		}
	}
	return n
}

func (l *endLog) len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.ids)
}
