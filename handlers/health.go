package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// Health answers probes: the process is up and serving.
func Health() echo.HandlerFunc {
	return func(c echo.Context) error {
		return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
	}
}
