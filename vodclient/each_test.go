package vodclient_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"

	"vodboard/vodclient"
	"vodboard/vodclient/emulator"
)

// gate holds the first n calls of an action at the emulator's door until n
// are waiting at once, then lets everything through. A client that never
// has n calls in flight makes the gate time out, which the test reports.
type gate struct {
	next   http.Handler
	action string
	n      int

	mu       sync.Mutex
	waiting  int
	inFlight int
	maxSeen  int
	calls    int
	open     chan struct{}
	timedOut bool
}

func newGate(next http.Handler, action string, n int) *gate {
	return &gate{next: next, action: action, n: n, open: make(chan struct{})}
}

func (g *gate) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	form, _ := url.ParseQuery(string(body))
	if r.URL.Query().Get("Action") != g.action && form.Get("Action") != g.action && r.Header.Get("x-acs-action") != g.action {
		g.next.ServeHTTP(w, r)
		return
	}
	g.mu.Lock()
	g.calls++
	g.inFlight++
	g.maxSeen = max(g.maxSeen, g.inFlight)
	first := g.calls <= g.n
	if first {
		g.waiting++
		if g.waiting == g.n {
			close(g.open)
		}
	}
	g.mu.Unlock()
	if first {
		select {
		case <-g.open:
		case <-time.After(20 * time.Second):
			g.mu.Lock()
			g.timedOut = true
			g.mu.Unlock()
		}
	}
	g.next.ServeHTTP(w, r)
	g.mu.Lock()
	g.inFlight--
	g.mu.Unlock()
}

func gatedWorld(t *testing.T, action string, n int) (*vodclient.Client, *gate) {
	t.Helper()
	emu, err := emulator.New(emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	g := newGate(emu, action, n)
	srv := httptest.NewServer(g)
	t.Cleanup(srv.Close)
	key := emulator.DemoKey()
	cred, err := vodclient.AccessKey(key.AccessKeyID, key.AccessKeySecret)
	if err != nil {
		t.Fatal(err)
	}
	c, err := vodclient.New(vodclient.Config{Region: "cn-shanghai", Endpoint: srv.URL, Credential: cred, Timeout: 30 * time.Second,
		Pacer: vodclient.NewRateLimits(vodclient.DocumentedRateLimits())})
	if err != nil {
		t.Fatal(err)
	}
	return c, g
}

func madeUpIDs(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("%032x", i+1)
	}
	return ids
}

// A media lookup runs ceil(N/20) calls at once, up to 25: 100 IDs are 5
// calls in flight together, 1,000 are 50 calls in two rounds of 25. Each
// ID comes back exactly once, in batches of one call.
func TestEachMediaInfosRunsCallsAtOnce(t *testing.T) {
	for _, tc := range []struct{ ids, calls, atOnce int }{{100, 5, 5}, {1000, 50, 25}} {
		t.Run(fmt.Sprint(tc.ids), func(t *testing.T) {
			c, g := gatedWorld(t, "BatchGetMediaInfos", tc.atOnce)
			ids := madeUpIDs(tc.ids)
			var got []string
			batches := 0
			err := c.EachMediaInfos(context.Background(), ids, nil, func(rs []vodclient.MediaResult) {
				batches++
				if len(rs) > vodclient.MaxIDsPerCall {
					t.Errorf("a batch of %d results, more than one call's %d", len(rs), vodclient.MaxIDsPerCall)
				}
				for _, r := range rs {
					if r.Outcome != vodclient.NonExistent {
						t.Errorf("%s: outcome %v, want nonexistent", r.ID, r.Outcome)
					}
					got = append(got, r.ID)
				}
			})
			if err != nil {
				t.Fatal(err)
			}
			g.mu.Lock()
			defer g.mu.Unlock()
			if g.timedOut {
				t.Fatalf("the client never had %d calls in flight at once (at most %d)", tc.atOnce, g.maxSeen)
			}
			if g.calls != tc.calls || batches != tc.calls {
				t.Errorf("%d calls and %d batches, want %d", g.calls, batches, tc.calls)
			}
			if g.maxSeen != tc.atOnce {
				t.Errorf("at most %d calls in flight, want %d", g.maxSeen, tc.atOnce)
			}
			slices.Sort(got)
			if !slices.Equal(got, ids) {
				t.Errorf("got %d results for %d IDs, not each exactly once", len(got), len(ids))
			}
		})
	}
}

// Images keep to their rate limit: a lookup has at most Concurrency calls
// waiting or in flight, and every ID comes back once with its outcome.
func TestEachImageInfos(t *testing.T) {
	w := newWorld(t, nil)
	ids := append(demoImageIDs(t, 45), "ffffffffffffffffffffffffffffffff")
	var found, missing []string
	err := w.client.EachImageInfos(context.Background(), ids, vodclient.URLOptions{}, func(rs []vodclient.ImageResult) {
		for _, r := range rs {
			switch r.Outcome {
			case vodclient.Found:
				found = append(found, r.ID)
			case vodclient.NonExistent:
				missing = append(missing, r.ID)
			default:
				t.Errorf("%s: outcome %v", r.ID, r.Outcome)
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(found) != 45 || !slices.Equal(missing, ids[45:]) {
		t.Errorf("found %d of 45, missing %v", len(found), missing)
	}
	if n := len(w.emu.Calls()); n != 3 {
		t.Errorf("%d calls, want 3", n)
	}
}

// A lookup cancelled before its last calls go out still accounts for
// every ID: the unsent ones fail with the cancellation.
func TestEachMediaInfosCancelledAccountsForEveryID(t *testing.T) {
	c, _ := gatedWorld(t, "none", 0)
	ctx, cancel := context.WithCancel(context.Background())
	ids := madeUpIDs(1000)
	seen := map[string]vodclient.Outcome{}
	err := c.EachMediaInfos(ctx, ids, nil, func(rs []vodclient.MediaResult) {
		for _, r := range rs {
			seen[r.ID] = r.Outcome
		}
		cancel()
	})
	if err != nil {
		// The first call was answered before the cancellation, so the
		// lookup is a partial result, not an error.
		t.Fatalf("cancelled after one answer: %v", err)
	}
	if len(seen) != len(ids) {
		t.Errorf("%d of %d IDs accounted for", len(seen), len(ids))
	}
}
