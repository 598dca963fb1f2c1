package session

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"
)

func setOutput(v string) func(*Material) {
	return func(m *Material) { m.Settings.OutputType = v }
}

func addLookup(url string) func(*Material) {
	return func(m *Material) { m.AddLookup(Lookup{Kind: "media", URL: url, Count: 1}) }
}

func lookupURLs(m Material) []string {
	var out []string
	for _, l := range m.Lookups {
		out = append(out, l.URL)
	}
	return out
}

func storedMaterial(t *testing.T, m *Manager, id string) Material {
	t.Helper()
	mat, ok, err := m.store.Get(context.Background(), id)
	if err != nil || !ok {
		t.Fatalf("session %s not stored: %v", id, err)
	}
	return mat
}

// The review's scenario: a slow lookup loaded the session before a settings
// change in another tab and records its lookup after it.
func TestSlowRequestDoesNotUndoSettings(t *testing.T) {
	m := newTestManager(t, Config{})
	b := newBrowser(t, newTestServer(t, m))
	id := b.signIn()

	slow, _ := b.context()
	if _, mat, ok, err := m.Load(slow); !ok || err != nil || mat.Settings.OutputType != "cdn" {
		t.Fatalf("Load = %v, %v, %v", mat.Settings, ok, err)
	}
	settings, _ := b.context()
	if _, err := m.Update(settings, id, setOutput("oss")); err != nil {
		t.Fatal(err)
	}
	got, err := m.Update(slow, id, addLookup("/media?ids=1"))
	if err != nil {
		t.Fatal(err)
	}
	if got.Settings.OutputType != "oss" || !slices.Equal(lookupURLs(got), []string{"/media?ids=1"}) {
		t.Fatalf("Update returned %+v", got.redacted())
	}
	if stored := storedMaterial(t, m, id); stored.Settings.OutputType != "oss" || len(stored.Lookups) != 1 {
		t.Fatalf("stored %+v: the lookup undid the settings change", stored.redacted())
	}
}

func TestConcurrentUpdatesBothSurvive(t *testing.T) {
	store := &gatedMemoryStore{MemoryStore: NewMemoryStore(mustSealer(t, testKey("current")), 0)}
	m := newTestManager(t, Config{Store: store})
	b := newBrowser(t, newTestServer(t, m))
	id := b.signIn()

	lookup, _ := b.context()
	settings, _ := b.context()
	interleave(&store.gate,
		func() {
			if _, err := m.Update(lookup, id, addLookup("/media?ids=1")); err != nil {
				t.Errorf("lookup Update: %v", err)
			}
		},
		func() {
			if _, err := m.Update(settings, id, setOutput("oss")); err != nil {
				t.Errorf("settings Update: %v", err)
			}
		})
	stored := storedMaterial(t, m, id)
	if stored.Settings.OutputType != "oss" {
		t.Errorf("settings change lost: %+v", stored.Settings)
	}
	if !slices.Equal(lookupURLs(stored), []string{"/media?ids=1"}) {
		t.Errorf("lookup lost: %v", lookupURLs(stored))
	}
}

func TestLoadTouchDoesNotRevertUpdate(t *testing.T) {
	store := &gatedMemoryStore{MemoryStore: NewMemoryStore(mustSealer(t, testKey("current")), 0)}
	m := newTestManager(t, Config{Store: store})
	b := newBrowser(t, newTestServer(t, m))
	id := b.signIn()

	load, _ := b.context()
	update, _ := b.context()
	interleave(&store.gate,
		func() {
			if _, _, ok, err := m.Load(load); !ok || err != nil {
				t.Errorf("Load = %v, %v", ok, err)
			}
		},
		func() {
			if _, err := m.Update(update, id, setOutput("oss")); err != nil {
				t.Errorf("Update: %v", err)
			}
		})
	if got := storedMaterial(t, m, id).Settings.OutputType; got != "oss" {
		t.Fatalf("OutputType = %q after a racing Load: the touch reverted the update", got)
	}
}

func TestConcurrentLoadsAndUpdates(t *testing.T) {
	m := newTestManager(t, Config{})
	b := newBrowser(t, newTestServer(t, m))
	id := b.signIn()

	var wg sync.WaitGroup
	var want []string
	for i := range MaxLookups {
		url := fmt.Sprintf("/media?ids=%d", i)
		want = append(want, url)
		wg.Go(func() {
			c, _ := b.context()
			if _, err := m.Update(c, id, addLookup(url)); err != nil {
				t.Errorf("Update: %v", err)
			}
		})
		wg.Go(func() {
			c, _ := b.context()
			if _, _, ok, err := m.Load(c); !ok || err != nil {
				t.Errorf("Load = %v, %v", ok, err)
			}
		})
	}
	wg.Go(func() {
		c, _ := b.context()
		if _, err := m.Update(c, id, setOutput("oss")); err != nil {
			t.Errorf("Update: %v", err)
		}
	})
	wg.Wait()
	stored := storedMaterial(t, m, id)
	got := lookupURLs(stored)
	slices.Sort(got)
	if !slices.Equal(got, want) || stored.Settings.OutputType != "oss" {
		t.Fatalf("after concurrent requests: lookups %v, output %q; want every lookup and oss", got, stored.Settings.OutputType)
	}
}

