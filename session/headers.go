package session

import "github.com/labstack/echo/v4"

// ContentSecurityPolicy is the policy SecurityHeaders sends. Thumbnails and
// previews come from signed URLs on other hosts, hence http: and https: for
// images and media; hls.js fetches HLS playlists and segments from them
// (connect-src) and plays them through Media Source Extensions (blob:
// media). Scripts and styles are same-origin files only, and no workers
// (hls.js runs with enableWorker false).
const ContentSecurityPolicy = "default-src 'self'; img-src 'self' http: https: data:; " +
	"media-src 'self' http: https: blob:; connect-src 'self' http: https:; " +
	"script-src 'self'; style-src 'self'; object-src 'none'; worker-src 'none'; " +
	"base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// PermissionsPolicy denies powerful features the dashboard never uses.
const PermissionsPolicy = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), " +
	"display-capture=(), fullscreen=(self)"

// SecurityHeaders returns middleware that sets the security headers on
// every response, error pages included. secure adds HSTS; send it only when
// the site is served over HTTPS.
func SecurityHeaders(secure bool) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			h := c.Response().Header()
			h.Set(echo.HeaderContentSecurityPolicy, ContentSecurityPolicy)
			// Signed URLs must not leak to other hosts through Referer.
			h.Set(echo.HeaderReferrerPolicy, "no-referrer")
			h.Set(echo.HeaderXContentTypeOptions, "nosniff")
			h.Set(echo.HeaderXFrameOptions, "DENY")
			h.Set("Cross-Origin-Opener-Policy", "same-origin")
			h.Set("Permissions-Policy", PermissionsPolicy)
			if secure {
				h.Set(echo.HeaderStrictTransportSecurity, "max-age=63072000; includeSubDomains")
			}
			return next(c)
		}
	}
}

// NoStore returns middleware that forbids caching the response anywhere;
// use it on every authenticated page and fragment.
func NoStore() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
			return next(c)
		}
	}
}
