package handlers

import (
	"net/http"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"vodboard/session"
	"vodboard/views"
)

// Home is the lookup page, /lookup.
func Home(r Renderer, examples []views.Example) echo.HandlerFunc {
	return func(c echo.Context) error {
		s := CurrentSession(c)
		return r.Render(c, http.StatusOK, lookupPage(s, views.Home{}, examples, nil))
	}
}

// lookupPage is the lookup page with results under the forms: the full
// page shows both, an htmx request gets the results and, out of band, the
// refreshed list of recent lookups.
func lookupPage(s *Session, home views.Home, examples []views.Example, results templ.Component) Page {
	home.MaxIDs = MaxLookupIDs
	home.Recent = recentLookups(s.Material.Lookups)
	home.Examples = examples
	p := Page{Title: "Lookup", Nav: views.NavLookup, Content: views.HomeContent(home, results)}
	if results != nil {
		p.Fragment = templ.Join(results, views.RecentLookupsOOB(home.Recent))
	}
	return p
}

func recentLookups(ls []session.Lookup) []views.RecentLookup {
	out := make([]views.RecentLookup, 0, len(ls))
	for _, l := range ls {
		out = append(out, views.RecentLookup{Kind: views.LookupKind(l.Kind), Label: l.Summary, Count: l.Count, URL: l.URL})
	}
	return out
}

// Redirect sends the browser to a fixed local path (/ to /library), keeping
// nothing of the request.
func Redirect(to string) echo.HandlerFunc {
	return func(c echo.Context) error {
		return c.Redirect(http.StatusSeeOther, to)
	}
}
