// Package thumbs makes light thumbnails of the images and covers of a VOD
// account, so that grids and lists never download full-size originals.
//
// A thumbnail is fetched from the signed URL that the requesting session's
// own VOD answers handed out (the caller supplies it through an Original;
// nothing of the request ever becomes a URL), resized to at most MaxSide
// pixels on its longer side, encoded as a JPEG and kept in a Cache on disk
// bounded in bytes. Its cache name is an HMAC, under a server secret, of
// the owner (the account identity the session signs in with), the kind and
// the ID, so a session can only ever reach thumbnails made for its own
// account. Making them is bounded: a few at once, a short queue, and
// ErrBusy past it, at once, rather than a hang.
package thumbs

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"
)

// Kind is what a thumbnail shows.
type Kind string

// The kinds of thumbnails.
const (
	Image Kind = "image" // an image: ImageInfo.URL
	Cover Kind = "cover" // a video's or audio file's cover: MediaInfo.CoverURL
)

// Key names a thumbnail.
type Key struct {
	// Owner is who may see it: the identity the session's VOD client signs
	// in with (its AccessKey ID and region). Thumbnails of different owners
	// never meet.
	Owner string
	Kind  Kind
	ID    string
}

// Original returns the signed URL of a thumbnail's original as the
// session's own VOD handed it out: remembered from an answer, or asked
// again. fresh asks VOD again (the URL it gave failed: it expired). An
// asset VOD does not give the session is ErrNotFound.
type Original func(ctx context.Context, fresh bool) (string, error)

// Errors of Thumbnail.
var (
	// ErrNotFound: the session's VOD does not hand out this asset, or it
	// has no picture. Nothing was fetched.
	ErrNotFound = errors.New("no such image for this session")
	// ErrBusy: too many thumbnails are being made; try again shortly.
	ErrBusy = errors.New("too many thumbnails being made")
	// ErrOriginal: the original could not be fetched or read (a format it
	// cannot decode, too large, an upstream error).
	ErrOriginal = errors.New("the original cannot be made into a thumbnail")
	// ErrClosed: the service was closed.
	ErrClosed = errors.New("the thumbnail service is closed")
)

// Defaults of Config.
const (
	DefaultMaxSide          = 400
	DefaultMaxAge           = 24 * time.Hour
	DefaultFetchTimeout     = 15 * time.Second
	DefaultMaxOriginalBytes = 64 << 20
	DefaultMaxPixels        = 50_000_000
	DefaultMaxWaiting       = 64
	DefaultMaxWait          = 15 * time.Second
)

// Config configures a Service. Cache and Secret are required.
type Config struct {
	Cache *Cache
	// Secret keys the cache names (HMAC-SHA256); 32 random bytes, kept
	// across restarts for the cache to survive them.
	Secret []byte
	// HTTPClient fetches originals; nil means one of its own.
	HTTPClient *http.Client
	// MaxSide bounds the longer side of a thumbnail (default 400).
	MaxSide int
	// FetchTimeout bounds the download of an original (default 15 s).
	FetchTimeout time.Duration
	// MaxOriginalBytes bounds the size of an original (default 64 MiB);
	// MaxPixels its pixels, read from its header before decoding it
	// (default 50 million).
	MaxOriginalBytes int64
	MaxPixels        int
	// Fetches bounds the originals being fetched and resized at once
	// (default twice GOMAXPROCS), Resizes those being decoded and resized
	// (default GOMAXPROCS): each holds a decoded original in memory.
	Fetches, Resizes int
	// MaxWaiting bounds the thumbnails waiting for their turn (default
	// 64); MaxWait how long one waits (default 15 s: a cold grid's last
	// thumbnails wait for the others, and are still far lighter than
	// the originals the browser would load instead). Past either,
	// Thumbnail returns ErrBusy.
	MaxWaiting int
	MaxWait    time.Duration
	// Logger logs failures (never a signed URL); nil logs nothing.
	Logger *slog.Logger
}

// Service makes and serves thumbnails. It is safe for concurrent use.
type Service struct {
	cfg     Config
	fetches chan struct{}
	resizes chan struct{}
	waiting atomic.Int64
	group   singleflight.Group

	// life ends at Close, and with it every making; making counts them.
	life   context.Context
	stop   context.CancelFunc
	mu     sync.Mutex
	closed bool
	making sync.WaitGroup
}

// Thumbnail is a thumbnail as served: a JPEG and its entity tag.
type Thumbnail struct {
	JPEG []byte
	ETag string
}

// New returns a Service configured by cfg.
func New(cfg Config) (*Service, error) {
	if cfg.Cache == nil {
		return nil, errors.New("thumbnails: no cache")
	}
	if len(cfg.Secret) < 16 {
		return nil, errors.New("thumbnails: the secret must be 16 bytes or more")
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Transport: &http.Transport{
			Proxy:               http.ProxyFromEnvironment,
			MaxIdleConnsPerHost: 8,
			IdleConnTimeout:     30 * time.Second,
			TLSHandshakeTimeout: 5 * time.Second,
			ForceAttemptHTTP2:   true,
		}}
	}
	cfg.MaxSide = positiveOr(cfg.MaxSide, DefaultMaxSide)
	cfg.FetchTimeout = positiveOr(cfg.FetchTimeout, DefaultFetchTimeout)
	cfg.MaxOriginalBytes = positiveOr(cfg.MaxOriginalBytes, DefaultMaxOriginalBytes)
	cfg.MaxPixels = positiveOr(cfg.MaxPixels, DefaultMaxPixels)
	cfg.Resizes = positiveOr(cfg.Resizes, runtime.GOMAXPROCS(0))
	cfg.Fetches = positiveOr(cfg.Fetches, 2*cfg.Resizes)
	cfg.MaxWaiting = positiveOr(cfg.MaxWaiting, DefaultMaxWaiting)
	cfg.MaxWait = positiveOr(cfg.MaxWait, DefaultMaxWait)
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	life, stop := context.WithCancel(context.Background())
	return &Service{cfg: cfg, fetches: make(chan struct{}, cfg.Fetches), resizes: make(chan struct{}, cfg.Resizes), life: life, stop: stop}, nil
}

