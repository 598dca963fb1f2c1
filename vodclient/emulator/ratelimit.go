package emulator

import (
	"fmt"
	"sync"
	"time"
)

const (
	rateLimitHeader           = "x-ratelimit-user-api"
	defaultGetImageInfosLimit = 10
	defaultSearchLimit        = 50 // SearchMedia and GetCategories
	rateWindow                = time.Second
)

// rateLimiter is a sliding one-second window per AccessKey and action.
type rateLimiter struct {
	mu     sync.Mutex
	limits map[string]int         // action -> calls per second; absent or 0 = unlimited
	hits   map[string][]time.Time // accessKey + "\x00" + action -> accepted calls in the window
}

func newRateLimiter() *rateLimiter {
	return &rateLimiter{
		limits: map[string]int{
			"GetImageInfos": defaultGetImageInfosLimit,
			"SearchMedia":   defaultSearchLimit,
			"GetCategories": defaultSearchLimit,
		},
		hits: make(map[string][]time.Time),
	}
}

// SetRateLimit allows perSecond calls per second per AccessKey to action;
// 0 (or less) means unlimited. By default GetImageInfos is limited to 10
// and SearchMedia and GetCategories to 50, like the real service. Calls
// over the limit get HTTP 503 Throttling.User with an x-ratelimit-user-api
// header "Limit:N,Remain:0,TimeLeft:<ms until a slot frees>,Reset:<unix ms>".
func (e *Emulator) SetRateLimit(action string, perSecond int) {
	l := e.limiter
	l.mu.Lock()
	defer l.mu.Unlock()
	if perSecond <= 0 {
		delete(l.limits, action)
		return
	}
	l.limits[action] = perSecond
}

func (l *rateLimiter) limit(action string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.limits[action]
}

// rateDecision is the outcome of one allow call.
type rateDecision struct {
	ok       bool
	limit    int // 0: the action is unlimited
	remain   int
	timeLeft time.Duration // until the oldest call in the window leaves it
	reset    time.Time
}

func (d rateDecision) header() string {
	ms := (d.timeLeft + time.Millisecond - 1) / time.Millisecond // round up
	return fmt.Sprintf("Limit:%d,Remain:%d,TimeLeft:%d,Reset:%d", d.limit, d.remain, ms, d.reset.UnixMilli())
}

func (l *rateLimiter) allow(accessKey, action string, now time.Time) rateDecision {
	l.mu.Lock()
	defer l.mu.Unlock()
	limit := l.limits[action]
	if limit <= 0 {
		return rateDecision{ok: true}
	}
	k := accessKey + "\x00" + action
	hits := l.hits[k]
	n := 0
	for n < len(hits) && !now.Before(hits[n].Add(rateWindow)) {
		n++
	}
	hits = hits[n:]
	d := rateDecision{limit: limit}
	if len(hits) < limit {
		hits = append(hits, now)
		d.ok = true
	}
	l.hits[k] = hits
	d.remain = limit - len(hits)
	d.reset = hits[0].Add(rateWindow)
	d.timeLeft = max(d.reset.Sub(now), 0)
	return d
}
