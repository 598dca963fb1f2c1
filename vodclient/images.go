package vodclient

import (
	"context"
	"fmt"
	"strings"
	"sync"
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
	var byCall [][]ImageResult
	err := c.imageInfos(ctx, ids, opts, func(calls int) { byCall = make([][]ImageResult, calls) }, func(i int, rs []ImageResult) { byCall[i] = rs })
	if err != nil {
		return nil, err
	}
	return flatten(byCall), nil
}

// EachImageInfos is GetImageInfos for lookups that show progress: it calls
// each with the results of every call as soon as the call ends, in the
// order calls end and never two at once, and returns what GetImageInfos
// would return as its error. Every distinct ID is in exactly one batch.
func (c *Client) EachImageInfos(ctx context.Context, ids []string, opts URLOptions, each func([]ImageResult)) error {
	return c.imageInfos(ctx, ids, opts, nil, func(_ int, rs []ImageResult) { each(rs) })
}

// imageInfos runs the calls of an image lookup: it tells start how many
// calls there are, then hands each call's results to done with the call's
// index, one call at a time.
func (c *Client) imageInfos(ctx context.Context, ids []string, opts URLOptions, start func(calls int), done func(i int, rs []ImageResult)) error {
	ids, err := normalizeIDs(ids)
	if err != nil {
		return err
	}
	if err := opts.Validate(); err != nil {
		return err
	}
	chunks := chunk(ids, MaxIDsPerCall)
	if start != nil {
		start(len(chunks))
	}
	var mu sync.Mutex
	delivered := make([]bool, len(chunks))
	errs := eachChunk(ctx, len(chunks), c.cfg.Concurrency, func(ctx context.Context, i int) error {
		q := map[string]string{"ImageIds": strings.Join(chunks[i], ",")}
		opts.addTo(q)
		var answer getImageInfosResponse
		err := c.call(ctx, "GetImageInfos", q, &answer)
		if !IsOverloaded(err) {
			// An overloaded lookup is refused whole: nothing is delivered.
			mu.Lock()
			delivered[i] = true
			done(i, imageOutcomes(chunks[i], answer, err))
			mu.Unlock()
		}
		return err
	})
	if err := lookupFailed(ctx, errs); err != nil {
		return fmt.Errorf("get image infos: %w", err)
	}
	// Calls never sent (the lookup was cancelled before their turn) fail
	// their IDs with the reason.
	for i, ok := range delivered {
		if !ok {
			done(i, imageOutcomes(chunks[i], getImageInfosResponse{}, errs[i]))
		}
	}
	return nil
}

// imageOutcomes sorts the IDs of one call by what its answer (or err) says
// of them.
func imageOutcomes(ids []string, a getImageInfosResponse, err error) []ImageResult {
	found := make(map[string]ImageInfo, len(a.ImageInfo))
	for _, img := range a.ImageInfo {
		found[img.ImageID] = img
	}
	out := make([]ImageResult, 0, len(ids))
	for _, id := range ids {
		r := ImageResult{ID: id}
		switch img, ok := found[id]; {
		case err != nil:
			r.Outcome, r.Err = Failed, err
		case ok:
			r.Outcome, r.Image = Found, img
		default:
			// Listed in NonExistImageIds, or not accounted for at all.
			r.Outcome = NonExistent
		}
		out = append(out, r)
	}
	return out
}

// flatten joins the results of a lookup's calls in the order of the calls.
func flatten[T any](byCall [][]T) []T {
	n := 0
	for _, rs := range byCall {
		n += len(rs)
	}
	out := make([]T, 0, n)
	for _, rs := range byCall {
		out = append(out, rs...)
	}
	return out
}

func setOf(ids []string) map[string]bool {
	m := make(map[string]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}
