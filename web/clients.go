package web

import (
	"container/list"
	"sync"
	"time"

	"vodboard/vodclient"
)

// clientCache holds the VOD client of each signed-in session: built once,
// reused for that session's requests, never shared with another session,
// and dropped at sign-out, expiry or when the cache is full (least recently
// used first; an evicted session's client is simply built again).
type clientCache struct {
	max int

	mu    sync.Mutex
	order *list.List // of *clientEntry, most recently used first
	byID  map[string]*list.Element
	// ended remembers released sessions for a while, so that a request
	// that loaded its session just before sign-out cannot put the
	// session's client back afterwards.
	ended map[string]time.Time
}

// endedMemory outlasts any request that could still be in flight.
const endedMemory = 5 * time.Minute

type clientEntry struct {
	sessionID string
	client    *sessionVOD
}

func newClientCache(max int) *clientCache {
	return &clientCache{max: max, order: list.New(), byID: make(map[string]*list.Element), ended: make(map[string]time.Time)}
}

// Get returns the session's client, building it with build on first use.
func (c *clientCache) Get(sessionID string, build func() (*vodclient.Client, error)) (*sessionVOD, error) {
	c.mu.Lock()
	if el, ok := c.byID[sessionID]; ok {
		c.order.MoveToFront(el)
		cl := el.Value.(*clientEntry).client
		c.mu.Unlock()
		return cl, nil
	}
	c.mu.Unlock()

	built, err := build()
	if err != nil {
		return nil, err
	}
	cl := newSessionVOD(built, nil)
	c.put(sessionID, cl)
	return cl, nil
}

// Put stores the session's client, replacing any earlier one.
func (c *clientCache) Put(sessionID string, cl *vodclient.Client) {
	c.put(sessionID, newSessionVOD(cl, nil))
}

func (c *clientCache) put(sessionID string, cl *sessionVOD) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.ended[sessionID]; ok {
		return
	}
	if el, ok := c.byID[sessionID]; ok {
		el.Value.(*clientEntry).client = cl
		c.order.MoveToFront(el)
		return
	}
	c.byID[sessionID] = c.order.PushFront(&clientEntry{sessionID: sessionID, client: cl})
	for c.order.Len() > c.max {
		oldest := c.order.Back()
		c.order.Remove(oldest)
		delete(c.byID, oldest.Value.(*clientEntry).sessionID)
	}
}

// release drops the session's client for good: the session has ended.
func (c *clientCache) release(sessionID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.byID[sessionID]; ok {
		c.order.Remove(el)
		delete(c.byID, sessionID)
	}
	now := time.Now()
	for id, at := range c.ended {
		if now.Sub(at) > endedMemory {
			delete(c.ended, id)
		}
	}
	c.ended[sessionID] = now
}

// sessionIDs lists the sessions holding a client, for the sweeper to check
// against the session store.
func (c *clientCache) sessionIDs() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]string, 0, len(c.byID))
	for id := range c.byID {
		out = append(out, id)
	}
	return out
}

func (c *clientCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}
