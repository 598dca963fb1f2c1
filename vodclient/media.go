package vodclient

import (
	"context"
	"fmt"
	"strings"
	"sync"
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
// ID and by reference ID (BatchGetMediaInfos, 20 of each a call). The
// operation has no documented rate limit, so a lookup's calls all run at
// once, up to Config.MediaConcurrency. Results come in the order asked:
// the media IDs, then the reference IDs, one per distinct ID, each found,
// nonexistent, forbidden, nonexistent reference or failed. Errors are as
// for GetImageInfos.
func (c *Client) BatchGetMediaInfos(ctx context.Context, mediaIDs, referenceIDs []string) ([]MediaResult, error) {
	var ids, refs [][]MediaResult
	start := func(calls int) { ids, refs = make([][]MediaResult, calls), make([][]MediaResult, calls) }
	err := c.mediaInfos(ctx, mediaIDs, referenceIDs, start, func(i int, byID, byRef []MediaResult) { ids[i], refs[i] = byID, byRef })
	if err != nil {
		return nil, err
	}
	return append(flatten(ids), flatten(refs)...), nil
}

// EachMediaInfos is BatchGetMediaInfos for lookups that show progress: it
// calls each with the results of every call (media IDs first, then
// reference IDs) as soon as the call ends, in the order calls end and
// never two at once, and returns what BatchGetMediaInfos would return as
// its error.
func (c *Client) EachMediaInfos(ctx context.Context, mediaIDs, referenceIDs []string, each func([]MediaResult)) error {
	return c.mediaInfos(ctx, mediaIDs, referenceIDs, nil, func(_ int, byID, byRef []MediaResult) { each(append(byID, byRef...)) })
}

// mediaInfos runs the calls of a media lookup: it tells start how many calls
// there are, then hands each call's results to done with the call's index,
// one call at a time.
func (c *Client) mediaInfos(ctx context.Context, mediaIDs, referenceIDs []string, start func(calls int), done func(i int, byID, byRef []MediaResult)) error {
	mediaIDs, err := normalizeIDs(mediaIDs)
	if err != nil {
		return err
	}
	referenceIDs, err = normalizeIDs(referenceIDs)
	if err != nil {
		return err
	}
	idChunks, refChunks := chunk(mediaIDs, MaxIDsPerCall), chunk(referenceIDs, MaxIDsPerCall)
	n := max(len(idChunks), len(refChunks))
	at := func(chunks [][]string, i int) []string {
		if i < len(chunks) {
			return chunks[i]
		}
		return nil
	}
	if start != nil {
		start(n)
	}
	var mu sync.Mutex
	delivered := make([]bool, n)
	errs := eachChunk(ctx, n, c.cfg.MediaConcurrency, func(ctx context.Context, i int) error {
		q := map[string]string{}
		if ids := at(idChunks, i); len(ids) > 0 {
			q["MediaIds"] = strings.Join(ids, ",")
		}
		if refs := at(refChunks, i); len(refs) > 0 {
			q["ReferenceIds"] = strings.Join(refs, ",")
		}
		var answer batchGetMediaInfosResponse
		err := c.call(ctx, "BatchGetMediaInfos", q, &answer)
		if !IsOverloaded(err) {
			// An overloaded lookup is refused whole: nothing is delivered.
			mu.Lock()
			delivered[i] = true
			done(i, mediaOutcomes(at(idChunks, i), false, answer, err), mediaOutcomes(at(refChunks, i), true, answer, err))
			mu.Unlock()
		}
		return err
	})
	if err := lookupFailed(ctx, errs); err != nil {
		return fmt.Errorf("batch get media infos: %w", err)
	}
	// Calls never sent (the lookup was cancelled before their turn) fail
	// their IDs with the reason.
	for i, ok := range delivered {
		if !ok {
			done(i, mediaOutcomes(at(idChunks, i), false, batchGetMediaInfosResponse{}, errs[i]), mediaOutcomes(at(refChunks, i), true, batchGetMediaInfosResponse{}, errs[i]))
		}
	}
	return nil
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
