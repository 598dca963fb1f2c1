package handlers

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"vodboard/views"
	"vodboard/vodclient"
)

// MediaList looks up the assets of /media?ids=...&refs=... and shows them
// as a table, with every ID that was not returned flagged.
func MediaList(r Renderer, sessions Sessions, log *slog.Logger, examples []views.Example) echo.HandlerFunc {
	return func(c echo.Context) error {
		s := CurrentSession(c)
		rawIDs, rawRefs := c.QueryParam("ids"), c.QueryParam("refs")
		// Media IDs and reference IDs share one lookup's limit.
		ids, invalid := parseIDs(rawIDs, MaxLookupIDs)
		refs, invalidRefs := parseIDs(rawRefs, MaxLookupIDs-len(ids))
		invalid = append(invalid, invalidRefs...)
		home := views.Home{MediaIDs: rawIDs, ReferenceIDs: rawRefs}
		list := views.MediaList{Lookup: views.Lookup{Invalid: invalid}}
		if len(invalid) > 0 || len(ids)+len(refs) == 0 {
			return r.Render(c, refusedStatus(invalid), lookupPage(s, home, examples, views.MediaResults(list)))
		}

		results, err := s.VOD.BatchGetMediaInfos(c.Request().Context(), ids, refs)
		if err != nil {
			return err
		}
		seen := map[string]bool{}
		var failedIDs []string
		var failedErrs []error
		for _, res := range results {
			switch res.Outcome {
			case vodclient.Found:
				// An asset asked for by ID and by reference is listed once.
				if !seen[res.Media.MediaID] {
					seen[res.Media.MediaID] = true
					list.Media = append(list.Media, toMedia(res.Media))
				}
			case vodclient.Forbidden:
				list.Forbidden = append(list.Forbidden, res.ID)
			case vodclient.NonExistentReference:
				list.UnknownRefs = append(list.UnknownRefs, res.ID)
			case vodclient.Failed:
				failedIDs, failedErrs = append(failedIDs, res.ID), append(failedErrs, res.Err)
			default:
				list.NotFound = append(list.NotFound, res.ID)
			}
		}
		list.ChunkErrors = chunkErrors(failedIDs, failedErrs)
		// An asset asked for twice (by ID and by reference) counts once.
		list.Requested = len(list.Media) + len(list.NotFound) + len(list.Forbidden) + len(list.UnknownRefs) + len(failedIDs)
		kind := views.LookupMedia
		if len(ids) == 0 {
			kind = views.LookupReferences
		}
		recordLookup(c, log, sessions, s, string(kind), ids, refs)
		return r.Render(c, http.StatusOK, lookupPage(s, home, examples, views.MediaResults(list)))
	}
}

// MediaDetail shows one asset, by media ID (/media/{id}) or by reference
// ID (/media/ref/{referenceId}): its information, source file, stream
// tables and definitions. A missing asset is a 404 and a forbidden one a
// 403, each flagging the ID.
func MediaDetail(r Renderer, byReference bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		s := CurrentSession(c)
		id := c.Param("id")
		if !vodclient.ValidID(id) {
			list := views.MediaList{Lookup: views.Lookup{Invalid: []views.InvalidID{{Value: id, Reason: invalidReason(id)}}}}
			return r.Render(c, http.StatusBadRequest, Page{Title: "Invalid ID", Nav: views.NavLookup, Content: views.MediaResults(list)})
		}
		var ids, refs []string
		if byReference {
			refs = []string{id}
		} else {
			ids = []string{id}
		}
		results, err := s.VOD.BatchGetMediaInfos(c.Request().Context(), ids, refs)
		if err != nil {
			return err
		}
		res := results[0]
		list := views.MediaList{Lookup: views.Lookup{Requested: 1}}
		switch res.Outcome {
		case vodclient.Found:
			v := views.NewMediaDetail(toMedia(res.Media), time.Now())
			return r.Render(c, http.StatusOK, Page{Title: titleOr(v.Media.Title, "Media "+id), Nav: views.NavLibrary, Content: views.MediaDetailContent(v), Player: true})
		case vodclient.Failed:
			return res.Err
		case vodclient.Forbidden:
			list.Forbidden = []string{id}
			return r.Render(c, http.StatusForbidden, Page{Title: "Media forbidden", Nav: views.NavLookup, Content: views.MediaResults(list)})
		case vodclient.NonExistentReference:
			list.UnknownRefs = []string{id}
		default:
			list.NotFound = []string{id}
		}
		return r.Render(c, http.StatusNotFound, Page{Title: "Media not found", Nav: views.NavLookup, Content: views.MediaResults(list)})
	}
}

// MediaCover re-signs one cover: a grid or table asks for it when the
// cover's signed URL has expired, and swaps the fresh box in without
// reloading the page.
func MediaCover(r Renderer) echo.HandlerFunc {
	return func(c echo.Context) error {
		m, err := fragmentMedia(c)
		if err != nil {
			return err
		}
		return r.Render(c, http.StatusOK, Page{Title: titleOr(m.Title, "Media "+m.ID), Nav: views.NavLookup, Content: views.MediaCover(m, c.QueryParam("small") == "1")})
	}
}

// MediaPlayer re-signs the player: static/player.js asks for it when a
// PlayURL has expired, and swaps the fresh box in keeping the position.
func MediaPlayer(r Renderer) echo.HandlerFunc {
	return func(c echo.Context) error {
		m, err := fragmentMedia(c)
		if err != nil {
			return err
		}
		return r.Render(c, http.StatusOK, Page{Title: titleOr(m.Title, "Media "+m.ID), Nav: views.NavLookup, Content: views.PlayerBox(views.PlayerFor(m))})
	}
}

// fragmentMedia looks up the asset of a re-signing fragment (/media/{id}/…)
// with freshly signed URLs; an asset that is gone or forbidden is an error.
func fragmentMedia(c echo.Context) (views.Media, error) {
	id := c.Param("id")
	if !vodclient.ValidID(id) {
		return views.Media{}, echo.NewHTTPError(http.StatusBadRequest, "invalid media ID")
	}
	results, err := CurrentSession(c).VOD.BatchGetMediaInfos(c.Request().Context(), []string{id}, nil)
	if err != nil {
		return views.Media{}, err
	}
	switch res := results[0]; res.Outcome {
	case vodclient.Found:
		return toMedia(res.Media), nil
	case vodclient.Failed:
		return views.Media{}, res.Err
	case vodclient.Forbidden:
		return views.Media{}, echo.NewHTTPError(http.StatusForbidden, "no permission for this media asset")
	}
	return views.Media{}, echo.NewHTTPError(http.StatusNotFound, "no such media asset")
}
