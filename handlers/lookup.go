package handlers

import (
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"vodboard/session"
	"vodboard/views"
	"vodboard/vodclient"
)

// MaxLookupIDs bounds one lookup. More are refused, naming the IDs over the
// limit, rather than silently cut.
const MaxLookupIDs = 200

// parseIDs splits pasted IDs and sorts out the ones that cannot be sent:
// malformed, or beyond limit (counted after de-duplication).
func parseIDs(raw string, limit int) (ids []string, invalid []views.InvalidID) {
	seen := map[string]bool{}
	for _, id := range vodclient.ParseIDs(raw) {
		if seen[id] {
			continue
		}
		seen[id] = true
		switch {
		case !vodclient.ValidID(id):
			invalid = append(invalid, views.InvalidID{Value: id, Reason: invalidReason(id)})
		case len(ids) >= limit:
			invalid = append(invalid, views.InvalidID{Value: id, Reason: fmt.Sprintf("over the limit of %d IDs per lookup", MaxLookupIDs)})
		default:
			ids = append(ids, id)
		}
	}
	return ids, invalid
}

// refusedStatus is the status of a lookup that is not sent: 400 when some
// IDs are invalid, 200 for an empty one (the form, nothing to look up).
func refusedStatus(invalid []views.InvalidID) int {
	if len(invalid) > 0 {
		return http.StatusBadRequest
	}
	return http.StatusOK
}

func invalidReason(id string) string {
	if len(id) > 64 {
		return "longer than 64 characters"
	}
	return "only letters, digits, '-' and '_' are allowed"
}

// chunkErrors groups the IDs of failed calls by their error (one per
// call), in the order the IDs were asked.
func chunkErrors(ids []string, errs []error) []views.ChunkError {
	var out []views.ChunkError
	index := map[error]int{}
	for i, id := range ids {
		if j, ok := index[errs[i]]; ok {
			out[j].IDs = append(out[j].IDs, id)
			continue
		}
		p := Describe(errs[i])
		index[errs[i]] = len(out)
		out = append(out, views.ChunkError{IDs: []string{id}, Message: p.Title + ": " + p.Message + " " + p.Hint, RequestID: p.RequestID})
	}
	return out
}

// recordLookup adds the lookup to the session's recent list. Requests from
// another site (a link on a foreign page) are not recorded, so nobody else
// can write into a user's history. A failure to record is logged, not
// shown: the lookup itself worked.
func recordLookup(c echo.Context, log *slog.Logger, sessions Sessions, s *Session, kind string, ids ...[]string) {
	if c.Request().Header.Get("Sec-Fetch-Site") == "cross-site" {
		return
	}
	l := session.Lookup{Kind: kind, URL: c.Request().URL.RequestURI(), Summary: summarize(ids...), At: time.Now().UTC()}
	for _, list := range ids {
		l.Count += len(list)
	}
	mat, err := sessions.Update(c, s.ID, func(m *session.Material) { m.AddLookup(l) })
	if err != nil {
		log.WarnContext(c.Request().Context(), "record recent lookup", "err", err)
		return
	}
	s.Material.Lookups = mat.Lookups
}

func summarize(ids ...[]string) string {
	var all []string
	for _, l := range ids {
		all = append(all, l...)
	}
	if len(all) == 0 {
		return ""
	}
	first := all[0]
	if len(first) > 14 {
		first = first[:12] + "…"
	}
	if len(all) == 1 {
		return first
	}
	return fmt.Sprintf("%s +%d", first, len(all)-1)
}

// urlOptions are the session's settings for signed image URLs.
func urlOptions(s *Session) vodclient.URLOptions {
	return vodclient.URLOptions{OutputType: s.Material.Settings.OutputType, AuthTimeout: s.Material.Settings.AuthTimeout}
}
