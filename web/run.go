package web

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/redis/go-redis/v9"

	"vodboard/metrics"
	"vodboard/vodclient/emulator"
)

// Run serves the dashboard until ctx ends, then shuts down gracefully.
// In demo mode it first starts the VOD emulator on a loopback port.
func Run(ctx context.Context, cfg Config, stdout, stderr io.Writer) error {
	log := newLogger(cfg.LogLevel, cfg.LogFormat, stderr)
	if len(cfg.SessionKeys) == 0 {
		key := make([]byte, 32)
		rand.Read(key)
		cfg.SessionKeys = [][]byte{key}
		log.Warn("no -session-key / VODBOARD_SESSION_KEY: using a random key, so sessions end when vodboard restarts")
	}

	deps := Deps{Config: cfg, Logger: log}
	if !cfg.RedisURL.IsZero() {
		rdb, err := newRedis(ctx, cfg.RedisURL, log)
		if err != nil {
			return err
		}
		defer rdb.Close()
		deps.Redis = rdb
	}
	if cfg.MetricsAddr != "" {
		deps.Metrics = metrics.New()
		stopMetrics, err := serveMetrics(cfg.MetricsAddr, deps.Metrics, log)
		if err != nil {
			return err
		}
		defer stopMetrics()
	}
	if cfg.Demo() {
		endpoint, stopEmulator, err := startDemoEmulator(log)
		if err != nil {
			return err
		}
		defer stopEmulator()
		deps.Endpoint = endpoint
		deps.DemoKey = emulator.DemoKey()
		deps.DemoCatalog = emulator.DemoCatalog()
	}

	srv, err := NewServer(deps)
	if err != nil {
		return err
	}
	defer srv.Close() // after the HTTP server's shutdown below: no thumbnail is still being made
	sweepCtx, stopSweeping := context.WithCancel(ctx)
	defer stopSweeping()
	go srv.SweepSessions(sweepCtx, time.Minute)
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("-addr / VODBOARD_ADDR: %w", err)
	}
	httpServer := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		// Longer than any request may take (its deadline, then the
		// rendering of its answer), so every answer is sent whole.
		WriteTimeout: cfg.requestTimeout() + writeMargin,
		IdleTimeout:  120 * time.Second,
		ErrorLog:     slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	url := "http://" + ln.Addr().String()
	if cfg.PublicURL != nil {
		url = cfg.PublicURL.String()
	}
	if host, _, _ := net.SplitHostPort(cfg.Addr); cfg.Demo() && !isLoopback(host) {
		log.Warn("demo mode: original images and media load from the emulator on 127.0.0.1, so browsers on other machines will not show them", "addr", cfg.Addr)
	}
	log.Info("vodboard is serving", "url", url, "mode", cfg.Mode)
	fmt.Fprintf(stdout, "vodboard (%s mode) is serving on %s\n", cfg.Mode, url)

	errc := make(chan error, 1)
	go func() { errc <- httpServer.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := httpServer.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// newRedis builds the process's one Redis client. An unreachable Redis
// does not stop vodboard: it starts not ready (/readyz answers 503) and
// serves once Redis answers, as it does after any outage.
func newRedis(ctx context.Context, u RedisURL, log *slog.Logger) (*redis.Client, error) {
	opts, err := u.Options()
	if err != nil {
		return nil, err
	}
	// Fail fast while Redis is down (a 503 in about a second, not after
	// go-redis's default 5 dials times 4 tries); the URL's own
	// dial_timeout, max_retries... query parameters win.
	if opts.DialTimeout == 0 {
		opts.DialTimeout = 2 * time.Second
	}
	if opts.DialerRetries == 0 {
		opts.DialerRetries = 2
	}
	if opts.MaxRetries == 0 {
		opts.MaxRetries = 1
	}
	rdb := redis.NewClient(opts)
	pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := rdb.Ping(pingCtx).Err(); err != nil {
		log.Warn("Redis does not answer yet; pages answer 503 until it does", "redis", u.String(), "err", err)
	} else {
		log.Info("Redis answers", "redis", u.String())
	}
	return rdb, nil
}

// serveMetrics serves GET /metrics on addr, a listener of its own, until
// stop is called.
func serveMetrics(addr string, m *metrics.Metrics, log *slog.Logger) (stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("-metrics-addr / VODBOARD_METRICS_ADDR: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	go srv.Serve(ln)
	log.Info("metrics are served", "url", "http://"+ln.Addr().String()+"/metrics")
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	}, nil
}

// startDemoEmulator serves the emulator with its demo catalog on a free
// loopback port and returns its endpoint.
func startDemoEmulator(log *slog.Logger) (endpoint string, stop func(), err error) {
	emu, err := emulator.New(emulator.Options{})
	if err != nil {
		return "", nil, fmt.Errorf("demo emulator: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, fmt.Errorf("demo emulator: %w", err)
	}
	srv := &http.Server{Handler: emu, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	endpoint = "http://" + ln.Addr().String()
	log.Info("demo mode: VOD emulator started", "endpoint", endpoint)
	return endpoint, func() { srv.Close() }, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func newLogger(level, format string, w io.Writer) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level))
	opts := &slog.HandlerOptions{Level: l}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
