package session

import (
	"container/list"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/redis/go-redis/v9"
)

// maxLimitedClients bounds the in-memory LoginLimiter. Beyond it the least
// recently seen client is forgotten; one idle for a minute has a full
// bucket again anyway.
const maxLimitedClients = 10000

// AccessKeyIDField is the sign-in form field the LoginLimiter reads.
const AccessKeyIDField = "access_key_id"

// LoginLimiter limits sign-in attempts twice over: per client IP and per
// AccessKey ID typed into the form, and an attempt must pass both. Each
// allows perMinute attempts in a burst, then one every minute/perMinute
// (GCRA, the token bucket without a timer); a refused attempt costs
// nothing, so hammering does not push the wait further out.
//
// Keying by AccessKey ID as well as by IP means a client behind many
// addresses still gets perMinute guesses per key, and many users behind one
// address (an office, or every user behind a proxy that is not trusted)
// still each get their own key's attempts; the IP limit still stops one
// client trying many keys. Sign-ins without an AccessKey ID (the demo,
// server credentials) are limited per IP only: a bucket shared by every
// user would let anyone lock everyone out.
//
// The IP is c.RealIP(), so configure e.IPExtractor to trust only your
// proxies. IPv6 clients are limited per /64, the block one host usually
// controls. The state lives in memory, or in Redis
// ([NewRedisLoginLimiter]) so that every instance shares the limits.
type LoginLimiter struct {
	every time.Duration
	burst int
	now   func() time.Time

	rdb    redis.Cmdable // nil: in memory
	prefix string

	max     int
	mu      sync.Mutex
	clients map[string]*list.Element // of *limitEntry
	lru     list.List                // front = most recently allowed
}

type limitEntry struct {
	key string
	tat time.Time // GCRA's theoretical arrival time: full bucket once past
}

// NewLoginLimiter returns an in-memory limiter allowing perMinute sign-in
// attempts (at least 1) per client IP and per AccessKey ID.
func NewLoginLimiter(perMinute int) *LoginLimiter {
	perMinute = max(perMinute, 1)
	return &LoginLimiter{
		every:   time.Minute / time.Duration(perMinute),
		burst:   perMinute,
		now:     time.Now,
		max:     maxLimitedClients,
		clients: make(map[string]*list.Element),
	}
}

// NewRedisLoginLimiter returns a limiter like [NewLoginLimiter] whose state
// lives in Redis under prefix (DefaultRedisPrefix if empty), shared by every
// instance using it. When Redis cannot be reached, attempts are refused with
// an error wrapping [ErrStoreUnavailable].
func NewRedisLoginLimiter(rdb redis.Cmdable, perMinute int, prefix string) *LoginLimiter {
	l := NewLoginLimiter(perMinute)
	if prefix == "" {
		prefix = DefaultRedisPrefix
	}
	l.rdb, l.prefix = rdb, prefix
	return l
}

// Allow records a sign-in attempt by the request's client, with the
// AccessKey ID of its form if any. When a limit is reached it returns false
// and how long until the next attempt is allowed.
func (l *LoginLimiter) Allow(c echo.Context) (bool, time.Duration, error) {
	keys := []string{"ip:" + clientKey(c.RealIP())}
	if id := strings.TrimSpace(c.FormValue(AccessKeyIDField)); id != "" {
		keys = append(keys, "key:"+accessKeyKey(id))
	}
	return l.allow(c.Request().Context(), keys...)
}

// allow records one attempt against every key if each of them allows it.
func (l *LoginLimiter) allow(ctx context.Context, keys ...string) (bool, time.Duration, error) {
	if l.rdb != nil {
		return l.allowRedis(ctx, keys)
	}
	ok, wait := l.allowMemory(keys)
	return ok, wait, nil
}

func (l *LoginLimiter) allowMemory(keys []string) (bool, time.Duration) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()

	var wait time.Duration
	next := make([]time.Time, len(keys))
	for i, k := range keys {
		tat := now
		if el, ok := l.clients[k]; ok {
			if t := el.Value.(*limitEntry).tat; t.After(now) {
				tat = t
			}
		}
		next[i] = tat.Add(l.every)
		if allowAt := next[i].Add(-time.Duration(l.burst) * l.every); allowAt.After(now) {
			wait = max(wait, allowAt.Sub(now))
		}
	}
	if wait > 0 {
		return false, wait
	}
	for i, k := range keys {
		if el, ok := l.clients[k]; ok {
			el.Value.(*limitEntry).tat = next[i]
			l.lru.MoveToFront(el)
		} else {
			l.clients[k] = l.lru.PushFront(&limitEntry{key: k, tat: next[i]})
		}
	}
	l.trim(now)
	return true, 0
}

// trim forgets keys whose bucket has refilled, and the least recently
// allowed ones beyond the bound.
func (l *LoginLimiter) trim(now time.Time) {
	for el := l.lru.Back(); el != nil && el != l.lru.Front(); el = l.lru.Back() {
		e := el.Value.(*limitEntry)
		if len(l.clients) <= l.max && e.tat.After(now) {
			return
		}
		l.lru.Remove(el)
		delete(l.clients, e.key)
	}
}

// gcraScript is allowMemory in Redis: KEYS are the buckets, ARGV the time,
// the interval in ms and the burst. It returns 0 when the attempt is
// allowed (and recorded in every bucket), else the wait in ms. The time
// comes from the caller, whose clock the retry-after is measured on.
var gcraScript = redis.NewScript(`
local now, every, burst = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local wait, nexts = 0, {}
for i, k in ipairs(KEYS) do
  local tat = tonumber(redis.call('GET', k) or 0)
  if tat < now then tat = now end
  nexts[i] = tat + every
  local allowAt = nexts[i] - burst * every
  if allowAt - now > wait then wait = allowAt - now end
end
if wait > 0 then return math.ceil(wait) end
for i, k in ipairs(KEYS) do
  redis.call('SET', k, nexts[i], 'PX', nexts[i] - now)
end
return 0
`)

func (l *LoginLimiter) allowRedis(ctx context.Context, keys []string) (bool, time.Duration, error) {
	full := make([]string, len(keys))
	for i, k := range keys {
		full[i] = l.prefix + "signin:" + k
	}
	wait, err := gcraScript.Run(ctx, l.rdb, full, l.now().UnixMilli(), l.every.Milliseconds(), l.burst).Int64()
	if err != nil {
		return false, 0, fmt.Errorf("sign-in limiter: %w: %w", ErrStoreUnavailable, err)
	}
	if wait > 0 {
		return false, time.Duration(wait) * time.Millisecond, nil
	}
	return true, 0, nil
}

// Len reports how many keys the in-memory limiter currently tracks.
func (l *LoginLimiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.clients)
}

// Middleware returns middleware that answers 429 with Retry-After to a
// client over a limit. Attach it to the sign-in POST routes only, after the
// CSRF middleware (a forged request costs the victim nothing).
func (l *LoginLimiter) Middleware() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			ok, wait, err := l.Allow(c)
			if err != nil {
				return err
			}
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

// accessKeyKey is a fixed-size stand-in for an AccessKey ID, so that
// neither memory nor Redis keys grow with what is typed, and Redis holds no
// AccessKey ID.
func accessKeyKey(id string) string {
	h := sha256.Sum256([]byte("vodboard sign-in limit v1\x00" + id))
	return hex.EncodeToString(h[:16])
}
