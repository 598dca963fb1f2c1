package handlers

import (
	"crypto/rand"
	"log/slog"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"vodboard/views"
)

// ShortLinkPath is the path of the short link named token.
func ShortLinkPath(token string) string { return "/l/" + token }

// newShortLinkToken names a short link: 128 random bits, 26 characters.
func newShortLinkToken() string { return strings.ToLower(rand.Text()) }

// ShortLink opens a big lookup by its short link, /l/{token}: the same
// page, stream and exports as the lookup's long URL. The link lives in the
// history of the session that made it, which holds its IDs (never its
// results); another session, or one that has since made five bigger
// lookups, gets a 404 that says so.
func ShortLink(r Renderer, sessions Sessions, log *slog.Logger, examples []views.Example) echo.HandlerFunc {
	h := lookups{render: r, sessions: sessions, log: log, examples: examples}
	return func(c echo.Context) error {
		s := CurrentSession(c)
		l, ok := s.Material.ShortLink(c.Param("token"))
		if !ok {
			return echo.NewHTTPError(http.StatusNotFound, "This short link is not in this session's history. Short links of big lookups belong to the session that made them and to its last five big lookups: ask for the list of IDs, or the lookup's long link, and paste it into Lookup.")
		}
		in := lookupInput{kind: views.LookupKind(l.Kind), ids: l.IDs, refs: l.Refs}
		return h.serve(c, in, in.home(), l)
	}
}
