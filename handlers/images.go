package handlers

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"vodboard/views"
	"vodboard/vodclient"
)

// ImageList looks up the images of /images?ids=... and shows them as a
// grid, with every ID that was not returned flagged.
func ImageList(r Renderer, sessions Sessions, log *slog.Logger, examples []views.Example) echo.HandlerFunc {
	return func(c echo.Context) error {
		s := CurrentSession(c)
		raw := c.QueryParam("ids")
		ids, invalid := parseIDs(raw, MaxLookupIDs)
		home := views.Home{ImageIDs: raw}
		list := views.ImageList{Lookup: views.Lookup{Requested: len(ids), Invalid: invalid}}
		if len(invalid) > 0 || len(ids) == 0 {
			// Nothing is sent while any ID is malformed: the user fixes the
			// list, which stays in the form.
			return r.Render(c, refusedStatus(invalid), lookupPage(s, home, examples, views.ImageResults(list)))
		}

		results, err := s.VOD.GetImageInfos(c.Request().Context(), ids, urlOptions(s))
		if err != nil {
			return err
		}
		var failedIDs []string
		var failedErrs []error
		for _, res := range results {
			switch res.Outcome {
			case vodclient.Found:
				list.Images = append(list.Images, toImage(res.Image))
			case vodclient.Failed:
				failedIDs, failedErrs = append(failedIDs, res.ID), append(failedErrs, res.Err)
			default:
				list.NotFound = append(list.NotFound, res.ID)
			}
		}
		list.ChunkErrors = chunkErrors(failedIDs, failedErrs)
		recordLookup(c, log, sessions, s, string(views.LookupImages), ids)
		return r.Render(c, http.StatusOK, lookupPage(s, home, examples, views.ImageResults(list)))
	}
}

// ImageDetail shows every field of one image (GetImageInfo). An unknown
// image is a 404 page that flags the ID.
func ImageDetail(r Renderer) echo.HandlerFunc {
	return func(c echo.Context) error {
		s := CurrentSession(c)
		id := c.Param("id")
		if !vodclient.ValidID(id) {
			list := views.ImageList{Lookup: views.Lookup{Invalid: []views.InvalidID{{Value: id, Reason: invalidReason(id)}}}}
			return r.Render(c, http.StatusBadRequest, Page{Title: "Invalid image ID", Nav: views.NavLookup, Content: views.ImageResults(list)})
		}
		img, err := s.VOD.GetImageInfo(c.Request().Context(), id, urlOptions(s))
		if vodclient.IsNotFound(err) {
			list := views.ImageList{Lookup: views.Lookup{Requested: 1, NotFound: []string{id}}}
			return r.Render(c, http.StatusNotFound, Page{Title: "Image not found", Nav: views.NavLookup, Content: views.ImageResults(list)})
		}
		if err != nil {
			return err
		}
		v := views.ImageDetail{Image: toImage(img), URLExpires: signedURLExpiry(img.URL), Now: time.Now()}
		return r.Render(c, http.StatusOK, Page{Title: titleOr(img.Title, "Image "+id), Nav: views.NavLibrary, Content: views.ImageDetailContent(v)})
	}
}

// ImageThumb re-signs one thumbnail: the grid asks for it when a signed
// URL has expired, and swaps the fresh box in without reloading the page.
func ImageThumb(r Renderer) echo.HandlerFunc {
	return func(c echo.Context) error {
		s := CurrentSession(c)
		id := c.Param("id")
		if !vodclient.ValidID(id) {
			return echo.NewHTTPError(http.StatusBadRequest, "invalid image ID")
		}
		img, err := s.VOD.GetImageInfo(c.Request().Context(), id, urlOptions(s))
		if err != nil {
			return err
		}
		return r.Render(c, http.StatusOK, Page{Title: titleOr(img.Title, "Image "+id), Nav: views.NavLookup, Content: views.ImageThumb(toImage(img), c.QueryParam("small") == "1")})
	}
}

func titleOr(title, fallback string) string {
	if title != "" {
		return title
	}
	return fallback
}
