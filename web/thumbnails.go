package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"vodboard/thumbs"
	"vodboard/views"
)

// Thumbnail settings.
const (
	DefaultThumbCacheSize = 256 << 20
	minThumbCacheSize     = 1 << 20
	// thumbMaxAge is how long browsers keep a thumbnail. The URL names the
	// asset, not a signed file, so it stays good; a cover changed upstream
	// shows within the hour.
	thumbMaxAge = time.Hour
)

// parseByteSize reads a size in bytes: a number with an optional unit,
// KiB, MiB, GiB (or KB, MB, GB, also taken as powers of 1024).
func parseByteSize(s string) (int64, error) {
	s = strings.TrimSpace(s)
	num := strings.TrimRight(s, "KMGiBkmgib ")
	unit := strings.ToUpper(strings.TrimSpace(s[len(num):]))
	shift := map[string]uint{"": 0, "B": 0, "K": 10, "KB": 10, "KIB": 10, "M": 20, "MB": 20, "MIB": 20, "G": 30, "GB": 30, "GIB": 30}
	sh, ok := shift[unit]
	n, err := strconv.ParseInt(strings.TrimSpace(num), 10, 64)
	if !ok || err != nil || n < 0 || n > (1<<62)>>sh {
		return 0, errors.New("not a size")
	}
	return n << sh, nil
}

// defaultThumbCacheDir is the thumbnail cache's directory when
// -thumb-cache-dir is not given: in the user's cache directory, else in the
// temporary directory.
func defaultThumbCacheDir() string {
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "vodboard", "thumbnails")
	}
	return filepath.Join(os.TempDir(), "vodboard-thumbnails-"+strconv.Itoa(os.Getuid()))
}

// newThumbnails builds the thumbnail service, or nil when thumbnails are
// off. The names of its cache are keyed by a secret derived from the
// session key, so that a restart with the same key finds them again.
func newThumbnails(d Deps) (*thumbs.Service, error) {
	cfg := d.Config
	if !cfg.Thumbnails {
		return nil, nil
	}
	dir := cfg.ThumbCacheDir
	if dir == "" {
		dir = defaultThumbCacheDir()
	}
	size := cfg.ThumbCacheSize
	if size <= 0 {
		size = DefaultThumbCacheSize
	}
	secret := thumbSecret(cfg.SessionKeys)
	gen := hmac.New(sha256.New, secret)
	gen.Write([]byte("vodboard thumbnail cache generation"))
	cache, err := thumbs.OpenCache(dir, size, thumbs.DefaultMaxAge, hex.EncodeToString(gen.Sum(nil))[:16])
	if err != nil {
		return nil, fmt.Errorf("-thumb-cache-dir / VODBOARD_THUMB_CACHE_DIR %s: %w", dir, err)
	}
	d.Logger.Info("thumbnails are on", "cache_dir", dir, "cache_bytes", size, "cached", cache.Len())
	// A thumbnail waits for its turn, and its original is fetched, as long
	// as its request may: a cold grid on a busy machine is slow, not
	// broken.
	return thumbs.New(thumbs.Config{Cache: cache, Secret: secret, Logger: d.Logger, MaxWait: cfg.requestTimeout(), FetchTimeout: cfg.requestTimeout()})
}

// Close ends the work the server does beyond its requests: thumbnails
// being made for the cache. Call it once the HTTP server has shut down.
func (s *Server) Close() {
	if s.thumbnails != nil {
		s.thumbnails.Close()
	}
}

// thumbSecret derives the thumbnail cache's secret from the newest session
// key, or makes a random one (the cache then starts afresh at every
// start).
func thumbSecret(keys [][]byte) []byte {
	if len(keys) == 0 {
		b := make([]byte, 32)
		rand.Read(b)
		return b
	}
	m := hmac.New(sha256.New, keys[0])
	m.Write([]byte("vodboard thumbnail cache names"))
	return m.Sum(nil)
}

// lightThumbnails makes the pages of the request show light thumbnails
// (views.WithLightThumbnails), when the service is on.
func lightThumbnails(on bool) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		if !on {
			return next
		}
		return func(c echo.Context) error {
			r := c.Request()
			c.SetRequest(r.WithContext(views.WithLightThumbnails(r.Context())))
			return next(c)
		}
	}
}
