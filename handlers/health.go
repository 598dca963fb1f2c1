package handlers

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// Health answers probes: the process is up and serving.
func Health() echo.HandlerFunc {
	return func(c echo.Context) error {
		return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
	}
}

// Ready answers readiness probes: 200 while ready answers nil, else 503,
// so a load balancer stops sending requests that could only be refused
// (the session store is unreachable). Health stays 200 meanwhile: the
// process is alive and recovers by itself.
func Ready(ready func(context.Context) error, log *slog.Logger) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx, cancel := context.WithTimeout(c.Request().Context(), readyTimeout)
		defer cancel()
		if err := ready(ctx); err != nil {
			log.WarnContext(ctx, "not ready", "err", err)
			return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "reason": "the session store does not answer"})
		}
		return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
	}
}

// readyTimeout bounds a readiness check: a probe waits for no longer.
const readyTimeout = 2 * time.Second
