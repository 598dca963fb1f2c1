package handlers

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"vodboard/views"
	"vodboard/vodclient"
)

// ImageDetail shows every field of one image (GetImageInfo). An unknown
// image is a 404 page that flags the ID.
func ImageDetail(r Renderer) echo.HandlerFunc {
	return func(c echo.Context) error {
		s := CurrentSession(c)
		id := c.Param("id")
		if !vodclient.ValidID(id) {
			list := views.ImageList{Lookup: views.Lookup{Invalid: []views.InvalidID{{Value: id, Reason: invalidReason(id)}}}}
			return r.Render(c, http.StatusBadRequest, Page{Title: "Invalid image ID", Nav: views.NavLookup, Content: views.UnavailableDetail("Invalid image ID", views.ImageResults(list))})
		}
		img, err := s.VOD.GetImageInfo(c.Request().Context(), id, urlOptions(s))
		if vodclient.IsNotFound(err) {
			list := views.ImageList{Lookup: views.Lookup{Requested: 1, NotFound: []string{id}}}
			return r.Render(c, http.StatusNotFound, Page{Title: "Image not found", Nav: views.NavLookup, Content: views.UnavailableDetail("Image not found", views.ImageResults(list))})
		}
		if err != nil {
			return err
		}
		v := views.ImageDetail{Image: toImage(img), URLExpires: signedURLExpiry(img.URL), Now: time.Now()}
		return r.Render(c, http.StatusOK, Page{Title: titleOr(img.Title, "Image "+id), Nav: views.NavLibrary, Content: views.ImageDetailContent(v)})
	}
}

// ImageThumb re-signs one thumbnail: the grid asks for it when a signed
// URL has expired, and swaps the fresh box in without reloading the page;
// with original=1, the detail page's box of the original.
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
		box := views.ImageThumb(toImage(img), c.QueryParam("small") == "1")
		if c.QueryParam("original") == "1" {
			box = views.ImageOriginal(toImage(img)) // the detail page's
		}
		return r.Render(c, http.StatusOK, Page{Title: titleOr(img.Title, "Image "+id), Nav: views.NavLookup, Content: box})
	}
}

func titleOr(title, fallback string) string {
	if title != "" {
		return title
	}
	return fallback
}
