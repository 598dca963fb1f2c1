package vodclient

import (
	"context"
	"fmt"
	"strings"
)

// MediaResult is the outcome of one media ID or reference ID of
// BatchGetMediaInfos.
type MediaResult struct {
	ID          string // the media ID, or the reference ID when ByReference
	ByReference bool
	Outcome     Outcome
	Media       Media // set when Outcome is Found
	Err         error // set when Outcome is Failed
}

// BatchGetMediaInfos looks up any number of audio and video assets by media
// ID and by reference ID (BatchGetMediaInfos, 20 of each a call, calls run
// concurrently). Results come in the order asked: the media IDs, then the
// reference IDs, one per distinct ID, each found, nonexistent, forbidden,
// nonexistent reference or failed. Errors are as for GetImageInfos.
func (c *Client) BatchGetMediaInfos(ctx context.Context, mediaIDs, referenceIDs []string) ([]MediaResult, error) {
	mediaIDs, err := normalizeIDs(mediaIDs)
	if err != nil {
		return nil, err
	}
	referenceIDs, err = normalizeIDs(referenceIDs)
	if err != nil {
		return nil, err
	}
	idChunks, refChunks := chunk(mediaIDs, MaxIDsPerCall), chunk(referenceIDs, MaxIDsPerCall)
	n := max(len(idChunks), len(refChunks))
	at := func(chunks [][]string, i int) []string {
		if i < len(chunks) {
			return chunks[i]
		}
		return nil
	}
	answers := make([]batchGetMediaInfosResponse, n)
	errs := eachChunk(ctx, n, c.cfg.Concurrency, func(ctx context.Context, i int) error {
		q := map[string]string{}
		if ids := at(idChunks, i); len(ids) > 0 {
			q["MediaIds"] = strings.Join(ids, ",")
		}
		if refs := at(refChunks, i); len(refs) > 0 {
			q["ReferenceIds"] = strings.Join(refs, ",")
		}
		return c.call(ctx, "BatchGetMediaInfos", q, &answers[i])
	})
	if err := lookupFailed(ctx, errs); err != nil {
		return nil, fmt.Errorf("batch get media infos: %w", err)
	}

	results := make([]MediaResult, 0, len(mediaIDs)+len(referenceIDs))
	for i := range n {
		results = append(results, mediaOutcomes(at(idChunks, i), false, answers[i], errs[i])...)
	}
	for i := range n {
		results = append(results, mediaOutcomes(at(refChunks, i), true, answers[i], errs[i])...)
	}
	return results, nil
}

func mediaOutcomes(ids []string, byRef bool, a batchGetMediaInfosResponse, err error) []MediaResult {
	byID := make(map[string]Media, len(a.MediaInfos))
	byRefID := make(map[string]Media)
	for _, m := range a.MediaInfos {
		id := m.MediaID
		if id == "" {
			id = m.MediaInfo.MediaID
		}
		byID[id] = m
		if ref := string(m.MediaInfo.ReferenceID); ref != "" {
			byRefID[ref] = m
		}
	}
	forbidden := setOf(a.ForbiddenMediaIDs)
	out := make([]MediaResult, 0, len(ids))
	for _, id := range ids {
		r := MediaResult{ID: id, ByReference: byRef}
		found := byID
		if byRef {
			found = byRefID
		}
		m, ok := found[id]
		switch {
		case err != nil:
			r.Outcome, r.Err = Failed, err
		case ok:
			r.Outcome, r.Media = Found, m
		case byRef:
			// Listed in NonExistReferenceIds, or not accounted for at all.
			r.Outcome = NonExistentReference
		case forbidden[id]:
			r.Outcome = Forbidden
		default:
			// Listed in NonExistMediaIds, or not accounted for at all.
			r.Outcome = NonExistent
		}
		out = append(out, r)
	}
	return out
}

// CheckCredentials makes one cheap read call (BatchGetMediaInfos of an ID
// that cannot exist) and returns nil when the API accepted the keys. Use it
// to check keys at sign-in.
func (c *Client) CheckCredentials(ctx context.Context) error {
	var resp batchGetMediaInfosResponse
	if err := c.call(ctx, "BatchGetMediaInfos", map[string]string{"MediaIds": "vodboard-credentials-check"}, &resp); err != nil {
		return fmt.Errorf("check credentials: %w", err)
	}
	return nil
}
