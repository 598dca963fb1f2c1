package session

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/redis/go-redis/v9"

	"vodboard/internal/redistest"
)

// allowIP records an attempt by ip with no AccessKey ID.
func allowIP(l *LoginLimiter, ip string) (bool, time.Duration) {
	ok, wait, err := l.allow(context.Background(), "ip:"+clientKey(ip))
	if err != nil {
		panic(err)
	}
	return ok, wait
}

func TestLoginLimiter(t *testing.T) {
	clock := newFakeClock()
	l := NewLoginLimiter(3)
	l.now = clock.Now

	for i := range 3 {
		if ok, _ := allowIP(l, "203.0.113.7"); !ok {
			t.Fatalf("attempt %d refused", i+1)
		}
	}
	ok, wait := allowIP(l, "203.0.113.7")
	if ok || wait <= 0 || wait > 20*time.Second {
		t.Fatalf("4th attempt: ok=%v wait=%v, want refused with wait in (0, 20s]", ok, wait)
	}
	// Refused attempts do not extend the wait.
	for range 5 {
		allowIP(l, "203.0.113.7")
	}
	if ok, _ := allowIP(l, "198.51.100.1"); !ok {
		t.Fatal("another client was limited too")
	}
	clock.Advance(wait)
	if ok, _ := allowIP(l, "203.0.113.7"); !ok {
		t.Fatal("attempt after the retry-after refused")
	}
	if ok, _ := allowIP(l, "203.0.113.7"); ok {
		t.Fatal("second attempt after one refill allowed")
	}
}

func TestLoginLimiterIPv6Prefix(t *testing.T) {
	l := NewLoginLimiter(2)
	l.now = newFakeClock().Now
	allowIP(l, "2001:db8:1:2::1")
	allowIP(l, "2001:db8:1:2::ffff")
	if ok, _ := allowIP(l, "2001:db8:1:2:abcd::9"); ok {
		t.Fatal("hopping addresses inside one /64 escaped the limit")
	}
	if ok, _ := allowIP(l, "2001:db8:1:3::1"); !ok {
		t.Fatal("a different /64 was limited")
	}
	if clientKey("::ffff:192.0.2.1") != clientKey("192.0.2.1") {
		t.Fatal("IPv4-mapped address keyed apart from IPv4")
	}
}

func TestLoginLimiterBoundedMemory(t *testing.T) {
	clock := newFakeClock()
	l := NewLoginLimiter(5)
	l.now = clock.Now
	l.max = 100
	for i := range 1000 {
		allowIP(l, fmt.Sprintf("10.0.%d.%d", i/256, i%256))
	}
	if n := l.Len(); n > 100 {
		t.Fatalf("tracking %d clients, want at most 100", n)
	}
	// Clients whose bucket has refilled are forgotten.
	clock.Advance(2 * time.Minute)
	allowIP(l, "192.0.2.1")
	if n := l.Len(); n != 1 {
		t.Fatalf("after refill tracking %d clients, want 1", n)
	}
}

func TestLoginLimiterMiddleware(t *testing.T) {
	l := NewLoginLimiter(1)
	e := echo.New()
	e.IPExtractor = echo.ExtractIPDirect()
	e.POST("/login", func(c echo.Context) error { return c.NoContent(http.StatusOK) }, l.Middleware())
	try := func(remote, xff string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, "/login", nil)
		req.RemoteAddr = remote + ":1234"
		if xff != "" {
			req.Header.Set("X-Forwarded-For", xff)
		}
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		return rec
	}
	if rec := try("192.0.2.10", ""); rec.Code != http.StatusOK {
		t.Fatalf("first attempt = %d", rec.Code)
	}
	rec := try("192.0.2.10", "198.51.100.99") // spoofed header is not trusted
	if rec.Code != http.StatusTooManyRequests {
		t.Fatalf("second attempt = %d, want 429", rec.Code)
	}
	if ra := rec.Header().Get("Retry-After"); ra == "" || ra == "0" {
		t.Fatalf("Retry-After = %q", ra)
	}
}

// limiterPost tries a sign-in POST from remote with the AccessKey ID keyID
// ("" for none) through l's middleware and returns the status.
func limiterPost(l *LoginLimiter, remote, keyID string) int {
	e := echo.New()
	e.IPExtractor = echo.ExtractIPDirect()
	e.POST("/login", func(c echo.Context) error { return c.NoContent(http.StatusOK) }, l.Middleware())
	form := url.Values{}
	if keyID != "" {
		form.Set(AccessKeyIDField, keyID)
	}
	req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(form.Encode()))
	req.Header.Set(echo.HeaderContentType, echo.MIMEApplicationForm)
	req.RemoteAddr = remote + ":1234"
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	return rec.Code
}

