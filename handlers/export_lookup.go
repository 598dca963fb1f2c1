package handlers

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"vodboard/export"
	"vodboard/views"
	"vodboard/vodclient"
)

// ImagesExport exports the lookup of /images?ids=...: one row for every
// ID asked, found or flagged.
func ImagesExport(o ExportOptions) ExportFunc {
	return func(c echo.Context, f export.Format) error {
		in, err := lookupToExport(parseLookup(views.LookupImages, c.QueryParam("ids"), ""))
		if err != nil {
			return err
		}
		return exportLookup(c, o, f, in)
	}
}

// MediaExport exports the lookup of /media?ids=...&refs=...: one row for
// every media ID and reference ID asked, found or flagged.
func MediaExport(o ExportOptions) ExportFunc {
	return func(c echo.Context, f export.Format) error {
		in, err := lookupToExport(parseLookup(views.LookupMedia, c.QueryParam("ids"), c.QueryParam("refs")))
		if err != nil {
			return err
		}
		return exportLookup(c, o, f, in)
	}
}

// ShortLinkExport exports the lookup of a short link, /l/{token}.
func ShortLinkExport(o ExportOptions) ExportFunc {
	return func(c echo.Context, f export.Format) error {
		l, ok := CurrentSession(c).Material.ShortLink(c.Param("token"))
		if !ok {
			return echo.NewHTTPError(http.StatusNotFound, "This short link is not in this session's history.")
		}
		return exportLookup(c, o, f, lookupInput{kind: views.LookupKind(l.Kind), ids: l.IDs, refs: l.Refs})
	}
}

// lookupToExport refuses what the lookup page refuses, as a 400: invalid
// IDs, more than MaxLookupIDs, or none.
func lookupToExport(in lookupInput) (lookupInput, error) {
	if !in.refused() {
		return in, nil
	}
	name, what := "ids", "image IDs"
	if in.kind != views.LookupImages {
		name, what = "ids and refs", "media IDs (ids) or reference IDs (refs)"
	}
	switch p := in.problems(); {
	case len(p.Invalid) > 0:
		bad := make([]string, len(p.Invalid))
		for i, v := range p.Invalid {
			bad[i] = v.Value
		}
		return in, &vodclient.InvalidIDsError{IDs: bad}
	case p.TooMany > 0:
		return in, &ParamError{name, fmt.Sprintf("%d IDs", p.TooMany), fmt.Sprintf("one lookup takes at most %d IDs", MaxLookupIDs)}
	}
	return in, &ParamError{name, "", "give the " + what + " to export"}
}

// exportLookup looks the IDs up (the session's client, all at once) and
// writes one row for each ID asked, in the order asked. An error before
// the first row is an error page; failed calls are rows with their error.
func exportLookup(c echo.Context, o ExportOptions, f export.Format, in lookupInput) error {
	s, ctx := CurrentSession(c), c.Request().Context()
	var rows []assetRow
	switch in.kind {
	case views.LookupImages:
		results, err := s.VOD.GetImageInfos(ctx, in.ids, urlOptions(s))
		if err != nil {
			return err
		}
		for _, res := range results {
			rows = append(rows, imageResultRow(res))
		}
	default:
		results, err := s.VOD.BatchGetMediaInfos(ctx, in.ids, in.refs)
		if err != nil {
			return err
		}
		for _, res := range results {
			rows = append(rows, mediaResultRow(res))
		}
	}
	kind := "images"
	if in.kind != views.LookupImages {
		kind = "media"
	}
	w, err := startExport(c, o, f, kind, assetColumns)
	if err != nil {
		return err
	}
	for _, r := range rows {
		if err := w.Row(r.appendCells(nil, o)...); err != nil {
			return err
		}
	}
	return w.Close()
}
