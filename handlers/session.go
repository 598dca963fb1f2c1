// Package handlers holds vodboard's HTTP handlers, one file per feature.
// Each is a maker function that takes exactly what it uses and returns an
// echo.HandlerFunc; the interfaces they need are declared here, by the
// consumer.
package handlers

import (
	"context"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"vodboard/session"
	"vodboard/views"
	"vodboard/vodclient"
)

// VOD is what the handlers call of a session's vodclient.Client.
type VOD interface {
	GetImageInfo(ctx context.Context, id string, opts vodclient.URLOptions) (vodclient.ImageInfo, error)
	GetImageInfos(ctx context.Context, ids []string, opts vodclient.URLOptions) ([]vodclient.ImageResult, error)
	BatchGetMediaInfos(ctx context.Context, mediaIDs, referenceIDs []string) ([]vodclient.MediaResult, error)
	// EachImageInfos and EachMediaInfos are the lookups of a live page:
	// they hand over each call's results as the call ends.
	EachImageInfos(ctx context.Context, ids []string, opts vodclient.URLOptions, each func([]vodclient.ImageResult)) error
	EachMediaInfos(ctx context.Context, mediaIDs, referenceIDs []string, each func([]vodclient.MediaResult)) error
	SearchMedia(ctx context.Context, q vodclient.SearchQuery) (vodclient.SearchPage, error)
	// CategoryTree is the account's category tree; the web layer caches it
	// per session.
	CategoryTree(ctx context.Context) ([]vodclient.CategoryNode, error)
}

// Session is the signed-in user of a request, put in place by the web
// layer's sign-in middleware. Material carries no secret or token: only the
// session's VOD client holds them.
type Session struct {
	ID       string
	Material session.Material
	VOD      VOD
}

const sessionKey = "vodboard.session"

// WithSession attaches s to the request.
func WithSession(c echo.Context, s *Session) { c.Set(sessionKey, s) }

// CurrentSession returns the request's signed-in session, or nil.
func CurrentSession(c echo.Context) *Session {
	s, _ := c.Get(sessionKey).(*Session)
	return s
}

// Sessions is what the handlers need of the session manager.
type Sessions interface {
	Start(c echo.Context, mat session.Material) (string, error)
	Update(c echo.Context, id string, fn func(*session.Material)) (session.Material, error)
	End(c echo.Context) error
}

// Page is what a handler renders: the content, and what the layout around
// it needs when the request wants a full page.
type Page struct {
	Title   string
	Nav     views.Nav
	Content templ.Component
	// Fragment is what an htmx request gets instead, when it differs from
	// Content (a lookup's results without the forms around them).
	Fragment templ.Component
	// Player links the player's scripts: the page has a player.
	Player bool
}

// Renderer writes a page: the whole layout, or for an htmx request only
// the content.
type Renderer interface {
	Render(c echo.Context, status int, p Page) error
}
