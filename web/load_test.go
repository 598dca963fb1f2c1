package web

import (
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"vodboard/admission"
	"vodboard/internal/redistest"
	"vodboard/vodclient"
	"vodboard/vodclient/emulator"
)

// lookupIDs returns n well-formed image IDs; the ones the catalog lacks
// still cost a call each 20.
func lookupIDs(n int) string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("%032x", i+1)
	}
	return strings.Join(ids, ",")
}

// documentedQueue is the admission queue NewServer builds, kept by the
// test so that it can look into it.
func documentedQueue(perSecond float64) *admission.Queue {
	return admission.NewQueue(admission.Config{Limits: map[string]float64{"GetImageInfos": perSecond}})
}

// TestFairTurnsBetweenSessions: one session's three 200-ID lookups (30
// GetImageInfos calls, 12 queued at once) do not make another session's
// one-image lookup wait behind them: in the emulator's record, its call
// comes at most a few calls after it asked (about 12 under first come, first served). Both sessions share the
// AccessKey, as demo users and server-credential users do. Run alone: it
// counts goroutines.
func TestFairTurnsBetweenSessions(t *testing.T) {
	q := documentedQueue(9)
	h, heavy := signedIn(t, harnessOptions{rateLimits: q})
	light := h.browser(t)
	light.mustSignIn(h.key)
	base := runtime.NumGoroutine()

	// The heavy lookups are live: their pages listen to one short link.
	link := heavy.get("/images?ids=" + lookupIDs(200)).location()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() { heavy.get(link, withContext(ctx), eventStream) })
	}
	waitFor(t, 10*time.Second, func() bool {
		return q.Waiting(h.key.AccessKeyID, "GetImageInfos") >= 8 && len(h.calls("GetImageInfos")) >= 1
	}, "the heavy lookups to queue")
	before := len(h.calls("GetImageInfos"))
	one := fmt.Sprintf("%032x", 999)
	p := light.get("/images?ids=" + one)
	cancel()
	wg.Wait()

	mustStatus(t, p, http.StatusOK)
	calls := h.calls("GetImageInfos")
	at := slices.IndexFunc(calls, func(c emulator.Call) bool { return slices.Equal(c.IDs, []string{one}) })
	if at < 0 {
		t.Fatal("the light lookup's call is not in the record")
	}
	if ahead := at - before; ahead > 4 {
		t.Errorf("%d of the heavy session's calls went out after the light lookup asked and before its call, want at most 4 (fair turns; first come, first served would be about 12)", ahead)
	}
	waitFor(t, 5*time.Second, func() bool { return q.Waiting(h.key.AccessKeyID, "GetImageInfos") == 0 }, "the queue to empty")
	waitFor(t, 5*time.Second, func() bool { return runtime.NumGoroutine() <= base }, "goroutines to return to baseline")
}

// TestOverloadIsRefusedAtOnce: a lookup whose calls could not all have
// their turn before the request's deadline is refused at once with 503 and
// a plain message, without being sent, and the log has the status the
// user received. The lookup (10 calls) is live: the refusal is its
// stream's "done" alert.
func TestOverloadIsRefusedAtOnce(t *testing.T) {
	t.Parallel()
	// One turn a second: 10 calls cannot fit in a 2 s deadline.
	h, b := signedIn(t, harnessOptions{rateLimits: documentedQueue(1), requestTimeout: 2 * time.Second})
	for _, fragment := range []bool{false, true} {
		t.Run(fmt.Sprintf("htmx %v", fragment), func(t *testing.T) {
			var opts []reqOption
			if fragment {
				opts = append(opts, htmx)
			}
			h.emu.ResetCalls()
			start := time.Now()
			p := b.lookup("/images?ids="+lookupIDs(200), opts...)
			took := time.Since(start)
			checkErrorAlert(t, p, http.StatusServiceUnavailable, "busy")
			if took >= 2*time.Second {
				t.Errorf("refused after %v: not before the deadline", took)
			}
			if n := len(h.calls("GetImageInfos")); n > 1 {
				t.Errorf("%d calls sent for a refused lookup, want at most the one already granted", n)
			}
		})
	}
	if !strings.Contains(h.logs.String(), "status=503") {
		t.Error("no request logged with the status the user received (503)")
	}
}

