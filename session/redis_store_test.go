package session

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/redis/go-redis/v9"

	"vodboard/internal/redistest"
)

// instance is one vodboard process in these tests: a Manager on a shared
// Redis, with the test routes and a record of OnEnd calls.
type instance struct {
	m    *Manager
	e    *echo.Echo
	rdb  *redis.Client
	ends *endLog
}

// newInstance starts an instance on srv's Redis. keys default to the
// "current" test key; now to the real clock.
func newInstance(t *testing.T, srv *redistest.Server, now func() time.Time, keys ...[]byte) *instance {
	t.Helper()
	if len(keys) == 0 {
		keys = [][]byte{testKey("current")}
	}
	rdb := redis.NewClient(&redis.Options{Addr: srv.Addr})
	t.Cleanup(func() { rdb.Close() })
	store := NewRedisStore(rdb, mustSealer(t, keys...), RedisOptions{Now: now})
	m := newTestManager(t, Config{Keys: keys, Store: store, Now: now})
	ends := &endLog{}
	m.OnEnd(ends.record)
	return &instance{m: m, e: newTestServer(t, m), rdb: rdb, ends: ends}
}

// on returns a browser with b's cookies that talks to inst.
func (b *browser) on(inst *instance) *browser {
	o := newBrowser(b.t, inst.e)
	for k, v := range b.cookies {
		c := *v
		o.cookies[k] = &c
	}
	return o
}

// dump returns every key and value in Redis.
func dump(t *testing.T, rdb *redis.Client) map[string][]byte {
	t.Helper()
	ctx := context.Background()
	keys, err := rdb.Keys(ctx, "*").Result()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, k := range keys {
		switch typ := rdb.Type(ctx, k).Val(); typ {
		case "hash":
			for f, v := range rdb.HGetAll(ctx, k).Val() {
				out[k+" "+f] = []byte(v)
			}
		case "string":
			out[k] = []byte(rdb.Get(ctx, k).Val())
		default:
			t.Fatalf("key %s of type %s", k, typ)
		}
	}
	return out
}

func TestRedisStoreHoldsOnlySealedMaterial(t *testing.T) {
	srv := redistest.Start(t)
	clock := newFakeClock()
	a := newInstance(t, srv, clock.Now)
	b := newBrowser(t, a.e)
	id := b.signIn()
	if rec := b.post("/settings", url.Values{"output": {"oss"}}); rec.Code != http.StatusNoContent {
		t.Fatalf("settings = %d", rec.Code)
	}

	held := dump(t, a.rdb)
	if len(held) == 0 {
		t.Fatal("Redis holds nothing")
	}
	for k, v := range held {
		for _, secret := range []string{id, testSecret, testToken, testKeyID, "/media?ids=1", "cn-shanghai"} {
			if strings.Contains(k, secret) || bytes.Contains(v, []byte(secret)) {
				t.Errorf("Redis holds %q in plaintext (key %s)", secret, k)
			}
		}
	}
	// The sealed value is bound to its session ID: moved under another
	// session's key it does not open.
	other := newBrowser(t, a.e)
	otherID := other.signIn()
	store := a.m.store.(*RedisStore)
	ctx := context.Background()
	sealed := a.rdb.HGet(ctx, store.key(id), "m").Val()
	a.rdb.HSet(ctx, store.key(otherID), "m", sealed)
	if _, _, err := store.Get(ctx, otherID); !errors.Is(err, ErrOpen) {
		t.Fatalf("material moved to another session: err = %v, want ErrOpen", err)
	}
}

