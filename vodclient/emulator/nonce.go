package emulator

import (
	"sync"
	"time"
)

// maxNonces caps the nonce memory even under a flood within one window.
const maxNonces = 1 << 20

// nonceStore remembers signature nonces until their request date can no
// longer be accepted, so memory stays bounded by the 15-minute window.
type nonceStore struct {
	mu    sync.Mutex
	seen  map[string]time.Time // nonce -> forget after
	order []nonceEntry         // insertion order, for pruning
	head  int                  // order[:head] is already pruned
}

type nonceEntry struct {
	key    string
	forget time.Time
}

func newNonceStore() *nonceStore {
	return &nonceStore{seen: make(map[string]time.Time)}
}

// use records key and reports whether it was unused (or already forgotten).
func (s *nonceStore) use(key string, now, forget time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.prune(now)
	if t, ok := s.seen[key]; ok && now.Before(t) {
		return false
	}
	s.seen[key] = forget
	s.order = append(s.order, nonceEntry{key, forget})
	return true
}

func (s *nonceStore) prune(now time.Time) {
	for s.head < len(s.order) && (len(s.order)-s.head > maxNonces || !now.Before(s.order[s.head].forget)) {
		ent := s.order[s.head]
		if t, ok := s.seen[ent.key]; ok && t.Equal(ent.forget) {
			delete(s.seen, ent.key)
		}
		s.order[s.head] = nonceEntry{}
		s.head++
	}
	if s.head > len(s.order)/2 {
		s.order = append(s.order[:0], s.order[s.head:]...)
		s.head = 0
	}
}

// len reports how many nonces are remembered (for tests).
func (s *nonceStore) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.seen)
}
