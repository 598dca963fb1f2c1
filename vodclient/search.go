package vodclient

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// MediaType is the kind of asset a search looks for.
type MediaType string

// The kinds SearchMedia searches; one search looks for one kind.
const (
	Video MediaType = "video"
	Audio MediaType = "audio"
	Image MediaType = "image"
)

// Valid reports whether t is one of Video, Audio and Image.
func (t MediaType) Valid() bool { return t == Video || t == Audio || t == Image }

// idField is the Match field of the kind's asset ID.
func (t MediaType) idField() string {
	switch t {
	case Audio:
		return "AudioId"
	case Image:
		return "ImageId"
	}
	return "VideoId"
}

// Scrollable reports whether searches of this kind continue past the first
// SearchWindow hits with a ScrollToken (video and audio do, images do not).
func (t MediaType) Scrollable() bool { return t != Image }

// SortOrder orders search results by creation time.
type SortOrder int

// Sort orders.
const (
	NewestFirst SortOrder = iota // CreationTime:Desc, the default
	OldestFirst                  // CreationTime:Asc
)

func (s SortOrder) sortBy() string {
	if s == OldestFirst {
		return "CreationTime:Asc"
	}
	return "CreationTime:Desc"
}

// Paging limits of SearchMedia.
const (
	// SearchWindow is how many hits PageNo and PageSize can reach.
	SearchWindow = 5000
	// MaxSearchPageSize is the largest PageSize.
	MaxSearchPageSize = 100
	// ScrollReach is how many records past a ScrollToken one request can
	// reach (PageNo × PageSize).
	ScrollReach = 100
	// DefaultSearchPageSize is the PageSize of a query that sets none.
	DefaultSearchPageSize = 20
)

// Every status an asset can have, as SearchMedia filters them.
var (
	MediaStatuses = []string{"Normal", "Uploading", "UploadSucc", "UploadFail", "Transcoding", "TranscodeFail", "Checking", "Blocked"}
	ImageStatuses = []string{"Normal", "Uploading", "UploadFail"}
)

// SearchQuery is a typed SearchMedia request. The client writes the Match
// filter from it; user text is only ever a quoted value.
type SearchQuery struct {
	// Type is what to look for; "" means Video.
	Type MediaType
	// Title matches titles that contain its words (fuzzy, at most 60
	// characters are sent).
	Title string
	// ID matches the asset with exactly this ID.
	ID string
	// TitleOrID joins Title and ID with "or" instead of "and": a search box
	// where words find titles and a pasted ID finds its asset.
	TitleOrID bool
	// Tags matches assets that carry any of these tags.
	Tags []string
	// Statuses matches assets in any of these statuses.
	Statuses []string
	// CategoryIDs matches assets in any of these categories (exactly: list
	// subcategories to include them).
	CategoryIDs []int64
	// CreatedFrom (inclusive) and CreatedBefore (exclusive) bound the
	// creation time; a zero time leaves that end open.
	CreatedFrom, CreatedBefore time.Time
	// Sort orders by creation time, newest first by default.
	Sort SortOrder
	// PageNo counts from 1 (0 means 1); PageSize is at most 100 (0 means
	// DefaultSearchPageSize). Without a ScrollToken they reach the first
	// SearchWindow hits; with one they count from the token's position, and
	// reach ScrollReach records.
	PageNo, PageSize int
	// ScrollToken continues a video or audio search past a page: the
	// ScrollToken of the SearchPage before.
	ScrollToken string
}

// SearchWindowError says that a search asked for hits past the first
// SearchWindow without a ScrollToken. Video and audio searches continue with
// the ScrollToken of the last page inside the window; image searches cannot
// go further and must be narrowed. Nothing was sent.
type SearchWindowError struct {
	Type   MediaType
	Offset int // the first hit asked for, counted from 0
}

func (e *SearchWindowError) Error() string {
	if e.Type.Scrollable() {
		return fmt.Sprintf("SearchMedia pages reach the first %d hits; %s results past them continue with a ScrollToken", SearchWindow, e.Type)
	}
	return fmt.Sprintf("SearchMedia reaches only the first %d image hits; narrow the search to see the rest", SearchWindow)
}

// Is makes errors.Is(err, ErrInvalidArgument) true.
func (e *SearchWindowError) Is(target error) bool { return target == ErrInvalidArgument }

