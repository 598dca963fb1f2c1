package handlers

import (
	"context"
	"errors"
	"fmt"

	"github.com/labstack/echo/v4"

	"vodboard/export"
	"vodboard/views"
	"vodboard/vodclient"
)

// LibraryExport exports a library view: every asset its filters select,
// whatever page is on screen (page, size, view and cursor are ignored).
// It walks SearchMedia pages of 100: numbered pages through the first
// 5,000 hits, then, for video and audio, the ScrollToken of each page.
// Each page is written and flushed before the next is asked for, so memory
// stays flat however long the file. The file ends with a notice when it
// holds less than the selection: at o.MaxRows rows, at the 5,000 images
// SearchMedia reaches, or when a call fails midway.
func LibraryExport(o ExportOptions) ExportFunc {
	return func(c echo.Context, f export.Format) error {
		q, err := parseLibraryQuery(c.QueryParams())
		if err != nil {
			return err
		}
		vod, ctx := CurrentSession(c).VOD, c.Request().Context()
		tree, err := vod.CategoryTree(ctx)
		if err != nil {
			return err
		}
		sq, err := searchQuery(q, tree)
		if err != nil {
			return err
		}
		sq.PageNo, sq.PageSize, sq.ScrollToken = 1, vodclient.MaxSearchPageSize, ""
		page, err := vod.SearchMedia(ctx, sq)
		if err != nil {
			return err
		}
		w, err := startExport(c, o, f, "library-"+q.Type, assetColumns)
		if err != nil {
			return err
		}
		walk := libraryWalk{vod: vod, query: sq, total: page.Total, maxRows: o.maxRows()}
		cells := make([]export.Cell, 0, len(assetColumns)) // one row's, reused
		notice, err := walk.write(ctx, page, func(it vodclient.SearchItem) error {
			cells = searchItemRow(it).appendCells(cells[:0], o)
			return w.Row(cells...)
		}, func() error { return flushExport(c, w) })
		if err != nil && (notice == nil || errors.Is(err, context.Canceled)) {
			// A write failed or the client went away: nobody is reading.
			return err
		}
		if notice != nil {
			if notice.Reason == export.Failed {
				o.logger().WarnContext(ctx, "library export stopped", "type", q.Type, "rows", w.Rows(), "total", page.Total, "err", err)
			}
			return w.CloseWith(*notice)
		}
		return w.Close()
	}
}

// libraryWalk pages through a library selection.
type libraryWalk struct {
	vod     VOD
	query   vodclient.SearchQuery // the first page's
	total   int64                 // the hits of the whole search
	maxRows int
	rows    int
}

// write writes the rows of first and of every page after it, calling
// flush after each page. It returns a notice when the file must say it is
// not the whole selection (with the error that stopped it, if one did);
// an error without a notice is a failed write.
func (lw *libraryWalk) write(ctx context.Context, first vodclient.SearchPage, row func(vodclient.SearchItem) error, flush func() error) (*export.Notice, error) {
	q, page := lw.query, first
	for {
		for _, it := range page.Items {
			if lw.rows == lw.maxRows {
				return lw.bound(), nil
			}
			if err := row(it); err != nil {
				return nil, err
			}
			lw.rows++
		}
		if err := flush(); err != nil {
			return nil, err
		}
		if len(page.Items) < q.PageSize || int64(lw.rows) >= lw.total {
			return nil, nil
		}
		if lw.rows == lw.maxRows {
			return lw.bound(), nil
		}
		switch {
		case q.ScrollToken == "" && (q.PageNo+1)*q.PageSize <= vodclient.SearchWindow:
			q.PageNo++
		case !q.Type.Scrollable():
			return &export.Notice{Reason: export.Truncated, Message: fmt.Sprintf(
				"Stopped at %s of %s: SearchMedia reaches only the first %s images of a search. Narrow the filters (category, dates, status or tag) to export the rest.",
				views.FormatInt(int64(lw.rows)), countOf(lw.total, "image"), views.FormatInt(vodclient.SearchWindow))}, nil
		case page.ScrollToken != "":
			q.PageNo, q.ScrollToken = 1, page.ScrollToken
		default:
			return &export.Notice{Reason: export.Failed, Message: fmt.Sprintf(
				"Stopped after %s of %s: SearchMedia gave no ScrollToken to continue with. The rows above are all this file holds.",
				views.FormatInt(int64(lw.rows)), countOf(lw.total, string(q.Type)))}, nil
		}
		var err error
		if page, err = lw.vod.SearchMedia(ctx, q); err != nil {
			return lw.failed(err), err
		}
	}
}

// bound is the notice of a selection cut at maxRows.
func (lw *libraryWalk) bound() *export.Notice {
	return &export.Notice{Reason: export.Truncated, Message: fmt.Sprintf(
		"Stopped at %s rows, the most one export holds; the selection has %s. Narrow the filters to export the rest.",
		views.FormatInt(int64(lw.rows)), countOf(lw.total, string(lw.query.Type)))}
}

// failed is the notice of a walk stopped by err.
func (lw *libraryWalk) failed(err error) *export.Notice {
	return &export.Notice{Reason: export.Failed, Message: fmt.Sprintf(
		"Stopped after %s of %s: %s The rows above are all this file holds; export again.",
		views.FormatInt(int64(lw.rows)), countOf(lw.total, string(lw.query.Type)), failureMessage(err))}
}

// countOf is "1 video", "5,000 images", "2 audio files".
func countOf(n int64, kind string) string {
	return views.FormatInt(n) + " " + views.TypeNoun(kind, n)
}
