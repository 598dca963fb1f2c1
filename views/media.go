package views

import "time"

// Media is an audio or video asset as BatchGetMediaInfos describes it.
// The same struct feeds the table row and the detail page.
type Media struct {
	ID          string
	Title       string
	Description string
	Status      string
	// CoverURL and Snapshots are signed URLs; rendered only if SafeURL
	// accepts them.
	CoverURL          string
	Snapshots         []string
	CateID            int64
	CateName          string
	Tags              []string
	StorageLocation   string
	StorageClass      string
	RestoreStatus     string
	RestoreExpiration Timestamp
	DownloadSwitch    string
	AppID             string
	TemplateGroupID   string
	ReferenceID       string
	// UserData as the handler wants it shown (pretty-printed JSON).
	UserData         string
	CreationTime     Timestamp
	ModificationTime Timestamp
	Mezzanine        MediaMezzanine
	PlayInfos        []PlayInfo
}

// MediaMezzanine is the asset's source file and its analysed streams.
type MediaMezzanine struct {
	FileName string
	// FileURL is a (possibly signed) URL of the source file.
	FileURL      string
	FileMD5      string
	Status       string
	Size         int64
	Duration     float64 // seconds
	Bitrate      float64 // Kbps
	Fps          float64
	Width        int
	Height       int
	CreationTime Timestamp
	VideoStreams []VideoStream
	AudioStreams []AudioStream
}

// VideoStream is one video stream of the source file, every field the API
// reports.
type VideoStream struct {
	Index          int
	CodecName      string
	CodecLongName  string
	Profile        string
	Level          string
	Width          int
	Height         int
	Bitrate        float64 // Kbps
	Fps            float64
	AvgFPS         float64
	PixFmt         string
	HDRType        string
	Sar            string
	Dar            string
	Rotate         string
	HasBFrames     int64
	NumFrames      int64
	Duration       float64 // seconds
	Timebase       string
	CodecTimeBase  string
	CodecTag       string
	CodecTagString string
	StartTime      Timestamp
	Lang           string
}

// AudioStream is one audio stream of the source file, every field the API
// reports.
type AudioStream struct {
	Index          int
	CodecName      string
	CodecLongName  string
	Lang           string
	Channels       int
	ChannelLayout  string
	SampleRate     int
	SampleFmt      string
	Bitrate        float64 // Kbps
	Duration       float64 // seconds
	NumFrames      int64
	Timebase       string
	CodecTimeBase  string
	CodecTag       string
	CodecTagString string
	StartTime      Timestamp
}

// PlayInfo is one transcoded stream: a definition in a format.
type PlayInfo struct {
	JobID          string
	Definition     string
	Format         string
	StreamType     string
	Status         string
	Specification  string
	NarrowBandType string
	Width          int
	Height         int
	Bitrate        float64 // Kbps
	Fps            float64
	Size           int64
	Duration       float64 // seconds
	HDRType        string
	BitDepth       int
	CodecName      string
	Encrypted      bool
	EncryptType    string
	EncryptMode    string
	// PlayURL is signed; rendered only if SafeURL accepts it.
	PlayURL          string
	WatermarkID      string
	JobType          int
	JobExt           string
	TemplateID       string
	TemplateGroupID  string
	CreationTime     Timestamp
	ModificationTime Timestamp
}

// MediaList is the result of a media lookup (/media?ids=...&refs=...).
type MediaList struct {
	Lookup
	Media []Media
}

// MediaDetail is /media/{id} and /media/ref/{referenceId}.
type MediaDetail struct {
	Media Media
	// Now is the render time, for relative times.
	Now time.Time
	// Player, Hints and Ladder are worked out from Media by NewMediaDetail.
	Player    Player
	Hints     []Hint
	Ladder    Ladder
	HasLadder bool
}

// NewMediaDetail is the detail page of m, with its player, hints and
// bitrate ladder.
func NewMediaDetail(m Media, now time.Time) MediaDetail {
	d := MediaDetail{Media: m, Now: now, Player: PlayerFor(m), Hints: HintsFor(m)}
	d.Ladder, d.HasLadder = LadderFor(m)
	return d
}

func (m Media) title() string {
	if m.Title != "" {
		return m.Title
	}
	return "Untitled media"
}

// AudioOnly reports an audio asset: the source has audio but no video, or
// every definition is an audio stream.
func (m Media) AudioOnly() bool {
	if len(m.Mezzanine.VideoStreams) > 0 {
		return false
	}
	if len(m.Mezzanine.AudioStreams) > 0 {
		return true
	}
	if len(m.PlayInfos) == 0 {
		return false
	}
	for _, p := range m.PlayInfos {
		if p.StreamType != "audio" {
			return false
		}
	}
	return true
}

// Duration prefers the source file's duration, then the longest stream.
func (m Media) Duration() float64 {
	if m.Mezzanine.Duration > 0 {
		return m.Mezzanine.Duration
	}
	var d float64
	for _, p := range m.PlayInfos {
		d = max(d, p.Duration)
	}
	return d
}

// Dimensions prefers the source file's, then its first video stream's;
// zero when none is known.
func (m Media) Dimensions() (width, height int) {
	if m.Mezzanine.Width > 0 && m.Mezzanine.Height > 0 {
		return m.Mezzanine.Width, m.Mezzanine.Height
	}
	for _, v := range m.Mezzanine.VideoStreams {
		if v.Width > 0 && v.Height > 0 {
			return v.Width, v.Height
		}
	}
	return 0, 0
}

