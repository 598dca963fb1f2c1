package admission

import (
	"context"
	"errors"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"
)

// gate is a Rate whose tokens the test hands out one at a time.
type gate struct{ tokens chan struct{} }

func newGate() *gate { return &gate{tokens: make(chan struct{}, 100)} }

func (g *gate) Take(context.Context, string, string, float64) (time.Duration, error) {
	select {
	case <-g.tokens:
		return 0, nil
	default:
		return time.Millisecond, nil
	}
}

// waitFor polls cond until it holds, failing the test after a generous while.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func checkGoroutines(t *testing.T, base int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > base && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > base {
		t.Errorf("%d goroutines, %d before", n, base)
	}
}

const action = "GetImageInfos"

// TestFairTurns: a party with ten calls queued does not make another
// party's one call wait behind all ten; it gets the next turn but one.
func TestFairTurns(t *testing.T) {
	base := runtime.NumGoroutine()
	g := newGate()
	q := NewQueue(Config{Limits: map[string]float64{action: 1000}, Rate: g, MaxWait: time.Hour})
	var (
		mu    sync.Mutex
		order []string
		wg    sync.WaitGroup
	)
	wait := func(party string) {
		if err := q.Wait(context.Background(), "AK1", action, party); err != nil {
			t.Errorf("%s: %v", party, err)
			return
		}
		mu.Lock()
		order = append(order, party)
		mu.Unlock()
	}
	for range 10 {
		wg.Go(func() { wait("big") })
	}
	waitFor(t, "ten queued calls", func() bool { return q.Waiting("AK1", action) == 10 })
	wg.Go(func() { wait("small") })
	waitFor(t, "the small call queued", func() bool { return q.Waiting("AK1", action) == 11 })
	for i := range 11 {
		g.tokens <- struct{}{}
		waitFor(t, "a turn", func() bool { mu.Lock(); defer mu.Unlock(); return len(order) == i+1 })
	}
	wg.Wait()
	if i := slices.Index(order, "small"); i < 0 || i > 1 {
		t.Errorf("turns %v: the small call came %d-th, want first or second", order, i+1)
	}
	checkGoroutines(t, base)
}

// TestRefusedAtOnce: a call whose turn would come after its deadline, or
// after MaxWait, or behind a full queue, is refused at once with a
// retry-after; one that fits is queued.
func TestRefusedAtOnce(t *testing.T) {
	base := runtime.NumGoroutine()
	// One token every 10 s: nothing moves while the test runs.
	q := NewQueue(Config{Limits: map[string]float64{action: 0.1}, MaxWait: 45 * time.Second, MaxQueue: 6})
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	// The first call takes the free token; four wait behind it, 10 s apart.
	for range 5 {
		wg.Go(func() { _ = q.Wait(ctx, "AK2", action, "heavy") })
	}
	waitFor(t, "four queued calls", func() bool { return q.Waiting("AK2", action) == 4 })

	refused := func(name string, ctx context.Context, party string) {
		t.Helper()
		err := q.Wait(ctx, "AK2", action, party)
		var over *OverloadError
		if !errors.As(err, &over) || over.RetryAfter() <= 0 {
			t.Errorf("%s: err = %v, want an *OverloadError with a retry-after", name, err)
		}
		if ctx.Err() != nil {
			t.Errorf("%s: refused only at the deadline", name)
		}
	}
	short, cancelShort := context.WithTimeout(ctx, 3*time.Second)
	defer cancelShort()
	refused("the own queue outlasts the deadline", short, "heavy")
	refused("the own queue outlasts MaxWait", ctx, "heavy")

	// Another party is one turn away: it is queued, deadline or not.
	long, cancelLong := context.WithTimeout(ctx, time.Minute)
	defer cancelLong()
	wg.Go(func() { _ = q.Wait(long, "AK2", action, "light") })
	waitFor(t, "the light call queued", func() bool { return q.Waiting("AK2", action) == 5 })
	wg.Go(func() { _ = q.Wait(ctx, "AK2", action, "third") })
	waitFor(t, "the third party's call queued", func() bool { return q.Waiting("AK2", action) == 6 })
	refused("the queue is full", ctx, "fourth")

	cancel()
	wg.Wait()
	if n := q.Waiting("AK2", action); n != 0 {
		t.Errorf("%d calls still queued after every caller left", n)
	}
	checkGoroutines(t, base)
}

func TestUnlimitedActionsPassAtOnce(t *testing.T) {
	q := NewQueue(Config{Limits: map[string]float64{action: 0.001}, Rate: newGate()})
	for range 3 {
		if err := q.Wait(context.Background(), "AK3", "BatchGetMediaInfos", "p"); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := q.Wait(ctx, "AK3", "BatchGetMediaInfos", "p"); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v", err)
	}
}

func TestLocalRateSpacesCalls(t *testing.T) {
	r := NewLocalRate()
	now := time.Unix(1000, 0)
	r.now = func() time.Time { return now }
	if d, _ := r.Take(context.Background(), "AK", action, 10); d != 0 {
		t.Fatalf("first call waits %v", d)
	}
	if d, _ := r.Take(context.Background(), "AK", action, 10); d != 100*time.Millisecond {
		t.Errorf("second call at once: wait %v, want 100ms", d)
	}
	if d, _ := r.Take(context.Background(), "AK other", action, 10); d != 0 {
		t.Errorf("another AccessKey waits %v", d)
	}
	now = now.Add(100 * time.Millisecond)
	if d, _ := r.Take(context.Background(), "AK", action, 10); d != 0 {
		t.Errorf("after the interval: wait %v", d)
	}
}
