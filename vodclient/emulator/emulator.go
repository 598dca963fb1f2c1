package emulator

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Key is an AccessKey pair the emulator accepts. A non-empty SecurityToken
// makes it an STS key: every request signed with it must carry exactly that
// token.
type Key struct {
	AccessKeyID     string
	AccessKeySecret string
	SecurityToken   string
}

// Options configures New.
type Options struct {
	// Catalog is the media library served; nil means DemoCatalog().
	Catalog *Catalog
	// Keys are the accepted credentials; empty means DemoKey() only.
	Keys []Key
	// Now is the clock used for signatures, URL expiry and rate limits;
	// nil means time.Now. Tests pass a fake clock.
	Now func() time.Time
	// URLKey is the CDN type-A auth key (and OSS secret) used to sign and
	// verify asset URLs and SearchMedia's ScrollTokens; "" means a random
	// key per emulator.
	URLKey string
	// Synthetic adds that many generated videos, as many audio files and
	// as many images to the catalog (0: none; at most 1000000), so that
	// searches can page past 5,000 hits of every kind. They are
	// deterministic, with 32-hex-digit IDs, searchable titles, creation
	// times over 2023 and 2024, a mix of statuses, the catalog's default
	// categories and the tag "synthetic". Only their IDs and what searches
	// read are kept (about 300 bytes each); entries are generated when
	// asked for.
	Synthetic int
	// PictureCacheBytes bounds the memory kept of rendered pictures
	// (images, covers, snapshots), which are served at their full declared
	// size; 0 means 128 MiB.
	PictureCacheBytes int64
}

// DemoKey returns the fixed, obviously-demo AccessKey pair accepted when
// Options.Keys is empty.
func DemoKey() Key {
	return Key{
		AccessKeyID:     "LTAI5tVodboardDemoKey",
		AccessKeySecret: "vodboard-demo-secret-not-for-production",
	}
}

// Emulator serves the VOD API and the signed asset URLs it hands out.
// It is safe for concurrent use.
type Emulator struct {
	catalog *Catalog
	now     func() time.Time
	urlKey  string

	keysMu sync.RWMutex
	keys   map[string]Key

	latency atomic.Int64 // time.Duration

	limiter  *rateLimiter
	faults   *faultQueue
	record   *callRecord
	nonces   *nonceStore
	pictures *pictureCache
}

// New returns an emulator configured by opts.
func New(opts Options) (*Emulator, error) {
	if opts.Synthetic < 0 || opts.Synthetic > maxSynthetic {
		return nil, fmt.Errorf("new emulator: Synthetic %d: want 0 to %d", opts.Synthetic, maxSynthetic)
	}
	if _, err := loadDemoMedia(); err != nil {
		return nil, fmt.Errorf("new emulator: embedded media: %w", err)
	}
	cat := opts.Catalog
	if cat == nil {
		cat = DemoCatalog()
	}
	if opts.Synthetic > 0 {
		cat = cat.withSynthetic(opts.Synthetic)
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	urlKey := opts.URLKey
	if urlKey == "" {
		b := make([]byte, 16)
		if _, err := rand.Read(b); err != nil {
			return nil, fmt.Errorf("new emulator: url key: %w", err)
		}
		urlKey = hex.EncodeToString(b)
	}
	e := &Emulator{
		catalog:  cat,
		now:      now,
		urlKey:   urlKey,
		keys:     make(map[string]Key),
		limiter:  newRateLimiter(),
		faults:   &faultQueue{},
		record:   &callRecord{},
		nonces:   newNonceStore(),
		pictures: newPictureCache(opts.PictureCacheBytes),
	}
	keys := opts.Keys
	if len(keys) == 0 {
		keys = []Key{DemoKey()}
	}
	for _, k := range keys {
		if err := validKey(k); err != nil {
			return nil, fmt.Errorf("new emulator: %w", err)
		}
		e.keys[k.AccessKeyID] = k
	}
	return e, nil
}

func validKey(k Key) error {
	if strings.TrimSpace(k.AccessKeyID) == "" || k.AccessKeySecret == "" {
		return fmt.Errorf("key %q: AccessKeyID and AccessKeySecret are required", k.AccessKeyID)
	}
	return nil
}

// AddKey accepts k from now on, replacing any key with the same AccessKeyID.
// A key without an ID or secret is ignored.
func (e *Emulator) AddKey(k Key) {
	if validKey(k) != nil {
		return
	}
	e.keysMu.Lock()
	defer e.keysMu.Unlock()
	e.keys[k.AccessKeyID] = k
}

func (e *Emulator) key(id string) (Key, bool) {
	e.keysMu.RLock()
	defer e.keysMu.RUnlock()
	k, ok := e.keys[id]
	return k, ok
}

// tokenOwner reports whether token belongs to some STS key.
func (e *Emulator) tokenOwner(token string) bool {
	e.keysMu.RLock()
	defer e.keysMu.RUnlock()
	for _, k := range e.keys {
		if k.SecurityToken != "" && k.SecurityToken == token {
			return true
		}
	}
	return false
}

// SetLatency delays every API answer by d (0 turns the delay off). A client
// that gives up while waiting gets nothing; the call is recorded with
// status 499.
func (e *Emulator) SetLatency(d time.Duration) {
	e.latency.Store(int64(max(d, 0)))
}

// Catalog returns the catalog the emulator serves.
func (e *Emulator) Catalog() *Catalog { return e.catalog }

// ServeHTTP answers API calls at "/" and serves signed asset URLs under
// /cdn/ and /oss/. /healthz answers 200 "ok".
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch p := r.URL.Path; {
	case p == "/":
		e.serveAPI(w, r)
	case strings.HasPrefix(p, "/cdn/"), strings.HasPrefix(p, "/oss/"):
		e.serveAsset(w, r)
	case p == "/healthz":
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	default:
		http.NotFound(w, r)
	}
}
