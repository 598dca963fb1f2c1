package web

import (
	"context"

	lru "github.com/hashicorp/golang-lru/v2"

	"vodboard/thumbs"
	"vodboard/vodclient"
)

// maxHandedOut bounds the signed URLs a session remembers: more than a
// page of a 1,000-ID lookup's grid, and about 300 KB.
const maxHandedOut = 1000

// handedOut remembers, bounded, the signed URLs of the images and covers
// that a session's VOD answers handed out, the least recently handed out
// forgotten first. The thumbnail service fetches only these (or asks the
// session's VOD again), never a URL from a request.
type handedOut struct {
	urls *lru.Cache[handedOutKey, string]
}

type handedOutKey struct {
	kind thumbs.Kind
	id   string
}

func newHandedOut() *handedOut {
	urls, err := lru.New[handedOutKey, string](maxHandedOut)
	if err != nil {
		panic("handed-out URLs: " + err.Error()) // the size is a positive constant
	}
	return &handedOut{urls: urls}
}

// remember keeps url as the latest of kind and id; an empty URL (an asset
// without a picture) is not kept.
func (h *handedOut) remember(kind thumbs.Kind, id, url string) {
	if id == "" || url == "" {
		return
	}
	h.urls.Add(handedOutKey{kind, id}, url)
}

// lookup returns the URL last handed out for kind and id.
func (h *handedOut) lookup(kind thumbs.Kind, id string) (string, bool) {
	return h.urls.Peek(handedOutKey{kind, id})
}

// The session's VOD calls that hand out image URLs and covers, with what
// they hand out remembered.

// HandedOutURL returns the signed URL of an image (thumbs.Image) or a cover
// (thumbs.Cover) that the session's VOD answers handed out last.
func (v *sessionVOD) HandedOutURL(kind thumbs.Kind, id string) (string, bool) {
	return v.urls.lookup(kind, id)
}

// GetImageInfo calls GetImageInfo and remembers the image's URL.
func (v *sessionVOD) GetImageInfo(ctx context.Context, id string, opts vodclient.URLOptions) (vodclient.ImageInfo, error) {
	img, err := v.Client.GetImageInfo(ctx, id, opts)
	if err == nil {
		v.urls.remember(thumbs.Image, img.ImageID, img.URL)
	}
	return img, err
}

// GetImageInfos calls GetImageInfos and remembers the URLs of the images
// found.
func (v *sessionVOD) GetImageInfos(ctx context.Context, ids []string, opts vodclient.URLOptions) ([]vodclient.ImageResult, error) {
	results, err := v.Client.GetImageInfos(ctx, ids, opts)
	v.rememberImages(results)
	return results, err
}

// EachImageInfos calls EachImageInfos and remembers the URLs of the images
// found, before each batch goes on.
func (v *sessionVOD) EachImageInfos(ctx context.Context, ids []string, opts vodclient.URLOptions, each func([]vodclient.ImageResult)) error {
	return v.Client.EachImageInfos(ctx, ids, opts, func(results []vodclient.ImageResult) {
		v.rememberImages(results)
		each(results)
	})
}

// BatchGetMediaInfos calls BatchGetMediaInfos and remembers the covers of
// the media found.
func (v *sessionVOD) BatchGetMediaInfos(ctx context.Context, mediaIDs, referenceIDs []string) ([]vodclient.MediaResult, error) {
	results, err := v.Client.BatchGetMediaInfos(ctx, mediaIDs, referenceIDs)
	v.rememberCovers(results)
	return results, err
}

// EachMediaInfos calls EachMediaInfos and remembers the covers of the
// media found, before each batch goes on.
func (v *sessionVOD) EachMediaInfos(ctx context.Context, mediaIDs, referenceIDs []string, each func([]vodclient.MediaResult)) error {
	return v.Client.EachMediaInfos(ctx, mediaIDs, referenceIDs, func(results []vodclient.MediaResult) {
		v.rememberCovers(results)
		each(results)
	})
}

// SearchMedia calls SearchMedia and remembers the images' URLs and the
// videos' and audio files' covers of the page.
func (v *sessionVOD) SearchMedia(ctx context.Context, q vodclient.SearchQuery) (vodclient.SearchPage, error) {
	page, err := v.Client.SearchMedia(ctx, q)
	for _, it := range page.Items {
		switch {
		case it.Image != nil:
			v.urls.remember(thumbs.Image, it.MediaID, it.Image.URL)
		case it.Video != nil:
			v.urls.remember(thumbs.Cover, it.MediaID, it.Video.CoverURL)
		case it.Audio != nil:
			v.urls.remember(thumbs.Cover, it.MediaID, it.Audio.CoverURL)
		}
	}
	return page, err
}

func (v *sessionVOD) rememberImages(results []vodclient.ImageResult) {
	for _, r := range results {
		if r.Outcome == vodclient.Found {
			v.urls.remember(thumbs.Image, r.Image.ImageID, r.Image.URL)
		}
	}
}

func (v *sessionVOD) rememberCovers(results []vodclient.MediaResult) {
	for _, r := range results {
		if r.Outcome == vodclient.Found {
			v.urls.remember(thumbs.Cover, r.Media.MediaID, r.Media.MediaInfo.CoverURL)
		}
	}
}
