// Package admission decides when rate-limited upstream calls may go out.
// Calls wait in a bounded queue per AccessKey and action, in one FIFO per
// party (a session) served in turn, so that one party's big lookup cannot
// starve another's small one. Each turn takes a token from a Rate: local to
// the process (LocalRate) or shared by every instance through Redis
// (RedisRate). A call whose turn would come after its deadline, or after
// MaxWait, is refused at once with an *OverloadError that says when to
// come back.
//
// A Queue is a vodclient.Pacer; the package imports nothing of vodboard.
package admission

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"
)

// Defaults for the zero values of Config.
const (
	DefaultMaxWait  = 3 * time.Second
	DefaultMaxQueue = 1000
	DefaultHeadroom = 250 * time.Millisecond
)

// Config configures a Queue.
type Config struct {
	// Limits are the calls per second each AccessKey may make of an action
	// (any safety margin already applied). Actions not named pass at once.
	Limits map[string]float64
	// Rate hands out the tokens; nil means a new LocalRate.
	Rate Rate
	// MaxWait bounds the expected wait of a queued call, deadline or not:
	// past it the excess is refused rather than queued.
	MaxWait time.Duration
	// MaxQueue bounds the calls waiting per AccessKey and action.
	MaxQueue int
	// Headroom is the time a call needs after its turn: a turn expected
	// later than the deadline minus Headroom is refused.
	Headroom time.Duration
	// Logger receives warnings when the Rate fails.
	Logger *slog.Logger
	// Observer is told how calls fare in the queue (metrics); nil means
	// nobody.
	Observer Observer
}

// Observer is told how long calls waited for their turn, how many wait,
// and which were refused at once. It must not block.
type Observer interface {
	QueueWait(action string, waited time.Duration)
	QueueLength(action string, delta int)
	QueueRefused(action string)
}

// Queue admits calls in fair turns under per-account rate limits. It is
// safe for concurrent use. Each lane (AccessKey and action) with waiting
// calls has one goroutine handing out its turns; it ends when the lane is
// empty.
type Queue struct {
	cfg Config

	mu    sync.Mutex
	lanes map[laneKey]*lane
}

