package session

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
)

// sessionCookie returns the Set-Cookie for the session cookie in rec.
func sessionCookie(t *testing.T, m *Manager, rec *httptest.ResponseRecorder) *http.Cookie {
	t.Helper()
	var found *http.Cookie
	for _, c := range rec.Result().Cookies() {
		if c.Name == m.CookieName() {
			if found != nil {
				t.Fatalf("response sets %s twice", c.Name)
			}
			found = c
		}
	}
	if found == nil {
		t.Fatalf("no %s cookie in response (Set-Cookie: %q)", m.CookieName(), rec.Header().Values("Set-Cookie"))
	}
	return found
}

// cookieValues decodes a cookie with the manager's own codecs.
func cookieValues(t *testing.T, m *Manager, c *http.Cookie) map[any]any {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.AddCookie(c)
	sess, err := m.cookies.New(req, m.name)
	if err != nil {
		t.Fatalf("decode cookie: %v", err)
	}
	return sess.Values
}

func TestCookieFlags(t *testing.T) {
	for _, tc := range []struct {
		secure bool
		name   string
	}{
		{false, "vodboard"},
		{true, "__Host-vodboard"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newTestManager(t, Config{Secure: tc.secure, AbsoluteTimeout: 8 * time.Hour})
			b := newBrowser(t, newTestServer(t, m))
			rec := b.do(http.MethodGet, "/form", nil, nil)
			issued := sessionCookie(t, m, rec)

			rec = b.do(http.MethodPost, "/login", url.Values{CSRFField: {rec.Body.String()}}, nil)
			if rec.Code != http.StatusOK {
				t.Fatalf("login = %d", rec.Code)
			}
			for _, c := range []*http.Cookie{issued, sessionCookie(t, m, rec)} {
				if c.Name != tc.name {
					t.Errorf("name = %q, want %q", c.Name, tc.name)
				}
				if !c.HttpOnly {
					t.Error("cookie not HttpOnly")
				}
				if c.SameSite != http.SameSiteLaxMode {
					t.Errorf("SameSite = %v, want Lax", c.SameSite)
				}
				if c.Path != "/" {
					t.Errorf("Path = %q, want /", c.Path)
				}
				if c.Domain != "" {
					t.Errorf("Domain = %q, want none", c.Domain)
				}
				if c.Secure != tc.secure {
					t.Errorf("Secure = %v, want %v", c.Secure, tc.secure)
				}
				if c.MaxAge != int((8 * time.Hour).Seconds()) {
					t.Errorf("MaxAge = %d, want %d", c.MaxAge, int((8 * time.Hour).Seconds()))
				}
				if strings.Contains(c.Value, testSecret) || strings.Contains(c.Value, testKeyID) {
					t.Error("cookie value contains credentials")
				}
			}
			if got := rec.Header().Get(echo.HeaderCacheControl); got != "no-store" {
				t.Errorf("response setting the cookie: Cache-Control = %q, want no-store", got)
			}
			// The cookie holds nothing but the ID and the CSRF secret.
			vals := cookieValues(t, m, sessionCookie(t, m, rec))
			for k := range vals {
				if k != valueID && k != valueCSRF {
					t.Errorf("cookie carries %v", k)
				}
			}
			id := rec.Body.String()
			if vals[valueID] != id {
				t.Errorf("cookie ID = %v, want %s", vals[valueID], id)
			}
		})
	}
}

