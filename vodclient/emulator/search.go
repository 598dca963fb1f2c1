package emulator

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

const (
	// searchWindow is how many hits PageNo and PageSize can reach.
	searchWindow = 5000
	// maxFuzzyRunes is the longest fuzzy Title text.
	maxFuzzyRunes = 60
)

// searchMediaResponse is SearchMedia's answer; ScrollToken is omitted for
// images.
type searchMediaResponse struct {
	RequestId   string
	Total       int
	ScrollToken string `json:",omitempty"`
	MediaList   []searchMediaItem
}

// searchMediaItem is one hit; the sub-object of its type comes only with
// Fields.
type searchMediaItem struct {
	MediaType    string
	MediaId      string
	CreationTime string
	Video        map[string]any `json:",omitempty"`
	Audio        map[string]any `json:",omitempty"`
	Image        map[string]any `json:",omitempty"`
}

// searchMedia answers SearchMedia(SearchType, Fields, Match, SortBy,
// PageNo, PageSize, ScrollToken). Without a ScrollToken the page is page
// PageNo of the sorted hits and must lie within the first 5000; with one,
// pages count from the token's offset and reach 100 records past it. Video
// and audio answers carry the ScrollToken of the record after the page.
func (e *Emulator) searchMedia(req *apiRequest, requestID string) (any, *apiError) {
	p := req.params
	kind := cmpOr(p.Get("SearchType"), searchVideo)
	switch kind {
	case searchVideo, searchAudio, searchImage, searchAttached:
	default:
		return nil, errInvalid("SearchType", "Valid values: video, audio, image, attached.")
	}
	sortBy, aerr := parseSortBy(p)
	if aerr != nil {
		return nil, aerr
	}
	pageNo, pageSize, aerr := parsePaging(p)
	if aerr != nil {
		return nil, aerr
	}
	match := p.Get("Match")
	expr, err := ParseMatch(match)
	if err != nil {
		return nil, errInvalid("Match", matchErrorMessage(err))
	}
	filter, aerr := compileMatch(expr, kind)
	if aerr != nil {
		return nil, aerr
	}
	scrollable := kind == searchVideo || kind == searchAudio
	start := 0
	if token := p.Get("ScrollToken"); token != "" {
		if !scrollable {
			return nil, errInvalid("ScrollToken", "Only video and audio searches take a ScrollToken.")
		}
		off, ok := e.openScrollToken(token, kind, match, sortBy)
		if !ok {
			return nil, errInvalid("ScrollToken", "It is not a token of this search (SearchType, Match and SortBy), or it was altered.")
		}
		if n := pageNo * pageSize; n > scrollReach {
			return nil, errInvalid("PageNo", fmt.Sprintf("With a ScrollToken, PageNo*PageSize may reach at most %d records past the token, got %d.", scrollReach, n))
		}
		start = off
	} else if n := pageNo * pageSize; n > searchWindow {
		next := "continue with the ScrollToken of an earlier page."
		if !scrollable {
			next = "narrow the Match instead."
		}
		return nil, errInvalid("PageNo", fmt.Sprintf("PageNo*PageSize is %d; paging reaches the first %d hits only: %s", n, searchWindow, next))
	}

	docs := e.catalog.search.of(kind)
	var hits []int
	for k := range docs {
		i := k
		if sortBy == sortDesc {
			i = len(docs) - 1 - k
		}
		if filter(&docs[i]) {
			hits = append(hits, i)
		}
	}
	resp := searchMediaResponse{RequestId: requestID, Total: len(hits), MediaList: []searchMediaItem{}}
	from, to := pageOf(len(hits), start, pageNo, pageSize)
	fields := searchFields(p.Get("Fields"), kind)
	s := e.signer(req.r)
	for _, i := range hits[from:to] {
		resp.MediaList = append(resp.MediaList, e.searchItem(s, kind, &docs[i], fields))
	}
	if scrollable {
		resp.ScrollToken = e.scrollToken(kind, match, sortBy, min(start+pageNo*pageSize, len(hits)))
	}
	return resp, nil
}

// searchFields returns the requested Fields that exist for kind, in order
// and once each; nil when Fields is empty (no sub-object).
func searchFields(param, kind string) []string {
	asked := splitIDs(param)
	if len(asked) == 0 {
		return nil
	}
	fields := []string{}
	for _, f := range asked {
		ok := mediaSearchField(f)
		if kind == searchImage {
			ok = imageSearchField(f)
		}
		if ok && !slices.Contains(fields, f) {
			fields = append(fields, f)
		}
	}
	return fields
}