func TestRedisStoreTTLFollowsExpires(t *testing.T) {
	srv := redistest.Start(t)
	clock := newFakeClock()
	a := newInstance(t, srv, clock.Now)
	b := newBrowser(t, a.e)
	id := b.signIn()
	key := a.m.store.(*RedisStore).key(id)
	ctx := context.Background()

	ttl := func() time.Duration {
		t.Helper()
		d, err := a.rdb.PTTL(ctx, key).Result()
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	// Idle timeout from sign-in; Redis's own clock runs a little meanwhile.
	if d := ttl(); d <= DefaultIdleTimeout-time.Minute || d > DefaultIdleTimeout {
		t.Fatalf("TTL after sign-in = %v, want about %v", d, DefaultIdleTimeout)
	}
	// A request 20 minutes later renews it: the idle timeout counts again.
	clock.Advance(20 * time.Minute)
	if rec := b.do(http.MethodGet, "/me", nil, nil); rec.Code != http.StatusOK {
		t.Fatalf("/me = %d", rec.Code)
	}
	if d := ttl(); d <= DefaultIdleTimeout-time.Minute {
		t.Fatalf("TTL after a request = %v, want renewed to about %v", d, DefaultIdleTimeout)
	}
	// Near the absolute timeout the TTL is what is left of it, not a full
	// idle period.
	for range 24 {
		clock.Advance(29 * time.Minute)
		if rec := b.do(http.MethodGet, "/me", nil, nil); rec.Code != http.StatusOK {
			t.Fatalf("/me = %d", rec.Code)
		}
	}
	mat := storedMaterial(t, a.m, id)
	left := mat.Created.Add(DefaultAbsoluteTimeout).Sub(clock.Now())
	if left >= DefaultIdleTimeout {
		t.Fatalf("test setup: %v left of the absolute timeout", left)
	}
	if d := ttl(); d > left || d < left-time.Minute {
		t.Fatalf("TTL near the absolute timeout = %v, want %v (what is left)", d, left)
	}
	clock.Advance(left)
	if rec := b.do(http.MethodGet, "/me", nil, nil); rec.Code != http.StatusUnauthorized {
		t.Fatalf("/me past the absolute timeout = %d, want 401", rec.Code)
	}
	if n := a.rdb.Exists(ctx, key).Val(); n != 0 {
		t.Fatal("material kept after the absolute timeout")
	}
}

func TestRedisStoreExpiresInRedis(t *testing.T) {
	// Redis drops the entry at Expires by itself, and every instance then
	// sees the session as ended.
	srv := redistest.Start(t)
	rdb := redis.NewClient(&redis.Options{Addr: srv.Addr})
	t.Cleanup(func() { rdb.Close() })
	store := NewRedisStore(rdb, mustSealer(t, testKey("current")), RedisOptions{})
	ctx := context.Background()
	m := testMaterial()
	m.Expires = time.Now().Add(300 * time.Millisecond)
	id := newID()
	if err := store.Put(ctx, id, m); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, time.Minute, "Redis to expire the entry", func() bool {
		_, ok, err := store.Get(ctx, id)
		return err == nil && !ok
	})
	if ok, err := store.Update(ctx, id, m); ok || err != nil {
		t.Fatalf("Update of an expired entry = %v, %v; want false, nil", ok, err)
	}
	// Material already past its Expires is never written.
	m.Expires = time.Now().Add(-time.Second)
	if err := store.Put(ctx, id, m); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := store.Get(ctx, id); ok {
		t.Fatal("expired material stored")
	}
}

// waitUntil polls cond every 20ms until it holds, failing after within.
func waitUntil(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up after %v waiting for %s", within, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestRedisSignInOnOneBrowseOnOther(t *testing.T) {
	srv := redistest.Start(t)
	a, b := newInstance(t, srv, nil), newInstance(t, srv, nil)
	onA := newBrowser(t, a.e)
	id := onA.signIn()
	onB := onA.on(b)
	rec := onB.do(http.MethodGet, "/me", nil, nil)
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Body.String(), id+" "+testKeyID) {
		t.Fatalf("/me on B = %d %q, want A's session", rec.Code, rec.Body.String())
	}
	if got := rec.Header().Values("Set-Cookie"); len(got) != 0 {
		t.Fatalf("B rewrote the cookie of a live session: %q", got)
	}
	// A change on B is seen on A.
	if rec := onB.post("/settings", url.Values{"output": {"oss"}}); rec.Code != http.StatusNoContent {
		t.Fatalf("settings on B = %d", rec.Code)
	}
	if rec := onA.do(http.MethodGet, "/me", nil, nil); !strings.HasSuffix(rec.Body.String(), " oss") {
		t.Fatalf("/me on A after B's change = %q", rec.Body.String())
	}
}