// TestLoginLimiterPerIPAndAccessKey runs the same script on the in-memory
// limiter and on two Redis limiters sharing one Redis (two instances).
func TestLoginLimiterPerIPAndAccessKey(t *testing.T) {
	type pair struct{ first, second *LoginLimiter }
	setups := map[string]func(t *testing.T, clock *fakeClock) pair{
		"memory": func(t *testing.T, clock *fakeClock) pair {
			l := NewLoginLimiter(3)
			l.now = clock.Now
			return pair{l, l}
		},
		"redis, two instances": func(t *testing.T, clock *fakeClock) pair {
			srv := redistest.Start(t)
			var ls [2]*LoginLimiter
			for i := range ls {
				rdb := redis.NewClient(&redis.Options{Addr: srv.Addr})
				t.Cleanup(func() { rdb.Close() })
				ls[i] = NewRedisLoginLimiter(rdb, 3, "")
				ls[i].now = clock.Now
			}
			return pair{ls[0], ls[1]}
		},
	}
	for name, setup := range setups {
		t.Run(name, func(t *testing.T) {
			clock := newFakeClock()
			p := setup(t, clock)
			// alternate spreads attempts over both instances.
			n := 0
			try := func(remote, keyID string) int {
				n++
				if n%2 == 0 {
					return limiterPost(p.second, remote, keyID)
				}
				return limiterPost(p.first, remote, keyID)
			}
			const victim = "LTAI5tVictimKeyID"
			// One AccessKey ID tried from many addresses: limited per key.
			for i := range 3 {
				if code := try(fmt.Sprintf("203.0.113.%d", i+1), victim); code != http.StatusOK {
					t.Fatalf("attempt %d on the key = %d", i+1, code)
				}
			}
			if code := try("203.0.113.99", victim); code != http.StatusTooManyRequests {
				t.Fatalf("4th attempt on the key from a fresh address = %d, want 429", code)
			}
			// Users behind the same addresses with their own keys are not
			// locked out by it, nor are sign-ins without a key.
			if code := try("203.0.113.1", "LTAI5tSomeoneElse"); code != http.StatusOK {
				t.Fatalf("another key from a shared address = %d, want 200", code)
			}
			if code := try("203.0.113.2", ""); code != http.StatusOK {
				t.Fatalf("a demo sign-in from a shared address = %d, want 200", code)
			}
			// One address trying many keys: limited per address. Its refused
			// attempts cost the keys it named nothing.
			for i := range 3 {
				if code := try("192.0.2.50", fmt.Sprintf("LTAI5tSpray%d", i)); code != http.StatusOK {
					t.Fatalf("spray attempt %d = %d", i+1, code)
				}
			}
			if code := try("192.0.2.50", "LTAI5tSprayX"); code != http.StatusTooManyRequests {
				t.Fatalf("4th key from one address = %d, want 429", code)
			}
			// The address refused with the victim's key still has all of its
			// own attempts: a refusal consumes nothing.
			for i := range 3 {
				if code := try("203.0.113.99", fmt.Sprintf("LTAI5tOwn%d", i)); code != http.StatusOK {
					t.Fatalf("attempt %d from the address refused with the victim's key = %d, want 200", i+1, code)
				}
			}
			// Both refill with time.
			clock.Advance(time.Minute)
			if code := try("203.0.113.98", victim); code != http.StatusOK {
				t.Fatalf("the key after a minute = %d", code)
			}
			if code := try("192.0.2.50", "LTAI5tSprayY"); code != http.StatusOK {
				t.Fatalf("the address after a minute = %d", code)
			}
		})
	}
}

func TestRedisLoginLimiterFailsClosed(t *testing.T) {
	srv := redistest.Start(t)
	rdb := redis.NewClient(&redis.Options{Addr: srv.Addr, MaxRetries: -1})
	t.Cleanup(func() { rdb.Close() })
	l := NewRedisLoginLimiter(rdb, 3, "")
	if ok, _, err := l.allow(context.Background(), "ip:192.0.2.1"); !ok || err != nil {
		t.Fatalf("allow = %v, %v", ok, err)
	}
	srv.Stop()
	ok, _, err := l.allow(context.Background(), "ip:192.0.2.1")
	if ok || !errors.Is(err, ErrStoreUnavailable) {
		t.Fatalf("allow with Redis down = %v, %v; want refused with ErrStoreUnavailable", ok, err)
	}
	srv.Restart()
	waitUntil(t, time.Minute, "the limiter to answer again", func() bool {
		ok, _, err := l.allow(context.Background(), "ip:192.0.2.1")
		return ok && err == nil
	})
}