// normalize fills the defaults and checks the query against the documented
// limits.
func (q SearchQuery) normalize() (SearchQuery, error) {
	if q.Type == "" {
		q.Type = Video
	}
	if !q.Type.Valid() {
		return q, invalidArgument("search type %q: want video, audio or image", q.Type)
	}
	if q.PageNo == 0 {
		q.PageNo = 1
	}
	if q.PageSize == 0 {
		q.PageSize = DefaultSearchPageSize
	}
	switch {
	case q.PageNo < 1:
		return q, invalidArgument("page %d: pages count from 1", q.PageNo)
	case q.PageSize < 1 || q.PageSize > MaxSearchPageSize:
		return q, invalidArgument("page size %d: want 1 to %d", q.PageSize, MaxSearchPageSize)
	case q.ID != "" && !ValidID(q.ID):
		return q, &InvalidIDsError{IDs: []string{q.ID}}
	case q.Sort != NewestFirst && q.Sort != OldestFirst:
		return q, invalidArgument("sort order %d", q.Sort)
	case !q.CreatedFrom.IsZero() && !q.CreatedBefore.IsZero() && !q.CreatedFrom.Before(q.CreatedBefore):
		return q, invalidArgument("creation time from %s is not before %s", q.CreatedFrom.Format(time.RFC3339), q.CreatedBefore.Format(time.RFC3339))
	}
	statuses := MediaStatuses
	if q.Type == Image {
		statuses = ImageStatuses
	}
	for _, s := range q.Statuses {
		if !slices.Contains(statuses, s) {
			return q, invalidArgument("status %q is not a status of %s assets", s, q.Type)
		}
	}
	if q.ScrollToken != "" {
		if !q.Type.Scrollable() {
			return q, invalidArgument("image searches have no ScrollToken")
		}
		if !ValidScrollToken(q.ScrollToken) {
			return q, invalidArgument("ScrollToken %q is not a token SearchMedia hands out", q.ScrollToken)
		}
		if q.PageNo*q.PageSize > ScrollReach {
			return q, invalidArgument("page %d of %d past a ScrollToken: a token reaches %d records", q.PageNo, q.PageSize, ScrollReach)
		}
	} else if q.PageNo*q.PageSize > SearchWindow {
		return q, &SearchWindowError{Type: q.Type, Offset: (q.PageNo - 1) * q.PageSize}
	}
	return q, nil
}

// ValidScrollToken reports whether s has the shape of a ScrollToken: up to
// 128 letters, digits, '-', '_' and '*'.
func ValidScrollToken(s string) bool {
	if len(s) > 128 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '*') {
			return false
		}
	}
	return true
}

// match writes the query's Match filter.
func (q SearchQuery) match() string {
	var b matchBuilder
	if q.TitleOrID {
		b.anyOf(func(b *matchBuilder) {
			b.fuzzy("Title", q.Title)
			if q.ID != "" {
				b.exact(q.Type.idField(), q.ID)
			}
		})
	} else {
		b.fuzzy("Title", q.Title)
		if q.ID != "" {
			b.exact(q.Type.idField(), q.ID)
		}
	}
	b.in("Tags", q.Tags)
	b.in("Status", q.Statuses)
	b.inNumbers("CateId", q.CategoryIDs)
	b.timeRange("CreationTime", q.CreatedFrom, q.CreatedBefore)
	return b.String()
}

// searchFields are the fields the library pages show, per kind.
func searchFields(t MediaType) string {
	if t == Image {
		return "Title,Status,CateId,CateName,Tags,URL,ImageType,Ext,StorageLocation,CreationTime,ModificationTime"
	}
	return "Title,Status,CateId,CateName,Tags,CoverURL,Duration,Size,StorageClass,StorageLocation,CreationTime,ModificationTime"
}

// params are the request parameters of the query.
func (q SearchQuery) params() map[string]string {
	p := map[string]string{
		"SearchType": string(q.Type),
		"Fields":     searchFields(q.Type),
		"SortBy":     q.Sort.sortBy(),
		"PageNo":     strconv.Itoa(q.PageNo),
		"PageSize":   strconv.Itoa(q.PageSize),
	}
	if m := q.match(); m != "" {
		p["Match"] = m
	}
	if q.ScrollToken != "" {
		p["ScrollToken"] = q.ScrollToken
	}
	return p
}

// SearchPage is one page of SearchMedia results.
type SearchPage struct {
	// Total is the number of hits of the whole search.
	Total int64
	// ScrollToken continues a video or audio search after this page.
	ScrollToken string
	Items       []SearchItem
}

// SearchItem is one hit: a video, an audio file or an image, whichever
// MediaType says.
type SearchItem struct {
	MediaType    MediaType    `json:"MediaType"`
	MediaID      string       `json:"MediaId"`
	CreationTime Time         `json:"CreationTime"`
	Video        *VideoRecord `json:"Video"`
	Audio        *AudioRecord `json:"Audio"`
	Image        *ImageRecord `json:"Image"`
}