// backdate re-signs a securecookie value as if it had been issued age ago,
// using the manager's derived hash key (securecookie's "date|value|mac").
func backdate(t *testing.T, m *Manager, key []byte, value string, age time.Duration) string {
	t.Helper()
	raw, err := base64.URLEncoding.DecodeString(value)
	if err != nil {
		t.Fatal(err)
	}
	parts := bytes.SplitN(raw, []byte("|"), 3)
	ts, err := strconv.ParseInt(string(parts[0]), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	date := strconv.FormatInt(ts-int64(age.Seconds()), 10)
	hashKey, _ := subkey(key, purposeCookieHash, 64)
	mac := hmac.New(sha256.New, hashKey)
	mac.Write([]byte(m.name + "|" + date + "|" + string(parts[1])))
	out := append([]byte(date+"|"+string(parts[1])+"|"), mac.Sum(nil)...)
	return base64.URLEncoding.EncodeToString(out)
}

func TestCodecMaxAgeMatchesAbsoluteTimeout(t *testing.T) {
	// Idle and absolute timeouts on the server are long enough that only the
	// cookie codec's own max age can reject the cookie.
	key := testKey("current")
	m := newTestManager(t, Config{Keys: [][]byte{key}, AbsoluteTimeout: 2 * time.Hour})
	b := newBrowser(t, newTestServer(t, m))
	b.signIn()
	fresh := b.cookies[m.CookieName()].Value

	b.cookies[m.CookieName()].Value = backdate(t, m, key, fresh, time.Hour)
	if rec := b.do(http.MethodGet, "/me", nil, nil); rec.Code != http.StatusOK {
		t.Fatalf("cookie issued 1h ago rejected: %d (backdate helper broken?)", rec.Code)
	}
	b.cookies[m.CookieName()].Value = backdate(t, m, key, fresh, 2*time.Hour+time.Minute)
	if rec := b.do(http.MethodGet, "/me", nil, nil); rec.Code != http.StatusUnauthorized {
		t.Fatalf("cookie older than the absolute timeout accepted by the codec: %d", rec.Code)
	}
}

func TestStartAlwaysIssuesNewID(t *testing.T) {
	ends := &endLog{}
	m := newTestManager(t, Config{})
	m.OnEnd(ends.record)
	b := newBrowser(t, newTestServer(t, m))

	first := b.signIn()
	if len(first) < 22 { // 128 bits in base64
		t.Fatalf("session ID %q shorter than 128 bits", first)
	}
	if raw, err := base64.RawURLEncoding.DecodeString(first); err != nil || len(raw) < 16 {
		t.Fatalf("session ID %q: %d random bytes, err %v", first, len(raw), err)
	}
	second := b.signIn()
	if second == first {
		t.Fatal("sign-in reused the existing session ID")
	}
	if _, ok, _ := m.store.Get(context.Background(), first); ok {
		t.Fatal("old session's material still stored after new sign-in")
	}
	if ends.count(first) != 1 {
		t.Fatalf("OnEnd for replaced session called %d times, want 1", ends.count(first))
	}
	rec := b.do(http.MethodGet, "/me", nil, nil)
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Body.String(), second+" ") {
		t.Fatalf("/me = %d %q, want the second session", rec.Code, rec.Body.String())
	}

	// A different browser gets its own ID, never the first one's.
	other := newBrowser(t, b.e).signIn()
	if other == second || other == first {
		t.Fatal("two browsers share a session ID")
	}
}

func TestUnknownIDNotAdopted(t *testing.T) {
	ends := &endLog{}
	m := newTestManager(t, Config{})
	m.OnEnd(ends.record)
	b := newBrowser(t, newTestServer(t, m))
	id := b.signIn()

	// The server forgets the session (restart, eviction by another node...).
	_ = m.store.Delete(context.Background(), id)
	rec := b.do(http.MethodGet, "/me", nil, nil)
	if rec.Code != http.StatusUnauthorized {
		t.Fatalf("/me with unknown ID = %d %q, want 401", rec.Code, rec.Body.String())
	}
	vals := cookieValues(t, m, sessionCookie(t, m, rec))
	if _, has := vals[valueID]; has {
		t.Fatal("stale session ID left in the cookie")
	}
	if _, has := vals[valueCSRF]; !has {
		t.Fatal("CSRF secret dropped with the stale ID")
	}
	if _, ok, _ := m.store.Get(context.Background(), id); ok {
		t.Fatal("unknown ID was recreated")
	}
	// Signing in again issues a fresh ID, not the stale one.
	if again := b.signIn(); again == id {
		t.Fatal("stale ID adopted at sign-in")
	}

	// A cookie not made by us is ignored.
	forged := newBrowser(t, b.e)
	forged.cookies[m.CookieName()] = &http.Cookie{Name: m.CookieName(), Value: id}
	if rec := forged.do(http.MethodGet, "/me", nil, nil); rec.Code != http.StatusUnauthorized {
		t.Fatalf("forged cookie = %d, want 401", rec.Code)
	}
}