// Close ends the makings in progress and waits for them: nothing is
// written to the cache once it returns. Thumbnail returns ErrClosed
// afterwards.
func (s *Service) Close() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.stop()
	s.making.Wait()
}

// started counts a making in, unless the service is closed.
func (s *Service) started() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.making.Add(1)
	return true
}

// positiveOr is v, or def when v is not positive.
func positiveOr[T int | int64 | time.Duration](v, def T) T {
	if v > 0 {
		return v
	}
	return def
}

// name is the cache name of key: an HMAC under the secret, so that it says
// nothing of the account or the asset, and no other owner's key maps to
// it.
func (s *Service) name(key Key) string {
	m := hmac.New(sha256.New, s.cfg.Secret)
	for _, part := range []string{key.Owner, string(key.Kind), key.ID} {
		m.Write([]byte(part))
		m.Write([]byte{0})
	}
	return hex.EncodeToString(m.Sum(nil))
}

// Thumbnail returns the thumbnail of key: from the cache, or made from the
// original that original locates. Requests for one thumbnail made at once
// share one making, which goes on (for the cache) when they give up.
func (s *Service) Thumbnail(ctx context.Context, key Key, original Original) (Thumbnail, error) {
	name := s.name(key)
	if b, ok := s.cfg.Cache.Get(name); ok {
		return newThumbnail(b), nil
	}
	made := s.group.DoChan(name, func() (any, error) {
		if b, ok := s.cfg.Cache.Get(name); ok {
			return b, nil
		}
		if !s.started() {
			return nil, ErrClosed
		}
		defer s.making.Done()
		// The making outlives the request that started it (others may be
		// waiting for it), within bounds of its own, until Close.
		ctx, cancel := context.WithTimeout(s.life, s.cfg.MaxWait+2*s.cfg.FetchTimeout)
		defer cancel()
		b, err := s.make(ctx, key, original)
		if err != nil {
			return nil, err
		}
		if err := s.cfg.Cache.Put(name, b); err != nil {
			s.cfg.Logger.Warn("thumbnail cache", "err", err)
		}
		return b, nil
	})
	select {
	case r := <-made:
		if r.Err != nil {
			return Thumbnail{}, r.Err
		}
		return newThumbnail(r.Val.([]byte)), nil
	case <-ctx.Done():
		return Thumbnail{}, ctx.Err()
	}
}

func newThumbnail(b []byte) Thumbnail {
	sum := sha256.Sum256(b)
	return Thumbnail{JPEG: b, ETag: `"` + hex.EncodeToString(sum[:12]) + `"`}
}

// make fetches the original and resizes it, in turn.
func (s *Service) make(ctx context.Context, key Key, original Original) ([]byte, error) {
	url, err := original(ctx, false)
	if err != nil {
		return nil, err
	}
	release, err := s.wait(ctx, s.fetches)
	if err != nil {
		return nil, err
	}
	defer release()
	body, err := s.fetch(ctx, url)
	if errors.Is(err, errStale) {
		// Expired, most likely: the session's VOD signs it again.
		if url, err = original(ctx, true); err != nil {
			return nil, err
		}
		body, err = s.fetch(ctx, url)
	}
	if errors.Is(err, errStale) {
		err = fmt.Errorf("%w: its freshly signed URL was refused too", ErrOriginal)
	}
	if err != nil {
		s.cfg.Logger.Warn("thumbnail: fetching the original", "kind", key.Kind, "err", err)
		return nil, err
	}
	releaseResize, err := s.wait(ctx, s.resizes)
	if err != nil {
		return nil, err
	}
	defer releaseResize()
	b, err := resize(body, s.cfg.MaxSide, s.cfg.MaxPixels)
	if err != nil {
		s.cfg.Logger.Warn("thumbnail: resizing the original", "kind", key.Kind, "err", err)
	}
	return b, err
}

// wait takes a turn of slots: at once if one is free, else after a wait
// in a bounded queue, for at most MaxWait.
func (s *Service) wait(ctx context.Context, slots chan struct{}) (release func(), err error) {
	select {
	case slots <- struct{}{}:
		return func() { <-slots }, nil
	default:
	}
	if s.waiting.Add(1) > int64(s.cfg.MaxWaiting) {
		s.waiting.Add(-1)
		return nil, ErrBusy
	}
	defer s.waiting.Add(-1)
	timer := time.NewTimer(s.cfg.MaxWait)
	defer timer.Stop()
	select {
	case slots <- struct{}{}:
		return func() { <-slots }, nil
	case <-timer.C:
		return nil, ErrBusy
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