func TestRedisSignOutEndsEverywhere(t *testing.T) {
	srv := redistest.Start(t)
	a, b := newInstance(t, srv, nil), newInstance(t, srv, nil)
	onA := newBrowser(t, a.e)
	id := onA.signIn()
	stolen := onA.on(a)
	if rec := onA.do(http.MethodGet, "/me", nil, nil); rec.Code != http.StatusOK {
		t.Fatal("not signed in on A")
	}
	// B has seen the session: it may hold resources for it.
	onB := onA.on(b)
	if rec := onB.do(http.MethodGet, "/me", nil, nil); rec.Code != http.StatusOK {
		t.Fatal("not signed in on B")
	}
	if err := b.m.EndGone(context.Background(), []string{id}); err != nil || b.ends.count(id) != 0 {
		t.Fatalf("EndGone of a live session: err %v, OnEnd ran %d times", err, b.ends.count(id))
	}

	rec := onB.post("/logout", nil)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Clear-Site-Data") == "" {
		t.Fatalf("logout on B = %d, Clear-Site-Data %q", rec.Code, rec.Header().Get("Clear-Site-Data"))
	}
	if b.ends.count(id) != 1 {
		t.Fatalf("OnEnd on B ran %d times, want 1", b.ends.count(id))
	}
	// A never hears of the sign-out, but its sweeper's check finds it...
	if err := a.m.EndGone(context.Background(), []string{id}); err != nil || a.ends.count(id) != 1 {
		t.Fatalf("EndGone on A: err %v, OnEnd ran %d times, want 1", err, a.ends.count(id))
	}
	// ...and so does its next request with the old cookie, at once.
	for name, br := range map[string]*browser{"A": stolen, "B": stolen.on(b)} {
		if rec := br.do(http.MethodGet, "/me", nil, nil); rec.Code != http.StatusUnauthorized {
			t.Fatalf("old cookie on %s after sign-out on B = %d, want 401", name, rec.Code)
		}
	}
	if a.ends.count(id) != 2 {
		t.Fatalf("OnEnd on A ran %d times, want 2 (sweeper check, then the request)", a.ends.count(id))
	}
}

// gatedRedisStore stalls GetVersion after reading, once armed.
type gatedRedisStore struct {
	*RedisStore
	gate
}

func (s *gatedRedisStore) GetVersion(ctx context.Context, id string) (Material, int64, bool, error) {
	m, v, ok, err := s.RedisStore.GetVersion(ctx, id)
	s.pass()
	return m, v, ok, err
}

func TestRedisUpdateIsCompareAndSet(t *testing.T) {
	// Deterministic: A reads, B changes the session, A writes. Without a
	// compare-and-set A's write would undo B's change.
	srv := redistest.Start(t)
	rdb := redis.NewClient(&redis.Options{Addr: srv.Addr})
	t.Cleanup(func() { rdb.Close() })
	gated := &gatedRedisStore{RedisStore: NewRedisStore(rdb, mustSealer(t, testKey("current")), RedisOptions{})}
	a := newTestManager(t, Config{Store: gated})
	b := newInstance(t, srv, nil)
	onA := newBrowser(t, newTestServer(t, a))
	id := onA.signIn()
	onB := onA.on(b)

	ctxA, _ := onA.context()
	ctxB, _ := onB.context()
	read, release := gated.arm()
	done := make(chan error)
	go func() {
		_, err := a.Update(ctxA, id, addLookup("/media?ids=1"))
		done <- err
	}()
	<-read
	if _, err := b.m.Update(ctxB, id, setOutput("oss")); err != nil {
		t.Fatal(err)
	}
	release()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	got := storedMaterial(t, b.m, id)
	if got.Settings.OutputType != "oss" || len(got.Lookups) != 1 {
		t.Fatalf("stored %+v: one instance's change was lost", got.redacted())
	}
}

