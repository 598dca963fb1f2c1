package web

import (
	"crypto/rand"
	"net"
	"net/http"

	"github.com/labstack/echo/v4"
)

// maxRequestIDLen bounds an X-Request-ID taken from a trusted proxy.
const maxRequestIDLen = 64

// requestID gives every request an ID for logs and error pages, set on
// the response and on the request (so everything after reads the same
// one). It is a fresh random ID unless the request comes straight from one
// of the trusted proxies and carries a short, plain X-Request-ID: anyone
// else could write anything into logs and pages.
func requestID(trusted []*net.IPNet) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			req := c.Request()
			id := req.Header.Get(echo.HeaderXRequestID)
			if !plainRequestID(id) || !fromTrustedProxy(req, trusted) {
				id = rand.Text()
			}
			req.Header.Set(echo.HeaderXRequestID, id)
			c.Response().Header().Set(echo.HeaderXRequestID, id)
			return next(c)
		}
	}
}

// plainRequestID reports whether id is 1 to 64 letters, digits, '-' or '_'.
func plainRequestID(id string) bool {
	if id == "" || len(id) > maxRequestIDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		switch c := id[i]; {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_':
		default:
			return false
		}
	}
	return true
}

// fromTrustedProxy reports whether the request's peer, the address the
// connection came from, is one of the trusted proxies.
func fromTrustedProxy(req *http.Request, trusted []*net.IPNet) bool {
	if len(trusted) == 0 {
		return false
	}
	host, _, err := net.SplitHostPort(req.RemoteAddr)
	if err != nil {
		host = req.RemoteAddr
	}
	ip := net.ParseIP(host)
	if ip == nil {
		return false
	}
	for _, n := range trusted {
		if n.Contains(ip) {
			return true
		}
	}
	return false
}