func TestUpdateAfterSignOut(t *testing.T) {
	ends := &endLog{}
	m := newTestManager(t, Config{})
	m.OnEnd(ends.record)
	b := newBrowser(t, newTestServer(t, m))
	id := b.signIn()

	other, rec := b.context() // a second tab, still holding the cookie
	if r := b.post("/logout", nil); r.Code != http.StatusSeeOther {
		t.Fatalf("logout = %d", r.Code)
	}
	called := false
	if _, err := m.Update(other, id, func(*Material) { called = true }); !errors.Is(err, ErrNoSession) {
		t.Fatalf("Update after sign-out: %v, want ErrNoSession", err)
	}
	if called {
		t.Error("fn ran for an ended session")
	}
	if _, ok, _ := m.store.Get(context.Background(), id); ok {
		t.Fatal("Update resurrected a signed-out session")
	}
	if ends.count(id) != 1 {
		t.Errorf("OnEnd calls = %d, want 1", ends.count(id))
	}
	if _, has := cookieValues(t, m, sessionCookie(t, m, rec))[valueID]; has {
		t.Error("ended session's ID left in the other tab's cookie")
	}
}

// With a store that has no Updater, only the session lock keeps a sign-out
// racing an Update from being undone by the Update's write.
func TestSignOutRacingUpdateDoesNotResurrect(t *testing.T) {
	store := &gatedMapStore{plainMapStore: &plainMapStore{m: map[string]Material{}}}
	m := newTestManager(t, Config{Store: store})
	b := newBrowser(t, newTestServer(t, m))
	id := b.signIn()

	update, _ := b.context()
	logout, _ := b.context()
	interleave(&store.gate,
		func() {
			if _, err := m.Update(update, id, setOutput("oss")); err != nil {
				t.Errorf("Update: %v", err)
			}
		},
		func() {
			if err := m.End(logout); err != nil {
				t.Errorf("End: %v", err)
			}
		})
	if _, ok, _ := store.plainMapStore.Get(context.Background(), id); ok {
		t.Fatal("an Update racing the sign-out brought the session back")
	}
}

func TestUpdateTimedOut(t *testing.T) {
	clock := newFakeClock()
	ends := &endLog{}
	m := newTestManager(t, Config{Now: clock.Now})
	m.OnEnd(ends.record)
	b := newBrowser(t, newTestServer(t, m))
	id := b.signIn()
	clock.Advance(DefaultIdleTimeout)
	c, _ := b.context()
	if _, err := m.Update(c, id, setOutput("oss")); !errors.Is(err, ErrNoSession) {
		t.Fatalf("Update of a timed-out session: %v, want ErrNoSession", err)
	}
	if _, ok, _ := m.store.Get(context.Background(), id); ok || ends.count(id) != 1 {
		t.Fatalf("timed-out session: still stored=%v, OnEnd calls=%d", ok, ends.count(id))
	}
}

func TestSweepEndsAbandonedSessions(t *testing.T) {
	clock := newFakeClock()
	ends := &endLog{}
	m := newTestManager(t, Config{Now: clock.Now, IdleTimeout: 30 * time.Minute})
	m.OnEnd(ends.record)
	e := newTestServer(t, m)
	gone, active := newBrowser(t, e), newBrowser(t, e)
	goneID, activeID := gone.signIn(), active.signIn()

	clock.Advance(20 * time.Minute)
	if rec := active.do(http.MethodGet, "/me", nil, nil); rec.Code != http.StatusOK {
		t.Fatalf("/me = %d", rec.Code)
	}
	clock.Advance(10*time.Minute + time.Second)
	m.Sweep()
	if ends.count(goneID) != 1 || ends.count(activeID) != 0 {
		t.Fatalf("after Sweep: OnEnd for the abandoned session %d times, for the active one %d; want 1 and 0",
			ends.count(goneID), ends.count(activeID))
	}
	m.Sweep()
	if rec := gone.do(http.MethodGet, "/me", nil, nil); rec.Code != http.StatusUnauthorized {
		t.Fatalf("swept session still valid: %d", rec.Code)
	}
	if ends.count(goneID) != 1 {
		t.Fatalf("OnEnd for the swept session ran %d times, want exactly 1", ends.count(goneID))
	}
	if rec := active.do(http.MethodGet, "/me", nil, nil); rec.Code != http.StatusOK {
		t.Fatalf("active session swept: %d", rec.Code)
	}
}

func TestSweepWithoutSweeper(t *testing.T) {
	clock := newFakeClock()
	ends := &endLog{}
	m := newTestManager(t, Config{Now: clock.Now, Store: &plainMapStore{m: map[string]Material{}}})
	m.OnEnd(ends.record)
	newBrowser(t, newTestServer(t, m)).signIn()
	clock.Advance(time.Hour)
	m.Sweep() // nothing to call: must not panic or end anything
	if ends.len() != 0 {
		t.Fatalf("OnEnd ran %d times", ends.len())
	}
}

func TestRunSweeper(t *testing.T) {
	clock := newFakeClock()
	ended := make(chan string, 1)
	m := newTestManager(t, Config{Now: clock.Now})
	m.OnEnd(func(id string) { ended <- id })
	id := newBrowser(t, newTestServer(t, m)).signIn()
	clock.Advance(DefaultIdleTimeout)

	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		m.RunSweeper(ctx, time.Millisecond)
	}()
	select {
	case got := <-ended:
		if got != id {
			t.Errorf("OnEnd(%q), want %q", got, id)
		}
	case <-time.After(5 * time.Second):
		t.Error("RunSweeper did not end the idle session")
	}
	cancel()
	select {
	case <-stopped:
	case <-time.After(5 * time.Second):
		t.Fatal("RunSweeper did not return after its context ended")
	}
}
