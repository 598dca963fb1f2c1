package vodclient

import "strings"

// ImageInfo is an image as GetImageInfo and GetImageInfos describe it.
// AuditStatus and RegionID appear only in the older version of the API.
type ImageInfo struct {
	ImageID         string    `json:"ImageId"`
	Title           string    `json:"Title"`
	Description     string    `json:"Description"`
	ImageType       string    `json:"ImageType"`
	Status          string    `json:"Status"`
	AuditStatus     string    `json:"AuditStatus"`
	RegionID        string    `json:"RegionId"`
	AppID           string    `json:"AppId"`
	CateID          Int       `json:"CateId"`
	CateName        string    `json:"CateName"`
	Tags            string    `json:"Tags"`
	URL             string    `json:"URL"`
	StorageLocation string    `json:"StorageLocation"`
	CreationTime    Time      `json:"CreationTime"`
	Mezzanine       Mezzanine `json:"Mezzanine"`
}

// TagList splits the comma-separated Tags.
func (i ImageInfo) TagList() []string { return splitTags(i.Tags) }

// Mezzanine is the source file of an image.
type Mezzanine struct {
	FileURL          string `json:"FileURL"`
	OriginalFileName string `json:"OriginalFileName"`
	Width            Int    `json:"Width"`
	Height           Int    `json:"Height"`
	FileSize         Int    `json:"FileSize"`
}

// Media is one entry of BatchGetMediaInfos' MediaInfos: an audio or video
// asset with its source file and its transcoded streams.
type Media struct {
	MediaID       string        `json:"MediaId"`
	MediaInfo     MediaInfo     `json:"MediaInfo"`
	MezzanineInfo MezzanineInfo `json:"MezzanineInfo"`
	PlayInfoList  []PlayInfo    `json:"PlayInfoList"`
}

// MediaInfo is the basic information about an audio or video asset.
type MediaInfo struct {
	MediaID           string     `json:"MediaId"`
	Title             string     `json:"Title"`
	Description       string     `json:"Description"`
	Status            string     `json:"Status"`
	CateID            Int        `json:"CateId"`
	CateName          string     `json:"CateName"`
	Tags              string     `json:"Tags"`
	AppID             string     `json:"AppId"`
	CoverURL          string     `json:"CoverURL"`
	Snapshots         StringList `json:"Snapshots"`
	StorageLocation   string     `json:"StorageLocation"`
	StorageClass      string     `json:"StorageClass"`
	RestoreStatus     string     `json:"RestoreStatus"`
	RestoreExpiration Time       `json:"RestoreExpiration"`
	DownloadSwitch    string     `json:"DownloadSwitch"`
	TemplateGroupID   string     `json:"TemplateGroupId"`
	UserData          string     `json:"UserData"`
	ReferenceID       String     `json:"ReferenceId"`
	CreationTime      Time       `json:"CreationTime"`
	ModificationTime  Time       `json:"ModificationTime"`
}

// TagList splits the comma-separated Tags.
func (m MediaInfo) TagList() []string { return splitTags(m.Tags) }

// MezzanineInfo is the source file of an audio or video asset.
type MezzanineInfo struct {
	MediaID         string        `json:"MediaId"`
	FileName        string        `json:"FileName"`
	FileURL         string        `json:"FileURL"`
	FileMD5         string        `json:"FileMD5"`
	Status          string        `json:"Status"`
	Size            Int           `json:"Size"`
	Duration        Float         `json:"Duration"`
	Bitrate         Float         `json:"Bitrate"`
	Fps             Float         `json:"Fps"`
	Width           Int           `json:"Width"`
	Height          Int           `json:"Height"`
	CreationTime    Time          `json:"CreationTime"`
	AudioStreamList []AudioStream `json:"AudioStreamList"`
	VideoStreamList []VideoStream `json:"VideoStreamList"`
}

// AudioStream describes one audio stream of a source file.
type AudioStream struct {
	Index          Int    `json:"Index"`
	CodecName      string `json:"CodecName"`
	CodecLongName  string `json:"CodecLongName"`
	CodecTag       string `json:"CodecTag"`
	CodecTagString string `json:"CodecTagString"`
	CodecTimeBase  String `json:"CodecTimeBase"`
	Timebase       String `json:"Timebase"`
	Lang           string `json:"Lang"`
	Channels       Int    `json:"Channels"`
	ChannelLayout  string `json:"ChannelLayout"`
	SampleRate     Int    `json:"SampleRate"`
	SampleFmt      string `json:"SampleFmt"`
	Bitrate        Float  `json:"Bitrate"`
	Duration       Float  `json:"Duration"`
	NumFrames      Int    `json:"NumFrames"`
	StartTime      Time   `json:"StartTime"`
}

