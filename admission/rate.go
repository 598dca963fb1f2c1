package admission

import (
	"context"
	"sync"
	"time"
)

// Rate hands out the tokens of per-account rate limits: one token per call.
type Rate interface {
	// Take takes a token for a call of action by accessKeyID, at most
	// perSecond a second, and returns 0; when none is free it takes none
	// and returns how long until one is.
	Take(ctx context.Context, accessKeyID, action string, perSecond float64) (time.Duration, error)
}

// LocalRate is a Rate for one process: GCRA with a burst of one, so calls
// are spaced evenly and no one-second window, however aligned, sees more
// than the limit. It is safe for concurrent use.
type LocalRate struct {
	now func() time.Time

	mu  sync.Mutex
	tat map[rateKey]time.Time // theoretical arrival time of the next call
}

type rateKey struct{ accessKeyID, action string }

// idleKey is how long past its arrival time a key is kept: by then it is
// the same as a new one, so temporary STS AccessKeys do not pile up.
const idleKey = time.Minute

// NewLocalRate returns an empty LocalRate.
func NewLocalRate() *LocalRate {
	return &LocalRate{now: time.Now, tat: make(map[rateKey]time.Time)}
}

// Take implements Rate.
func (r *LocalRate) Take(_ context.Context, accessKeyID, action string, perSecond float64) (time.Duration, error) {
	if perSecond <= 0 {
		return 0, nil
	}
	now := r.now()
	k := rateKey{accessKeyID, action}
	r.mu.Lock()
	defer r.mu.Unlock()
	tat, ok := r.tat[k]
	if !ok && len(r.tat) > 0 {
		for old, t := range r.tat {
			if now.Sub(t) > idleKey {
				delete(r.tat, old)
			}
		}
	}
	if tat.After(now) {
		return tat.Sub(now), nil
	}
	r.tat[k] = now.Add(interval(perSecond))
	return 0, nil
}
