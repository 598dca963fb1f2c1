package web

import (
	"net/http"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"vodboard/handlers"
	"vodboard/session"
	"vodboard/static"
	"vodboard/views"
)

// renderer writes pages: the full layout, or for an htmx request only the
// fragment. It renders into a buffer first, so a failed render never sends
// half a page.
type renderer struct {
	demo   bool
	assets views.AssetURLs
}

func newRenderer(demo bool, a *static.Assets) *renderer {
	return &renderer{demo: demo, assets: views.AssetURLs{
		CSS:     a.Path(static.CSS),
		JS:      a.Path(static.JS),
		HTMX:    a.Path(static.HTMX),
		SSE:     a.Path(static.SSE),
		Icon:    a.Path(static.Icon),
		Library: a.Path(static.Library),
		A11y:    a.Path(static.A11y),
		HLSJS:   a.Path(static.HLS),
		Player:  a.Path(static.Player),
	}}
}

// wantsFragment is the one place that decides page or fragment: an htmx
// request gets the fragment, unless it is boosted or restores history.
func wantsFragment(r *http.Request) bool {
	h := r.Header
	return h.Get("HX-Request") == "true" && h.Get("HX-Boosted") != "true" && h.Get("HX-History-Restore-Request") != "true"
}

func (rd *renderer) Render(c echo.Context, status int, p handlers.Page) error {
	c.Response().Header().Add("Vary", "HX-Request")
	var comp templ.Component
	if wantsFragment(c.Request()) {
		comp = p.Content
		if p.Fragment != nil {
			comp = p.Fragment
		}
	} else {
		comp = views.Page(rd.layout(c, p), p.Content)
	}
	return writeComponent(c, status, comp)
}

func (rd *renderer) layout(c echo.Context, p handlers.Page) views.Layout {
	l := views.Layout{
		Title:     p.Title,
		CSRFToken: session.CSRFToken(c),
		DemoMode:  rd.demo,
		Assets:    rd.assets,
		Nav:       p.Nav,
		Player:    p.Player,
	}
	if s := handlers.CurrentSession(c); s != nil {
		l.SignedIn = true
		l.Region = s.Material.Region
		l.AccessKeyID = s.Material.AccessKeyID
		l.ServerCredentials = s.Material.ServerCredentials
	}
	return l
}

func writeComponent(c echo.Context, status int, comp templ.Component) error {
	buf := templ.GetBuffer()
	defer templ.ReleaseBuffer(buf)
	if err := comp.Render(c.Request().Context(), buf); err != nil {
		return err
	}
	return c.HTMLBlob(status, buf.Bytes())
}
