package vodclient

import (
	"context"
	"fmt"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Pacer decides when a call may go out. Wait returns nil when the call of
// action for accessKeyID may be sent now, on behalf of party (whose turn it
// is; see Config.Party). When the call could not go out before ctx's
// deadline, Wait returns at once with an error that has a
// RetryAfter() time.Duration method, which the client turns into an
// overload error (IsOverloaded). Other errors are ctx's.
//
// The admission package holds the queue the web server uses; RateLimits is
// the plain default.
type Pacer interface {
	Wait(ctx context.Context, accessKeyID, action, party string) error
}

// RateLimits holds client-side limits on calls per second, one limiter per
// AccessKey and action, so that every client of the same account in the
// process shares the account's budget. Waiting calls go out first come,
// first served, whoever's they are. It is a Pacer. The zero value is not
// usable; use NewRateLimits.
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

// SafetyMargin keeps the client a little under the documented limits: the
// pacers allow SafetyMargin times the documented calls per second.
const SafetyMargin = 0.9

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

// processRateLimits is shared by every Client whose Config leaves Pacer
// nil: the API's limit is per account, so it must be shared process-wide.
// It is the package's one piece of state, and it is safe for concurrent use.
var processRateLimits = NewRateLimits(DocumentedRateLimits())

// Wait blocks until a call of action for accessKeyID may go out. When that
// would be after ctx's deadline it returns at once, with an error carrying
// the wait. The party is not looked at: calls go out in the order they ask.
func (l *RateLimits) Wait(ctx context.Context, accessKeyID, action, _ string) error {
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
		lim = &limiter{Limiter: rate.NewLimiter(rate.Limit(perSecond*SafetyMargin), 1)}
		l.limiters[key] = lim
	}
	lim.lastUsed = now
	l.mu.Unlock()

	r := lim.ReserveN(now, 1)
	delay := r.DelayFrom(now)
	if deadline, ok := ctx.Deadline(); ok && now.Add(delay).After(deadline) {
		r.CancelAt(now)
		return &rateWaitError{wait: delay}
	}
	if delay == 0 {
		return ctx.Err()
	}
	t := time.NewTimer(delay)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		r.Cancel()
		return ctx.Err()
	}
}

// rateWaitError says that a call's turn would come after its deadline.
type rateWaitError struct{ wait time.Duration }

func (e *rateWaitError) Error() string {
	return fmt.Sprintf("the account's rate limit would delay this call %v, past its deadline", e.wait.Round(time.Millisecond))
}

// RetryAfter is how long until the call's turn.
func (e *rateWaitError) RetryAfter() time.Duration { return e.wait }
