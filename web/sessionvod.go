package web

import (
	"context"
	"sync"
	"time"

	"vodboard/vodclient"
)

// categoryTTL is how long a session keeps the category tree: categories
// change rarely, and every library page needs them.
const categoryTTL = 5 * time.Minute

// sessionVOD is a session's VOD client with what the session caches of the
// account: the category tree, fetched once every categoryTTL rather than
// once a page, and the signed URLs of images and covers its answers handed
// out (handedout.go). It lives and dies with the session's client.
type sessionVOD struct {
	*vodclient.Client
	now  func() time.Time
	urls *handedOut

	mu      sync.Mutex
	tree    []vodclient.CategoryNode
	fetched time.Time // zero: never fetched
}

func newSessionVOD(c *vodclient.Client, now func() time.Time) *sessionVOD {
	if now == nil {
		now = time.Now
	}
	return &sessionVOD{Client: c, now: now, urls: newHandedOut()}
}

// CategoryTree returns the cached tree, fetching it when it is missing or
// older than categoryTTL. Concurrent requests of a session wait for one
// fetch; a failed fetch is not cached.
func (v *sessionVOD) CategoryTree(ctx context.Context) ([]vodclient.CategoryNode, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if !v.fetched.IsZero() && v.now().Sub(v.fetched) < categoryTTL {
		return v.tree, nil
	}
	tree, err := v.Client.CategoryTree(ctx)
	if err != nil {
		return nil, err
	}
	v.tree, v.fetched = tree, v.now()
	return tree, nil
}