func TestRedisConcurrentUpdatesLoseNothing(t *testing.T) {
	srv := redistest.Start(t)
	a, b := newInstance(t, srv, nil), newInstance(t, srv, nil)
	onA := newBrowser(t, a.e)
	id := onA.signIn()
	onB := onA.on(b)

	const perInstance, workers = 40, 4
	var wg sync.WaitGroup
	for _, pair := range []struct {
		inst *instance
		br   *browser
	}{{a, onA}, {b, onB}} {
		for range workers {
			wg.Go(func() {
				for range perInstance / workers {
					c, _ := pair.br.context()
					if _, _, ok, err := pair.inst.m.Load(c); !ok || err != nil {
						t.Errorf("Load = %v, %v", ok, err)
						return
					}
					if _, err := pair.inst.m.Update(c, id, func(m *Material) { m.Settings.AuthTimeout++ }); err != nil {
						t.Errorf("Update: %v", err)
						return
					}
				}
			})
		}
	}
	wg.Wait()
	if got := storedMaterial(t, a.m, id).Settings.AuthTimeout; got != 3600+2*perInstance {
		t.Fatalf("AuthTimeout = %d after %d increments from 3600: %d lost", got, 2*perInstance, 3600+2*perInstance-got)
	}
}

func TestRedisUnreadableCookieLeftAlone(t *testing.T) {
	srv := redistest.Start(t)
	a := newInstance(t, srv, nil)
	// An instance with another key: a misconfiguration, or one not yet
	// given the new key during a rotation.
	other := newInstance(t, srv, nil, testKey("other"))
	onA := newBrowser(t, a.e)
	id := onA.signIn()
	before := onA.cookies[a.m.CookieName()].Value

	onOther := onA.on(other)
	for _, path := range []string{"/me", "/form"} {
		rec := onOther.do(http.MethodGet, path, nil, nil)
		if path == "/me" && rec.Code != http.StatusUnauthorized {
			t.Fatalf("unreadable cookie on %s = %d, want 401", path, rec.Code)
		}
		for _, c := range rec.Result().Cookies() {
			if c.Name == a.m.CookieName() {
				t.Fatalf("GET %s rewrote a cookie it cannot read: %v", path, c)
			}
		}
	}
	// Signing out there does not touch it either.
	if rec := onOther.post("/logout", nil); rec.Code != http.StatusSeeOther {
		t.Fatalf("logout = %d", rec.Code)
	} else {
		for _, c := range rec.Result().Cookies() {
			if c.Name == a.m.CookieName() {
				t.Fatalf("sign-out rewrote a cookie it cannot read: %v", c)
			}
		}
	}
	if onOther.cookies[a.m.CookieName()].Value != before {
		t.Fatal("the session cookie changed")
	}
	if rec := onA.do(http.MethodGet, "/me", nil, nil); rec.Code != http.StatusOK || !strings.HasPrefix(rec.Body.String(), id) {
		t.Fatalf("session on A after visiting the other instance = %d %q", rec.Code, rec.Body.String())
	}
	if other.ends.len() != 0 || a.ends.len() != 0 {
		t.Fatal("a session ended")
	}
	// A sign-in there, an explicit choice, replaces it (its form's token
	// rode in a cookie of its own).
	fresh := onOther.signIn()
	if fresh == id {
		t.Fatal("adopted the unreadable session")
	}
	if rec := onOther.do(http.MethodGet, "/me", nil, nil); rec.Code != http.StatusOK || !strings.HasPrefix(rec.Body.String(), fresh) {
		t.Fatalf("after sign-in on the other instance: %d %q", rec.Code, rec.Body.String())
	}
	if _, ok := onOther.cookies[other.m.preName()]; ok {
		t.Fatal("sign-in left the pre-session CSRF cookie")
	}
}

