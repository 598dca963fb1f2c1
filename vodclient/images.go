package vodclient

import (
	"context"
	"fmt"
	"strings"
)

// GetImageInfo returns one image (GetImageInfo). An unknown image is an
// *Error for which IsNotFound is true.
func (c *Client) GetImageInfo(ctx context.Context, id string, opts URLOptions) (ImageInfo, error) {
	ids, err := normalizeIDs([]string{id})
	if err != nil {
		return ImageInfo{}, err
	}
	if len(ids) == 0 {
		return ImageInfo{}, invalidArgument("no image ID")
	}
	if err := opts.Validate(); err != nil {
		return ImageInfo{}, err
	}
	q := map[string]string{"ImageId": ids[0]}
	opts.addTo(q)
	var resp getImageInfoResponse
	if err := c.call(ctx, "GetImageInfo", q, &resp); err != nil {
		return ImageInfo{}, fmt.Errorf("get image info: %w", err)
	}
	return resp.ImageInfo, nil
}

// ImageResult is the outcome of one ID of GetImageInfos.
type ImageResult struct {
	ID      string
	Outcome Outcome
	Image   ImageInfo // set when Outcome is Found
	Err     error     // set when Outcome is Failed
}

// GetImageInfos looks up any number of images (GetImageInfos, 20 IDs a
// call, calls run concurrently and within the account's rate limit). IDs
// are trimmed and de-duplicated; the results follow the order asked, one per
// distinct ID. A malformed ID fails the whole lookup before anything is
// sent. When every call fails the error is returned; when only some do,
// their IDs come back as Failed with the error.
func (c *Client) GetImageInfos(ctx context.Context, ids []string, opts URLOptions) ([]ImageResult, error) {
	ids, err := normalizeIDs(ids)
	if err != nil {
		return nil, err
	}
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	chunks := chunk(ids, MaxIDsPerCall)
	answers := make([]getImageInfosResponse, len(chunks))
	errs := eachChunk(ctx, len(chunks), c.cfg.Concurrency, func(ctx context.Context, i int) error {
		q := map[string]string{"ImageIds": strings.Join(chunks[i], ",")}
		opts.addTo(q)
		return c.call(ctx, "GetImageInfos", q, &answers[i])
	})
	if err := lookupFailed(ctx, errs); err != nil {
		return nil, fmt.Errorf("get image infos: %w", err)
	}

	results := make([]ImageResult, 0, len(ids))
	for i, ids := range chunks {
		found := make(map[string]ImageInfo, len(answers[i].ImageInfo))
		for _, img := range answers[i].ImageInfo {
			found[img.ImageID] = img
		}
		for _, id := range ids {
			r := ImageResult{ID: id}
			switch img, ok := found[id]; {
			case errs[i] != nil:
				r.Outcome, r.Err = Failed, errs[i]
			case ok:
				r.Outcome, r.Image = Found, img
			default:
				// Listed in NonExistImageIds, or not accounted for at all.
				r.Outcome = NonExistent
			}
			results = append(results, r)
		}
	}
	return results, nil
}

func setOf(ids []string) map[string]bool {
	m := make(map[string]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}
