package session

import (
	"container/list"
	"context"
	"fmt"
	"sync"
	"time"
)

// DefaultMaxEntries is the MemoryStore capacity used when none is given.
const DefaultMaxEntries = 10000

// sweepInterval is how often Put scans for expired entries; between scans
// Get still refuses expired ones.
const sweepInterval = time.Minute

// MemoryStore is an in-process MaterialStore. It holds only ciphertext,
// drops entries once their Expires has passed and, beyond maxEntries, evicts
// the least recently used session.
type MemoryStore struct {
	sealer *Sealer
	max    int
	now    func() time.Time

	mu        sync.Mutex
	entries   map[string]*list.Element // of *memEntry
	lru       list.List                // front = most recently used
	lastSweep time.Time
	onEvict   []func(id string)
}

type memEntry struct {
	id      string
	sealed  []byte
	expires time.Time
}

// NewMemoryStore returns an empty MemoryStore sealing with sealer and
// holding at most maxEntries sessions (DefaultMaxEntries if maxEntries < 1).
func NewMemoryStore(sealer *Sealer, maxEntries int) *MemoryStore {
	if sealer == nil {
		panic("session: NewMemoryStore needs a Sealer")
	}
	if maxEntries < 1 {
		maxEntries = DefaultMaxEntries
	}
	return &MemoryStore{
		sealer:  sealer,
		max:     maxEntries,
		now:     time.Now,
		entries: make(map[string]*list.Element),
	}
}

// OnEvict registers fn to run, outside the store's lock, for every entry the
// store drops on its own because it expired or the store was full.
func (s *MemoryStore) OnEvict(fn func(id string)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onEvict = append(s.onEvict, fn)
}

// Len reports how many sessions the store holds.
func (s *MemoryStore) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.entries)
}

// Get opens the material stored for id. Expired entries are dropped and
// reported as missing.
func (s *MemoryStore) Get(_ context.Context, id string) (Material, bool, error) {
	s.mu.Lock()
	el, ok := s.entries[id]
	if !ok {
		s.mu.Unlock()
		return Material{}, false, nil
	}
	e := el.Value.(*memEntry)
	if expired(e, s.now()) {
		s.remove(el)
		fns := s.onEvict
		s.mu.Unlock()
		notify(fns, []string{id})
		return Material{}, false, nil
	}
	s.lru.MoveToFront(el)
	sealed := e.sealed // never modified in place: Put swaps the slice
	s.mu.Unlock()

	m, err := openMaterial(s.sealer, id, sealed)
	if err != nil {
		return Material{}, false, fmt.Errorf("memory store get: %w", err)
	}
	return m, true, nil
}

// Put seals m and stores it under id.
func (s *MemoryStore) Put(_ context.Context, id string, m Material) error {
	sealed, err := sealMaterial(s.sealer, id, m)
	if err != nil {
		return fmt.Errorf("memory store put: %w", err)
	}
	s.mu.Lock()
	var evicted []string
	if now := s.now(); now.Sub(s.lastSweep) >= sweepInterval {
		s.lastSweep = now
		evicted = s.sweepLocked(now)
	}
	if el, ok := s.entries[id]; ok {
		e := el.Value.(*memEntry)
		e.sealed, e.expires = sealed, m.Expires
		s.lru.MoveToFront(el)
	} else {
		s.entries[id] = s.lru.PushFront(&memEntry{id: id, sealed: sealed, expires: m.Expires})
	}
	for len(s.entries) > s.max {
		oldest := s.lru.Back()
		evicted = append(evicted, oldest.Value.(*memEntry).id)
		s.remove(oldest)
	}
	fns := s.onEvict
	s.mu.Unlock()
	notify(fns, evicted)
	return nil
}

// Update replaces the material stored for id only if id is still stored,
// and reports whether it was.
func (s *MemoryStore) Update(_ context.Context, id string, m Material) (bool, error) {
	sealed, err := sealMaterial(s.sealer, id, m)
	if err != nil {
		return false, fmt.Errorf("memory store update: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	el, ok := s.entries[id]
	if !ok {
		return false, nil
	}
	e := el.Value.(*memEntry)
	e.sealed, e.expires = sealed, m.Expires
	s.lru.MoveToFront(el)
	return true, nil
}

// Delete removes id. It does not run OnEvict callbacks: the caller ended
// the session and knows.
func (s *MemoryStore) Delete(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if el, ok := s.entries[id]; ok {
		s.remove(el)
	}
	return nil
}

// Sweep drops every expired entry now and runs the OnEvict callbacks; it
// implements [Sweeper]. Put sweeps on its own about once a minute, but only
// when someone signs in: [Manager.RunSweeper] calls Sweep periodically so
// abandoned sessions release their resources anyway.
func (s *MemoryStore) Sweep() {
	s.mu.Lock()
	now := s.now()
	s.lastSweep = now
	evicted := s.sweepLocked(now)
	fns := s.onEvict
	s.mu.Unlock()
	notify(fns, evicted)
}

func (s *MemoryStore) sweepLocked(now time.Time) []string {
	var ids []string
	for el := s.lru.Back(); el != nil; {
		prev := el.Prev()
		if e := el.Value.(*memEntry); expired(e, now) {
			ids = append(ids, e.id)
			s.remove(el)
		}
		el = prev
	}
	return ids
}

func (s *MemoryStore) remove(el *list.Element) {
	e := s.lru.Remove(el).(*memEntry)
	delete(s.entries, e.id)
}

func expired(e *memEntry, now time.Time) bool {
	return !e.expires.IsZero() && !now.Before(e.expires)
}

func notify(fns []func(string), ids []string) {
	for _, id := range ids {
		for _, fn := range fns {
			fn(id)
		}
	}
}
