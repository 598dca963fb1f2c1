package handlers

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"vodboard/session"
	"vodboard/views"
	"vodboard/vodclient"
)

// SettingsForm shows the session's URL settings.
func SettingsForm(r Renderer) echo.HandlerFunc {
	return func(c echo.Context) error {
		s := CurrentSession(c)
		v := views.Settings{
			CSRFToken:   session.CSRFToken(c),
			OutputType:  s.Material.Settings.OutputType,
			AuthTimeout: authTimeoutText(s.Material.Settings.AuthTimeout),
			Saved:       c.QueryParam("saved") == "1",
		}
		return r.Render(c, http.StatusOK, Page{Title: "Settings", Nav: views.NavSettings, Content: views.SettingsContent(v)})
	}
}

// SaveSettings validates and keeps the session's URL settings. Invalid
// input is shown again with a message per field, nothing saved.
func SaveSettings(r Renderer, sessions Sessions) echo.HandlerFunc {
	return func(c echo.Context) error {
		s := CurrentSession(c)
		v := views.Settings{
			CSRFToken:   session.CSRFToken(c),
			OutputType:  strings.TrimSpace(c.FormValue("output_type")),
			AuthTimeout: strings.TrimSpace(c.FormValue("auth_timeout")),
		}
		if v.OutputType != views.OutputCDN && v.OutputType != views.OutputOSS {
			v.OutputTypeError = "Choose CDN or OSS."
		}
		// Empty means the API's default, as the form says: 0, not sent.
		var timeout int
		if v.AuthTimeout != "" {
			n, err := strconv.Atoi(v.AuthTimeout)
			switch {
			case err != nil || n < 1:
				v.AuthTimeoutError = "Enter a whole number of seconds, at least 1."
			case v.OutputType == views.OutputOSS && n > vodclient.MaxOSSAuthTimeout:
				v.AuthTimeoutError = "OSS URLs last at most 2592000 seconds (30 days)."
			case v.OutputType == views.OutputCDN && n > vodclient.MaxCDNAuthTimeout:
				v.AuthTimeoutError = "CDN URLs last at most 2592000 seconds (30 days)."
			}
			timeout = n
		}
		if v.OutputTypeError != "" || v.AuthTimeoutError != "" {
			return r.Render(c, http.StatusUnprocessableEntity, Page{Title: "Settings", Nav: views.NavSettings, Content: views.SettingsContent(v)})
		}
		settings := session.Settings{OutputType: v.OutputType, AuthTimeout: timeout}
		if _, err := sessions.Update(c, s.ID, func(m *session.Material) { m.Settings = settings }); err != nil {
			return err
		}
		// Post/Redirect/Get: reloading the confirmation does not post again.
		return c.Redirect(http.StatusSeeOther, "/settings?saved=1")
	}
}

// authTimeoutText shows 0 (the API's default) as an empty field.
func authTimeoutText(n int) string {
	if n <= 0 {
		return ""
	}
	return strconv.Itoa(n)
}
