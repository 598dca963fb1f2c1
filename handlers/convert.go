package handlers

import (
	"bytes"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"time"

	"vodboard/views"
	"vodboard/vodclient"
)

// The functions here turn API types into view models; views never see
// vodclient.

func toTimestamp(t vodclient.Time) views.Timestamp {
	return views.Timestamp{At: t.Time, Raw: strings.TrimSpace(t.Raw)}
}

func toImage(img vodclient.ImageInfo) views.Image {
	return views.Image{
		ID:              img.ImageID,
		Title:           img.Title,
		Description:     img.Description,
		ImageType:       img.ImageType,
		Status:          img.Status,
		AuditStatus:     img.AuditStatus,
		RegionID:        img.RegionID,
		AppID:           img.AppID,
		StorageLocation: img.StorageLocation,
		CateID:          int64(img.CateID),
		CateName:        img.CateName,
		Tags:            img.TagList(),
		CreationTime:    toTimestamp(img.CreationTime),
		URL:             img.URL,
		Mezzanine: views.ImageMezzanine{
			OriginalFileName: img.Mezzanine.OriginalFileName,
			FileSize:         int64(img.Mezzanine.FileSize),
			Width:            int(img.Mezzanine.Width),
			Height:           int(img.Mezzanine.Height),
			FileURL:          img.Mezzanine.FileURL,
		},
	}
}

func toMedia(m vodclient.Media) views.Media {
	info, mez := m.MediaInfo, m.MezzanineInfo
	id := m.MediaID
	if id == "" {
		id = info.MediaID
	}
	out := views.Media{
		ID:                id,
		Title:             info.Title,
		Description:       info.Description,
		Status:            info.Status,
		CoverURL:          info.CoverURL,
		Snapshots:         info.Snapshots,
		CateID:            int64(info.CateID),
		CateName:          info.CateName,
		Tags:              info.TagList(),
		StorageLocation:   info.StorageLocation,
		StorageClass:      info.StorageClass,
		RestoreStatus:     info.RestoreStatus,
		RestoreExpiration: toTimestamp(info.RestoreExpiration),
		DownloadSwitch:    info.DownloadSwitch,
		AppID:             info.AppID,
		TemplateGroupID:   info.TemplateGroupID,
		ReferenceID:       string(info.ReferenceID),
		UserData:          prettyJSON(info.UserData),
		CreationTime:      toTimestamp(info.CreationTime),
		ModificationTime:  toTimestamp(info.ModificationTime),
		Mezzanine: views.MediaMezzanine{
			FileName:     strings.TrimSpace(mez.FileName),
			FileURL:      mez.FileURL,
			FileMD5:      mez.FileMD5,
			Status:       mez.Status,
			Size:         int64(mez.Size),
			Duration:     float64(mez.Duration),
			Bitrate:      float64(mez.Bitrate),
			Fps:          float64(mez.Fps),
			Width:        int(mez.Width),
			Height:       int(mez.Height),
			CreationTime: toTimestamp(mez.CreationTime),
		},
	}
	for _, v := range mez.VideoStreamList {
		out.Mezzanine.VideoStreams = append(out.Mezzanine.VideoStreams, views.VideoStream{
			Index:          int(v.Index),
			CodecName:      v.CodecName,
			CodecLongName:  strings.TrimSpace(v.CodecLongName),
			Profile:        v.Profile,
			Level:          string(v.Level),
			Width:          int(v.Width),
			Height:         int(v.Height),
			Bitrate:        float64(v.Bitrate),
			Fps:            float64(v.Fps),
			AvgFPS:         float64(v.AvgFPS),
			PixFmt:         v.PixFmt,
			HDRType:        v.HDRType,
			Sar:            string(v.Sar),
			Dar:            string(v.Dar),
			Rotate:         string(v.Rotate),
			HasBFrames:     int64(v.HasBFrames),
			NumFrames:      int64(v.NumFrames),
			Duration:       float64(v.Duration),
			Timebase:       string(v.Timebase),
			CodecTimeBase:  string(v.CodecTimeBase),
			CodecTag:       v.CodecTag,
			CodecTagString: v.CodecTagString,
			StartTime:      toTimestamp(v.StartTime),
			Lang:           v.Lang,
		})
	}
	for _, a := range mez.AudioStreamList {
		out.Mezzanine.AudioStreams = append(out.Mezzanine.AudioStreams, views.AudioStream{
			Index:          int(a.Index),
			CodecName:      a.CodecName,
			CodecLongName:  strings.TrimSpace(a.CodecLongName),
			Lang:           a.Lang,
			Channels:       int(a.Channels),
			ChannelLayout:  a.ChannelLayout,
			SampleRate:     int(a.SampleRate),
			SampleFmt:      a.SampleFmt,
			Bitrate:        float64(a.Bitrate),
			Duration:       float64(a.Duration),
			NumFrames:      int64(a.NumFrames),
			Timebase:       string(a.Timebase),
			CodecTimeBase:  string(a.CodecTimeBase),
			CodecTag:       a.CodecTag,
			CodecTagString: a.CodecTagString,
			StartTime:      toTimestamp(a.StartTime),
		})
	}
	for _, p := range m.PlayInfoList {
		out.PlayInfos = append(out.PlayInfos, views.PlayInfo{
			JobID:            p.JobID,
			Definition:       p.Definition,
			Format:           p.Format,
			StreamType:       p.StreamType,
			Status:           p.Status,
			Specification:    p.Specification,
			NarrowBandType:   string(p.NarrowBandType),
			Width:            int(p.Width),
			Height:           int(p.Height),
			Bitrate:          float64(p.Bitrate),
			Fps:              float64(p.Fps),
			Size:             int64(p.Size),
			Duration:         float64(p.Duration),
			HDRType:          p.HDRType,
			BitDepth:         int(p.BitDepth),
			CodecName:        p.CodecName,
			Encrypted:        p.Encrypted(),
			EncryptType:      p.EncryptType,
			EncryptMode:      p.EncryptMode,
			PlayURL:          p.PlayURL,
			WatermarkID:      p.WatermarkID,
			JobType:          int(p.JobType),
			JobExt:           p.JobExt,
			TemplateID:       p.TemplateID,
			TemplateGroupID:  p.TemplateGroupID,
			CreationTime:     toTimestamp(p.CreationTime),
			ModificationTime: toTimestamp(p.ModificationTime),
		})
	}
	return out
}

// prettyJSON indents s when it is JSON, and returns it as is otherwise.
func prettyJSON(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || !json.Valid([]byte(s)) {
		return s
	}
	var b bytes.Buffer
	if err := json.Indent(&b, []byte(s), "", "  "); err != nil {
		return s
	}
	return b.String()
}

// signedURLExpiry reads the expiry of a signed URL: CDN type A
// (auth_key=<expiry>-...) or OSS (Expires=<unix>). Zero when unsigned.
func signedURLExpiry(raw string) time.Time {
	u, err := url.Parse(raw)
	if err != nil {
		return time.Time{}
	}
	q := u.Query()
	v := q.Get("Expires")
	if k := q.Get("auth_key"); k != "" {
		v, _, _ = strings.Cut(k, "-")
	}
	secs, err := strconv.ParseInt(v, 10, 64)
	if err != nil || secs <= 0 {
		return time.Time{}
	}
	return time.Unix(secs, 0).UTC()
}
