package session

import (
	"context"
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
// /settings updates, /logout signs out.
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
		id, _, ok, err := m.Load(c)
		if err != nil {
			return err
		}
		if !ok {
			return c.String(http.StatusUnauthorized, "anonymous")
		}
		_, err = m.Update(c, id, func(mat *Material) {
			mat.Settings.OutputType = c.FormValue("output")
			// Update must ignore everything but Settings and Lookups.
			mat.AccessKeyID = "LTAIattemptToSwapKeys"
			mat.AccessKeySecret = "attempted-secret"
			mat.SecurityToken = ""
			mat.ServerCredentials = true
			mat.Region = "us-west-1"
			mat.Created = time.Time{}
			mat.AddLookup(Lookup{Kind: "media", URL: "/media?ids=1", Count: 1, At: mat.LastSeen})
		})
		if err != nil {
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

// context returns an echo context for a request carrying the browser's
// cookies, for tests that drive the Manager directly, several requests at
// once.
func (b *browser) context() (echo.Context, *httptest.ResponseRecorder) {
	req := httptest.NewRequest(http.MethodPost, "/", nil)
	for _, c := range b.cookies {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	rec := httptest.NewRecorder()
	return b.e.NewContext(req, rec), rec
}

// gate stalls the next store read once armed: the reading request has its
// copy of the material but has not written it back yet.
type gate struct {
	mu            sync.Mutex
	read, release chan struct{}
}

// arm makes the next pass close read and wait for release.
func (g *gate) arm() (read <-chan struct{}, release func()) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.read, g.release = make(chan struct{}), make(chan struct{})
	rel := g.release
	return g.read, func() { close(rel) }
}

func (g *gate) pass() {
	g.mu.Lock()
	read, release := g.read, g.release
	g.read, g.release = nil, nil
	g.mu.Unlock()
	if read != nil {
		close(read)
		<-release
	}
}

// gatedMemoryStore is a MemoryStore (Updater, EvictNotifier, Sweeper)
// whose Get can be stalled after reading.
type gatedMemoryStore struct {
	*MemoryStore
	gate
}

func (s *gatedMemoryStore) Get(ctx context.Context, id string) (Material, bool, error) {
	m, ok, err := s.MemoryStore.Get(ctx, id)
	s.pass()
	return m, ok, err
}

// gatedMapStore is a plainMapStore (no Updater, no eviction) whose Get can
// be stalled after reading.
type gatedMapStore struct {
	*plainMapStore
	gate
}

func (s *gatedMapStore) Get(ctx context.Context, id string) (Material, bool, error) {
	m, ok, err := s.plainMapStore.Get(ctx, id)
	s.pass()
	return m, ok, err
}

// interleave runs first, which stalls in the store right after reading the
// material, then second while first is stalled. second gets 200ms to finish
// (the session lock should keep it waiting) before first is released, so
// without the lock second's write lands between first's read and write.
func interleave(g *gate, first, second func()) {
	read, release := g.arm()
	var wg sync.WaitGroup
	wg.Go(first)
	<-read
	done := make(chan struct{})
	go func() {
		defer close(done)
		second()
	}()
	select {
	case <-done:
	case <-time.After(200 * time.Millisecond):
	}
	release()
	wg.Wait()
	<-done
}
