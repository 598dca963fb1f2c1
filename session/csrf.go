package session

import (
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"
)

// Where the CSRF middleware looks for the token: the header (htmx, via
// hx-headers) first, then the form field.
const (
	CSRFHeader = echo.HeaderXCSRFToken
	CSRFField  = "_csrf"
)

// csrfContextKey is where the request's token is kept in the echo context.
const csrfContextKey = "csrf"

// ErrCSRF is wrapped by the 403 error the CSRF middleware returns; match it
// with errors.Is.
var ErrCSRF = errors.New("session: invalid or missing CSRF token")

// CSRF returns middleware that rejects every request other than GET, HEAD,
// OPTIONS and TRACE, sign-in included, with 403 unless it carries a token
// from [CSRFToken] in the X-CSRF-Token header or the _csrf form field.
//
// Tokens are synchronizer tokens: the per-browser secret lives in the
// signed, encrypted session cookie and is rotated at sign-in; each token is
// the secret masked with a fresh random pad, so pages never repeat it.
// Cross-site requests (Sec-Fetch-Site: cross-site) are refused outright.
// Install it with e.Use before the routes, after any body limit.
func (m *Manager) CSRF() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			c.Set(managerKey, m)
			switch c.Request().Method {
			case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
				return next(c)
			}
			if c.Request().Header.Get(echo.HeaderSecFetchSite) == "cross-site" {
				return csrfError()
			}
			st := m.state(c)
			token := c.Request().Header.Get(CSRFHeader)
			if token == "" {
				// Body only: a token in the URL would leak into logs.
				token = c.Request().PostFormValue(CSRFField)
			}
			if st.secret == nil || !validToken(st.secret, token) {
				return csrfError()
			}
			return next(c)
		}
	}
}

func csrfError() error {
	return echo.NewHTTPError(http.StatusForbidden, "invalid or missing CSRF token").SetInternal(ErrCSRF)
}

// CSRFToken returns the CSRF token for the request, for a hidden _csrf
// input and a <meta name="csrf-token"> (htmx sends it as X-CSRF-Token). If
// the browser has no secret yet one is issued in the session cookie, so call
// it before writing the response. It returns "" when the CSRF middleware is
// not installed, the response is already committed or the session was just
// ended (redirect after sign-out; the next page gets a fresh token).
func CSRFToken(c echo.Context) string {
	if t, ok := c.Get(csrfContextKey).(string); ok && t != "" {
		return t
	}
	m, ok := c.Get(managerKey).(*Manager)
	if !ok {
		return ""
	}
	st := m.state(c)
	if st.ended {
		return ""
	}
	if st.secret == nil {
		if err := m.writeCookie(c, st); err != nil {
			m.log.ErrorContext(c.Request().Context(), "issue CSRF secret", "err", err)
			return ""
		}
	}
	t := maskToken(st.secret)
	c.Set(csrfContextKey, t)
	return t
}

// maskToken XORs the secret with a one-time pad and sends both, so the token
// differs on every page (no BREACH-style recovery from compressed responses).
func maskToken(secret []byte) string {
	pad := randomBytes(len(secret))
	out := make([]byte, 2*len(secret))
	copy(out, pad)
	subtle.XORBytes(out[len(secret):], pad, secret)
	return base64.RawURLEncoding.EncodeToString(out)
}

func validToken(secret []byte, token string) bool {
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(raw) != 2*len(secret) {
		return false
	}
	got := make([]byte, len(secret))
	subtle.XORBytes(got, raw[:len(secret)], raw[len(secret):])
	return subtle.ConstantTimeCompare(got, secret) == 1
}
