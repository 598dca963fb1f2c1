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

	"vodboard/vodclient/emulator"
)

// Run serves the dashboard until ctx ends, then shuts down gracefully.
// In demo mode it first starts the VOD emulator on a loopback port.
func Run(ctx context.Context, cfg Config, stdout, stderr io.Writer) error {
	log := newLogger(cfg.LogLevel, stderr)
	if len(cfg.SessionKeys) == 0 {
		key := make([]byte, 32)
		rand.Read(key)
		cfg.SessionKeys = [][]byte{key}
		log.Warn("no -session-key / VODBOARD_SESSION_KEY: using a random key, so sessions end when vodboard restarts")
	}

	deps := Deps{Config: cfg, Logger: log}
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
		WriteTimeout:      90 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	url := "http://" + ln.Addr().String()
	if cfg.PublicURL != nil {
		url = cfg.PublicURL.String()
	}
	if host, _, _ := net.SplitHostPort(cfg.Addr); cfg.Demo() && !isLoopback(host) {
		log.Warn("demo mode: thumbnails load from the emulator on 127.0.0.1, so browsers on other machines will not show them", "addr", cfg.Addr)
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

func newLogger(level string, w io.Writer) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level))
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l}))
}
