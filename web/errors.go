package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"vodboard/handlers"
	"vodboard/views"
	"vodboard/vodclient"
)

// errorHandler is the one place errors become responses: it logs (5xx as
// errors, 4xx as warnings), skips committed responses, and renders a
// vetted message with the request ID as a page, or for htmx as an alert
// fragment.
func errorHandler(log *slog.Logger, rd *renderer) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		p := handlers.Describe(err)
		if p.RetryAfter > 0 {
			c.Response().Header().Set(echo.HeaderRetryAfter, strconv.Itoa(handlers.RetryAfterSeconds(p.RetryAfter)))
		}
		requestID := c.Response().Header().Get(echo.HeaderXRequestID)
		attrs := []any{"status", p.Status, "method", c.Request().Method, "path", c.Request().URL.Path, "request_id", requestID, "err", err}
		switch {
		case errors.Is(err, context.Canceled):
			// The user went away; there is nobody to answer.
			log.Debug("request cancelled", attrs...)
			return
		case vodclient.IsOverloaded(err):
			// Expected past capacity: many a second, none of them a fault.
			log.Warn("request refused: too many calls waiting for the account's rate limit", attrs...)
		case p.Status >= 500:
			log.Error("request failed", attrs...)
		default:
			log.Warn("request refused", attrs...)
		}
		info := views.ErrorInfo{Status: p.Status, Title: p.Title, Message: p.Message, Hint: p.Hint, RequestID: requestID}
		if p.RequestID != "" {
			info.RequestID = requestID + " · VOD " + p.RequestID
		}
		// The request's context may be done (a deadline is often why we are
		// here), and templ refuses to render under a done context.
		c.SetRequest(c.Request().WithContext(context.WithoutCancel(c.Request().Context())))
		if c.Request().Method == http.MethodHead {
			c.NoContent(p.Status)
			return
		}
		var rerr error
		if wantsFragment(c.Request()) {
			c.Response().Header().Add("Vary", "HX-Request")
			rerr = writeComponent(c, p.Status, views.ErrorAlert(info))
		} else {
			rerr = rd.Render(c, p.Status, handlers.Page{Title: info.Title, Content: views.ErrorContent(info)})
		}
		if rerr != nil {
			log.Error("render error page", "err", rerr)
			c.String(p.Status, info.Title)
		}
	}
}
