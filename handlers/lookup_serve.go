package handlers

import (
	"log/slog"
	"net/http"
	"strings"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"vodboard/session"
	"vodboard/views"
	"vodboard/vodclient"
)

// lookups answers ID lookups (/images, /media and their short links):
// refused when the list cannot be sent, looked up at once when one call
// does it, and otherwise shown live, its results streamed into the page as
// its calls end.
type lookups struct {
	render   Renderer
	sessions Sessions
	log      *slog.Logger
	examples []views.Example
}

// ImageList looks up the images of /images?ids=... and shows them as a
// grid, with every ID that was not returned flagged.
func ImageList(r Renderer, sessions Sessions, log *slog.Logger, examples []views.Example) echo.HandlerFunc {
	h := lookups{render: r, sessions: sessions, log: log, examples: examples}
	return func(c echo.Context) error {
		raw := c.QueryParam("ids")
		return h.serve(c, parseLookup(views.LookupImages, raw, ""), views.Home{ImageIDs: raw}, session.Lookup{})
	}
}

// MediaList looks up the assets of /media?ids=...&refs=... and shows them
// as a table, with every ID that was not returned flagged.
func MediaList(r Renderer, sessions Sessions, log *slog.Logger, examples []views.Example) echo.HandlerFunc {
	h := lookups{render: r, sessions: sessions, log: log, examples: examples}
	return func(c echo.Context) error {
		rawIDs, rawRefs := c.QueryParam("ids"), c.QueryParam("refs")
		return h.serve(c, parseLookup(views.LookupMedia, rawIDs, rawRefs), views.Home{MediaIDs: rawIDs, ReferenceIDs: rawRefs}, session.Lookup{})
	}
}

// serve answers a parsed lookup. link is the short link the lookup came
// by, if it did.
func (h lookups) serve(c echo.Context, in lookupInput, home views.Home, link session.Lookup) error {
	s := CurrentSession(c)
	if in.refused() {
		problems := in.problems()
		return h.render.Render(c, refusedStatus(problems), lookupPage(s, home, h.examples, in.results(problems, nil, nil)))
	}
	if wantsEventStream(c) {
		return h.stream(c, s, in, link)
	}
	if link.URL == "" && in.size() > ShortLinkAfter {
		l, err := h.shortLink(c, s, in)
		if err != nil {
			return err
		}
		if c.Request().Header.Get("HX-Request") != "true" {
			return c.Redirect(http.StatusSeeOther, l.URL)
		}
		// The address bar gets the short link, not the request's long URL.
		c.Response().Header().Set("HX-Push-Url", l.URL)
		link = l
	}
	if in.calls() > 1 {
		live := views.LiveLookup{Kind: in.kind, StreamURL: c.Request().URL.RequestURI(), Progress: views.Progress{Total: in.size()}}
		if link.URL != "" {
			live.StreamURL = link.URL
		}
		return h.render.Render(c, http.StatusOK, lookupPage(s, home, h.examples, in.live(live)))
	}

	found := newFoundSet(in)
	var err error
	switch in.kind {
	case views.LookupImages:
		var rs []vodclient.ImageResult
		if rs, err = s.VOD.GetImageInfos(c.Request().Context(), in.ids, urlOptions(s)); err == nil {
			found.addImages(rs)
		}
	default:
		var rs []vodclient.MediaResult
		if rs, err = s.VOD.BatchGetMediaInfos(c.Request().Context(), in.ids, in.refs); err == nil {
			found.addMedia(rs)
		}
	}
	if err != nil {
		return err
	}
	recordLookup(c, h.log, h.sessions, s, in, link)
	return h.render.Render(c, http.StatusOK, lookupPage(s, home, h.examples, found.results()))
}

// results renders a lookup's finished results.
func (in lookupInput) results(l views.Lookup, images []views.Image, media []views.Media) templ.Component {
	if in.kind == views.LookupImages {
		return views.ImageResults(views.ImageList{Lookup: l, Images: images})
	}
	return views.MediaResults(views.MediaList{Lookup: l, Media: media})
}

// live renders a lookup under way.
func (in lookupInput) live(v views.LiveLookup) templ.Component {
	if in.kind == views.LookupImages {
		return views.LiveImages(v)
	}
	return views.LiveMedia(v)
}

// shortLink records a big lookup in the session's history under a short
// link, or finds the link of the same lookup made before.
func (h lookups) shortLink(c echo.Context, s *Session, in lookupInput) (session.Lookup, error) {
	token, ok := s.Material.SameLookup(string(in.kind), in.ids, in.refs)
	if !ok {
		token = newShortLinkToken()
	}
	l := lookupEntry(in, ShortLinkPath(token))
	l.Token, l.IDs, l.Refs = token, in.ids, in.refs
	mat, err := h.sessions.Update(c, s.ID, func(m *session.Material) { m.AddLookup(l) })
	if err != nil {
		return session.Lookup{}, err
	}
	s.Material.Lookups = mat.Lookups
	return l, nil
}

// home is what the lookup forms show of a short link's lookup: its IDs,
// one per line.
func (in lookupInput) home() views.Home {
	ids, refs := strings.Join(in.ids, "\n"), strings.Join(in.refs, "\n")
	if in.kind == views.LookupImages {
		return views.Home{ImageIDs: ids}
	}
	return views.Home{MediaIDs: ids, ReferenceIDs: refs}
}