// NewQueue returns a Queue configured by cfg.
func NewQueue(cfg Config) *Queue {
	limits := make(map[string]float64, len(cfg.Limits))
	for k, v := range cfg.Limits {
		if v > 0 {
			limits[k] = v
		}
	}
	cfg.Limits = limits
	if cfg.Rate == nil {
		cfg.Rate = NewLocalRate()
	}
	if cfg.MaxWait <= 0 {
		cfg.MaxWait = DefaultMaxWait
	}
	if cfg.MaxQueue <= 0 {
		cfg.MaxQueue = DefaultMaxQueue
	}
	if cfg.Headroom <= 0 {
		cfg.Headroom = DefaultHeadroom
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Queue{cfg: cfg, lanes: make(map[laneKey]*lane)}
}

// OverloadError refuses a call whose turn would come too late: after its
// deadline, after MaxWait, or behind a full queue. Nothing was sent.
type OverloadError struct {
	// After is how long until the queue ahead is expected to have drained
	// enough for the call to be admitted.
	After time.Duration
}

func (e *OverloadError) Error() string {
	return fmt.Sprintf("admission: too many calls are waiting for this account's rate limit; retry in %v", e.After.Round(time.Millisecond))
}

// RetryAfter returns e.After; vodclient recognises the method.
func (e *OverloadError) RetryAfter() time.Duration { return e.After }

type laneKey struct{ accessKeyID, action string }

// lane is the queue of one AccessKey and action.
type lane struct {
	key       laneKey
	perSecond float64
	parties   map[string]*party
	ring      []*party // parties with waiting calls, in turn order
	next      int      // index in ring of the party whose turn is next
	waiting   int
	nextFree  time.Time // when the next token is expected
	// pace is the observed time between turns while calls were waiting
	// (an average): longer than the rate's interval when other instances
	// share the tokens, or the machine is slow to wake the dispatcher.
	pace     time.Duration
	lastTurn time.Time
	backlog  bool          // calls were still waiting after the last turn
	emptied  chan struct{} // wakes the dispatcher when the last caller leaves
}

type party struct {
	id      string
	waiters []*waiter
}

type waiter struct {
	party    *party
	deadline time.Time // zero: none
	done     chan error
}

// Wait returns nil when the call of action for accessKeyID may go out now,
// on behalf of party. It returns an *OverloadError at once when the call's
// turn is not expected before ctx's deadline (less Headroom) or MaxWait,
// or when MaxQueue calls are waiting already; ctx's error when ctx ends
// first.
func (q *Queue) Wait(ctx context.Context, accessKeyID, action, partyID string) error {
	perSecond := q.cfg.Limits[action]
	if perSecond <= 0 {
		return ctx.Err()
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	now := time.Now()
	allowed := q.cfg.MaxWait
	deadline, hasDeadline := ctx.Deadline()
	if hasDeadline {
		allowed = min(allowed, deadline.Sub(now)-q.cfg.Headroom)
	}

	key := laneKey{accessKeyID, action}
	q.mu.Lock()
	ln := q.lanes[key]
	var est time.Duration
	if ln != nil {
		est = ln.estimate(partyID, now)
	}
	if est > allowed || (ln != nil && ln.waiting >= q.cfg.MaxQueue) {
		q.mu.Unlock()
		if o := q.cfg.Observer; o != nil {
			o.QueueRefused(action)
		}
		return &OverloadError{After: max(est-max(allowed, 0), interval(perSecond))}
	}
	if ln == nil {
		ln = &lane{key: key, perSecond: perSecond, parties: make(map[string]*party), emptied: make(chan struct{}, 1)}
		q.lanes[key] = ln
		go q.dispatch(ln)
	}
	w := &waiter{done: make(chan error, 1)}
	if hasDeadline {
		w.deadline = deadline
	}
	ln.push(partyID, w)
	q.mu.Unlock()
	if o := q.cfg.Observer; o != nil {
		o.QueueLength(action, 1)
		defer func() {
			o.QueueLength(action, -1)
			o.QueueWait(action, time.Since(now))
		}()
	}

	select {
	case err := <-w.done:
		var late *OverloadError
		if o := q.cfg.Observer; o != nil && errors.As(err, &late) {
			o.QueueRefused(action) // its turn came too late to use
		}
		return err
	case <-ctx.Done():
	}
	q.mu.Lock()
	removed := ln.remove(w)
	q.mu.Unlock()
	if !removed {
		<-w.done // answered meanwhile; a granted turn is lost
	}
	return ctx.Err()
}

// Waiting returns the number of calls waiting for a turn of action for
// accessKeyID.
func (q *Queue) Waiting(accessKeyID, action string) int {
	q.mu.Lock()
	defer q.mu.Unlock()
	if ln := q.lanes[laneKey{accessKeyID, action}]; ln != nil {
		return ln.waiting
	}
	return 0
}

// dispatch hands out the turns of ln, one per token, until nobody waits.
func (q *Queue) dispatch(ln *lane) {
	var timer *time.Timer
	for {
		q.mu.Lock()
		if ln.waiting == 0 {
			delete(q.lanes, ln.key)
			q.mu.Unlock()
			if timer != nil {
				timer.Stop()
			}
			return
		}
		q.mu.Unlock()

		wait, err := q.cfg.Rate.Take(context.Background(), ln.key.accessKeyID, ln.key.action, ln.perSecond)
		if err != nil {
			q.cfg.Logger.Warn("admission: rate source failed", "action", ln.key.action, "err", err)
			wait = interval(ln.perSecond)
		}
		if wait > 0 {
			q.mu.Lock()
			ln.nextFree = time.Now().Add(wait)
			q.mu.Unlock()
			if timer == nil {
				timer = time.NewTimer(wait)
			} else {
				timer.Reset(wait)
			}
			select {
			case <-timer.C:
			case <-ln.emptied:
				timer.Stop() // Go 1.23 timers: nothing stale is left in C
			}
			continue
		}

		now := time.Now()
		q.mu.Lock()
		ln.nextFree = now.Add(interval(ln.perSecond))
		for w := ln.pop(); w != nil; w = ln.pop() {
			if !w.deadline.IsZero() && w.deadline.Sub(now) < q.cfg.Headroom {
				// Its turn came too late to be of use: the next one gets it.
				w.done <- &OverloadError{After: ln.drainTime()}
				continue
			}
			w.done <- nil
			if ln.backlog {
				ln.observe(now.Sub(ln.lastTurn))
			}
			ln.lastTurn, ln.backlog = now, ln.waiting > 0
			break
		}
		q.mu.Unlock()
	}
}

// interval is the time between two tokens at perSecond.
func interval(perSecond float64) time.Duration {
	return time.Duration(float64(time.Second) / perSecond)
}

// estimate is when a new call of partyID would have its turn: every party
// ahead in the ring takes one turn per round, so the calls ahead are the
// party's own waiting calls plus, from each other party, as many as it has
// up to one more than that.
func (ln *lane) estimate(partyID string, now time.Time) time.Duration {
	own := 0
	if p := ln.parties[partyID]; p != nil {
		own = len(p.waiters)
	}
	ahead := own
	for _, p := range ln.ring {
		if p.id != partyID {
			ahead += min(len(p.waiters), own+1)
		}
	}
	est := time.Duration(ahead) * ln.step()
	if ln.nextFree.After(now) {
		est += ln.nextFree.Sub(now)
	}
	return est
}

// drainTime is how long the calls waiting now take to go out.
func (ln *lane) drainTime() time.Duration {
	return time.Duration(max(ln.waiting, 1)) * ln.step()
}

// step is the expected time between two turns: the rate's interval, or
// the pace observed, when that is slower.
func (ln *lane) step() time.Duration {
	return max(interval(ln.perSecond), ln.pace)
}

// observe adds the time between two turns of a backlogged lane to pace.
func (ln *lane) observe(d time.Duration) {
	if ln.pace == 0 {
		ln.pace = d
		return
	}
	ln.pace = (7*ln.pace + 3*d) / 10
}

func (ln *lane) push(partyID string, w *waiter) {
	p := ln.parties[partyID]
	if p == nil {
		p = &party{id: partyID}
		ln.parties[partyID] = p
		ln.ring = append(ln.ring, p)
	}
	w.party = p
	p.waiters = append(p.waiters, w)
	ln.waiting++
}

// pop takes the first call of the party whose turn it is, and passes the
// turn on.
func (ln *lane) pop() *waiter {
	if len(ln.ring) == 0 {
		return nil
	}
	if ln.next >= len(ln.ring) {
		ln.next = 0
	}
	p := ln.ring[ln.next]
	w := p.waiters[0]
	p.waiters[0] = nil
	p.waiters = p.waiters[1:]
	ln.waiting--
	if len(p.waiters) == 0 {
		ln.drop(ln.next)
	} else {
		ln.next++
	}
	return w
}

// remove takes w out of the queue, reporting whether it was still there.
func (ln *lane) remove(w *waiter) bool {
	p := w.party
	i := slices.Index(p.waiters, w)
	if i < 0 {
		return false
	}
	p.waiters = slices.Delete(p.waiters, i, i+1)
	ln.waiting--
	if ln.waiting == 0 {
		select {
		case ln.emptied <- struct{}{}:
		default:
		}
	}
	if len(p.waiters) == 0 {
		if j := slices.Index(ln.ring, p); j >= 0 {
			ln.drop(j)
		}
	}
	return true
}

// drop takes the party at ring index i out of the ring.
func (ln *lane) drop(i int) {
	delete(ln.parties, ln.ring[i].id)
	ln.ring = slices.Delete(ln.ring, i, i+1)
	if i < ln.next {
		ln.next--
	}
	if ln.next >= len(ln.ring) {
		ln.next = 0
	}
}
