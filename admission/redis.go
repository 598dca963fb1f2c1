package admission

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"math"
	"sync"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"
)

// RedisRate is a Rate shared by every instance that uses the same Redis:
// GCRA with a burst of one, in one atomic script (redis_rate), on Redis's
// clock. Keys name a hash of the AccessKey ID, never the ID. When Redis
// cannot be reached it falls back to a LocalRate for this instance, and
// says so in the log (at most every 10 s): the account's own throttling,
// which the client retries, still stands behind it.
type RedisRate struct {
	limiter  *redis_rate.Limiter
	fallback *LocalRate
	log      *slog.Logger
	timeout  time.Duration

	mu       sync.Mutex
	lastWarn time.Time
}

// redisTimeout bounds one Redis round trip of Take.
const redisTimeout = 250 * time.Millisecond

// NewRedisRate returns a RedisRate over rdb; log may be nil.
func NewRedisRate(rdb redis.UniversalClient, log *slog.Logger) *RedisRate {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &RedisRate{limiter: redis_rate.NewLimiter(rdb), fallback: NewLocalRate(), log: log, timeout: redisTimeout}
}

// Take implements Rate.
func (r *RedisRate) Take(ctx context.Context, accessKeyID, action string, perSecond float64) (time.Duration, error) {
	if perSecond <= 0 {
		return 0, nil
	}
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	res, err := r.limiter.Allow(ctx, RedisKey(accessKeyID, action), gcra(perSecond))
	if err != nil {
		r.warn(err)
		return r.fallback.Take(ctx, accessKeyID, action, perSecond)
	}
	if res.Allowed > 0 {
		return 0, nil
	}
	return max(res.RetryAfter, time.Millisecond), nil
}

// RedisKey is the key (after redis_rate's "rate:" prefix) of an account's
// limit of action: a hash of the AccessKey ID, so that Redis never holds it.
func RedisKey(accessKeyID, action string) string {
	sum := sha256.Sum256([]byte("vodboard rate limit\x00" + accessKeyID))
	return "vodboard:" + hex.EncodeToString(sum[:12]) + ":" + action
}

// gcra expresses perSecond (not always whole) as redis_rate's whole number
// of calls per period, with a burst of one.
func gcra(perSecond float64) redis_rate.Limit {
	const scale = 100
	return redis_rate.Limit{Rate: max(1, int(math.Round(perSecond*scale))), Burst: 1, Period: scale * time.Second}
}

func (r *RedisRate) warn(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if time.Since(r.lastWarn) < 10*time.Second {
		return
	}
	r.lastWarn = time.Now()
	r.log.Warn("rate limits: Redis unreachable, pacing this instance alone until it is back", "err", err)
}