func TestIdleTimeout(t *testing.T) {
	clock := newFakeClock()
	ends := &endLog{}
	m := newTestManager(t, Config{Now: clock.Now, IdleTimeout: 30 * time.Minute})
	m.OnEnd(ends.record)
	b := newBrowser(t, newTestServer(t, m))
	id := b.signIn()

	// Activity keeps the session alive past one idle period in total.
	for range 3 {
		clock.Advance(20 * time.Minute)
		if rec := b.do(http.MethodGet, "/me", nil, nil); rec.Code != http.StatusOK {
			t.Fatalf("active session ended: %d", rec.Code)
		}
	}
	clock.Advance(30*time.Minute + time.Second)
	if rec := b.do(http.MethodGet, "/me", nil, nil); rec.Code != http.StatusUnauthorized {
		t.Fatalf("idle session still valid: %d %q", rec.Code, rec.Body.String())
	}
	if _, ok, _ := m.store.Get(context.Background(), id); ok {
		t.Fatal("idle session's material not deleted")
	}
	if ends.count(id) != 1 {
		t.Fatalf("OnEnd for idle session called %d times, want 1", ends.count(id))
	}
}

func TestIdleTimeoutWithForeignStore(t *testing.T) {
	// A store that does not expire entries itself: the Manager must still
	// enforce the timeout and run OnEnd.
	clock := newFakeClock()
	ends := &endLog{}
	store := &plainMapStore{m: map[string]Material{}}
	m := newTestManager(t, Config{Now: clock.Now, Store: store})
	m.OnEnd(ends.record)
	b := newBrowser(t, newTestServer(t, m))
	id := b.signIn()
	clock.Advance(DefaultIdleTimeout)
	if rec := b.do(http.MethodGet, "/me", nil, nil); rec.Code != http.StatusUnauthorized {
		t.Fatalf("idle session still valid: %d", rec.Code)
	}
	if _, still := store.m[id]; still || ends.count(id) != 1 {
		t.Fatalf("material kept=%v, OnEnd calls=%d", still, ends.count(id))
	}
}

// plainMapStore is a minimal MaterialStore without expiry or eviction.
type plainMapStore struct {
	mu sync.Mutex
	m  map[string]Material
}

func (s *plainMapStore) Get(_ context.Context, id string) (Material, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.m[id]
	return m, ok, nil
}

func (s *plainMapStore) Put(_ context.Context, id string, m Material) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[id] = m
	return nil
}

func (s *plainMapStore) Delete(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, id)
	return nil
}

func TestAbsoluteTimeout(t *testing.T) {
	stores := map[string]func() MaterialStore{
		"default": func() MaterialStore { return nil },
		// Without store-side expiry only the Manager's own check applies.
		"foreign": func() MaterialStore { return &plainMapStore{m: map[string]Material{}} },
	}
	for name, store := range stores {
		t.Run(name, func(t *testing.T) {
			clock := newFakeClock()
			ends := &endLog{}
			m := newTestManager(t, Config{Now: clock.Now, AbsoluteTimeout: 2 * time.Hour, Store: store()})
			m.OnEnd(ends.record)
			b := newBrowser(t, newTestServer(t, m))
			id := b.signIn()
			for elapsed := time.Duration(0); elapsed < 2*time.Hour-10*time.Minute; elapsed += 10 * time.Minute {
				clock.Advance(10 * time.Minute)
				if rec := b.do(http.MethodGet, "/me", nil, nil); rec.Code != http.StatusOK {
					t.Fatalf("session ended early at %v", elapsed)
				}
			}
			clock.Advance(10 * time.Minute)
			if rec := b.do(http.MethodGet, "/me", nil, nil); rec.Code != http.StatusUnauthorized {
				t.Fatalf("session outlived the absolute timeout: %d", rec.Code)
			}
			if _, ok, _ := m.store.Get(context.Background(), id); ok {
				t.Fatal("material kept after absolute timeout")
			}
			if ends.count(id) != 1 {
				t.Fatalf("OnEnd calls = %d, want 1", ends.count(id))
			}
		})
	}
}