// MediaRecord holds the fields SearchMedia returns for video and audio.
type MediaRecord struct {
	Title             string     `json:"Title"`
	Description       string     `json:"Description"`
	Status            string     `json:"Status"`
	CateID            Int        `json:"CateId"`
	CateName          string     `json:"CateName"`
	Tags              string     `json:"Tags"`
	CoverURL          string     `json:"CoverURL"`
	Duration          Float      `json:"Duration"`
	Size              Int        `json:"Size"`
	Snapshots         StringList `json:"Snapshots"`
	SpriteSnapshots   StringList `json:"SpriteSnapshots"`
	StorageLocation   string     `json:"StorageLocation"`
	StorageClass      string     `json:"StorageClass"`
	RestoreStatus     string     `json:"RestoreStatus"`
	RestoreExpiration Time       `json:"RestoreExpiration"`
	DownloadSwitch    string     `json:"DownloadSwitch"`
	MediaSource       string     `json:"MediaSource"`
	TranscodeMode     string     `json:"TranscodeMode"`
	PreprocessStatus  string     `json:"PreprocessStatus"`
	AppID             string     `json:"AppId"`
	ReferenceID       String     `json:"ReferenceId"`
	CreationTime      Time       `json:"CreationTime"`
	ModificationTime  Time       `json:"ModificationTime"`
}

// TagList splits the comma-separated Tags.
func (m MediaRecord) TagList() []string { return splitTags(m.Tags) }

// VideoRecord is a video as SearchMedia returns it.
type VideoRecord struct {
	VideoID string `json:"VideoId"`
	MediaRecord
}

// AudioRecord is an audio file as SearchMedia returns it.
type AudioRecord struct {
	AudioID string `json:"AudioId"`
	MediaRecord
}

// ImageRecord is an image as SearchMedia returns it.
type ImageRecord struct {
	ImageID          string `json:"ImageId"`
	Title            string `json:"Title"`
	Description      string `json:"Description"`
	Status           string `json:"Status"`
	URL              string `json:"URL"`
	ImageType        string `json:"ImageType"`
	Ext              string `json:"Ext"`
	CateID           Int    `json:"CateId"`
	CateName         string `json:"CateName"`
	Tags             string `json:"Tags"`
	StorageLocation  string `json:"StorageLocation"`
	AppID            string `json:"AppId"`
	CreationTime     Time   `json:"CreationTime"`
	ModificationTime Time   `json:"ModificationTime"`
}

// TagList splits the comma-separated Tags.
func (i ImageRecord) TagList() []string { return splitTags(i.Tags) }

type searchMediaResponse struct {
	RequestID   string       `json:"RequestId"`
	Total       Int          `json:"Total"`
	ScrollToken string       `json:"ScrollToken"`
	MediaList   []SearchItem `json:"MediaList"`
}

// SearchMedia runs one page of a search (SearchMedia). The query is checked
// before anything is sent: a page past the first SearchWindow hits without
// a ScrollToken is a *SearchWindowError, other bad values match
// ErrInvalidArgument. Items of another MediaType than the query's are
// dropped; an item without its record gets an empty one with its ID.
func (c *Client) SearchMedia(ctx context.Context, q SearchQuery) (SearchPage, error) {
	q, err := q.normalize()
	if err != nil {
		return SearchPage{}, err
	}
	var resp searchMediaResponse
	if err := c.call(ctx, "SearchMedia", q.params(), &resp); err != nil {
		return SearchPage{}, fmt.Errorf("search media: %w", err)
	}
	page := SearchPage{Total: int64(resp.Total), ScrollToken: strings.TrimSpace(resp.ScrollToken)}
	page.Items = make([]SearchItem, 0, len(resp.MediaList))
	for _, it := range resp.MediaList {
		if it.MediaType == "" {
			it.MediaType = q.Type
		}
		if it.MediaType != q.Type {
			continue
		}
		page.Items = append(page.Items, it.withRecord())
	}
	if !q.Type.Scrollable() {
		page.ScrollToken = ""
	}
	return page, nil
}

// withRecord makes sure the item has the record of its kind, and fills
// MediaID from the record or the record's ID from MediaID, whichever the
// answer left out.
func (it SearchItem) withRecord() SearchItem {
	switch {
	case it.MediaType == Video && it.Video == nil:
		it.Video = &VideoRecord{}
	case it.MediaType == Audio && it.Audio == nil:
		it.Audio = &AudioRecord{}
	case it.MediaType == Image && it.Image == nil:
		it.Image = &ImageRecord{}
	}
	fill := func(id *string) {
		if it.MediaID == "" {
			it.MediaID = *id
		} else if *id == "" {
			*id = it.MediaID
		}
	}
	switch it.MediaType {
	case Video:
		fill(&it.Video.VideoID)
	case Audio:
		fill(&it.Audio.AudioID)
	case Image:
		fill(&it.Image.ImageID)
	}
	return it
}
