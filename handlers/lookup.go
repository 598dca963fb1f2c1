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

// MaxLookupIDs bounds one lookup: media, reference and image IDs alike,
// counted once each. More are refused whole, saying how many were given,
// rather than silently cut.
const MaxLookupIDs = 1000

// ShortLinkAfter is the most IDs a lookup shares by its own URL (?ids=...,
// about 3 KB). Bigger lookups get a short link, /l/{token}, which proxies
// and chat programs do not cut.
const ShortLinkAfter = 100

// lookupInput is a parsed lookup: the distinct valid IDs asked for, in the
// order given, and the values that cannot be sent.
type lookupInput struct {
	kind    views.LookupKind
	ids     []string // image IDs, or media IDs
	refs    []string // reference IDs (media lookups)
	invalid []views.InvalidID
}

// parseLookup reads the IDs of an image lookup (ids) or a media lookup
// (ids and refs, which share the limit).
func parseLookup(kind views.LookupKind, rawIDs, rawRefs string) lookupInput {
	in := lookupInput{kind: kind}
	in.ids, in.invalid = parseIDs(rawIDs)
	if kind != views.LookupImages {
		var invalid []views.InvalidID
		in.refs, invalid = parseIDs(rawRefs)
		in.invalid = append(in.invalid, invalid...)
		if len(in.ids) == 0 && len(in.refs) > 0 {
			in.kind = views.LookupReferences
		}
	}
	return in
}

// size is how many IDs the lookup asks for.
func (in lookupInput) size() int { return len(in.ids) + len(in.refs) }

// calls is how many API calls the lookup takes (20 IDs and 20 references
// a call).
func (in lookupInput) calls() int {
	per := vodclient.MaxIDsPerCall
	return max((len(in.ids)+per-1)/per, (len(in.refs)+per-1)/per)
}

// problems is what a refused lookup reports: the invalid values, and how
// many IDs were given when that is over the limit. Nothing is sent while
// either is true: the user fixes the list, which stays in the form.
func (in lookupInput) problems() views.Lookup {
	l := views.Lookup{Invalid: in.invalid, Max: MaxLookupIDs}
	if in.size() > MaxLookupIDs {
		l.TooMany = in.size()
	}
	return l
}

func (in lookupInput) refused() bool {
	return len(in.invalid) > 0 || in.size() > MaxLookupIDs || in.size() == 0
}

// parseIDs splits pasted IDs, drops repeats and sorts out the malformed.
func parseIDs(raw string) (ids []string, invalid []views.InvalidID) {
	seen := map[string]bool{}
	for _, id := range vodclient.ParseIDs(raw) {
		if seen[id] {
			continue
		}
		seen[id] = true
		if vodclient.ValidID(id) {
			ids = append(ids, id)
		} else {
			invalid = append(invalid, views.InvalidID{Value: id, Reason: invalidReason(id)})
		}
	}
	return ids, invalid
}

// refusedStatus is the status of a lookup that is not sent: 400 when some
// IDs are invalid or too many, 200 for an empty one (the form, nothing to
// look up).
func refusedStatus(l views.Lookup) int {
	if len(l.Invalid) > 0 || l.TooMany > 0 {
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

// recordLookup adds the lookup to the session's recent list (the short
// link's entry, or one for the request's URL when link is zero). Requests
// from another site (a link on a foreign page) are not recorded, so nobody
// else can write into a user's history. A failure to record is logged, not
// shown: the lookup itself worked.
func recordLookup(c echo.Context, log *slog.Logger, sessions Sessions, s *Session, in lookupInput, link session.Lookup) {
	if c.Request().Header.Get("Sec-Fetch-Site") == "cross-site" {
		return
	}
	l := link
	if l.URL == "" {
		l = lookupEntry(in, c.Request().URL.RequestURI())
	}
	l.At = time.Now().UTC()
	mat, err := sessions.Update(c, s.ID, func(m *session.Material) { m.AddLookup(l) })
	if err != nil {
		log.WarnContext(c.Request().Context(), "record recent lookup", "err", err)
		return
	}
	s.Material.Lookups = mat.Lookups
}

// lookupEntry is the recent-list entry of a lookup at url.
func lookupEntry(in lookupInput, url string) session.Lookup {
	return session.Lookup{Kind: string(in.kind), URL: url, Summary: summarize(in.ids, in.refs), Count: in.size(), At: time.Now().UTC()}
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
