package handlers

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"vodboard/session"
	"vodboard/thumbs"
)

// fakeThumbnails answers err, or a thumbnail, and records the key asked.
type fakeThumbnails struct {
	err error
	key thumbs.Key
}

func (f *fakeThumbnails) Thumbnail(_ context.Context, key thumbs.Key, _ thumbs.Original) (thumbs.Thumbnail, error) {
	f.key = key
	if f.err != nil {
		return thumbs.Thumbnail{}, f.err
	}
	return thumbs.Thumbnail{JPEG: []byte("\xff\xd8jpeg"), ETag: `"e"`}, nil
}

// Each outcome of the service is an answer an <img> (and a proxy) can act
// on: busy is a quick 503 with Retry-After, never a hang.
func TestThumbnailAnswers(t *testing.T) {
	for _, tc := range []struct {
		name       string
		err        error
		status     int
		retryAfter string
	}{
		{"made", nil, http.StatusOK, ""},
		{"busy", thumbs.ErrBusy, http.StatusServiceUnavailable, "1"},
		{"not the session's", thumbs.ErrNotFound, http.StatusNotFound, ""},
		{"unreadable original", thumbs.ErrOriginal, http.StatusBadGateway, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := &fakeThumbnails{err: tc.err}
			rec := httptest.NewRecorder()
			c := echo.New().NewContext(httptest.NewRequest(http.MethodGet, "/thumb/image/abc123", nil), rec)
			c.SetParamNames("id")
			c.SetParamValues("abc123")
			WithSession(c, &Session{Material: session.Material{AccessKeyID: "LTAI5tAlice", Region: "cn-shanghai"}})
			err := Thumbnail(f, thumbs.Image, time.Hour)(c)

			status := rec.Code
			if he, ok := errors.AsType[*echo.HTTPError](err); ok {
				status = he.Code
			} else if err != nil {
				t.Fatalf("error %v", err)
			}
			if status != tc.status {
				t.Errorf("status %d, want %d", status, tc.status)
			}
			if got := rec.Header().Get("Retry-After"); got != tc.retryAfter {
				t.Errorf("Retry-After %q, want %q", got, tc.retryAfter)
			}
			if want := (thumbs.Key{Owner: "LTAI5tAlice@cn-shanghai", Kind: thumbs.Image, ID: "abc123"}); f.key != want {
				t.Errorf("asked for %+v, want %+v", f.key, want)
			}
			if tc.err == nil && (rec.Header().Get("Cache-Control") != "private, max-age=3600" || rec.Header().Get("Content-Type") != "image/jpeg") {
				t.Errorf("headers %v", rec.Header())
			}
		})
	}
}
