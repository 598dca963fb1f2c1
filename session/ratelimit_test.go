package session

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
)

func TestLoginLimiter(t *testing.T) {
	clock := newFakeClock()
	l := NewLoginLimiter(3)
	l.now = clock.Now

	for i := range 3 {
		if ok, _ := l.allowKey(clientKey("203.0.113.7")); !ok {
			t.Fatalf("attempt %d refused", i+1)
		}
	}
	ok, wait := l.allowKey(clientKey("203.0.113.7"))
	if ok || wait <= 0 || wait > 20*time.Second {
		t.Fatalf("4th attempt: ok=%v wait=%v, want refused with wait in (0, 20s]", ok, wait)
	}
	// Refused attempts do not extend the wait.
	for range 5 {
		l.allowKey(clientKey("203.0.113.7"))
	}
	if ok, _ := l.allowKey(clientKey("198.51.100.1")); !ok {
		t.Fatal("another client was limited too")
	}
	clock.Advance(wait)
	if ok, _ := l.allowKey(clientKey("203.0.113.7")); !ok {
		t.Fatal("attempt after the retry-after refused")
	}
	if ok, _ := l.allowKey(clientKey("203.0.113.7")); ok {
		t.Fatal("second attempt after one refill allowed")
	}
}

func TestLoginLimiterIPv6Prefix(t *testing.T) {
	l := NewLoginLimiter(2)
	l.now = newFakeClock().Now
	l.allowKey(clientKey("2001:db8:1:2::1"))
	l.allowKey(clientKey("2001:db8:1:2::ffff"))
	if ok, _ := l.allowKey(clientKey("2001:db8:1:2:abcd::9")); ok {
		t.Fatal("hopping addresses inside one /64 escaped the limit")
	}
	if ok, _ := l.allowKey(clientKey("2001:db8:1:3::1")); !ok {
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
		l.allowKey(clientKey(fmt.Sprintf("10.0.%d.%d", i/256, i%256)))
	}
	if n := l.Len(); n > 100 {
		t.Fatalf("tracking %d clients, want at most 100", n)
	}
	// Clients whose bucket has refilled are forgotten.
	clock.Advance(2 * time.Minute)
	l.allowKey(clientKey("192.0.2.1"))
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
