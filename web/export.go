package web

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"vodboard/handlers"
)

// exportTimeout is the deadline of an export request, when it is longer
// than the request timeout: a library export of 100,000 rows takes 1,000
// SearchMedia calls one after the other, 25 s at the account's 45 calls a
// second and a few minutes at 200 ms a call. A client that goes away still
// ends it at once.
const exportTimeout = 5 * time.Minute

// exportOptions are what the export handlers are made with.
func (a *app) exportOptions() handlers.ExportOptions {
	o := handlers.ExportOptions{MaxRows: a.deps.ExportMaxRows, Logger: a.deps.Logger}
	if u := a.deps.Config.PublicURL; u != nil {
		o.BaseURL = strings.TrimSuffix(u.String(), "/")
	}
	return o
}

// exportDeadline is the deadline of an export request, d or exportTimeout
// whichever is longer, and moves the connection's write deadline (the
// server's WriteTimeout) to match, so that the file is not cut off.
func exportDeadline(c echo.Context, d time.Duration) time.Duration {
	d = max(d, exportTimeout)
	err := http.NewResponseController(c.Response()).SetWriteDeadline(time.Now().Add(d + writeMargin))
	if err != nil && !errors.Is(err, http.ErrNotSupported) {
		c.Logger().Warn("export: cannot extend the write deadline: ", err)
	}
	return d
}
