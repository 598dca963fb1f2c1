package handlers

import (
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"vodboard/export"
	"vodboard/views"
)

// Exports turn every list into a file: lookups, library views and the
// detail page's tables, as CSV or JSON. A list's URL with format=csv or
// format=json (or, without format, Accept: application/json) answers the
// file instead of the page; see Exportable.

// MaxExportRows bounds one export. A library selection past it ends with a
// notice that says so, in the file.
const MaxExportRows = 100_000

// ExportOptions are what every export handler is made with.
type ExportOptions struct {
	// MaxRows bounds a library export; 0 means MaxExportRows.
	MaxRows int
	// BaseURL is put in front of the detail links of the exported assets
	// (the dashboard's public URL); "" leaves them root-relative.
	BaseURL string
	Logger  *slog.Logger
	// Now is the clock of the files' names; nil means time.Now.
	Now func() time.Time
}

func (o ExportOptions) maxRows() int {
	if o.MaxRows > 0 {
		return o.MaxRows
	}
	return MaxExportRows
}

func (o ExportOptions) logger() *slog.Logger {
	if o.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return o.Logger
}

func (o ExportOptions) now() time.Time {
	if o.Now == nil {
		return time.Now()
	}
	return o.Now()
}

// detailURL is the link of an asset's detail page.
func (o ExportOptions) detailURL(kind, id string) string {
	path := "/media/" + url.PathEscape(id)
	if kind == "image" {
		path = "/images/" + url.PathEscape(id)
	}
	return strings.TrimSuffix(o.BaseURL, "/") + path
}

// ExportFunc answers a request for a list as a file of format f.
type ExportFunc func(c echo.Context, f export.Format) error

// Exportable serves a list's page, or its file when the request asks for
// one (see ExportRequested); a format it does not know is a 400. The page
// gets its export address (its own, without format) in its context, where
// the views' export links find it, whichever way the page is rendered.
func Exportable(page echo.HandlerFunc, file ExportFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		f, ok, err := exportFormat(c.Request(), false)
		if err != nil {
			return err
		}
		if ok {
			return file(c, f)
		}
		r := c.Request()
		c.SetRequest(r.WithContext(views.WithExportURL(r.Context(), exportBase(r.URL))))
		return page(c)
	}
}

// ExportOnly serves a file at an address that has no page: CSV unless the
// request asks for JSON.
func ExportOnly(file ExportFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		f, _, err := exportFormat(c.Request(), true)
		if err != nil {
			return err
		}
		return file(c, f)
	}
}

// ExportRequested reports whether r asks for a file rather than a page:
// it has a format parameter, or accepts JSON (and has none).
func ExportRequested(r *http.Request) bool {
	_, ok, err := exportFormat(r, false)
	return ok || err != nil
}

// exportFormat reads the file a request asks for: format=csv or
// format=json, or without format, JSON when Accept lists
// application/json. ok is false when it asks for none; then fallback
// gives CSV instead. A format given twice or unknown is a *ParamError.
func exportFormat(r *http.Request, fallback bool) (f export.Format, ok bool, err error) {
	vals := r.URL.Query()["format"]
	switch {
	case len(vals) > 1:
		return "", false, &ParamError{"format", strings.Join(vals, ","), "give it once"}
	case len(vals) == 1 && strings.TrimSpace(vals[0]) != "":
		v := strings.TrimSpace(vals[0])
		if f, ok := export.ParseFormat(strings.ToLower(v)); ok {
			return f, true, nil
		}
		return "", false, &ParamError{"format", v, "want csv or json"}
	case acceptsJSON(r.Header.Get(echo.HeaderAccept)):
		return export.JSON, true, nil
	case fallback:
		return export.CSV, true, nil
	}
	return "", false, nil
}

// acceptsJSON reports whether an Accept header lists application/json
// with a quality above 0. Wildcards do not count: a browser accepts */*.
func acceptsJSON(accept string) bool {
	for part := range strings.SplitSeq(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil || mt != echo.MIMEApplicationJSON {
			continue
		}
		if q, err := strconv.ParseFloat(params["q"], 64); params["q"] == "" || err == nil && q > 0 {
			return true
		}
	}
	return false
}

// exportBase is a list's address without format: what its export links
// add format= to.
func exportBase(u *url.URL) string {
	q := u.Query()
	q.Del("format")
	if len(q) == 0 {
		return u.Path
	}
	return u.Path + "?" + q.Encode()
}

// startExport sends the headers of a file of kind and writes its header
// row. Nothing is sent before: an error up to here is an error page.
func startExport(c echo.Context, o ExportOptions, f export.Format, kind string, columns []string) (*export.Writer, error) {
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, f.ContentType())
	h.Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s"`, exportFileName(kind, f, o.now())))
	h.Add("Vary", echo.HeaderAccept)
	c.Response().WriteHeader(http.StatusOK)
	return export.NewWriter(c.Response(), f, columns)
}

// exportFileName is vodboard-<kind>-<UTC time>.<format>, e.g.
// vodboard-library-video-20261127T061500Z.csv. kind is made of IDs and
// fixed words: nothing in it needs quoting.
func exportFileName(kind string, f export.Format, at time.Time) string {
	return "vodboard-" + kind + "-" + at.UTC().Format("20060102T150405Z") + "." + string(f)
}

// flushExport sends what w holds to the client now.
func flushExport(c echo.Context, w *export.Writer) error {
	if err := w.Flush(); err != nil {
		return err
	}
	return http.NewResponseController(c.Response()).Flush()
}
