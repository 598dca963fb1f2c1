package web

import (
	"net/http"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"
)

// methods are the methods a path can be routed for.
var methods = []string{
	http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
	http.MethodDelete, http.MethodConnect, http.MethodOptions, http.MethodTrace,
}

// methodAllowed answers a request for a routed path with a method none of
// its routes accepts with 405 and an Allow header naming those that do. It
// runs before the CSRF check: such a request reaches no handler, so it
// changes nothing, and "Form expired" would be the wrong answer.
//
// Echo's router finds most of these itself (and leaves the Allow list in
// the context), but a route group with middleware adds catch-all
// not-found routes, and those win over a path that exists for other
// methods; so when the request landed on one, the other methods are tried.
func methodAllowed(e *echo.Echo) echo.MiddlewareFunc {
	// The routes by method and path, and the catch-all paths, once every
	// route is added. A catch-all can share its path with real routes.
	type route struct{ method, path string }
	table := sync.OnceValues(func() (map[route]bool, map[string]bool) {
		routes, catchAll := map[route]bool{}, map[string]bool{}
		for _, r := range e.Routes() {
			if r.Method == echo.RouteNotFound {
				catchAll[r.Path] = true
			} else {
				routes[route{r.Method, r.Path}] = true
			}
		}
		return routes, catchAll
	})
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			req := c.Request()
			if req.Method == http.MethodOptions {
				return next(c)
			}
			if _, ok := c.Get(echo.ContextKeyHeaderAllow).(string); ok {
				return echo.MethodNotAllowedHandler(c)
			}
			routes, catchAll := table()
			if !catchAll[c.Path()] || routes[route{req.Method, c.Path()}] {
				return next(c)
			}
			var allow []string
			for _, m := range methods {
				probe := e.NewContext(req, nil)
				e.Router().Find(m, echo.GetPath(req), probe)
				if routes[route{m, probe.Path()}] {
					allow = append(allow, m)
				}
			}
			if len(allow) == 0 {
				return next(c) // not found for any method
			}
			c.Response().Header().Set(echo.HeaderAllow, strings.Join(allow, ", "))
			return echo.ErrMethodNotAllowed
		}
	}
}