// mediaSearchField reports whether f is a field of SearchMedia's Video
// and Audio objects.
func mediaSearchField(f string) bool {
	switch f {
	case "Title", "Description", "Status", "CateId", "CateName", "Tags", "CoverURL", "Duration", "Size",
		"Snapshots", "SpriteSnapshots", "StorageLocation", "StorageClass", "RestoreStatus", "RestoreExpiration",
		"DownloadSwitch", "MediaSource", "TranscodeMode", "PreprocessStatus", "AppId", "ReferenceId",
		"CreationTime", "ModificationTime":
		return true
	}
	return false
}

// imageSearchField reports whether f is a field of SearchMedia's Image
// object.
func imageSearchField(f string) bool {
	switch f {
	case "Title", "Description", "Status", "CateId", "CateName", "Tags", "URL", "ImageType", "Ext",
		"Size", "Width", "Height", "StorageLocation", "AppId", "CreationTime", "ModificationTime":
		return true
	}
	return false
}

// searchItem builds one MediaList entry. URLs are signed as CDN URLs for
// the default AuthTimeout, like every URL the emulator hands out.
func (e *Emulator) searchItem(s urlSigner, kind string, d *searchDoc, fields []string) searchMediaItem {
	c := e.catalog
	if kind == searchImage {
		img := c.imageAt(d.idx)
		item := searchMediaItem{MediaType: kind, MediaId: d.id, CreationTime: stringAt(img, "CreationTime")}
		if fields != nil {
			item.Image = imageSearchObject(s, d.id, img, fields)
		}
		return item
	}
	m := c.mediaAt(d.idx)
	created := stringAt(m, "MediaInfo", "CreationTime")
	item := searchMediaItem{MediaType: kind, MediaId: d.id, CreationTime: created}
	if fields == nil {
		return item
	}
	entry := map[string]any{"MediaId": d.id, "MediaInfo": deepCopy(stringAtAny(m, "MediaInfo"))}
	s.rewriteMedia(entry, defaultAuthTimeout)
	info := entry["MediaInfo"].(map[string]any)
	idField := "VideoId"
	if kind == searchAudio {
		idField = "AudioId"
	}
	obj := map[string]any{idField: d.id, "CreationTime": created}
	for _, f := range fields {
		switch f {
		case "Duration", "Size":
			if n, ok := mediaNumber(m, f); ok {
				obj[f] = n
			}
		default:
			if v, ok := info[f]; ok {
				obj[f] = v
			}
		}
	}
	if kind == searchAudio {
		item.Audio = obj
	} else {
		item.Video = obj
	}
	return item
}

func imageSearchObject(s urlSigner, id string, img map[string]any, fields []string) map[string]any {
	signed := deepCopy(img).(map[string]any)
	s.rewriteImage(signed, urlOptions{prefix: "cdn", ttl: defaultAuthTimeout})
	obj := map[string]any{"ImageId": id, "CreationTime": stringAt(img, "CreationTime")}
	for _, f := range fields {
		switch f {
		case "Ext":
			obj[f] = imageAsset(id, img).ext
		case "Size", "Width", "Height":
			name := f
			if f == "Size" {
				name = "FileSize"
			}
			if n, ok := jsonNumber(stringAtAny(img, "Mezzanine")[name]); ok {
				obj[f] = n
			}
		default:
			if v, ok := signed[f]; ok {
				obj[f] = v
			}
		}
	}
	return obj
}

// mediaNumber reads Duration or Size of a media entry as a number: from
// its MezzanineInfo, else its MediaInfo, else (Duration) its longest
// stream.
func mediaNumber(m map[string]any, name string) (json.Number, bool) {
	if n, ok := jsonNumber(stringAtAny(m, "MezzanineInfo")[name]); ok {
		return n, true
	}
	if n, ok := jsonNumber(stringAtAny(m, "MediaInfo")[name]); ok {
		return n, true
	}
	if name != "Duration" {
		return "", false
	}
	longest := -1.0
	for _, v := range asArray(m["PlayInfoList"]) {
		p, _ := v.(map[string]any)
		if f, ok := numberOf(p["Duration"]); ok && f > longest {
			longest = f
		}
	}
	if longest < 0 {
		return "", false
	}
	return jsonNumber(longest)
}

// jsonNumber turns a JSON number, a numeric string (kept as written, e.g.
// "3725.4400") or a finite float into a JSON number.
func jsonNumber(v any) (json.Number, bool) {
	switch n := v.(type) {
	case json.Number:
		return n, true
	case string:
		if _, err := strconv.ParseFloat(n, 64); err == nil && json.Valid([]byte(n)) && strings.TrimSpace(n) == n {
			return json.Number(n), true
		}
	case float64:
		if !math.IsInf(n, 0) && !math.IsNaN(n) {
			return json.Number(strconv.FormatFloat(n, 'f', -1, 64)), true
		}
	}
	return "", false
}

// docFilter decides whether a search document is a hit.
type docFilter func(*searchDoc) bool

