package emulator

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// Serve runs an emulator on addr (e.g. "127.0.0.1:8081"; port 0 picks one)
// until ctx ends, then shuts down gracefully within 10 seconds. It logs the
// endpoint and the accepted AccessKey IDs (never secrets) to log (nil:
// slog.Default()).
func Serve(ctx context.Context, addr string, opts Options, log *slog.Logger) error {
	if log == nil {
		log = slog.Default()
	}
	e, err := New(opts)
	if err != nil {
		return fmt.Errorf("vod emulator: %w", err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("vod emulator: listen: %w", err)
	}
	srv := &http.Server{
		Handler:           e,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	e.keysMu.RLock()
	ids := make([]string, 0, len(e.keys))
	for id := range e.keys {
		ids = append(ids, id)
	}
	e.keysMu.RUnlock()
	log.Info("vod emulator listening",
		"addr", ln.Addr().String(),
		"endpoint", ln.Addr().String(),
		"protocol", "http",
		"access_key_ids", ids,
		"images", e.catalog.imageCount(),
		"media", e.catalog.mediaCount(),
		"categories", len(e.catalog.categories))

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return fmt.Errorf("vod emulator: %w", err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = srv.Shutdown(shutdownCtx)
	if serveErr := <-errc; !errors.Is(serveErr, http.ErrServerClosed) && err == nil {
		err = serveErr
	}
	if err != nil {
		return fmt.Errorf("vod emulator: shutdown: %w", err)
	}
	log.Info("vod emulator stopped")
	return nil
}
