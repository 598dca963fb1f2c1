package handlers

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"vodboard/session"
	"vodboard/views"
	"vodboard/vodclient"
)

// SignIn is what the sign-in handlers need besides the renderer and the
// sessions.
type SignIn struct {
	// DefaultRegion preselects the region of the form.
	DefaultRegion string
	// Demo, when set, offers the one-click demo sign-in with this key.
	Demo *session.Material
	// ServerCredentials offers the credentials-go default chain to users
	// who know ServerCredentialsPassword.
	ServerCredentials         bool
	ServerCredentialsPassword string
	// NewClient builds the VOD client for a session's material.
	NewClient func(session.Material) (*vodclient.Client, error)
	// Clients keeps the client that checked the keys, for the new session.
	Clients ClientStore
	Logger  *slog.Logger
}

// ClientStore keeps each session's VOD client.
type ClientStore interface {
	Put(sessionID string, c *vodclient.Client)
}

func (s SignIn) form(c echo.Context) views.Login {
	v := views.Login{
		CSRFToken:         session.CSRFToken(c),
		Next:              session.SafeNext(c.QueryParam("next")),
		Region:            s.DefaultRegion,
		ServerCredentials: s.ServerCredentials,
	}
	if s.Demo != nil {
		v.Demo = &views.DemoCredentials{Region: s.Demo.Region, AccessKeyID: s.Demo.AccessKeyID}
		v.Region, v.AccessKeyID = s.Demo.Region, s.Demo.AccessKeyID
	}
	return v
}

func loginPage(v views.Login) Page {
	return Page{Title: "Sign in", Content: views.LoginContent(v)}
}

// LoginForm shows the sign-in form. A visitor who is already signed in
// goes on to where they were heading.
func LoginForm(r Renderer, s SignIn) echo.HandlerFunc {
	return func(c echo.Context) error {
		if CurrentSession(c) != nil {
			return c.Redirect(http.StatusSeeOther, session.SafeNext(c.QueryParam("next")))
		}
		return r.Render(c, http.StatusOK, loginPage(s.form(c)))
	}
}

// Login signs in with an AccessKey pair (and optional STS token) typed
// into the form. The keys are checked with one cheap read call before a
// session exists; a refusal is shown on the form with what was typed,
// except the secret.
func Login(r Renderer, sessions Sessions, s SignIn) echo.HandlerFunc {
	return func(c echo.Context) error {
		mat := session.Material{
			Region:          strings.TrimSpace(c.FormValue("region")),
			AccessKeyID:     strings.TrimSpace(c.FormValue("access_key_id")),
			AccessKeySecret: strings.TrimSpace(c.FormValue("access_key_secret")),
			SecurityToken:   strings.TrimSpace(c.FormValue("security_token")),
		}
		v := s.form(c)
		v.Next = session.SafeNext(c.FormValue("next"))
		v.Region, v.AccessKeyID = mat.Region, mat.AccessKeyID

		var problem string
		switch {
		case !slices.Contains(vodclient.Regions(), mat.Region):
			problem = "Choose the region of your VOD media."
		case mat.AccessKeyID == "":
			problem = "Enter your AccessKey ID."
		case mat.AccessKeySecret == "":
			problem = "Enter your AccessKey secret."
		}
		if problem != "" {
			v.Error = problem
			return r.Render(c, http.StatusBadRequest, loginPage(v))
		}
		return s.start(c, r, sessions, mat, v)
	}
}

// LoginDemo signs in to demo mode with the emulator's public demo key; the
// secret never goes through the browser.
func LoginDemo(r Renderer, sessions Sessions, s SignIn) echo.HandlerFunc {
	return func(c echo.Context) error {
		if s.Demo == nil {
			return echo.ErrNotFound
		}
		v := s.form(c)
		v.Next = session.SafeNext(c.FormValue("next"))
		return s.start(c, r, sessions, *s.Demo, v)
	}
}

// LoginServerCredentials signs in with the operator's credentials-go
// default chain, when the operator enabled it. The chain's keys never
// enter the session: it only records that it uses them.
func LoginServerCredentials(r Renderer, sessions Sessions, s SignIn) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !s.ServerCredentials {
			return echo.ErrNotFound
		}
		v := s.form(c)
		v.Next = session.SafeNext(c.FormValue("next"))
		region := strings.TrimSpace(c.FormValue("region"))
		if !slices.Contains(vodclient.Regions(), region) {
			v.Error = "Choose the region of your VOD media."
			return r.Render(c, http.StatusBadRequest, loginPage(v))
		}
		v.Region = region
		if !samePassword(c.FormValue("password"), s.ServerCredentialsPassword) {
			v.Error = "That is not the dashboard password for server credentials."
			return r.Render(c, http.StatusUnauthorized, loginPage(v))
		}
		return s.start(c, r, sessions, session.Material{Region: region, ServerCredentials: true}, v)
	}
}

// samePassword compares in constant time; hashing first hides the length.
func samePassword(typed, want string) bool {
	a, b := sha256.Sum256([]byte(typed)), sha256.Sum256([]byte(want))
	return want != "" && subtle.ConstantTimeCompare(a[:], b[:]) == 1
}

// start checks the keys with one call, then starts the session with a new
// ID and hands it the client that made the check.
func (s SignIn) start(c echo.Context, r Renderer, sessions Sessions, mat session.Material, v views.Login) error {
	client, err := s.NewClient(mat)
	if err == nil {
		err = client.CheckCredentials(c.Request().Context())
	}
	if err != nil {
		status, msg := signInProblem(err)
		s.Logger.WarnContext(c.Request().Context(), "sign-in refused", "region", mat.Region, "access_key_id", mat.AccessKeyID, "err", err)
		v.Error = msg
		return r.Render(c, status, loginPage(v))
	}
	mat.Settings = session.Settings{OutputType: "cdn", AuthTimeout: 3600}
	id, err := sessions.Start(c, mat)
	if err != nil {
		return err
	}
	s.Clients.Put(id, client)
	return c.Redirect(http.StatusSeeOther, v.Next)
}

// signInProblem turns a failed key check into a status and a message for
// the form.
func signInProblem(err error) (int, string) {
	var vErr *vodclient.Error
	code := ""
	if errors.As(err, &vErr) {
		code = " (" + vErr.Code + ")"
	}
	switch {
	case errors.Is(err, vodclient.ErrInvalidArgument):
		return http.StatusBadRequest, "Those keys cannot be used: check for stray characters and that every field is filled in."
	case vodclient.IsBadCredentials(err):
		return http.StatusUnauthorized, "ApsaraVideo VOD refused these keys" + code + ". Check the AccessKey ID, the secret and, for temporary credentials, the security token."
	case vodclient.IsForbidden(err):
		return http.StatusForbidden, "The keys are valid, but this RAM user may not read VOD media" + code + ". Grant it a policy allowing vod:GetImageInfo, vod:GetImageInfos and vod:BatchGetMediaInfos."
	case vodclient.IsThrottled(err):
		return http.StatusServiceUnavailable, "ApsaraVideo VOD is throttling this account right now" + code + ". Wait a few seconds and sign in again."
	case vodclient.IsTransient(err):
		return http.StatusBadGateway, "ApsaraVideo VOD could not be reached or did not answer" + code + ". Check the region and try again in a moment."
	}
	return http.StatusBadGateway, "Signing in failed" + code + ". Try again in a moment."
}

// Logout ends the session (a POST, with its CSRF token).
func Logout(sessions Sessions) echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := sessions.End(c); err != nil {
			return err
		}
		return c.Redirect(http.StatusSeeOther, "/login")
	}
}
