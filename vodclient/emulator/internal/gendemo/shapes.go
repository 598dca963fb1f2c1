package main

// The shapes of a BatchGetMediaInfos entry, field types as in the API
// reference: stream-list fields are strings; PlayInfo Width, Height, Size,
// Encrypt, BitDepth and JobType and MezzanineInfo Width, Height and Size are
// numbers.

type mediaEntry struct {
	MediaId       string
	MediaInfo     mediaInfo
	MezzanineInfo *mezzanineInfo `json:",omitempty"`
	PlayInfoList  []playInfo
}

type mediaInfo struct {
	MediaId           string
	Title             string
	Description       string `json:",omitempty"`
	Status            string
	CreationTime      string
	ModificationTime  string
	CateId            int64
	CateName          string
	Tags              string `json:",omitempty"`
	AppId             string
	StorageLocation   string
	StorageClass      string
	RestoreStatus     string `json:",omitempty"`
	RestoreExpiration string `json:",omitempty"`
	DownloadSwitch    string
	TemplateGroupId   string   `json:",omitempty"`
	CoverURL          string   `json:",omitempty"`
	Snapshots         []string `json:",omitempty"`
	UserData          string   `json:",omitempty"`
	ReferenceId       string   `json:",omitempty"`
}

type mezzanineInfo struct {
	MediaId         string
	FileName        string
	FileURL         string `json:",omitempty"`
	Status          string
	CreationTime    string
	Width           int    `json:",omitempty"`
	Height          int    `json:",omitempty"`
	Size            int64  `json:",omitempty"`
	Bitrate         string `json:",omitempty"`
	Duration        string `json:",omitempty"`
	Fps             string `json:",omitempty"`
	FileMD5         string
	AudioStreamList []audioStream `json:",omitempty"`
	VideoStreamList []videoStream `json:",omitempty"`
}

type audioStream struct {
	Index          string
	CodecName      string
	CodecLongName  string
	CodecTag       string
	CodecTagString string
	CodecTimeBase  string
	SampleFmt      string
	SampleRate     string
	Channels       string
	ChannelLayout  string
	Lang           string
	Timebase       string
	StartTime      string
	Duration       string
	NumFrames      string
	Bitrate        string
}

type videoStream struct {
	Index          string
	CodecName      string
	CodecLongName  string
	CodecTag       string
	CodecTagString string
	CodecTimeBase  string
	Profile        string
	Level          string
	PixFmt         string
	Width          string
	Height         string
	Sar            string
	Dar            string
	Fps            string
	AvgFPS         string
	HasBFrames     string
	Rotate         string
	Lang           string
	Timebase       string
	StartTime      string
	Duration       string
	NumFrames      string
	Bitrate        string
	HDRType        string `json:",omitempty"`
}

type playInfo struct {
	JobId            string
	Definition       string
	Format           string
	StreamType       string
	Status           string
	Specification    string
	NarrowBandType   string
	Width            int `json:",omitempty"`
	Height           int `json:",omitempty"`
	Size             int64
	Bitrate          string
	Duration         string
	Fps              string `json:",omitempty"`
	Encrypt          int
	EncryptType      string `json:",omitempty"`
	EncryptMode      string `json:",omitempty"`
	HDRType          string `json:",omitempty"`
	BitDepth         int    `json:",omitempty"`
	CodecName        string
	PlayURL          string
	CreationTime     string
	ModificationTime string
	TemplateId       string
	TemplateGroupId  string
	WatermarkId      string `json:",omitempty"`
	JobType          int    `json:",omitempty"`
	JobExt           string `json:",omitempty"`
}
