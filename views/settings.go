package views

// Settings is the per-session URL options page.
type Settings struct {
	CSRFToken string
	// OutputType is "cdn" or "oss".
	OutputType string
	// AuthTimeout is the URL validity in seconds, as typed ("" for the
	// API default).
	AuthTimeout string
	// Saved shows the confirmation.
	Saved bool
	// Errors are vetted validation messages per field.
	OutputTypeError  string
	AuthTimeoutError string
}

// Output types GetImageInfo accepts.
const (
	OutputCDN = "cdn"
	OutputOSS = "oss"
)
