// Package web is vodboard's HTTP server: configuration, the Echo instance
// with its middleware, sessions and their VOD clients, rendering and the
// error handler. routes.go lists every URL.
package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"sync/atomic"
	"time"

	"github.com/aliyun/credentials-go/credentials"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/redis/go-redis/v9"

	"vodboard/handlers"
	"vodboard/metrics"
	"vodboard/session"
	"vodboard/static"
	"vodboard/thumbs"
	"vodboard/vodclient"
	"vodboard/vodclient/emulator"
)

// Deps is what NewServer builds the server from.
type Deps struct {
	Config Config
	Logger *slog.Logger
	// Endpoint is the VOD endpoint sessions call; in demo mode the
	// emulator's, otherwise Config.Endpoint.
	Endpoint string
	// DemoKey and DemoCatalog are set in demo mode.
	DemoKey     emulator.Key
	DemoCatalog *emulator.Catalog
	// ServerCredential is the credentials-go default chain, used when
	// Config.ServerCredentials is on; nil builds it.
	ServerCredential credentials.Credential
	// Now is the sessions' clock; nil means time.Now.
	Now func() time.Time
	// MaxClients bounds the cache of per-session VOD clients.
	MaxClients int
	// VODTimeout bounds each VOD API attempt; 0 means vodclient's default.
	VODTimeout time.Duration
	// HTTPClient carries every session's VOD calls (one connection pool for
	// all); nil builds one.
	HTTPClient *http.Client
	// Pacer is where every session's VOD calls wait for their turn under
	// the account's rate limits; nil means an admission queue (fair turns
	// between sessions, refusals past the deadline) whose limits live in
	// Redis when Redis is set, shared by every instance, else in this
	// process.
	Pacer vodclient.Pacer
	// Redis is the one Redis client of the process (Run builds it from
	// Config.RedisURL), shared by everything that keeps state in Redis:
	// sessions and the sign-in limiter when Config.SessionStore is
	// "redis", and the VOD rate limits (see Pacer). Nil means no Redis.
	Redis *redis.Client
	// Metrics records requests and VOD calls; nil records nothing.
	Metrics *metrics.Metrics
	// ExportMaxRows bounds a library export; 0 means handlers.MaxExportRows.
	ExportMaxRows int
}

// Server is the dashboard's http.Handler.
type Server struct {
	*echo.Echo
	clients  *clientCache
	sessions *session.Manager
	log      *slog.Logger
	// thumbnails makes light thumbnails; nil when they are off.
	thumbnails *thumbs.Service
}

// SweepSessions ends expired sessions every interval until ctx ends, so
// that sessions never seen again still release their VOD clients; with a
// shared session store it also releases the clients of sessions ended by
// another instance or expired in the store.
func (s *Server) SweepSessions(ctx context.Context, every time.Duration) {
	if every <= 0 {
		every = time.Minute
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.sweep(ctx)
		}
	}
}

// sweep is one round of SweepSessions.
func (s *Server) sweep(ctx context.Context) {
	s.sessions.Sweep()
	if err := s.sessions.EndGone(ctx, s.clients.sessionIDs()); err != nil {
		s.log.Warn("checking cached sessions against the session store", "err", err)
	}
}

