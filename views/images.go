package views

import "time"

// Image is an image as GetImageInfo(s) describes it. The same struct feeds
// the grid card, the thumbnail fragment and the detail page.
type Image struct {
	ID          string
	Title       string
	Description string
	ImageType   string
	Status      string
	// AuditStatus and RegionID come only from the older API version.
	AuditStatus     string
	RegionID        string
	AppID           string
	StorageLocation string
	CateID          int64
	CateName        string
	Tags            []string
	CreationTime    Timestamp
	// URL is the signed image URL; rendered only if SafeURL accepts it.
	URL       string
	Mezzanine ImageMezzanine
}

// ImageMezzanine is the image's source file.
type ImageMezzanine struct {
	OriginalFileName string
	FileSize         int64
	Width            int
	Height           int
	// FileURL is a signed OSS URL.
	FileURL string
}

// ImageList is the result of an image lookup (/images?ids=...).
type ImageList struct {
	Lookup
	Images []Image
}

// ImageDetail is /images/{id}.
type ImageDetail struct {
	Image Image
	// URLExpires is the expiry parsed from the signed URL (zero: unknown or
	// not signed).
	URLExpires time.Time
	// Now is the render time, for relative times ("3 days ago").
	Now time.Time
}

func (i Image) title() string {
	if i.Title != "" {
		return i.Title
	}
	return "Untitled image"
}

// thumb is the image's box in a grid: its light thumbnail when the page
// shows them.
func (i Image) thumb() thumb {
	t := i.original()
	t.Light, t.ResignURL = lightImagePath(i.ID), thumbPath(i.ID)
	return t
}

// original is the image's box on its detail page: the signed original.
func (i Image) original() thumb {
	return thumb{
		DOMID:     thumbDOMID(i.ID),
		URL:       i.URL,
		Width:     i.Mezzanine.Width,
		Height:    i.Mezzanine.Height,
		Alt:       i.Title,
		ResignURL: originalResignURL(thumbPath(i.ID)),
	}
}

// resignURL is where a thumbnail box of path gets a freshly signed copy of
// itself; a small box asks for a small one.
func resignURL(path string, small bool) string {
	if small {
		return path + "?small=1"
	}
	return path
}

// thumb is a fixed-size image box. A failed load of an image with a
// ResignURL asks the server for a freshly signed box (static/app.js).
type thumb struct {
	DOMID string
	// URL is the signed original; Light, if any, vodboard's light
	// thumbnail of it, shown instead when the page shows them (see
	// WithLightThumbnails).
	URL       string
	Light     string
	Width     int
	Height    int
	Alt       string
	ResignURL string
	Small     bool
	// Empty is the text shown when there is no usable URL.
	Empty string
}

func (t thumb) placeholder() string {
	switch {
	case t.Empty != "":
		return t.Empty
	case t.URL != "":
		return "Preview not available"
	}
	return "No preview"
}
