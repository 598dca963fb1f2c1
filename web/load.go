package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"

	"github.com/klauspost/compress/gzhttp"
	"github.com/labstack/echo/v4"

	"vodboard/admission"
	"vodboard/handlers"
	"vodboard/metrics"
	"vodboard/static"
	"vodboard/vodclient"
)

// Holding under load: a deadline on every request, a bound on requests in
// flight, compression that builds nothing for what is not sent, and the
// admission queue the sessions' VOD clients take their turns in.

// newPacer is the admission queue every session's VOD client waits in: a
// fair, bounded queue per AccessKey under the documented limits (less
// vodclient.SafetyMargin), with its tokens in Redis when there is one, so
// that every instance shares each account's limits, else in this process.
func newPacer(d Deps) vodclient.Pacer {
	limits := vodclient.DocumentedRateLimits()
	for action, perSecond := range limits {
		limits[action] = perSecond * vodclient.SafetyMargin
	}
	var rate admission.Rate = admission.NewLocalRate()
	if d.Redis != nil {
		rate = admission.NewRedisRate(d.Redis, d.Logger)
	}
	cfg := admission.Config{Limits: limits, Rate: rate, Logger: d.Logger}
	if d.Metrics != nil {
		cfg.Observer = d.Metrics
	}
	return admission.NewQueue(cfg)
}

// partyOf is the admission party of a session: a hash of its ID, so that
// the ID itself never travels further than the session store.
func partyOf(sessionID string) string {
	sum := sha256.Sum256([]byte("vodboard party\x00" + sessionID))
	return hex.EncodeToString(sum[:8])
}

// requestDeadline gives every request one deadline for all it does: every
// VOD call, chunk and retry; exports a longer one (exportDeadline). The
// error handler still renders after it.
func requestDeadline(cfg Config) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			d := cfg.requestTimeout()
			if handlers.ExportRequested(c.Request()) {
				d = exportDeadline(c, d)
			}
			ctx, cancel := context.WithTimeout(c.Request().Context(), d)
			defer cancel()
			c.SetRequest(c.Request().WithContext(ctx))
			return next(c)
		}
	}
}

// busyMessage is what a shed request is told.
const busyMessage = "vodboard is busy right now: too many requests are being served. Try again in a moment.\n"

// shedLoad serves at most cfg.maxInflight() requests at once; the next
// ones are answered 503 with Retry-After at once, without queueing, so
// that past capacity the server keeps its throughput instead of letting
// every request slow down. Probes and static files are never shed.
func shedLoad(cfg Config, m *metrics.Metrics) echo.MiddlewareFunc {
	slots := make(chan struct{}, cfg.maxInflight())
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if neverShed(c.Request().URL.Path) {
				return next(c)
			}
			select {
			case slots <- struct{}{}:
				defer func() { <-slots }()
				return next(c)
			default:
			}
			m.Shed("inflight")
			h := c.Response().Header()
			h.Set(echo.HeaderRetryAfter, "1")
			h.Set(echo.HeaderCacheControl, "no-store")
			return c.String(http.StatusServiceUnavailable, busyMessage)
		}
	}
}

func neverShed(path string) bool {
	return path == "/healthz" || path == "/readyz" || strings.HasPrefix(path, static.Prefix)
}

// compress gzips (or zstd-compresses, for browsers that ask for it)
// responses of 1 KiB and more with klauspost/compress's pooled writers:
// a response under the threshold, an empty one or one never written takes
// no compressor at all. Errors are rendered inside, through the same
// writer, so that the error page is what gets compressed and sent.
func compress() echo.MiddlewareFunc {
	// Event streams are flushed event by event and must not wait in a
	// compressor's buffer; JPEG thumbnails (and the other types gzhttp
	// knows to be compressed already) would only cost CPU.
	wrap, err := gzhttp.NewWrapper(gzhttp.MinSize(1024), gzhttp.ContentTypeFilter(func(ct string) bool {
		return gzhttp.DefaultContentTypeFilter(ct) && !strings.HasPrefix(ct, "text/event-stream")
	}))
	if err != nil {
		panic("gzhttp: " + err.Error()) // the options are constant
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			res := c.Response()
			plain := res.Writer
			defer func() { res.Writer = plain }()
			wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				res.Writer = w
				c.SetRequest(r)
				if err := next(c); err != nil {
					c.Error(err)
				}
			})).ServeHTTP(plain, c.Request())
			return nil
		}
	}
}