// NewServer wires the dashboard.
func NewServer(d Deps) (*Server, error) {
	cfg := d.Config
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	if d.Endpoint == "" {
		d.Endpoint = cfg.Endpoint
	}
	if d.MaxClients <= 0 {
		d.MaxClients = 1000
	}
	if d.HTTPClient == nil {
		d.HTTPClient = &http.Client{Transport: &http.Transport{
			Proxy:               http.ProxyFromEnvironment,
			MaxIdleConnsPerHost: 32,
			// Connections opened for a burst are closed soon after it.
			IdleConnTimeout:     20 * time.Second,
			TLSHandshakeTimeout: 5 * time.Second,
			ForceAttemptHTTP2:   true,
		}}
	}
	if d.Pacer == nil {
		d.Pacer = newPacer(d)
	}
	if cfg.ServerCredentials && d.ServerCredential == nil {
		cred, err := vodclient.DefaultChain()
		if err != nil {
			return nil, fmt.Errorf("-server-credentials: %w", err)
		}
		d.ServerCredential = cred
	}
	store, limiter, err := sessionStore(d)
	if err != nil {
		return nil, err
	}
	sessions, err := session.NewManager(session.Config{
		Keys:   cfg.SessionKeys,
		Secure: cfg.Secure(),
		Store:  store,
		Now:    d.Now,
		Logger: d.Logger,
	})
	if err != nil {
		return nil, fmt.Errorf("sessions: %w", err)
	}
	assets := static.New()
	rd := newRenderer(cfg.Demo(), assets)

	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.Logger.SetOutput(slogWriter{d.Logger})
	e.HTTPErrorHandler = errorHandler(d.Logger, rd)
	e.IPExtractor = ipExtractor(cfg, d.Logger)

	e.Use(requestID(cfg.TrustedProxies))
	e.Use(middleware.Recover())
	e.Use(requestLogger(d.Logger, d.Metrics))
	e.Use(session.SecurityHeaders(cfg.Secure()))
	e.Use(shedLoad(cfg, d.Metrics))
	e.Use(requestDeadline(cfg))
	e.Use(compress())
	e.Use(middleware.BodyLimit("64K"))
	e.Use(methodAllowed(e))
	e.Use(sessions.CSRF())

	s := &Server{Echo: e, clients: newClientCache(d.MaxClients), sessions: sessions, log: d.Logger}
	sessions.OnEnd(s.clients.release)
	if m := d.Metrics; m != nil {
		m.Gauge("vodboard_clients_cached", "VOD clients cached for signed-in sessions on this instance.", func() float64 { return float64(s.clients.len()) })
		if _, ok := sessions.Active(); ok {
			m.Gauge("vodboard_sessions_active", "Signed-in sessions held by this instance's memory store.", func() float64 {
				n, _ := sessions.Active()
				return float64(n)
			})
		}
	}

	thumbnails, err := newThumbnails(d)
	if err != nil {
		return nil, err
	}
	s.thumbnails = thumbnails
	a := &app{
		deps:       d,
		renderer:   rd,
		sessions:   sessions,
		clients:    s.clients,
		assets:     assets,
		limiter:    limiter,
		thumbnails: thumbnails,
	}
	a.routes(e)
	return s, nil
}

// signInsPerMinute is how many sign-in attempts a client IP, and an
// AccessKey ID, may make in a burst, and then per minute.
const signInsPerMinute = 10

// sessionStore returns where sessions and sign-in limits live: nil (the
// Manager's MemoryStore) and an in-memory limiter, or with
// Config.SessionStore "redis" both in Deps.Redis.
func sessionStore(d Deps) (session.MaterialStore, *session.LoginLimiter, error) {
	if d.Config.SessionStore != "redis" {
		return nil, session.NewLoginLimiter(signInsPerMinute), nil
	}
	if d.Redis == nil {
		return nil, nil, errors.New("-session-store redis needs a Redis client (-redis-url / VODBOARD_REDIS_URL)")
	}
	sealer, err := session.NewSealer(d.Config.SessionKeys...)
	if err != nil {
		return nil, nil, fmt.Errorf("sessions: %w", err)
	}
	store := session.NewRedisStore(d.Redis, sealer, session.RedisOptions{Now: d.Now})
	return store, session.NewRedisLoginLimiter(d.Redis, signInsPerMinute, ""), nil
}

// app holds what the routes are wired from.
type app struct {
	deps     Deps
	renderer *renderer
	sessions *session.Manager
	clients  *clientCache
	assets   *static.Assets
	limiter  *session.LoginLimiter
	// thumbnails makes light thumbnails; nil when they are off.
	thumbnails *thumbs.Service
}

// newClient builds a VOD client for mat before its session exists (at
// sign-in): its admission party is its own.
func (a *app) newClient(mat session.Material) (*vodclient.Client, error) {
	return a.sessionClient(mat, "")
}

// sessionClient builds the VOD client of a session, whose calls take their
// turns as party.
func (a *app) sessionClient(mat session.Material, party string) (*vodclient.Client, error) {
	var (
		cred credentials.Credential
		err  error
	)
	switch {
	case mat.ServerCredentials:
		if a.deps.ServerCredential == nil {
			return nil, fmt.Errorf("%w: server credentials are not enabled", vodclient.ErrInvalidArgument)
		}
		cred = a.deps.ServerCredential
	case mat.SecurityToken != "":
		cred, err = vodclient.STS(mat.AccessKeyID, mat.AccessKeySecret, mat.SecurityToken)
	default:
		cred, err = vodclient.AccessKey(mat.AccessKeyID, mat.AccessKeySecret)
	}
	if err != nil {
		return nil, err
	}
	return vodclient.New(vodclient.Config{
		Region:     mat.Region,
		Endpoint:   a.deps.Endpoint,
		Credential: cred,
		Timeout:    a.deps.VODTimeout,
		HTTPClient: a.deps.HTTPClient,
		Pacer:      a.deps.Pacer,
		Party:      party,
		Observer:   a.observer(),
		Logger:     a.deps.Logger,
	})
}

