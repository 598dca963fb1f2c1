package views

import (
	"context"
	"net/url"
)

// Light thumbnails: grids and lists can show vodboard's own small copies
// of images and covers (/thumb/image/{id}, /thumb/media/{id}) instead of
// the signed originals. Whether they do is a setting of the whole
// deployment, so it travels with the rendering context rather than through
// every view model: the web layer marks the request's context.

type lightThumbnailsKey struct{}

// WithLightThumbnails returns a context whose pages show light thumbnails
// in grids and lists. Each one keeps its signed original as the fallback
// the browser loads if the thumbnail fails; detail pages show originals.
func WithLightThumbnails(ctx context.Context) context.Context {
	return context.WithValue(ctx, lightThumbnailsKey{}, true)
}

func lightThumbnails(ctx context.Context) bool {
	on, _ := ctx.Value(lightThumbnailsKey{}).(bool)
	return on
}

// lightImagePath and lightCoverPath are the light thumbnails of an image
// and of a video's or audio file's cover.
func lightImagePath(id string) string { return "/thumb/image/" + url.PathEscape(id) }
func lightCoverPath(id string) string { return "/thumb/media/" + url.PathEscape(id) }

// originalResignURL is where the box of an original (a detail page's)
// gets a freshly signed copy of itself.
func originalResignURL(path string) string { return path + "?original=1" }

// sources returns what a box's image loads, given its safe signed URL:
// the light thumbnail, with the original as its fallback, when the page
// shows light thumbnails and the box has one; else the original alone.
func (t thumb) sources(ctx context.Context, original string) (src, fallback string) {
	if t.Light != "" && lightThumbnails(ctx) {
		return t.Light, original
	}
	return original, ""
}
