// Package web is vodboard's HTTP server: configuration, the Echo instance
// with its middleware, sessions and their VOD clients, rendering and the
// error handler. routes.go lists every URL.
package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/aliyun/credentials-go/credentials"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"vodboard/handlers"
	"vodboard/session"
	"vodboard/static"
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
	// RateLimits are the client-side call rate limits every session shares;
	// nil means vodclient's process-wide documented limits.
	RateLimits *vodclient.RateLimits
}

// Server is the dashboard's http.Handler.
type Server struct {
	*echo.Echo
	clients  *clientCache
	sessions *session.Manager
}

// SweepSessions ends expired sessions every interval until ctx ends, so
// that sessions never seen again still release their VOD clients.
func (s *Server) SweepSessions(ctx context.Context, every time.Duration) {
	s.sessions.RunSweeper(ctx, every)
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
			IdleConnTimeout:     90 * time.Second,
			TLSHandshakeTimeout: 5 * time.Second,
			ForceAttemptHTTP2:   true,
		}}
	}
	if cfg.ServerCredentials && d.ServerCredential == nil {
		cred, err := vodclient.DefaultChain()
		if err != nil {
			return nil, fmt.Errorf("-server-credentials: %w", err)
		}
		d.ServerCredential = cred
	}
	sessions, err := session.NewManager(session.Config{
		Keys:   cfg.SessionKeys,
		Secure: cfg.Secure(),
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
	e.IPExtractor = ipExtractor(cfg)

	e.Use(middleware.RequestID())
	e.Use(middleware.Recover())
	e.Use(requestLogger(d.Logger))
	e.Use(session.SecurityHeaders(cfg.Secure()))
	e.Use(middleware.GzipWithConfig(middleware.GzipConfig{MinLength: 1024}))
	e.Use(middleware.BodyLimit("64K"))
	e.Use(sessions.CSRF())

	s := &Server{Echo: e, clients: newClientCache(d.MaxClients), sessions: sessions}
	sessions.OnEnd(s.clients.release)

	a := &app{
		deps:     d,
		renderer: rd,
		sessions: sessions,
		clients:  s.clients,
		assets:   assets,
		limiter:  session.NewLoginLimiter(10),
	}
	a.routes(e)
	return s, nil
}

// app holds what the routes are wired from.
type app struct {
	deps     Deps
	renderer *renderer
	sessions *session.Manager
	clients  *clientCache
	assets   *static.Assets
	limiter  *session.LoginLimiter
}

// newClient builds the VOD client of a session.
func (a *app) newClient(mat session.Material) (*vodclient.Client, error) {
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
		RateLimits: a.deps.RateLimits,
		Logger:     a.deps.Logger,
	})
}

// loadSession attaches the signed-in session, if any, with its VOD client.
func (a *app) loadSession(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, mat, ok, err := a.sessions.Load(c)
		if err != nil {
			return err
		}
		if ok {
			client, err := a.clients.Get(id, func() (*vodclient.Client, error) { return a.newClient(mat) })
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

func ipExtractor(cfg Config) echo.IPExtractor {
	if len(cfg.TrustedProxies) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, n := range cfg.TrustedProxies {
		opts = append(opts, echo.TrustIPRange(n))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

func requestLogger(log *slog.Logger) echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogStatus: true, LogMethod: true, LogURIPath: true, LogLatency: true, LogRequestID: true, LogRemoteIP: true,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			log.Info("request", "method", v.Method, "path", v.URIPath, "status", v.Status,
				"took", v.Latency, "request_id", v.RequestID, "ip", v.RemoteIP)
			return nil
		},
	})
}

// slogWriter sends what Echo's own logger writes to slog.
type slogWriter struct{ log *slog.Logger }

func (w slogWriter) Write(p []byte) (int, error) {
	w.log.Warn("echo", "msg", string(p))
	return len(p), nil
}
