package session

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"testing"
	"time"
)

func newTestStore(t *testing.T, max int) (*MemoryStore, *fakeClock) {
	t.Helper()
	clock := newFakeClock()
	s := NewMemoryStore(mustSealer(t, testKey("store")), max)
	s.now = clock.Now
	return s, clock
}

// storedBytes returns every byte slice the store holds, by inspecting its
// internals, so the test sees what a memory dump would.
func storedBytes(s *MemoryStore) [][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out [][]byte
	for id, el := range s.entries {
		e := el.Value.(*memEntry)
		out = append(out, e.sealed, []byte(e.id), []byte(id))
	}
	return out
}

func TestMemoryStoreHoldsNoPlaintext(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t, 10)
	m := testMaterial()
	m.AddLookup(Lookup{Kind: "images", URL: "?q=private-lookup"})
	for i := range 3 {
		if err := s.Put(ctx, fmt.Sprint("id-", i), m); err != nil {
			t.Fatal(err)
		}
	}
	held := storedBytes(s)
	if len(held) == 0 {
		t.Fatal("store holds nothing")
	}
	for _, b := range held {
		for _, secret := range []string{testSecret, testToken, testKeyID, "private-lookup", "cn-shanghai"} {
			if bytes.Contains(b, []byte(secret)) {
				t.Errorf("store holds %q in plaintext", secret)
			}
		}
	}
	got, ok, err := s.Get(ctx, "id-1")
	if err != nil || !ok || got.AccessKeySecret != testSecret || got.Lookups[0].URL != "?q=private-lookup" {
		t.Fatalf("Get = %v, %v, %v", got, ok, err)
	}
}

func TestMemoryStoreEntryMovedToAnotherIDFails(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t, 10)
	if err := s.Put(ctx, "victim", testMaterial()); err != nil {
		t.Fatal(err)
	}
	if err := s.Put(ctx, "attacker", Material{Region: "x"}); err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	s.entries["attacker"].Value.(*memEntry).sealed = s.entries["victim"].Value.(*memEntry).sealed
	s.mu.Unlock()
	if _, ok, err := s.Get(ctx, "attacker"); ok || err == nil {
		t.Fatalf("ciphertext moved to another ID opened: ok=%v err=%v", ok, err)
	}
}

func TestMemoryStoreExpiry(t *testing.T) {
	ctx := context.Background()
	s, clock := newTestStore(t, 10)
	var evicted []string
	s.OnEvict(func(id string) { evicted = append(evicted, id) })

	short, long := testMaterial(), testMaterial()
	short.Expires = clock.Now().Add(time.Minute)
	long.Expires = clock.Now().Add(time.Hour)
	_ = s.Put(ctx, "short", short)
	_ = s.Put(ctx, "long", long)

	clock.Advance(2 * time.Minute)
	if _, ok, _ := s.Get(ctx, "short"); ok {
		t.Fatal("expired entry returned")
	}
	if !slices.Equal(evicted, []string{"short"}) {
		t.Fatalf("evicted = %v, want [short]", evicted)
	}
	if _, ok, _ := s.Get(ctx, "long"); !ok {
		t.Fatal("live entry missing")
	}

	// Sweeping drops expired entries nobody asks for.
	clock.Advance(2 * time.Hour)
	s.Sweep()
	if s.Len() != 0 || !slices.Equal(evicted, []string{"short", "long"}) {
		t.Fatalf("after sweep len=%d evicted=%v", s.Len(), evicted)
	}

	// Put sweeps on its own once the interval has passed.
	gone := testMaterial()
	gone.Expires = clock.Now().Add(time.Second)
	_ = s.Put(ctx, "gone", gone)
	clock.Advance(sweepInterval)
	_ = s.Put(ctx, "other", long)
	if s.Len() != 1 || evicted[len(evicted)-1] != "gone" {
		t.Fatalf("Put did not sweep: len=%d evicted=%v", s.Len(), evicted)
	}
}

func TestMemoryStoreBoundedLRU(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t, 3)
	var evicted []string
	s.OnEvict(func(id string) { evicted = append(evicted, id) })
	for _, id := range []string{"a", "b", "c"} {
		_ = s.Put(ctx, id, testMaterial())
	}
	if _, ok, _ := s.Get(ctx, "a"); !ok { // a becomes most recently used
		t.Fatal("a missing")
	}
	_ = s.Put(ctx, "d", testMaterial())
	_ = s.Put(ctx, "e", testMaterial())
	if s.Len() != 3 {
		t.Fatalf("len = %d, want 3", s.Len())
	}
	if !slices.Equal(evicted, []string{"b", "c"}) {
		t.Fatalf("evicted = %v, want [b c] (least recently used first)", evicted)
	}
	for _, id := range []string{"a", "d", "e"} {
		if _, ok, _ := s.Get(ctx, id); !ok {
			t.Errorf("%s evicted, want kept", id)
		}
	}
	_ = s.Delete(ctx, "a")
	if _, ok, _ := s.Get(ctx, "a"); ok || len(evicted) != 2 {
		t.Fatalf("Delete: still there=%v, evicted=%v (Delete must not report eviction)", ok, evicted)
	}
}
