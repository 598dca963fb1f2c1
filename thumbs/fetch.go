package thumbs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// errStale means the original's URL was refused (403, 404 or 410): a
// signed URL that expired, most likely, so VOD is asked for a fresh one.
var errStale = errors.New("the original's URL was refused")

// fetch downloads the original at rawURL, a signed URL a VOD answer gave,
// within the fetch timeout and the byte limit. Errors never quote the URL:
// it is signed.
func (s *Service) fetch(ctx context.Context, rawURL string) ([]byte, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%w: its URL is not http(s)", ErrOriginal)
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.FetchTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrOriginal, err)
	}
	req.Header.Set("Accept", "image/*")
	resp, err := s.cfg.HTTPClient.Do(req)
	if err != nil {
		if ue, ok := errors.AsType[*url.Error](err); ok {
			err = ue.Err // without the URL
		}
		return nil, fmt.Errorf("%w: fetch: %v", ErrOriginal, err)
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusForbidden, http.StatusNotFound, http.StatusGone:
		return nil, errStale
	default:
		return nil, fmt.Errorf("%w: fetch: %s", ErrOriginal, resp.Status)
	}
	limit := s.cfg.MaxOriginalBytes
	if resp.ContentLength > limit {
		return nil, fmt.Errorf("%w: %d bytes, over the %d it fetches", ErrOriginal, resp.ContentLength, limit)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%w: fetch: %v", ErrOriginal, err)
	}
	if int64(len(body)) > limit {
		return nil, fmt.Errorf("%w: over the %d bytes it fetches", ErrOriginal, limit)
	}
	return body, nil
}
