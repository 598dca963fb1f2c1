package session

import (
	"container/list"
	"math"
	"net/http"
	"net/netip"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/time/rate"
)

// maxLimitedClients bounds the LoginLimiter's memory. Beyond it the least
// recently seen client is forgotten; one idle for a minute has a full
// bucket again anyway.
const maxLimitedClients = 10000

// LoginLimiter limits sign-in attempts per client IP with a token bucket:
// perMinute attempts in a burst, then one every minute/perMinute. The IP is
// c.RealIP(), so configure e.IPExtractor to trust only your proxies. IPv6
// clients are limited per /64, the block one host usually controls.
type LoginLimiter struct {
	every time.Duration
	burst int
	max   int
	now   func() time.Time

	mu      sync.Mutex
	clients map[string]*list.Element // of *limitEntry
	lru     list.List                // front = most recently seen
}

type limitEntry struct {
	key  string
	lim  *rate.Limiter
	seen time.Time
}

// NewLoginLimiter returns a limiter allowing perMinute sign-in attempts per
// client per minute (at least 1).
func NewLoginLimiter(perMinute int) *LoginLimiter {
	perMinute = max(perMinute, 1)
	return &LoginLimiter{
		every:   time.Minute / time.Duration(perMinute),
		burst:   perMinute,
		max:     maxLimitedClients,
		now:     time.Now,
		clients: make(map[string]*list.Element),
	}
}

// Allow records an attempt by the request's client. When the client is over
// its limit it returns false and how long until the next attempt is allowed.
func (l *LoginLimiter) Allow(c echo.Context) (bool, time.Duration) {
	return l.allowKey(clientKey(c.RealIP()))
}

func (l *LoginLimiter) allowKey(key string) (bool, time.Duration) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()

	var e *limitEntry
	if el, ok := l.clients[key]; ok {
		e = el.Value.(*limitEntry)
		l.lru.MoveToFront(el)
	} else {
		e = &limitEntry{key: key, lim: rate.NewLimiter(rate.Every(l.every), l.burst)}
		l.clients[key] = l.lru.PushFront(e)
	}
	e.seen = now
	l.trim(now)

	r := e.lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now) // a refused attempt does not push the wait further out
		return false, d
	}
	return true, 0
}

// trim forgets clients whose bucket has refilled, and the least recently
// seen ones beyond the bound.
func (l *LoginLimiter) trim(now time.Time) {
	refill := l.every * time.Duration(l.burst)
	for el := l.lru.Back(); el != nil && el != l.lru.Front(); el = l.lru.Back() {
		e := el.Value.(*limitEntry)
		if len(l.clients) <= l.max && now.Sub(e.seen) < refill {
			return
		}
		l.lru.Remove(el)
		delete(l.clients, e.key)
	}
}

// Len reports how many clients the limiter currently tracks.
func (l *LoginLimiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.clients)
}

// Middleware returns middleware that answers 429 with Retry-After to a
// client over its limit. Attach it to the sign-in POST route only.
func (l *LoginLimiter) Middleware() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			ok, wait := l.Allow(c)
			if !ok {
				secs := int(math.Ceil(wait.Seconds()))
				c.Response().Header().Set(echo.HeaderRetryAfter, strconv.Itoa(max(secs, 1)))
				return echo.NewHTTPError(http.StatusTooManyRequests, "too many sign-in attempts; try again later")
			}
			return next(c)
		}
	}
}

// clientKey groups IPv6 addresses by /64; anything unparsable counts as
// one shared client rather than escaping the limit.
func clientKey(ip string) string {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return "invalid"
	}
	addr = addr.Unmap()
	if addr.Is6() {
		p, err := addr.WithZone("").Prefix(64)
		if err == nil {
			return p.String()
		}
	}
	return addr.String()
}