// resetting is an upstream that, while on, drops every connection without
// an answer (a TCP reset). It keeps no connection alive, so that idle
// connections do not count as goroutines left running.
type resetting struct {
	on   atomic.Bool
	next http.Handler
}

func (r *resetting) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if !r.on.Load() {
		w.Header().Set("Connection", "close")
		r.next.ServeHTTP(w, req)
		return
	}
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		panic(err)
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		tcp.SetLinger(0)
	}
	conn.Close()
}

// TestFaultsAnswerWithinTheRequestDeadline: whatever the upstream does, a
// 200-ID lookup (10 calls) is answered with the right status and message
// within the whole request's deadline, retries included, and nothing is
// left running. Run alone: it counts goroutines.
func TestFaultsAnswerWithinTheRequestDeadline(t *testing.T) {
	const deadline = 2 * time.Second
	reset := &resetting{}
	h, b := signedIn(t, harnessOptions{
		requestTimeout: deadline,
		rateLimits:     vodclient.NewRateLimits(nil), // the faults under test, not the pacing
		upstream:       func(next http.Handler) http.Handler { reset.next = next; return reset },
	})
	h.emu.SetRateLimit("GetImageInfos", 0)
	ids := lookupIDs(200)
	mustStatus(t, b.lookup("/images?ids="+ids), http.StatusOK) // connections are pooled now
	base := runtime.NumGoroutine()

	tests := []struct {
		name    string
		set     func()
		status  int
		mention string
	}{
		{"black hole", func() { h.emu.SetLatency(time.Hour) }, http.StatusGatewayTimeout, "in time"},
		{"reset", func() { reset.on.Store(true) }, http.StatusBadGateway, "could not be reached"},
		{"HTML 502", func() { h.emu.InjectFault("", emulator.FaultNonJSON, 100) }, http.StatusBadGateway, "unavailable"},
		{"truncated JSON", func() { h.emu.InjectFault("", emulator.FaultTruncated, 100) }, http.StatusBadGateway, "unavailable"},
		{"throttling and latency", func() {
			h.emu.InjectFault("", emulator.FaultThrottling, 100)
			h.emu.SetLatency(300 * time.Millisecond)
		}, http.StatusServiceUnavailable, "throttling"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.set()
			defer func() {
				h.emu.SetLatency(0)
				h.emu.ClearFaults()
				reset.on.Store(false)
			}()
			start := time.Now()
			p := b.lookup("/images?ids=" + ids)
			took := time.Since(start)
			// A lookup of 10 calls is live: its stream ends with the alert.
			checkErrorAlert(t, p, tc.status, tc.mention)
			if took > deadline+2*time.Second {
				t.Errorf("answered after %v, want within the %v deadline (give or take 2 s)", took, deadline)
			}
			// base+1: this subtest runs in a goroutine of its own.
			waitFor(t, 5*time.Second, func() bool { return runtime.NumGoroutine() <= base+1 }, "goroutines to return to baseline")
			if n := runtime.NumGoroutine(); n > base+1 {
				buf := make([]byte, 1<<20)
				t.Logf("%d goroutines, baseline %d:\n%s", n, base, buf[:runtime.Stack(buf, true)])
			}
		})
	}
	mustStatus(t, b.lookup("/images?ids="+ids), http.StatusOK)
}

