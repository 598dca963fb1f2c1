package emulator

import "fmt"

// maxBatchIDs is the per-call ID limit of GetImageInfos and
// BatchGetMediaInfos (and of ReferenceIds).
const maxBatchIDs = 20

func knownAction(action string) bool {
	switch action {
	case "GetImageInfo", "GetImageInfos", "BatchGetMediaInfos", "SearchMedia", "GetCategories":
		return true
	}
	return false
}

func (e *Emulator) dispatch(req *apiRequest, requestID string) apiResponse {
	var (
		body any
		aerr *apiError
	)
	switch req.action {
	case "GetImageInfo":
		body, aerr = e.getImageInfo(req, requestID)
	case "GetImageInfos":
		body, aerr = e.getImageInfos(req, requestID)
	case "BatchGetMediaInfos":
		body, aerr = e.batchGetMediaInfos(req, requestID)
	case "SearchMedia":
		body, aerr = e.searchMedia(req, requestID)
	case "GetCategories":
		body, aerr = e.getCategories(req, requestID)
	default:
		aerr = errActionNotFound
	}
	if aerr != nil {
		return errorResponse(req.r, requestID, aerr)
	}
	return jsonResponse(body)
}

type getImageInfoResponse struct {
	RequestId string
	ImageInfo map[string]any
}

// getImageInfo answers GetImageInfo(ImageId, AuthTimeout, OutputType).
func (e *Emulator) getImageInfo(req *apiRequest, requestID string) (any, *apiError) {
	id := req.params.Get("ImageId")
	if id == "" {
		return nil, errMissing("ImageId")
	}
	o, aerr := parseURLOptions(req.params)
	if aerr != nil {
		return nil, aerr
	}
	img, ok := e.catalog.image(id)
	if !ok {
		return nil, errNoSuchResource
	}
	info := deepCopy(img).(map[string]any)
	e.signer(req.r).rewriteImage(info, o)
	return getImageInfoResponse{RequestId: requestID, ImageInfo: info}, nil
}

// getImageInfosResponse omits NonExistImageIds when every image exists.
type getImageInfosResponse struct {
	RequestId        string
	ImageInfo        []map[string]any
	NonExistImageIds []string `json:",omitempty"`
}

// checkCount enforces the 20-ID limit of a list parameter.
func checkCount(name string, ids []string) *apiError {
	if len(ids) > maxBatchIDs {
		return errInvalid(name, fmt.Sprintf("At most %d IDs are allowed per call, got %d.", maxBatchIDs, len(ids)))
	}
	return nil
}

// getImageInfos answers GetImageInfos(ImageIds, AuthTimeout, OutputType)
// in the order asked; a repeated ID is answered once.
func (e *Emulator) getImageInfos(req *apiRequest, requestID string) (any, *apiError) {
	ids := splitIDs(req.params.Get("ImageIds"))
	if len(ids) == 0 {
		return nil, errMissing("ImageIds")
	}
	if aerr := checkCount("ImageIds", ids); aerr != nil {
		return nil, aerr
	}
	o, aerr := parseURLOptions(req.params)
	if aerr != nil {
		return nil, aerr
	}
	s := e.signer(req.r)
	resp := getImageInfosResponse{RequestId: requestID, ImageInfo: []map[string]any{}}
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		img, ok := e.catalog.image(id)
		if !ok {
			resp.NonExistImageIds = append(resp.NonExistImageIds, id)
			continue
		}
		info := deepCopy(img).(map[string]any)
		s.rewriteImage(info, o)
		resp.ImageInfo = append(resp.ImageInfo, info)
	}
	return resp, nil
}

// batchGetMediaInfosResponse omits the three ID lists when they are empty.
type batchGetMediaInfosResponse struct {
	RequestId            string
	MediaInfos           []map[string]any
	NonExistMediaIds     []string `json:",omitempty"`
	ForbiddenMediaIds    []string `json:",omitempty"`
	NonExistReferenceIds []string `json:",omitempty"`
}

// batchGetMediaInfos answers BatchGetMediaInfos(MediaIds, ReferenceIds):
// media asked by ID first, in order, then media found by reference ID; a
// media asked twice is answered once.
func (e *Emulator) batchGetMediaInfos(req *apiRequest, requestID string) (any, *apiError) {
	ids := splitIDs(req.params.Get("MediaIds"))
	refs := splitIDs(req.params.Get("ReferenceIds"))
	if len(ids) == 0 && len(refs) == 0 {
		return nil, errMissing("MediaIds")
	}
	if aerr := checkCount("MediaIds", ids); aerr != nil {
		return nil, aerr
	}
	if aerr := checkCount("ReferenceIds", refs); aerr != nil {
		return nil, aerr
	}
	c := e.catalog
	s := e.signer(req.r)
	resp := batchGetMediaInfosResponse{RequestId: requestID, MediaInfos: []map[string]any{}}
	seen := map[string]bool{}
	add := func(id string) {
		if seen[id] {
			return
		}
		seen[id] = true
		if c.forbiddenSet[id] {
			resp.ForbiddenMediaIds = append(resp.ForbiddenMediaIds, id)
			return
		}
		m, ok := c.mediaEntry(id)
		if !ok {
			resp.NonExistMediaIds = append(resp.NonExistMediaIds, id)
			return
		}
		entry := deepCopy(m).(map[string]any)
		s.rewriteMedia(entry, defaultAuthTimeout)
		resp.MediaInfos = append(resp.MediaInfos, entry)
	}
	for _, id := range ids {
		add(id)
	}
	seenRef := map[string]bool{}
	for _, ref := range refs {
		if seenRef[ref] {
			continue
		}
		seenRef[ref] = true
		i, ok := c.refIndex[ref]
		if !ok {
			resp.NonExistReferenceIds = append(resp.NonExistReferenceIds, ref)
			continue
		}
		add(c.media[i]["MediaId"].(string))
	}
	return resp, nil
}
