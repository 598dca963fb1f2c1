package vodclient

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// RateLimits holds client-side limits on calls per second, one limiter per
// AccessKey and action, so that every client of the same account in the
// process shares the account's budget. The zero value is not usable; use
// NewRateLimits.
type RateLimits struct {
	perSecond map[string]float64 // action -> calls per second

	mu       sync.Mutex
	limiters map[limitKey]*limiter
}

type limiter struct {
	*rate.Limiter
	lastUsed time.Time
}

// Limiters idle this long are forgotten (an idle limiter is full again
// anyway), so temporary STS AccessKeys do not pile up.
const idleLimiter = time.Minute

// safetyMargin keeps the client a little under the documented limit.
const safetyMargin = 0.9

type limitKey struct{ accessKeyID, action string }

// DocumentedRateLimits returns the per-account limits the API documents:
// GetImageInfos is limited to 10 calls per second, SearchMedia and
// GetCategories to 50 each.
func DocumentedRateLimits() map[string]float64 {
	return map[string]float64{"GetImageInfos": 10, "SearchMedia": 50, "GetCategories": 50}
}

// NewRateLimits returns limits of perSecond calls per second for each named
// action; actions not named are not limited by the client.
func NewRateLimits(perSecond map[string]float64) *RateLimits {
	m := make(map[string]float64, len(perSecond))
	for k, v := range perSecond {
		m[k] = v
	}
	return &RateLimits{perSecond: m, limiters: make(map[limitKey]*limiter)}
}

// processRateLimits is shared by every Client whose Config leaves RateLimits
// nil: the API's limit is per account, so it must be shared process-wide.
// It is the package's one piece of state, and it is safe for concurrent use.
var processRateLimits = NewRateLimits(DocumentedRateLimits())

// wait blocks until a call of action for accessKeyID may go out.
func (l *RateLimits) wait(ctx context.Context, accessKeyID, action string) error {
	perSecond, ok := l.perSecond[action]
	if !ok || perSecond <= 0 {
		return ctx.Err()
	}
	key := limitKey{accessKeyID, action}
	now := time.Now()
	l.mu.Lock()
	lim, ok := l.limiters[key]
	if !ok {
		for k, old := range l.limiters {
			if now.Sub(old.lastUsed) > idleLimiter {
				delete(l.limiters, k)
			}
		}
		// Burst 1 spaces calls evenly, so no one-second window, however it
		// is aligned, sees more than the limit; the 10% margin absorbs
		// calls that arrive closer together than they were sent.
		lim = &limiter{Limiter: rate.NewLimiter(rate.Limit(perSecond*safetyMargin), 1)}
		l.limiters[key] = lim
	}
	lim.lastUsed = now
	l.mu.Unlock()
	return lim.Wait(ctx)
}