func TestRedisMaterialUnderNewerKeyLeftAlone(t *testing.T) {
	// A rolling key rotation: A already has the new key, B only the old.
	// A's write seals under the new key; B cannot open it, and must not end
	// the session for everyone.
	srv := redistest.Start(t)
	oldKey, newKey := testKey("old"), testKey("new")
	b := newInstance(t, srv, nil, oldKey)
	a := newInstance(t, srv, nil, newKey, oldKey)
	onB := newBrowser(t, b.e)
	id := onB.signIn()
	onA := onB.on(a)
	if rec := onA.post("/settings", url.Values{"output": {"oss"}}); rec.Code != http.StatusNoContent {
		t.Fatalf("settings on A = %d", rec.Code)
	}
	rec := onB.do(http.MethodGet, "/me", nil, nil)
	if rec.Code != http.StatusUnauthorized {
		t.Fatalf("/me on B = %d, want 401 (cannot open)", rec.Code)
	}
	if got := rec.Header().Values("Set-Cookie"); len(got) != 0 {
		t.Fatalf("B rewrote the cookie: %q", got)
	}
	if b.ends.len() != 0 {
		t.Fatal("B ended the session")
	}
	if rec := onA.do(http.MethodGet, "/me", nil, nil); rec.Code != http.StatusOK || !strings.HasPrefix(rec.Body.String(), id) {
		t.Fatalf("session on A after B's visit = %d %q", rec.Code, rec.Body.String())
	}
}

func TestRedisFailsClosedAndRecovers(t *testing.T) {
	srv := redistest.Start(t)
	a := newInstance(t, srv, nil)
	br := newBrowser(t, a.e)
	id := br.signIn()
	tok := br.token()
	ctx := context.Background()
	if err := a.m.Ready(ctx); err != nil {
		t.Fatalf("Ready with Redis up: %v", err)
	}

	srv.Stop()
	if err := a.m.Ready(ctx); !errors.Is(err, ErrStoreUnavailable) {
		t.Fatalf("Ready with Redis down = %v, want ErrStoreUnavailable", err)
	}
	c, rec := br.context()
	if _, _, ok, err := a.m.Load(c); ok || !errors.Is(err, ErrStoreUnavailable) {
		t.Fatalf("Load with Redis down = %v, %v; want an ErrStoreUnavailable error", ok, err)
	}
	if _, err := a.m.Update(c, id, setOutput("oss")); !errors.Is(err, ErrStoreUnavailable) {
		t.Fatalf("Update with Redis down: %v", err)
	}
	if err := a.m.End(c); !errors.Is(err, ErrStoreUnavailable) {
		t.Fatalf("End with Redis down: %v", err)
	}
	if got := rec.Header().Values("Set-Cookie"); len(got) != 0 {
		t.Fatalf("cookie changed while Redis is down: %q", got)
	}
	if rec.Header().Get("Clear-Site-Data") != "" {
		t.Fatal("sign-out reported done while the session lives on")
	}
	if err := a.m.EndGone(ctx, []string{id}); err == nil || a.ends.len() != 0 {
		t.Fatalf("EndGone with Redis down: err %v, %d sessions ended", err, a.ends.len())
	}
	c, _ = newBrowser(t, a.e).context()
	if _, err := a.m.Start(c, testMaterial()); !errors.Is(err, ErrStoreUnavailable) {
		t.Fatalf("Start with Redis down: %v", err)
	}
	if rec := br.do(http.MethodPost, "/logout", url.Values{CSRFField: {tok}}, nil); rec.Code == http.StatusSeeOther {
		t.Fatal("sign-out succeeded with Redis down")
	}

	srv.Restart() // empty: the sessions it held are gone
	waitUntil(t, time.Minute, "Ready after Redis restarted", func() bool { return a.m.Ready(ctx) == nil })
	if rec := br.do(http.MethodGet, "/me", nil, nil); rec.Code != http.StatusUnauthorized {
		t.Fatalf("/me after Redis lost the session = %d, want 401", rec.Code)
	}
	if a.ends.count(id) != 1 {
		t.Fatalf("OnEnd for the lost session ran %d times, want 1", a.ends.count(id))
	}
	again := br.signIn()
	if rec := br.do(http.MethodGet, "/me", nil, nil); rec.Code != http.StatusOK || !strings.HasPrefix(rec.Body.String(), again) {
		t.Fatalf("after signing in again: %d %q", rec.Code, rec.Body.String())
	}
}
