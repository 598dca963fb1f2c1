package handlers

import (
	"fmt"
	"time"

	"github.com/labstack/echo/v4"

	"vodboard/views"
	"vodboard/vodclient"
	"vodboard/web/session"
)

// MaxLookupIDs bounds one lookup. More are refused, naming the IDs over the
// limit, rather than silently cut.
const MaxLookupIDs = 200

// parseIDs splits pasted IDs and sorts out the ones that cannot be sent:
// malformed, or beyond MaxLookupIDs (counted after de-duplication).
func parseIDs(raw string) (ids []string, invalid []views.InvalidID) {
	seen := map[string]bool{}
	for _, id := range vodclient.ParseIDs(raw) {
		if seen[id] {
			continue
		}
		seen[id] = true
		switch {
		case !vodclient.ValidID(id):
			invalid = append(invalid, views.InvalidID{Value: id, Reason: invalidReason(id)})
		case len(ids) >= MaxLookupIDs:
			invalid = append(invalid, views.InvalidID{Value: id, Reason: fmt.Sprintf("over the limit of %d IDs per lookup", MaxLookupIDs)})
		default:
			ids = append(ids, id)
		}
	}
	return ids, invalid
}

func invalidReason(id string) string {
	if len(id) > 64 {
		return "longer than 64 characters"
	}
	return "only letters, digits, '-' and '_' are allowed"
}

// chunkErrors groups the IDs of failed calls by their error, in order.
func chunkErrors(ids []string, errs []error) []views.ChunkError {
	var out []views.ChunkError
	for i, id := range ids {
		if len(out) > 0 && i > 0 && errs[i] == errs[i-1] {
			out[len(out)-1].IDs = append(out[len(out)-1].IDs, id)
			continue
		}
		p := Describe(errs[i])
		out = append(out, views.ChunkError{IDs: []string{id}, Message: p.Title + ": " + p.Message + " " + p.Hint, RequestID: p.RequestID})
	}
	return out
}

// recordLookup keeps the lookup in the session's recent list, dropping an
// older entry for the same URL. A failure to save is logged, not shown:
// the lookup itself worked.
func recordLookup(c echo.Context, sessions Sessions, s *Session, kind, summary string) {
	url := c.Request().URL.RequestURI()
	mat := s.Material
	kept := mat.Lookups[:0:0]
	for _, l := range mat.Lookups {
		if l.URL != url {
			kept = append(kept, l)
		}
	}
	mat.Lookups = kept
	mat.AddLookup(session.Lookup{Kind: kind, URL: url, Summary: summary, At: time.Now().UTC()})
	if err := sessions.Save(c, s.ID, mat); err != nil {
		c.Logger().Errorf("save recent lookup: %v", err)
		return
	}
	s.Material = mat
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