// TestInflightShedding: past -max-inflight requests, new ones are shed at
// once with 503 and Retry-After; probes and static files never are; once
// the load is gone the next request is served.
func TestInflightShedding(t *testing.T) {
	t.Parallel()
	var arrived atomic.Int64
	h, b := signedIn(t, harnessOptions{
		maxInflight:    2,
		requestTimeout: time.Minute,
		upstream: func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				arrived.Add(1)
				next.ServeHTTP(w, r)
			})
		},
	})
	id := h.cat.MediaIDs()[0]
	assets := staticPaths(t, h)
	h.emu.SetLatency(time.Hour)
	arrived.Store(0)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() { b.get("/media/"+id, withContext(ctx)) })
	}
	waitFor(t, 10*time.Second, func() bool { return arrived.Load() == 2 }, "two requests in flight")

	p := b.get("/media/" + id)
	if p.status != http.StatusServiceUnavailable || p.header.Get("Retry-After") != "1" || !strings.Contains(p.body, "busy") {
		t.Errorf("third request: status %d, Retry-After %q, body %q; want 503, 1 and a plain message", p.status, p.header.Get("Retry-After"), p.body)
	}
	mustStatus(t, b.get("/healthz"), http.StatusOK)
	for _, path := range assets {
		rec := httptest.NewRecorder()
		h.srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != http.StatusOK {
			t.Errorf("GET %s while busy: %d", path, rec.Code)
		}
	}

	cancel()
	wg.Wait()
	h.emu.SetLatency(0)
	mustStatus(t, b.get("/media/"+id), http.StatusOK)
}

// staticPaths returns the hashed asset paths the sign-in page links.
func staticPaths(t *testing.T, h *harness) []string {
	t.Helper()
	rec := httptest.NewRecorder()
	h.srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/login", nil))
	var out []string
	body := rec.Body.String()
	for _, part := range strings.Split(body, `"/static/`)[1:] {
		out = append(out, "/static/"+part[:strings.IndexByte(part, '"')])
	}
	if len(out) == 0 {
		t.Fatal("the sign-in page links no static asset")
	}
	return out
}

// TestPagesAndErrorsAreCompressed: pages and error pages are compressed
// for clients that accept it, and decode to what an identity client gets;
// small answers are not.
func TestPagesAndErrorsAreCompressed(t *testing.T) {
	t.Parallel()
	h, b := signedIn(t, harnessOptions{})
	for _, tc := range []struct {
		path   string
		status int
	}{
		{"/media/" + h.cat.MediaIDs()[0], http.StatusOK},
		{"/no/such/page", http.StatusNotFound},
	} {
		plain := b.get(tc.path)
		p := b.get(tc.path, withHeader("Accept-Encoding", "gzip"))
		if p.status != tc.status || p.header.Get("Content-Encoding") != "gzip" || !slices.Contains(p.header.Values("Vary"), "Accept-Encoding") {
			t.Errorf("%s: status %d, Content-Encoding %q, Vary %q; want %d, gzip, Accept-Encoding", tc.path, p.status, p.header.Get("Content-Encoding"), p.header.Values("Vary"), tc.status)
			continue
		}
		zr, err := gzip.NewReader(strings.NewReader(p.body))
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		// Request IDs and CSRF tokens differ between the two answers.
		if len(body) == 0 || !strings.Contains(string(body), "</html>") || plain.status != tc.status {
			t.Errorf("%s: the compressed page does not decode to a page", tc.path)
		}
	}
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/healthz", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	h.srv.ServeHTTP(rec, req)
	if ce := rec.Header().Get("Content-Encoding"); ce != "" {
		t.Errorf("/healthz (a few bytes): Content-Encoding %q, want none", ce)
	}
}

// TestRateLimitsLiveInRedis: with a Redis client, the sessions' calls take
// their tokens from Redis (shared by every instance; admission's tests
// show the sharing), under a key that does not name the AccessKey ID.
func TestRateLimitsLiveInRedis(t *testing.T) {
	t.Parallel()
	srv := redistest.Start(t)
	rdb := redis.NewClient(&redis.Options{Addr: srv.Addr})
	t.Cleanup(func() { rdb.Close() })
	h, b := signedIn(t, harnessOptions{redis: rdb})
	mustStatus(t, b.lookup("/images?ids="+lookupIDs(40)), http.StatusOK)
	keys, err := rdb.Keys(context.Background(), "*").Result()
	if err != nil {
		t.Fatal(err)
	}
	want := "rate:" + admission.RedisKey(h.key.AccessKeyID, "GetImageInfos")
	if !slices.Contains(keys, want) {
		t.Errorf("Redis keys %q, want %q", keys, want)
	}
	for _, k := range keys {
		if strings.Contains(k, h.key.AccessKeyID) {
			t.Errorf("Redis key %q names the AccessKey ID", k)
		}
	}
}