func TestEnd(t *testing.T) {
	ends := &endLog{}
	m := newTestManager(t, Config{})
	m.OnEnd(ends.record)
	b := newBrowser(t, newTestServer(t, m))
	id := b.signIn()
	stolen := *b.cookies[m.CookieName()]

	rec := b.post("/logout", nil)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("logout = %d %q", rec.Code, rec.Body.String())
	}
	// Only storage: "cookies" would wipe other apps' cookies on the same
	// registrable domain, and "cache" is slow in Chromium.
	if got := rec.Header().Values("Clear-Site-Data"); len(got) != 1 || got[0] != `"storage"` {
		t.Errorf("Clear-Site-Data = %q, want [\"storage\"]", got)
	}
	c := sessionCookie(t, m, rec)
	if c.MaxAge >= 0 || c.Value != "" && strings.Contains(c.Value, id) {
		t.Errorf("cookie not expired: MaxAge=%d", c.MaxAge)
	}
	if c.HttpOnly != true || c.Path != "/" || c.SameSite != http.SameSiteLaxMode {
		t.Errorf("expiring cookie lost its attributes: %+v", c)
	}
	if _, ok, _ := m.store.Get(context.Background(), id); ok {
		t.Fatal("material still stored after sign-out")
	}
	if ends.count(id) != 1 {
		t.Fatalf("OnEnd calls = %d, want 1", ends.count(id))
	}
	// Replaying the old cookie does not revive the session.
	replay := newBrowser(t, b.e)
	replay.cookies[stolen.Name] = &stolen
	if rec := replay.do(http.MethodGet, "/me", nil, nil); rec.Code != http.StatusUnauthorized {
		t.Fatalf("old cookie after sign-out = %d, want 401", rec.Code)
	}
	// Signing out without a session is harmless.
	if rec := newBrowser(t, b.e).post("/logout", nil); rec.Code != http.StatusSeeOther {
		t.Fatalf("anonymous logout = %d", rec.Code)
	}
}

func TestUpdateKeepsCredentials(t *testing.T) {
	clock := newFakeClock()
	m := newTestManager(t, Config{Now: clock.Now})
	b := newBrowser(t, newTestServer(t, m))
	id := b.signIn()
	before, _, _ := m.store.Get(context.Background(), id)
	clock.Advance(time.Minute)
	if rec := b.post("/settings", url.Values{"output": {"oss"}}); rec.Code != http.StatusNoContent {
		t.Fatalf("settings = %d %q", rec.Code, rec.Body.String())
	}
	mat, ok, err := m.store.Get(context.Background(), id)
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	if mat.Settings.OutputType != "oss" || len(mat.Lookups) != 1 || mat.Lookups[0].Count != 1 {
		t.Errorf("settings not saved: %+v", mat.redacted())
	}
	if mat.AccessKeyID != testKeyID || mat.AccessKeySecret != testSecret || mat.SecurityToken != testToken ||
		mat.ServerCredentials || mat.Region != "cn-shanghai" || !mat.Created.Equal(before.Created) {
		t.Errorf("Update changed credentials, region or Created: %+v", mat.redacted())
	}
	if !mat.LastSeen.Equal(clock.Now()) || !mat.Expires.Equal(clock.Now().Add(DefaultIdleTimeout)) {
		t.Errorf("LastSeen/Expires not refreshed: %v %v", mat.LastSeen, mat.Expires)
	}

	// Update refuses an ID that is not the request's session, and an empty one.
	e := echo.New()
	c := e.NewContext(httptest.NewRequest(http.MethodPost, "/", nil), httptest.NewRecorder())
	called := false
	for _, other := range []string{id, ""} {
		if _, err := m.Update(c, other, func(*Material) { called = true }); !errors.Is(err, ErrNoSession) {
			t.Fatalf("Update(%q) of another request's session: %v, want ErrNoSession", other, err)
		}
	}
	if called {
		t.Fatal("Update ran fn for another request's session")
	}
}

