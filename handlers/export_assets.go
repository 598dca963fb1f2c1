package handlers

import (
	"strconv"
	"time"

	"vodboard/export"
	"vodboard/views"
	"vodboard/vodclient"
)

// assetColumns are the columns of lookup and library exports, in order.
// They are documented in the README ("Export"); keep them stable.
var assetColumns = []string{
	"id", "reference_id", "kind", "outcome", "title", "status", "type", "category", "category_id",
	"tags", "duration", "size", "resolution", "created", "streams", "definitions", "detail", "error",
}

// assetRow is one row of a lookup or library export: an asset found, or an
// ID asked for that was not (its outcome says why).
type assetRow struct {
	ID, ReferenceID string
	Kind            string // "image", "video", "audio"; "" when not known
	Outcome         vodclient.Outcome
	Title, Status   string
	Type            string // ImageType, or video / audio
	Category        string
	CategoryID      int64
	Tags            []string
	Duration        float64 // seconds
	Size            int64   // bytes
	Width, Height   int
	Created         time.Time
	// Counted: Streams and Definitions are known (a media lookup).
	Counted              bool
	Streams, Definitions int
	Error                string
}

// appendCells appends the row's values to cells, in assetColumns' order.
// Values an API left empty or at zero (a duration or size not known yet)
// are empty cells.
func (r assetRow) appendCells(cells []export.Cell, o ExportOptions) []export.Cell {
	found := r.Outcome == vodclient.Found
	tags, detail := export.Empty, export.Empty
	if found {
		tags = export.List(r.Tags)
		detail = export.Text(o.detailURL(r.Kind, r.ID))
	}
	streams, definitions := export.Empty, export.Empty
	if found && r.Counted {
		streams, definitions = export.Int(int64(r.Streams)), export.Int(int64(r.Definitions))
	}
	return append(cells,
		textCell(r.ID), textCell(r.ReferenceID), textCell(r.Kind), export.Text(r.Outcome.String()),
		textCell(r.Title), textCell(r.Status), textCell(r.Type), textCell(r.Category), intCell(r.CategoryID),
		tags, floatCell(r.Duration), intCell(r.Size), resolutionCell(r.Width, r.Height), timeCell(r.Created),
		streams, definitions, detail, textCell(r.Error),
	)
}

// imageResultRow is the row of one ID of an image lookup.
func imageResultRow(res vodclient.ImageResult) assetRow {
	r := assetRow{ID: res.ID, Kind: "image", Outcome: res.Outcome}
	switch res.Outcome {
	case vodclient.Found:
		img := toImage(res.Image)
		r.ID, r.Title, r.Status, r.Type = img.ID, img.Title, img.Status, img.ImageType
		r.Category, r.CategoryID, r.Tags = img.CateName, img.CateID, img.Tags
		r.Size, r.Width, r.Height = img.Mezzanine.FileSize, img.Mezzanine.Width, img.Mezzanine.Height
		r.Created = img.CreationTime.At
	case vodclient.Failed:
		r.Error = failureMessage(res.Err)
	}
	return r
}

// mediaResultRow is the row of one media or reference ID of a media
// lookup. An asset asked for by ID and by reference has a row for each.
func mediaResultRow(res vodclient.MediaResult) assetRow {
	r := assetRow{Outcome: res.Outcome}
	if res.ByReference {
		r.ReferenceID = res.ID
	} else {
		r.ID = res.ID
	}
	switch res.Outcome {
	case vodclient.Found:
		m := toMedia(res.Media)
		r.ID, r.ReferenceID = m.ID, m.ReferenceID
		if res.ByReference && r.ReferenceID == "" {
			r.ReferenceID = res.ID
		}
		r.Kind = mediaKind(m)
		r.Title, r.Status, r.Type = m.Title, m.Status, r.Kind
		r.Category, r.CategoryID, r.Tags = m.CateName, m.CateID, m.Tags
		r.Duration, r.Size, r.Created = m.Duration(), m.Mezzanine.Size, m.CreationTime.At
		if r.Kind == "video" {
			r.Width, r.Height = m.Dimensions()
		}
		r.Counted = true
		r.Streams = len(m.Mezzanine.VideoStreams) + len(m.Mezzanine.AudioStreams)
		r.Definitions = len(m.PlayInfos)
	case vodclient.Failed:
		r.Error = failureMessage(res.Err)
	}
	return r
}

// searchItemRow is the row of one asset of a library selection.
func searchItemRow(it vodclient.SearchItem) assetRow {
	r := assetRow{ID: it.MediaID, Kind: string(it.MediaType), Type: string(it.MediaType), Outcome: vodclient.Found, Created: it.CreationTime.Time}
	media := func(m vodclient.MediaRecord) {
		r.Title, r.Status, r.Category, r.CategoryID = m.Title, m.Status, m.CateName, int64(m.CateID)
		r.Tags, r.Duration, r.Size = m.TagList(), float64(m.Duration), int64(m.Size)
		if !m.CreationTime.IsZero() {
			r.Created = m.CreationTime.Time
		}
	}
	switch {
	case it.Video != nil:
		media(it.Video.MediaRecord)
	case it.Audio != nil:
		media(it.Audio.MediaRecord)
	case it.Image != nil:
		img := it.Image
		r.Title, r.Status, r.Type, r.Category, r.CategoryID = img.Title, img.Status, img.ImageType, img.CateName, int64(img.CateID)
		r.Tags = img.TagList()
		if !img.CreationTime.IsZero() {
			r.Created = img.CreationTime.Time
		}
	}
	return r
}

// mediaKind is "audio" for an audio-only asset and "video" otherwise, as
// the detail page decides.
func mediaKind(m views.Media) string {
	if m.AudioOnly() {
		return "audio"
	}
	return "video"
}

// failureMessage is what an export says of an ID whose call failed: the
// vetted description, and VOD's request ID when there is one.
func failureMessage(err error) string {
	p := Describe(err)
	msg := p.Title + ": " + p.Message
	if p.RequestID != "" {
		msg += " (VOD request ID " + p.RequestID + ")"
	}
	return msg
}

// Cells of the values exports share. The API leaves a value it does not
// know empty or at zero (a duration before transcoding, a size before the
// upload ends): those are empty cells, not zeros.

func textCell(s string) export.Cell {
	if s == "" {
		return export.Empty
	}
	return export.Text(s)
}

func intCell(n int64) export.Cell {
	if n <= 0 {
		return export.Empty
	}
	return export.Int(n)
}

func floatCell(f float64) export.Cell {
	if f <= 0 {
		return export.Empty
	}
	return export.Float(f)
}

func resolutionCell(w, h int) export.Cell {
	if w <= 0 || h <= 0 {
		return export.Empty
	}
	return export.Text(strconv.Itoa(w) + "x" + strconv.Itoa(h))
}

// timeCell is t in ISO 8601, UTC, to the second: 2025-03-01T10:00:00Z.
func timeCell(t time.Time) export.Cell {
	if t.IsZero() {
		return export.Empty
	}
	return export.Text(t.UTC().Format(time.RFC3339))
}
