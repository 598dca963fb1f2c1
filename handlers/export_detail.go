package handlers

import (
	"github.com/labstack/echo/v4"

	"vodboard/export"
	"vodboard/views"
)

// The detail page's tables as files: the source file's streams
// (/media/{id}/streams) and the definitions (/media/{id}/playinfo). Their
// columns are documented in the README ("Export"); keep them stable.

// streamColumns are the columns of a streams export: video and audio
// streams in one table, each row with the columns of its kind filled.
var streamColumns = []string{
	"media_id", "kind", "index", "codec", "codec_long_name", "language", "duration", "bitrate", "frames",
	"profile", "level", "width", "height", "fps", "avg_fps", "pix_fmt", "hdr", "sar", "dar", "rotate", "has_b_frames",
	"channels", "channel_layout", "sample_rate", "sample_fmt",
	"time_base", "codec_time_base", "codec_tag", "codec_tag_string", "start_time",
}

// playInfoColumns are the columns of a definitions export. PlayURL is
// left out: it is signed, and expires.
var playInfoColumns = []string{
	"media_id", "definition", "format", "stream_type", "status", "width", "height", "bitrate", "fps", "size",
	"duration", "codec", "hdr", "bit_depth", "encrypted", "encrypt_type", "encrypt_mode", "specification",
	"narrowband", "watermark_id", "job_type", "job_ext", "job_id", "template_id", "template_group_id",
	"created", "modified",
}

// StreamsExport exports the video and audio streams of an asset's source
// file, as the detail page's stream tables show them.
func StreamsExport(o ExportOptions) ExportFunc {
	return func(c echo.Context, f export.Format) error {
		m, err := fragmentMedia(c)
		if err != nil {
			return err
		}
		var rows []map[string]export.Cell
		for _, s := range m.Mezzanine.VideoStreams {
			rows = append(rows, videoStreamValues(m.ID, s))
		}
		for _, s := range m.Mezzanine.AudioStreams {
			rows = append(rows, audioStreamValues(m.ID, s))
		}
		return exportTable(c, o, f, "media-"+m.ID+"-streams", streamColumns, rows)
	}
}

// PlayInfoExport exports an asset's definitions (PlayInfoList), every
// field the detail page's table shows but the signed PlayURL.
func PlayInfoExport(o ExportOptions) ExportFunc {
	return func(c echo.Context, f export.Format) error {
		m, err := fragmentMedia(c)
		if err != nil {
			return err
		}
		var rows []map[string]export.Cell
		for _, p := range m.PlayInfos {
			rows = append(rows, playInfoValues(m.ID, p))
		}
		return exportTable(c, o, f, "media-"+m.ID+"-playinfo", playInfoColumns, rows)
	}
}

// exportTable writes a small table whose rows are values by column name.
func exportTable(c echo.Context, o ExportOptions, f export.Format, kind string, columns []string, rows []map[string]export.Cell) error {
	w, err := startExport(c, o, f, kind, columns)
	if err != nil {
		return err
	}
	for _, values := range rows {
		if err := w.Row(inColumns(columns, values)...); err != nil {
			return err
		}
	}
	return w.Close()
}

// inColumns lays values out in columns' order; a column without a value
// is empty.
func inColumns(columns []string, values map[string]export.Cell) []export.Cell {
	cells := make([]export.Cell, len(columns))
	for i, name := range columns {
		cells[i] = values[name]
	}
	return cells
}

func videoStreamValues(mediaID string, s views.VideoStream) map[string]export.Cell {
	return map[string]export.Cell{
		"media_id": export.Text(mediaID), "kind": export.Text("video"), "index": export.Int(int64(s.Index)),
		"codec": textCell(s.CodecName), "codec_long_name": textCell(s.CodecLongName), "language": textCell(s.Lang),
		"duration": floatCell(s.Duration), "bitrate": floatCell(s.Bitrate), "frames": export.Int(s.NumFrames),
		"profile": textCell(s.Profile), "level": textCell(s.Level),
		"width": intCell(int64(s.Width)), "height": intCell(int64(s.Height)),
		"fps": floatCell(s.Fps), "avg_fps": floatCell(s.AvgFPS), "pix_fmt": textCell(s.PixFmt), "hdr": textCell(s.HDRType),
		"sar": textCell(s.Sar), "dar": textCell(s.Dar), "rotate": textCell(s.Rotate), "has_b_frames": export.Int(s.HasBFrames),
		"time_base": textCell(s.Timebase), "codec_time_base": textCell(s.CodecTimeBase),
		"codec_tag": textCell(s.CodecTag), "codec_tag_string": textCell(s.CodecTagString), "start_time": startTimeCell(s.StartTime),
	}
}

func audioStreamValues(mediaID string, s views.AudioStream) map[string]export.Cell {
	return map[string]export.Cell{
		"media_id": export.Text(mediaID), "kind": export.Text("audio"), "index": export.Int(int64(s.Index)),
		"codec": textCell(s.CodecName), "codec_long_name": textCell(s.CodecLongName), "language": textCell(s.Lang),
		"duration": floatCell(s.Duration), "bitrate": floatCell(s.Bitrate), "frames": export.Int(s.NumFrames),
		"channels": intCell(int64(s.Channels)), "channel_layout": textCell(s.ChannelLayout),
		"sample_rate": intCell(int64(s.SampleRate)), "sample_fmt": textCell(s.SampleFmt),
		"time_base": textCell(s.Timebase), "codec_time_base": textCell(s.CodecTimeBase),
		"codec_tag": textCell(s.CodecTag), "codec_tag_string": textCell(s.CodecTagString), "start_time": startTimeCell(s.StartTime),
	}
}

func playInfoValues(mediaID string, p views.PlayInfo) map[string]export.Cell {
	return map[string]export.Cell{
		"media_id": export.Text(mediaID), "definition": textCell(p.Definition), "format": textCell(p.Format),
		"stream_type": textCell(p.StreamType), "status": textCell(p.Status),
		"width": intCell(int64(p.Width)), "height": intCell(int64(p.Height)), "bitrate": floatCell(p.Bitrate),
		"fps": floatCell(p.Fps), "size": intCell(p.Size), "duration": floatCell(p.Duration),
		"codec": textCell(p.CodecName), "hdr": textCell(p.HDRType), "bit_depth": intCell(int64(p.BitDepth)),
		"encrypted": export.Bool(p.Encrypted), "encrypt_type": textCell(p.EncryptType), "encrypt_mode": textCell(p.EncryptMode),
		"specification": textCell(p.Specification), "narrowband": textCell(p.NarrowBandType),
		"watermark_id": textCell(p.WatermarkID), "job_type": export.Int(int64(p.JobType)), "job_ext": textCell(p.JobExt),
		"job_id": textCell(p.JobID), "template_id": textCell(p.TemplateID), "template_group_id": textCell(p.TemplateGroupID),
		"created": timeCell(p.CreationTime.At), "modified": timeCell(p.ModificationTime.At),
	}
}

// startTimeCell is a stream's start time: ISO 8601 when the API gave a
// time, else what it gave (usually seconds, "0.000000").
func startTimeCell(ts views.Timestamp) export.Cell {
	if !ts.At.IsZero() {
		return timeCell(ts.At)
	}
	return textCell(ts.Raw)
}
