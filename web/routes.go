package web

import (
	"github.com/labstack/echo/v4"

	"vodboard/handlers"
	"vodboard/session"
	"vodboard/static"
	"vodboard/thumbs"
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

	app := e.Group("", a.loadSession, requireSession, session.NoStore(), lightThumbnails(a.thumbnails != nil))
	app.GET("/", handlers.Redirect("/library"))
	exports := a.exportOptions()
	app.GET("/library", handlers.Exportable(handlers.Library(r), handlers.LibraryExport(exports)))
	app.GET("/lookup", handlers.Home(r, examples))
	app.GET("/images", handlers.Exportable(handlers.ImageList(r, sessions, a.deps.Logger, examples), handlers.ImagesExport(exports)))
	app.GET("/images/:id", handlers.ImageDetail(r))
	app.GET("/images/:id/thumb", handlers.ImageThumb(r))
	app.GET("/media", handlers.Exportable(handlers.MediaList(r, sessions, a.deps.Logger, examples), handlers.MediaExport(exports)))
	app.GET("/l/:token", handlers.Exportable(handlers.ShortLink(r, sessions, a.deps.Logger, examples), handlers.ShortLinkExport(exports)))
	app.GET("/media/:id", handlers.MediaDetail(r, false))
	app.GET("/media/:id/cover", handlers.MediaCover(r))
	app.GET("/media/:id/player", handlers.MediaPlayer(r))
	app.GET("/media/:id/streams", handlers.ExportOnly(handlers.StreamsExport(exports)))
	app.GET("/media/:id/playinfo", handlers.ExportOnly(handlers.PlayInfoExport(exports)))
	app.GET("/media/ref/:id", handlers.MediaDetail(r, true))
	if a.thumbnails != nil {
		app.GET("/thumb/image/:id", handlers.Thumbnail(a.thumbnails, thumbs.Image, thumbMaxAge))
		app.GET("/thumb/media/:id", handlers.Thumbnail(a.thumbnails, thumbs.Cover, thumbMaxAge))
	}
	app.GET("/settings", handlers.SettingsForm(r))
	app.POST("/settings", handlers.SaveSettings(r, sessions))
}