// VideoStream describes one video stream of a source file.
type VideoStream struct {
	Index          Int    `json:"Index"`
	CodecName      string `json:"CodecName"`
	CodecLongName  string `json:"CodecLongName"`
	CodecTag       string `json:"CodecTag"`
	CodecTagString string `json:"CodecTagString"`
	CodecTimeBase  String `json:"CodecTimeBase"`
	Timebase       String `json:"Timebase"`
	Profile        string `json:"Profile"`
	Level          String `json:"Level"`
	PixFmt         string `json:"PixFmt"`
	Width          Int    `json:"Width"`
	Height         Int    `json:"Height"`
	Sar            String `json:"Sar"`
	Dar            String `json:"Dar"`
	Rotate         String `json:"Rotate"`
	Fps            Float  `json:"Fps"`
	AvgFPS         Float  `json:"AvgFPS"`
	Bitrate        Float  `json:"Bitrate"`
	Duration       Float  `json:"Duration"`
	NumFrames      Int    `json:"NumFrames"`
	HasBFrames     Int    `json:"HasBFrames"`
	HDRType        string `json:"HDRType"`
	Lang           string `json:"Lang"`
	StartTime      Time   `json:"StartTime"`
}

// PlayInfo is one transcoded stream (a definition in a format).
type PlayInfo struct {
	JobID            string `json:"JobId"`
	Definition       string `json:"Definition"`
	Format           string `json:"Format"`
	StreamType       string `json:"StreamType"`
	Status           string `json:"Status"`
	Specification    string `json:"Specification"`
	NarrowBandType   String `json:"NarrowBandType"`
	Width            Int    `json:"Width"`
	Height           Int    `json:"Height"`
	Bitrate          Float  `json:"Bitrate"`
	Fps              Float  `json:"Fps"`
	Size             Int    `json:"Size"`
	Duration         Float  `json:"Duration"`
	HDRType          string `json:"HDRType"`
	BitDepth         Int    `json:"BitDepth"`
	CodecName        string `json:"CodecName"`
	Encrypt          Int    `json:"Encrypt"`
	EncryptType      string `json:"EncryptType"`
	EncryptMode      string `json:"EncryptMode"`
	PlayURL          string `json:"PlayURL"`
	WatermarkID      string `json:"WatermarkId"`
	JobType          Int    `json:"JobType"`
	JobExt           string `json:"JobExt"`
	TemplateID       string `json:"TemplateId"`
	TemplateGroupID  string `json:"TemplateGroupId"`
	CreationTime     Time   `json:"CreationTime"`
	ModificationTime Time   `json:"ModificationTime"`
}

// Encrypted reports whether the stream is encrypted.
func (p PlayInfo) Encrypted() bool { return p.Encrypt != 0 }

// Invisible reports whether the stream is an older duplicate of a definition
// and format (the newest one has Status Normal).
func (p PlayInfo) Invisible() bool { return p.Status == "Invisible" }

func splitTags(s string) []string {
	var tags []string
	for _, t := range strings.Split(s, ",") {
		if t = strings.TrimSpace(t); t != "" {
			tags = append(tags, t)
		}
	}
	return tags
}

// Responses as the API sends them.

type getImageInfoResponse struct {
	RequestID string    `json:"RequestId"`
	ImageInfo ImageInfo `json:"ImageInfo"`
}

type getImageInfosResponse struct {
	RequestID        string      `json:"RequestId"`
	ImageInfo        []ImageInfo `json:"ImageInfo"`
	NonExistImageIDs StringList  `json:"NonExistImageIds"`
}

type batchGetMediaInfosResponse struct {
	RequestID            string     `json:"RequestId"`
	MediaInfos           []Media    `json:"MediaInfos"`
	NonExistMediaIDs     StringList `json:"NonExistMediaIds"`
	ForbiddenMediaIDs    StringList `json:"ForbiddenMediaIds"`
	NonExistReferenceIDs StringList `json:"NonExistReferenceIds"`
}
