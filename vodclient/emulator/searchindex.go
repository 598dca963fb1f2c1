package emulator

import (
	"cmp"
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// SearchType values.
const (
	searchVideo    = "video"
	searchAudio    = "audio"
	searchImage    = "image"
	searchAttached = "attached"
)

// matchTimeLayout is how Match and the catalog write times: ISO 8601 UTC.
const matchTimeLayout = "2006-01-02T15:04:05Z"

// searchDoc is what SearchMedia filters and sorts an asset on.
type searchDoc struct {
	id      string
	title   string // lower-cased, for fuzzy matching
	status  string
	cateID  int64 // 0: no category
	tags    []string
	storage string
	at      int64 // CreationTime in Unix seconds; math.MinInt64 if missing or malformed
	idx     int   // index for Catalog.imageAt or Catalog.mediaAt
}

// searchIndex holds the documents of each SearchType, oldest first (ties
// by ID), so a search is a filtered walk in either direction.
type searchIndex struct {
	video, audio, image []searchDoc
}

func (x *searchIndex) of(kind string) []searchDoc {
	switch kind {
	case searchVideo:
		return x.video
	case searchAudio:
		return x.audio
	case searchImage:
		return x.image
	}
	return nil
}

func (x *searchIndex) sort() {
	for _, docs := range [][]searchDoc{x.video, x.audio, x.image} {
		slices.SortFunc(docs, func(a, b searchDoc) int {
			return cmp.Or(cmp.Compare(a.at, b.at), strings.Compare(a.id, b.id))
		})
	}
}

func (c *Catalog) buildSearchIndex() searchIndex {
	var x searchIndex
	for i, img := range c.images {
		x.image = append(x.image, newSearchDoc(img["ImageId"].(string), img, i))
	}
	for i, m := range c.media {
		d := newSearchDoc(m["MediaId"].(string), stringAtAny(m, "MediaInfo"), i)
		if isAudio(m) {
			x.audio = append(x.audio, d)
		} else {
			x.video = append(x.video, d)
		}
	}
	x.sort()
	return x
}

// newSearchDoc reads the searchable fields of an ImageInfo or MediaInfo.
func newSearchDoc(id string, fields map[string]any, idx int) searchDoc {
	return searchDoc{
		id:      id,
		title:   strings.ToLower(stringAt(fields, "Title")),
		status:  stringAt(fields, "Status"),
		cateID:  integerOf(fields["CateId"]),
		tags:    splitIDs(stringAt(fields, "Tags")),
		storage: stringAt(fields, "StorageLocation"),
		at:      creationTime(stringAt(fields, "CreationTime")),
		idx:     idx,
	}
}

// integerOf reads an integer from a JSON number or numeric string; 0 if
// there is none.
func integerOf(v any) int64 {
	switch n := v.(type) {
	case json.Number:
		if i, err := n.Int64(); err == nil {
			return i
		}
	case string:
		if i, err := strconv.ParseInt(n, 10, 64); err == nil {
			return i
		}
	}
	f, _ := numberOf(v)
	return int64(f)
}

// creationTime parses an ISO 8601 time (UTC or with an offset) to Unix
// seconds; math.MinInt64 if it is missing or malformed, so such assets sort
// first and no CreationTime range matches them.
func creationTime(s string) int64 {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return math.MinInt64
	}
	return t.Unix()
}

// audioExt reports whether a mezzanine file extension is an audio format.
func audioExt(ext string) bool {
	switch ext {
	case "mp3", "m4a", "wav", "aac", "flac", "ogg", "opus", "wma", "amr", "ape":
		return true
	}
	return false
}

// isAudio reports whether a media entry is audio (SearchType audio) rather
// than video. It is audio when nothing in it shows a picture (no
// VideoStreamList entry and no Width/Height in its MezzanineInfo, no
// PlayInfo of StreamType video) and something shows sound: an
// AudioStreamList entry, a PlayInfo of StreamType audio, or a mezzanine
// file with an audio extension (an upload not yet analysed). Anything else,
// including media that show neither, is video.
func isAudio(m map[string]any) bool {
	mz := stringAtAny(m, "MezzanineInfo")
	if len(asArray(mz["VideoStreamList"])) > 0 || numberAt(mz, "Width") > 0 || numberAt(mz, "Height") > 0 {
		return false
	}
	sound := len(asArray(mz["AudioStreamList"])) > 0
	for _, v := range asArray(m["PlayInfoList"]) {
		p, _ := v.(map[string]any)
		switch stringAt(p, "StreamType") {
		case "video":
			return false
		case "audio":
			sound = true
		}
	}
	if !sound {
		ext := extOf(stringAt(mz, "FileName"))
		if ext == "" {
			ext = extOf(stringAt(mz, "FileURL"))
		}
		sound = audioExt(ext)
	}
	return sound
}
