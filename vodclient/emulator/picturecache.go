package emulator

import (
	linked "container/list" // "list" is a test helper of this package
	"runtime"
	"sync"

	"golang.org/x/sync/singleflight"
)

// defaultPictureCacheBytes bounds the rendered pictures an emulator keeps
// when Options.PictureCacheBytes is 0.
const defaultPictureCacheBytes = 128 << 20

// pictureCache keeps rendered pictures up to a total size in bytes,
// dropping the least recently used first. A full-size picture costs real
// CPU (about a second at 6000×4000), so a page that asks for the same
// pictures again is served from memory. Concurrent requests for one
// picture wait for a single render, and at most GOMAXPROCS renders run at
// once, each holding a full-size frame.
type pictureCache struct {
	max     int64
	renders chan struct{}
	group   singleflight.Group

	mu    sync.Mutex
	order *linked.List // of *cachedPicture, most recently used first
	byKey map[string]*linked.Element
	size  int64
}

type cachedPicture struct {
	key   string
	bytes []byte
}

func newPictureCache(maxBytes int64) *pictureCache {
	if maxBytes <= 0 {
		maxBytes = defaultPictureCacheBytes
	}
	return &pictureCache{
		max:     maxBytes,
		renders: make(chan struct{}, runtime.GOMAXPROCS(0)),
		order:   linked.New(),
		byKey:   make(map[string]*linked.Element),
	}
}

// get returns the picture of key, rendering it with render on a miss.
func (c *pictureCache) get(key string, render func() ([]byte, error)) ([]byte, error) {
	if b, ok := c.lookup(key); ok {
		return b, nil
	}
	v, err, _ := c.group.Do(key, func() (any, error) {
		if b, ok := c.lookup(key); ok {
			return b, nil
		}
		c.renders <- struct{}{}
		b, err := render()
		<-c.renders
		if err != nil {
			return nil, err
		}
		c.add(key, b)
		return b, nil
	})
	if err != nil {
		return nil, err
	}
	return v.([]byte), nil
}

func (c *pictureCache) lookup(key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.byKey[key]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(el)
	return el.Value.(*cachedPicture).bytes, true
}

// add keeps b, unless it alone is over the bound, and drops the least
// recently used pictures past it.
func (c *pictureCache) add(key string, b []byte) {
	if int64(len(b)) > c.max {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.byKey[key]; ok {
		return
	}
	c.byKey[key] = c.order.PushFront(&cachedPicture{key: key, bytes: b})
	c.size += int64(len(b))
	for c.size > c.max {
		oldest := c.order.Back()
		p := c.order.Remove(oldest).(*cachedPicture)
		delete(c.byKey, p.key)
		c.size -= int64(len(p.bytes))
	}
}

// bytes returns the total size of the pictures kept.
func (c *pictureCache) bytes() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.size
}
