package web

import (
	"github.com/labstack/echo/v4"

	"vodboard/handlers"
	"vodboard/session"
	"vodboard/static"
)

// routes is the whole URL surface of the dashboard.
func (a *app) routes(e *echo.Echo) {
	r, sessions := a.renderer, a.sessions
	examples := a.demoExamples()
	signIn := handlers.SignIn{
		DefaultRegion:             a.deps.Config.Region,
		ServerCredentials:         a.deps.Config.ServerCredentials,
		ServerCredentialsPassword: a.deps.Config.ServerCredentialsPassword,
		NewClient:                 a.newClient,
		Logger:                    a.deps.Logger,
		Clients:                   a.clients,
	}
	if a.deps.Config.Demo() {
		signIn.Demo = &session.Material{Region: a.deps.Config.Region, AccessKeyID: a.deps.DemoKey.AccessKeyID, AccessKeySecret: a.deps.DemoKey.AccessKeySecret}
	}

	e.GET("/healthz", handlers.Health())
	e.HEAD("/healthz", handlers.Health())
	e.GET("/readyz", handlers.Ready(a.sessions.Ready, a.deps.Logger))
	e.HEAD("/readyz", handlers.Ready(a.sessions.Ready, a.deps.Logger))
	e.GET(static.Prefix+"*", echo.WrapHandler(a.assets.Handler()))

	public := e.Group("", a.loadSession)
	public.GET("/login", handlers.LoginForm(r, signIn))
	public.POST("/login", handlers.Login(r, sessions, signIn), a.limiter.Middleware())
	public.POST("/login/demo", handlers.LoginDemo(r, sessions, signIn), a.limiter.Middleware())
	public.POST("/login/server", handlers.LoginServerCredentials(r, sessions, signIn), a.limiter.Middleware())
	public.POST("/logout", handlers.Logout(sessions))

	app := e.Group("", a.loadSession, requireSession, session.NoStore())
	app.GET("/", handlers.Redirect("/library"))
	app.GET("/library", handlers.Library(r))
	app.GET("/lookup", handlers.Home(r, examples))
	app.GET("/images", handlers.ImageList(r, sessions, a.deps.Logger, examples))
	app.GET("/images/:id", handlers.ImageDetail(r))
	app.GET("/images/:id/thumb", handlers.ImageThumb(r))
	app.GET("/media", handlers.MediaList(r, sessions, a.deps.Logger, examples))
	app.GET("/media/:id", handlers.MediaDetail(r, false))
	app.GET("/media/:id/cover", handlers.MediaCover(r))
	app.GET("/media/:id/player", handlers.MediaPlayer(r))
	app.GET("/media/ref/:id", handlers.MediaDetail(r, true))
	app.GET("/settings", handlers.SettingsForm(r))
	app.POST("/settings", handlers.SaveSettings(r, sessions))
}