func TestStartValidatesMaterial(t *testing.T) {
	m := newTestManager(t, Config{})
	e := echo.New()
	for name, mat := range map[string]Material{
		"blank id":              {AccessKeySecret: "x"},
		"blank secret":          {AccessKeyID: "LTAI"},
		"whitespace":            {AccessKeyID: " \t", AccessKeySecret: "\n"},
		"server creds and keys": {ServerCredentials: true, AccessKeyID: "LTAI", AccessKeySecret: testSecret},
	} {
		c := e.NewContext(httptest.NewRequest(http.MethodPost, "/", nil), httptest.NewRecorder())
		_, err := m.Start(c, mat)
		if err == nil {
			t.Errorf("%s: Start accepted", name)
			continue
		}
		if strings.Contains(err.Error(), testSecret) {
			t.Errorf("%s: error %q contains the secret", name, err)
		}
	}
	c := e.NewContext(httptest.NewRequest(http.MethodPost, "/", nil), httptest.NewRecorder())
	if _, err := m.Start(c, Material{ServerCredentials: true, Region: "cn-shanghai"}); err != nil {
		t.Errorf("server-credential session refused: %v", err)
	}
}

func TestCookieKeyRotation(t *testing.T) {
	oldKey, newKey := testKey("old"), testKey("new")
	store := NewMemoryStore(mustSealer(t, newKey, oldKey), 0)
	before := newTestManager(t, Config{Keys: [][]byte{oldKey}, Store: store})
	b := newBrowser(t, newTestServer(t, before))
	id := b.signIn()

	rotated := newTestManager(t, Config{Keys: [][]byte{newKey, oldKey}, Store: store})
	b.e = newTestServer(t, rotated)
	if rec := b.do(http.MethodGet, "/me", nil, nil); rec.Code != http.StatusOK || !strings.HasPrefix(rec.Body.String(), id) {
		t.Fatalf("old cookie under rotated keys = %d %q", rec.Code, rec.Body.String())
	}
	// A new sign-in is encoded with the new key: a manager that only knows
	// the old key cannot read it.
	b.signIn()
	b.e = newTestServer(t, before)
	if rec := b.do(http.MethodGet, "/me", nil, nil); rec.Code != http.StatusUnauthorized {
		t.Fatalf("old-key manager read a new-key cookie: %d", rec.Code)
	}
	// Dropping the old key retires its cookies.
	dropped := newTestManager(t, Config{Keys: [][]byte{newKey}, Store: store})
	old := newBrowser(t, newTestServer(t, before))
	old.signIn()
	old.e = newTestServer(t, dropped)
	if rec := old.do(http.MethodGet, "/me", nil, nil); rec.Code != http.StatusUnauthorized {
		t.Fatalf("retired key still accepted: %d", rec.Code)
	}
}

func TestManyBrowsersBoundedAndOnEnd(t *testing.T) {
	ends := &endLog{}
	m := newTestManager(t, Config{MaxSessions: 5})
	m.OnEnd(ends.record)
	e := newTestServer(t, m)
	var ids []string
	for range 20 {
		ids = append(ids, newBrowser(t, e).signIn())
	}
	if n := m.store.(*MemoryStore).Len(); n != 5 {
		t.Fatalf("store holds %d sessions, want 5", n)
	}
	if ends.len() != 15 {
		t.Fatalf("OnEnd ran %d times, want 15", ends.len())
	}
	for _, id := range ids[:15] {
		if ends.count(id) != 1 {
			t.Errorf("evicted %s: OnEnd ran %d times", id, ends.count(id))
		}
	}
}

func TestConcurrentSessionsStayApart(t *testing.T) {
	m := newTestManager(t, Config{})
	e := newTestServer(t, m)
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			b := newBrowser(t, e)
			key := "LTAIuser" + string(rune('A'+i))
			rec := b.do(http.MethodPost, "/login", url.Values{CSRFField: {b.token()}, "key_id": {key}}, nil)
			if rec.Code != http.StatusOK {
				t.Errorf("login %d = %d", i, rec.Code)
				return
			}
			for range 5 {
				rec := b.do(http.MethodGet, "/me", nil, nil)
				if f := strings.Fields(rec.Body.String()); len(f) < 2 || f[1] != key {
					t.Errorf("browser %d sees %q", i, rec.Body.String())
				}
			}
		})
	}
	wg.Wait()
}