// compileMatch turns a parsed Match into a filter for kind, checking each
// field exists for kind and takes the operator used.
func compileMatch(m MatchExpr, kind string) (docFilter, *apiError) {
	var list []MatchExpr
	switch {
	case m.Cond != nil:
		return compileCond(*m.Cond, kind)
	case m.And != nil:
		list = m.And
	case m.Or != nil:
		list = m.Or
	default:
		return func(*searchDoc) bool { return true }, nil
	}
	filters := make([]docFilter, len(list))
	for i, x := range list {
		f, aerr := compileMatch(x, kind)
		if aerr != nil {
			return nil, aerr
		}
		filters[i] = f
	}
	all := m.And != nil
	return func(d *searchDoc) bool {
		for _, f := range filters {
			if f(d) != all {
				return !all
			}
		}
		return all
	}, nil
}

// idFieldKind returns the SearchType an ID field belongs to, "" for other
// fields.
func idFieldKind(field string) string {
	switch field {
	case "VideoId":
		return searchVideo
	case "AudioId":
		return searchAudio
	case "ImageId":
		return searchImage
	}
	return ""
}

func errMatch(format string, args ...any) *apiError {
	return errInvalid("Match", fmt.Sprintf(format, args...))
}

// compileCond compiles one condition. Title is fuzzy (case-insensitive;
// every word of the text is in the title), the ID fields, CateId, Status,
// Tags and StorageLocation are exact (Tags: one of the asset's tags), all
// of them also with "in"; CreationTime takes a range only.
func compileCond(c MatchCond, kind string) (docFilter, *apiError) {
	field := c.Field
	if want := idFieldKind(field); want != "" && want != kind {
		return nil, errMatch("The field %q cannot be used with SearchType %s.", field, kind)
	}
	switch field {
	case "Title", "VideoId", "AudioId", "ImageId", "CateId", "Status", "Tags", "StorageLocation":
		if c.Op == "range" {
			return nil, errMatch("The field %q does not take a range; use = or in.", field)
		}
	case "CreationTime":
		if c.Op != "range" {
			return nil, errMatch("The field %q takes a range only, e.g. CreationTime = ('2024-01-01T00:00:00Z',).", field)
		}
		return compileTimeRange(c)
	default:
		return nil, errMatch("Unknown field %q.", field)
	}
	switch field {
	case "Title":
		var texts [][]string
		for _, v := range c.Values {
			if utf8.RuneCountInString(v) > maxFuzzyRunes {
				return nil, errMatch("The Title text may be at most %d characters.", maxFuzzyRunes)
			}
			words := strings.Fields(strings.ToLower(v))
			if len(words) == 0 {
				return nil, errMatch("The Title text is empty.")
			}
			texts = append(texts, words)
		}
		return func(d *searchDoc) bool {
			return slices.ContainsFunc(texts, func(words []string) bool {
				for _, w := range words {
					if !strings.Contains(d.title, w) {
						return false
					}
				}
				return true
			})
		}, nil
	case "CateId":
		ids := make([]int64, len(c.Values))
		for i, v := range c.Values {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return nil, errMatch("CateId values are integers, got %q.", v)
			}
			ids[i] = n
		}
		return func(d *searchDoc) bool { return slices.Contains(ids, d.cateID) }, nil
	case "Status":
		return func(d *searchDoc) bool { return slices.Contains(c.Values, d.status) }, nil
	case "StorageLocation":
		return func(d *searchDoc) bool { return slices.Contains(c.Values, d.storage) }, nil
	case "Tags":
		return func(d *searchDoc) bool {
			return slices.ContainsFunc(d.tags, func(t string) bool { return slices.Contains(c.Values, t) })
		}, nil
	}
	return func(d *searchDoc) bool { return slices.Contains(c.Values, d.id) }, nil
}

func compileTimeRange(c MatchCond) (docFilter, *apiError) {
	bound := func(s string) (int64, bool, *apiError) {
		if s == "" {
			return 0, false, nil
		}
		t, err := time.Parse(matchTimeLayout, s)
		if err != nil {
			return 0, false, errMatch("CreationTime %q is not an ISO 8601 UTC time like 2024-01-01T00:00:00Z.", s)
		}
		return t.Unix(), true, nil
	}
	low, hasLow, aerr := bound(c.Low)
	if aerr != nil {
		return nil, aerr
	}
	high, hasHigh, aerr := bound(c.High)
	if aerr != nil {
		return nil, aerr
	}
	return func(d *searchDoc) bool {
		switch {
		case d.at == math.MinInt64:
			return !hasLow && !hasHigh
		case hasLow && (d.at < low || d.at == low && !c.LowClosed):
			return false
		case hasHigh && (d.at > high || d.at == high && !c.HighClosed):
			return false
		}
		return true
	}, nil
}