// resolution is Dimensions as text ("1920 × 1080"), "" when unknown.
func (m Media) resolution() string {
	return FormatResolution(m.Dimensions())
}

func (m Media) invisibleCount() int {
	n := 0
	for _, p := range m.PlayInfos {
		if p.Status == "Invisible" {
			n++
		}
	}
	return n
}

// cover is the asset's cover box in a list: its light thumbnail when the
// page shows them.
func (m Media) cover(small bool) thumb {
	t := m.originalCover()
	t.Light, t.Small = lightCoverPath(m.ID), small
	t.Empty, t.ResignURL = m.coverPlaceholder(small), resignURL(coverPath(m.ID), small)
	return t
}

// originalCover is the cover box on the asset's page: the signed original.
func (m Media) originalCover() thumb {
	w, h := m.Mezzanine.Width, m.Mezzanine.Height
	if w <= 0 || h <= 0 {
		w, h = 320, 180
	}
	return thumb{
		DOMID:     coverDOMID(m.ID),
		URL:       m.CoverURL,
		Width:     w,
		Height:    h,
		Alt:       "Cover of " + m.title(),
		Empty:     m.coverPlaceholder(false),
		ResignURL: originalResignURL(coverPath(m.ID)),
	}
}

// streamsEmptyReason explains missing source-file streams. kind is "all"
// (no streams at all), "video" or "audio".
func (m Media) streamsEmptyReason(kind string) string {
	switch kind {
	case "video":
		return "This is an audio-only asset: it has no video streams."
	case "audio":
		return "This video has no audio stream: the source file is silent."
	}
	switch m.Status {
	case "Uploading":
		return "Still uploading: stream details appear once the upload finishes and VOD has analysed the file."
	case "UploadFail":
		return "The upload failed, so VOD has no source file to analyse. Upload the file again."
	case "Blocked":
		return "This asset is blocked: VOD reports no stream details for it."
	}
	return "VOD has not reported stream details for the source file yet. It analyses each file after upload; reload this page in a minute."
}

// playInfosEmptyReason explains missing definitions.
func (m Media) playInfosEmptyReason() string {
	switch m.Status {
	case "Uploading":
		return "Still uploading: definitions appear after the upload finishes and transcoding completes."
	case "UploadFail":
		return "The upload failed: there is nothing to transcode, so there are no definitions."
	case "UploadSucc":
		return "Uploaded but not transcoded yet: definitions appear when transcoding finishes."
	case "Transcoding":
		return "Still transcoding: definitions appear when transcoding finishes."
	case "TranscodeFail":
		return "Transcoding failed: no playable definitions were produced. Check the transcoding template group and submit the job again."
	case "Blocked":
		return "This asset is blocked: it has no playable definitions."
	}
	return "VOD returned no playable definitions for this asset."
}

func mediaResolution(m Media) string {
	if m.AudioOnly() {
		return "Audio only"
	}
	return m.resolution()
}

func fpsText(fps float64) string {
	if s := FormatFPS(fps); s != "" {
		return s + " fps"
	}
	return ""
}

func sampleRate(hz int) string {
	if hz <= 0 {
		return ""
	}
	return FormatInt(int64(hz)) + " Hz"
}

func positive(n int) string {
	if n <= 0 {
		return ""
	}
	return itoa(n)
}

// narrowBand names NarrowBandType: "0" normal, "1.0"/"2.0" Narrowband HD.
func narrowBand(t string) string {
	switch t {
	case "":
		return ""
	case "0":
		return "Normal"
	case "1", "1.0":
		return "Narrowband HD 1.0"
	case "2", "2.0":
		return "Narrowband HD 2.0"
	}
	return t
}

func jobTypeText(t int) string {
	switch t {
	case 1:
		return "Tracing watermark"
	case 2:
		return "Copyright watermark"
	}
	return "Watermark job type " + itoa(t)
}

func orDashText(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func joinNonEmpty(sep string, parts ...string) string {
	out := ""
	for _, p := range parts {
		if p == "" {
			continue
		}
		if out != "" {
			out += sep
		}
		out += p
	}
	return out
}

func (m Media) coverPlaceholder(small bool) string {
	switch {
	case m.AudioOnly():
		return "Audio"
	case small:
		return "No cover"
	}
	return "No cover image"
}

// statusNote explains a status that is not the steady state.
func statusNote(status string) (kind AlertKind, text string) {
	switch status {
	case "Uploading":
		return AlertInfo, "Still uploading. Stream details and definitions appear once the upload finishes and VOD has processed the file."
	case "UploadSucc":
		return AlertInfo, "Uploaded. Definitions appear when transcoding finishes."
	case "Transcoding":
		return AlertInfo, "Still transcoding: definitions appear when transcoding finishes."
	case "UploadFail":
		return AlertError, "The upload failed. Upload the file again to create a playable asset."
	case "TranscodeFail":
		return AlertError, "Transcoding failed. Check the transcoding template group and submit the job again."
	case "Blocked":
		return AlertError, "This asset is blocked and cannot be played."
	}
	return "", ""
}

// MaxSnapshotsShown bounds the snapshot gallery: an asset may have
// thousands, and each is an image the browser would load.
const MaxSnapshotsShown = 60

func (m Media) shownSnapshots() []string {
	return m.Snapshots[:min(len(m.Snapshots), MaxSnapshotsShown)]
}