// racingStore deletes a session right after the Manager reads it, as a
// sign-out in a concurrent request would.
type racingStore struct {
	*MemoryStore
	race bool
}

func (s *racingStore) Get(ctx context.Context, id string) (Material, bool, error) {
	m, ok, err := s.MemoryStore.Get(ctx, id)
	if s.race {
		_ = s.MemoryStore.Delete(ctx, id)
	}
	return m, ok, err
}

func TestSignOutRaceDoesNotResurrect(t *testing.T) {
	store := &racingStore{MemoryStore: NewMemoryStore(mustSealer(t, testKey("current")), 0)}
	m := newTestManager(t, Config{Store: store})
	b := newBrowser(t, newTestServer(t, m))
	id := b.signIn()
	store.race = true
	if rec := b.do(http.MethodGet, "/me", nil, nil); rec.Code != http.StatusUnauthorized {
		t.Fatalf("/me racing a sign-out = %d, want 401", rec.Code)
	}
	if _, ok, _ := store.MemoryStore.Get(context.Background(), id); ok {
		t.Fatal("touching LastSeen brought a deleted session back")
	}
}

func TestMemoryStoreUpdateDoesNotCreate(t *testing.T) {
	s, _ := newTestStore(t, 10)
	ctx := context.Background()
	if ok, err := s.Update(ctx, "missing", testMaterial()); ok || err != nil {
		t.Fatalf("Update of a missing ID = %v, %v", ok, err)
	}
	if s.Len() != 0 {
		t.Fatal("Update created an entry")
	}
	_ = s.Put(ctx, "id", testMaterial())
	m := testMaterial()
	m.Settings.OutputType = "oss"
	if ok, err := s.Update(ctx, "id", m); !ok || err != nil {
		t.Fatalf("Update of a stored ID = %v, %v", ok, err)
	}
	if got, _, _ := s.Get(ctx, "id"); got.Settings.OutputType != "oss" {
		t.Fatal("Update did not replace the material")
	}
}

func TestUnreadableCookieLeftAlone(t *testing.T) {
	// Garbage, a cookie of another site's vodboard, or one signed with a key
	// this instance lacks: not this instance's to destroy, with any store.
	m := newTestManager(t, Config{})
	b := newBrowser(t, newTestServer(t, m))
	other := newBrowser(t, newTestServer(t, newTestManager(t, Config{Keys: [][]byte{testKey("elsewhere")}})))
	other.signIn()
	for name, value := range map[string]string{"garbage": "not-a-cookie", "another key": other.cookies[m.CookieName()].Value} {
		t.Run(name, func(t *testing.T) {
			b.cookies = map[string]*http.Cookie{m.CookieName(): {Name: m.CookieName(), Value: value}}
			for _, path := range []string{"/me", "/form"} {
				rec := b.do(http.MethodGet, path, nil, nil)
				if path == "/me" && rec.Code != http.StatusUnauthorized {
					t.Fatalf("/me = %d, want 401", rec.Code)
				}
				for _, c := range rec.Result().Cookies() {
					if c.Name == m.CookieName() {
						t.Fatalf("GET %s rewrote the cookie: %v", path, c)
					}
				}
			}
			if b.cookies[m.CookieName()].Value != value {
				t.Fatal("cookie changed")
			}
			// The form still works: its token rides in a cookie of its own,
			// and signing in replaces the unreadable cookie.
			id := b.signIn()
			if rec := b.do(http.MethodGet, "/me", nil, nil); rec.Code != http.StatusOK || !strings.HasPrefix(rec.Body.String(), id) {
				t.Fatalf("after sign-in: %d %q", rec.Code, rec.Body.String())
			}
			if _, ok := b.cookies[m.preName()]; ok {
				t.Fatal("sign-in left the pre-session CSRF cookie")
			}
		})
	}
}
