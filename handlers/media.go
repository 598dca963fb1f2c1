package handlers

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"vodboard/views"
	"vodboard/vodclient"
)

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
			return r.Render(c, http.StatusBadRequest, Page{Title: "Invalid ID", Nav: views.NavLookup, Content: views.UnavailableDetail("Invalid ID", views.MediaResults(list))})
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
			return r.Render(c, http.StatusForbidden, Page{Title: "Media forbidden", Nav: views.NavLookup, Content: views.UnavailableDetail("Media forbidden", views.MediaResults(list))})
		case vodclient.NonExistentReference:
			list.UnknownRefs = []string{id}
		default:
			list.NotFound = []string{id}
		}
		return r.Render(c, http.StatusNotFound, Page{Title: "Media not found", Nav: views.NavLookup, Content: views.UnavailableDetail("Media not found", views.MediaResults(list))})
	}
}

// MediaCover re-signs one cover: a grid or table asks for it when the
// cover's signed URL has expired, and swaps the fresh box in without
// reloading the page; with original=1, the asset page's box of the
// original.
func MediaCover(r Renderer) echo.HandlerFunc {
	return func(c echo.Context) error {
		m, err := fragmentMedia(c)
		if err != nil {
			return err
		}
		box := views.MediaCover(m, c.QueryParam("small") == "1")
		if c.QueryParam("original") == "1" {
			box = views.MediaCoverOriginal(m) // the asset page's
		}
		return r.Render(c, http.StatusOK, Page{Title: titleOr(m.Title, "Media "+m.ID), Nav: views.NavLookup, Content: box})
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
