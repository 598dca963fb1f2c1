package admission

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"vodboard/internal/redistest"
)

// syncBuffer is a log destination safe for concurrent writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func newRedisClient(t *testing.T, srv *redistest.Server) *redis.Client {
	t.Helper()
	rdb := redis.NewClient(&redis.Options{Addr: srv.Addr, MaxRetries: -1, DialTimeout: time.Second})
	t.Cleanup(func() { rdb.Close() })
	return rdb
}

// TestRedisRateIsSharedByInstances: two instances (two clients of one
// Redis) share one token bucket per AccessKey and action, and Redis never
// sees the AccessKey ID.
func TestRedisRateIsSharedByInstances(t *testing.T) {
	srv := redistest.Start(t)
	a, b := NewRedisRate(newRedisClient(t, srv), nil), NewRedisRate(newRedisClient(t, srv), nil)
	ctx := context.Background()
	const ak = "LTAI5tSharedAccessKey"
	// One call every 10 s.
	if d, err := a.Take(ctx, ak, action, 0.1); err != nil || d != 0 {
		t.Fatalf("first call: wait %v, err %v", d, err)
	}
	for name, r := range map[string]*RedisRate{"the other instance": b, "the same instance": a} {
		d, err := r.Take(ctx, ak, action, 0.1)
		if err != nil || d <= 0 || d > 10*time.Second {
			t.Errorf("%s right after: wait %v, err %v; want up to 10 s", name, d, err)
		}
	}
	if d, err := b.Take(ctx, ak, "SearchMedia", 0.1); err != nil || d != 0 {
		t.Errorf("another action: wait %v, err %v", d, err)
	}
	if d, err := b.Take(ctx, "LTAI5tAnotherKey", action, 0.1); err != nil || d != 0 {
		t.Errorf("another AccessKey: wait %v, err %v", d, err)
	}
	keys, err := newRedisClient(t, srv).Keys(ctx, "*").Result()
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 3 {
		t.Errorf("keys %q, want one per AccessKey and action", keys)
	}
	for _, k := range keys {
		if strings.Contains(k, "LTAI5t") {
			t.Errorf("Redis key %q names the AccessKey ID", k)
		}
	}
}

// TestQueuesShareTheLimitThroughRedis: two instances' queues, each with
// calls waiting, together stay under the one limit. Six calls at 2 a
// second take at least 2.5 s however they are spread; two instances
// pacing alone would be done in 1 s.
func TestQueuesShareTheLimitThroughRedis(t *testing.T) {
	srv := redistest.Start(t)
	limits := map[string]float64{action: 2}
	qa := NewQueue(Config{Limits: limits, Rate: NewRedisRate(newRedisClient(t, srv), nil), MaxWait: time.Minute})
	qb := NewQueue(Config{Limits: limits, Rate: NewRedisRate(newRedisClient(t, srv), nil), MaxWait: time.Minute})
	start := time.Now()
	var wg sync.WaitGroup
	for i := range 6 {
		q := qa
		if i%2 == 1 {
			q = qb
		}
		wg.Go(func() {
			if err := q.Wait(context.Background(), "AK", action, "p"); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if took := time.Since(start); took < 2400*time.Millisecond {
		t.Errorf("6 calls at 2/s across two instances took %v, want at least 2.5 s", took)
	}
}

// TestRedisDownFallsBackToLocalPacing: with Redis gone an instance still
// paces its own calls (and says so in the log); when Redis is back the
// shared limit is used again.
func TestRedisDownFallsBackToLocalPacing(t *testing.T) {
	srv := redistest.Start(t)
	logs := &syncBuffer{}
	rdb := newRedisClient(t, srv)
	r := NewRedisRate(rdb, slog.New(slog.NewTextHandler(logs, nil)))
	ctx := context.Background()
	srv.Stop()
	if d, err := r.Take(ctx, "AK", action, 0.1); err != nil || d != 0 {
		t.Fatalf("first call without Redis: wait %v, err %v", d, err)
	}
	if d, err := r.Take(ctx, "AK", action, 0.1); err != nil || d <= 0 {
		t.Errorf("second call without Redis: wait %v, err %v; want paced locally", d, err)
	}
	if !strings.Contains(logs.String(), "Redis unreachable") {
		t.Errorf("no warning logged: %q", logs.String())
	}
	srv.Restart()
	deadline := time.Now().Add(10 * time.Second)
	for {
		// Redis restarted empty: its first call is free, and lands there.
		if _, err := r.Take(ctx, "AK2", action, 0.1); err != nil {
			t.Fatal(err)
		}
		if n, _ := rdb.Exists(ctx, "rate:"+RedisKey("AK2", action)).Result(); n == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the rate never went back to Redis")
		}
		time.Sleep(50 * time.Millisecond)
	}
}
