package handlers

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"vodboard/thumbs"
	"vodboard/vodclient"
)

// Thumbnails makes the light thumbnails of grids and lists (thumbs.Service
// does).
type Thumbnails interface {
	Thumbnail(ctx context.Context, key thumbs.Key, original thumbs.Original) (thumbs.Thumbnail, error)
}

// handedOutURLs is what a session's VOD remembers of the signed URLs its
// answers handed out (the web layer's session client does).
type handedOutURLs interface {
	HandedOutURL(kind thumbs.Kind, id string) (string, bool)
}

// Thumbnail serves the light thumbnail of an image (/thumb/image/{id},
// kind thumbs.Image) or of a video's or audio file's cover
// (/thumb/media/{id}, thumbs.Cover) of the session's account, which
// browsers may keep privately for maxAge.
//
// Its original comes only from the session's own VOD: the signed URL one
// of its answers handed out, or, when the session does not remember one
// (another instance showed the page, or it was forgotten), from asking VOD
// again with the session's client. Nothing in the request becomes a URL.
// An ID the session's VOD does not give is a 404, and nothing is fetched.
func Thumbnail(t Thumbnails, kind thumbs.Kind, maxAge time.Duration) echo.HandlerFunc {
	return func(c echo.Context) error {
		s := CurrentSession(c)
		id := c.Param("id")
		if !vodclient.ValidID(id) {
			return echo.NewHTTPError(http.StatusNotFound, "no such image")
		}
		key := thumbs.Key{Owner: thumbnailOwner(s), Kind: kind, ID: id}
		th, err := t.Thumbnail(c.Request().Context(), key, originalOf(s, kind, id))
		switch {
		case errors.Is(err, thumbs.ErrNotFound):
			return echo.NewHTTPError(http.StatusNotFound, "no such image")
		case errors.Is(err, thumbs.ErrBusy):
			c.Response().Header().Set(echo.HeaderRetryAfter, "1")
			return echo.NewHTTPError(http.StatusServiceUnavailable, "too many thumbnails being made")
		case errors.Is(err, thumbs.ErrOriginal):
			return echo.NewHTTPError(http.StatusBadGateway, "no thumbnail can be made of this image")
		case err != nil:
			return err
		}
		h := c.Response().Header()
		h.Set(echo.HeaderContentType, "image/jpeg")
		h.Set(echo.HeaderCacheControl, "private, max-age="+strconv.Itoa(int(maxAge/time.Second)))
		h.Set("ETag", th.ETag)
		http.ServeContent(c.Response(), c.Request(), "", time.Time{}, bytes.NewReader(th.JPEG))
		return nil
	}
}

// thumbnailOwner is the identity a session's VOD client signs in with:
// whose thumbnails it may see.
func thumbnailOwner(s *Session) string {
	if s.Material.ServerCredentials {
		return "server-credentials@" + s.Material.Region
	}
	return s.Material.AccessKeyID + "@" + s.Material.Region
}

// originalOf locates the original of a thumbnail through the session's
// VOD: what it handed out, or asked again (fresh, or when not remembered).
func originalOf(s *Session, kind thumbs.Kind, id string) thumbs.Original {
	return func(ctx context.Context, fresh bool) (string, error) {
		if urls, ok := s.VOD.(handedOutURLs); ok && !fresh {
			if u, ok := urls.HandedOutURL(kind, id); ok {
				return u, nil
			}
		}
		var u string
		switch kind {
		case thumbs.Image:
			img, err := s.VOD.GetImageInfo(ctx, id, urlOptions(s))
			if vodclient.IsNotFound(err) {
				return "", thumbs.ErrNotFound
			}
			if err != nil {
				return "", err
			}
			u = img.URL
		case thumbs.Cover:
			results, err := s.VOD.BatchGetMediaInfos(ctx, []string{id}, nil)
			if err != nil {
				return "", err
			}
			switch r := results[0]; r.Outcome {
			case vodclient.Found:
				u = r.Media.MediaInfo.CoverURL
			case vodclient.Failed:
				return "", r.Err
			}
		}
		if u == "" {
			return "", thumbs.ErrNotFound
		}
		return u, nil
	}
}
