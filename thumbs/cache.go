package thumbs

import (
	"container/list"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// Cache is a directory of thumbnails bounded in bytes: past the bound the
// least recently used go first, and an entry older than its maximum age
// counts as missing. One process owns a directory; its index of the files
// lives in memory and is rebuilt from the directory at start.
//
// Entries are named by the caller (Service names them with an HMAC, so a
// name says nothing of whose thumbnail it is) and stored as
// <dir>/<first two characters>/<name>.jpg, readable by the owner only.
type Cache struct {
	dir    string
	max    int64
	maxAge time.Duration
	now    func() time.Time

	mu     sync.Mutex
	order  *list.List // of *cacheEntry, most recently used first
	byName map[string]*list.Element
	size   int64
}

type cacheEntry struct {
	name string
	size int64
	made time.Time
}

// generationFile holds the generation a cache directory was written under.
const generationFile = "GENERATION"

// OpenCache opens (creating it if need be) the cache in dir, bounded to
// maxBytes, whose entries last maxAge. generation names what the names of
// the entries were derived under (a key): entries written under another
// generation could never be found again, so they are deleted.
func OpenCache(dir string, maxBytes int64, maxAge time.Duration, generation string) (*Cache, error) {
	if maxBytes <= 0 {
		return nil, fmt.Errorf("thumbnail cache: size %d: want more than 0 bytes", maxBytes)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("thumbnail cache: %w", err)
	}
	c := &Cache{dir: dir, max: maxBytes, maxAge: maxAge, now: time.Now, order: list.New(), byName: map[string]*list.Element{}}
	genPath := filepath.Join(dir, generationFile)
	old, err := os.ReadFile(genPath)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("thumbnail cache: %w", err)
	}
	stale := err == nil && string(old) != generation
	entries, err := c.scan(stale)
	if err != nil {
		return nil, fmt.Errorf("thumbnail cache: %w", err)
	}
	if string(old) != generation {
		if err := os.WriteFile(genPath, []byte(generation), 0o600); err != nil {
			return nil, fmt.Errorf("thumbnail cache: %w", err)
		}
	}
	// Oldest first, so that the most recent end up in front.
	slices.SortFunc(entries, func(a, b *cacheEntry) int { return a.made.Compare(b.made) })
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, e := range entries {
		c.byName[e.name] = c.order.PushFront(e)
		c.size += e.size
	}
	c.evictLocked()
	return c, nil
}

// scan lists the entries in the directory and removes the leftovers of
// interrupted writes; with drop, it removes every entry instead.
func (c *Cache) scan(drop bool) ([]*cacheEntry, error) {
	var out []*cacheEntry
	err := filepath.WalkDir(c.dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		base := d.Name()
		if strings.HasPrefix(base, tempPrefix) {
			return os.Remove(path)
		}
		name, ok := strings.CutSuffix(base, ".jpg")
		if !ok || !validName(name) || path != c.path(name) {
			return nil // not ours: left alone
		}
		if drop {
			return os.Remove(path)
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		out = append(out, &cacheEntry{name: name, size: info.Size(), made: info.ModTime()})
		return nil
	})
	return out, err
}

// validName reports whether name is a lower-case hex string of 16 to 128
// characters, as entry names are.
func validName(name string) bool {
	if len(name) < 16 || len(name) > 128 {
		return false
	}
	return strings.Trim(name, "0123456789abcdef") == ""
}

const tempPrefix = ".tmp-"

func (c *Cache) path(name string) string {
	return filepath.Join(c.dir, name[:2], name+".jpg")
}

// Get returns the entry name, if it is there and not too old.
func (c *Cache) Get(name string) ([]byte, bool) {
	c.mu.Lock()
	el, ok := c.byName[name]
	if ok && c.now().Sub(el.Value.(*cacheEntry).made) > c.maxAge {
		c.removeLocked(el)
		ok = false
	}
	if ok {
		c.order.MoveToFront(el)
	}
	c.mu.Unlock()
	if !ok {
		return nil, false
	}
	b, err := os.ReadFile(c.path(name))
	if err != nil {
		// Removed behind our back: forget it.
		c.mu.Lock()
		if el, ok := c.byName[name]; ok {
			c.removeLocked(el)
		}
		c.mu.Unlock()
		return nil, false
	}
	return b, true
}

// Put stores b as the entry name, replacing any, then drops the least
// recently used entries past the bound. An entry larger than the whole
// bound is not kept.
func (c *Cache) Put(name string, b []byte) error {
	if !validName(name) {
		return fmt.Errorf("thumbnail cache: invalid entry name %q", name)
	}
	if int64(len(b)) > c.max {
		return nil
	}
	path := c.path(name)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("thumbnail cache: %w", err)
	}
	f, err := os.CreateTemp(filepath.Dir(path), tempPrefix+"*")
	if err != nil {
		return fmt.Errorf("thumbnail cache: %w", err)
	}
	_, werr := f.Write(b)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(f.Name(), path)
	}
	if werr != nil {
		os.Remove(f.Name())
		return fmt.Errorf("thumbnail cache: %w", werr)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.byName[name]; ok {
		e := el.Value.(*cacheEntry)
		c.size -= e.size
		c.order.Remove(el)
		delete(c.byName, name)
	}
	c.byName[name] = c.order.PushFront(&cacheEntry{name: name, size: int64(len(b)), made: c.now()})
	c.size += int64(len(b))
	c.evictLocked()
	return nil
}

// Size returns the bytes the entries take.
func (c *Cache) Size() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.size
}

// Len returns the number of entries.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}

func (c *Cache) evictLocked() {
	for c.size > c.max {
		c.removeLocked(c.order.Back())
	}
}

func (c *Cache) removeLocked(el *list.Element) {
	e := c.order.Remove(el).(*cacheEntry)
	delete(c.byName, e.name)
	c.size -= e.size
	os.Remove(c.path(e.name))
}