// observer is what the sessions' clients report their calls to: the
// metrics, when there are any.
func (a *app) observer() vodclient.Observer {
	if a.deps.Metrics == nil {
		return nil
	}
	return a.deps.Metrics
}

// loadSession attaches the signed-in session, if any, with its VOD client.
func (a *app) loadSession(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, mat, ok, err := a.sessions.Load(c)
		if err == nil && !ok {
			// Nobody can sign in without the store either: say so now,
			// not after the form is filled in.
			err = a.sessions.Ready(c.Request().Context())
		}
		if err != nil {
			// Fail closed: without the store nobody is signed in or out.
			return err
		}
		if ok {
			client, err := a.clients.Get(id, func() (*vodclient.Client, error) { return a.sessionClient(mat, partyOf(id)) })
			if err != nil {
				return err
			}
			// Handlers never need the keys: only the client holds them.
			mat.AccessKeySecret, mat.SecurityToken = "", ""
			handlers.WithSession(c, &handlers.Session{ID: id, Material: mat, VOD: client})
		}
		return next(c)
	}
}

// requireSession sends a signed-out visitor to the sign-in page, and back
// here afterwards; an htmx request gets HX-Redirect instead of a fragment.
func requireSession(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if handlers.CurrentSession(c) != nil {
			return next(c)
		}
		if c.Request().Header.Get("HX-Request") == "true" {
			// Back to the page the user was on, not to the fragment it asked for.
			back := "/"
			if u, err := url.Parse(c.Request().Header.Get("HX-Current-URL")); err == nil {
				back = session.SafeNext(u.RequestURI())
			}
			c.Response().Header().Set("HX-Redirect", "/login?next="+url.QueryEscape(back))
			return c.NoContent(http.StatusUnauthorized)
		}
		return c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(c.Request().URL.RequestURI()))
	}
}

// ipExtractor believes X-Forwarded-For only from cfg.TrustedProxies. With
// none configured it warns at the first request carrying the header: the
// dashboard is probably behind a proxy it was not told about, so every
// client has the proxy's address and shares its sign-in limit.
func ipExtractor(cfg Config, log *slog.Logger) echo.IPExtractor {
	if len(cfg.TrustedProxies) == 0 {
		direct := echo.ExtractIPDirect()
		var warned atomic.Bool
		return func(r *http.Request) string {
			ip := direct(r)
			if r.Header.Get(echo.HeaderXForwardedFor) != "" && warned.CompareAndSwap(false, true) {
				log.Warn("requests carry X-Forwarded-For but no -trusted-proxies / VODBOARD_TRUSTED_PROXIES is set: the header is ignored, so every client behind that proxy has its address and they share one sign-in rate limit; set -trusted-proxies to the proxy's CIDR",
					"proxy", ip)
			}
			return ip
		}
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, n := range cfg.TrustedProxies {
		opts = append(opts, echo.TrustIPRange(n))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

// requestLogger logs every request with the status the user received
// (errors are rendered first: HandleError) and records it in the metrics
// by route template, never by path. Paths are cut short in the log, so a
// huge bad request cannot make a huge log line.
func requestLogger(log *slog.Logger, m *metrics.Metrics) echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		HandleError: true,
		LogStatus:   true, LogMethod: true, LogURIPath: true, LogLatency: true, LogRequestID: true, LogRemoteIP: true,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			path := v.URIPath
			if len(path) > maxLoggedPath {
				path = path[:maxLoggedPath] + "…"
			}
			log.Info("request", "method", v.Method, "path", path, "status", v.Status,
				"took", v.Latency, "request_id", v.RequestID, "ip", v.RemoteIP)
			m.Request(c.Path(), v.Method, v.Status, v.Latency)
			return nil
		},
	})
}

// maxLoggedPath bounds the path an access log line carries.
const maxLoggedPath = 256

// slogWriter sends what Echo's own logger writes to slog.
type slogWriter struct{ log *slog.Logger }

func (w slogWriter) Write(p []byte) (int, error) {
	w.log.Warn("echo", "msg", string(p))
	return len(p), nil
}
