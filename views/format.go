package views

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Formatting helpers. Each returns "" for a missing (zero) value; the
// templates show "—" for "".

// FormatBytes gives a size in binary units: 8932 -> "8.7 KB".
func FormatBytes(n int64) string {
	if n <= 0 {
		return ""
	}
	if n < 1024 {
		return strconv.FormatInt(n, 10) + " B"
	}
	units := []string{"KB", "MB", "GB", "TB", "PB"}
	v := float64(n) / 1024
	i := 0
	for v >= 1024 && i < len(units)-1 {
		v /= 1024
		i++
	}
	if v >= 100 {
		return fmt.Sprintf("%.0f %s", v, units[i])
	}
	return fmt.Sprintf("%.1f %s", v, units[i])
}

// FormatInt groups thousands: 4096477 -> "4,096,477".
func FormatInt(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// FormatDuration gives seconds as h:mm:ss: 42.49 -> "0:00:42".
func FormatDuration(seconds float64) string {
	if seconds <= 0 || math.IsNaN(seconds) || math.IsInf(seconds, 0) {
		return ""
	}
	s := int64(math.Round(seconds))
	return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
}

// FormatSeconds gives a precise duration: 42.493 -> "42.493 s".
func FormatSeconds(seconds float64) string {
	if seconds <= 0 {
		return ""
	}
	return trimFloat(seconds, 3) + " s"
}

// FormatBitrate gives a bitrate in Kbps as the API reports it: 771.228 ->
// "771 kbps", 4200 -> "4.2 Mbps".
func FormatBitrate(kbps float64) string {
	if kbps <= 0 {
		return ""
	}
	if kbps >= 1000 {
		return trimFloat(kbps/1000, 2) + " Mbps"
	}
	return strconv.FormatFloat(math.Round(kbps), 'f', 0, 64) + " kbps"
}

// FormatFPS gives a frame rate: 25 -> "25", 29.97002997 -> "29.97".
func FormatFPS(fps float64) string {
	if fps <= 0 {
		return ""
	}
	return trimFloat(fps, 3)
}

// FormatResolution gives "1920 × 1080", or "" when either side is unknown.
func FormatResolution(w, h int) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	return strconv.Itoa(w) + " × " + strconv.Itoa(h)
}

// FormatUTC gives "2017-11-14 09:15:50 UTC".
func FormatUTC(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04:05") + " UTC"
}

// FormatRelative gives t relative to now: "3 days ago", "in 59 minutes",
// "just now". It matches what static/app.js renders, which refreshes it.
func FormatRelative(t, now time.Time) string {
	if t.IsZero() || now.IsZero() {
		return ""
	}
	d := t.Sub(now)
	abs := d
	if abs < 0 {
		abs = -abs
	}
	if abs < 45*time.Second {
		return "just now"
	}
	// Each unit is used while its rounded count stays below the next
	// unit's size, so 59.9 minutes reads "1 hour", not "60 minutes".
	units := []struct {
		name string
		d    time.Duration
		max  int64
	}{
		{"minute", time.Minute, 60},
		{"hour", time.Hour, 24},
		{"day", 24 * time.Hour, 7},
		{"week", 7 * 24 * time.Hour, 5},
		{"month", 30 * 24 * time.Hour, 12},
		{"year", 365 * 24 * time.Hour, 0},
	}
	for _, u := range units {
		n := int64(math.Round(float64(abs) / float64(u.d)))
		if u.max != 0 && n >= u.max {
			continue
		}
		name := u.name
		if n != 1 {
			name += "s"
		}
		if d < 0 {
			return fmt.Sprintf("%d %s ago", n, name)
		}
		return fmt.Sprintf("in %d %s", n, name)
	}
	return ""
}

// formatExpiry is FormatRelative for a URL expiry: "in 59 minutes",
// "expired 3 minutes ago".
func formatExpiry(t, now time.Time) string {
	rel := FormatRelative(t, now)
	if rel != "" && !now.IsZero() && !t.After(now) {
		return "expired " + rel
	}
	return rel
}

func trimFloat(v float64, prec int) string {
	s := strconv.FormatFloat(v, 'f', prec, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

func itoa(n int) string { return strconv.Itoa(n) }

// plural gives "1 image", "3 images".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return FormatInt(int64(n)) + " " + many
}

// statusStyle maps an API status to a badge class and a human label.
func statusStyle(status string) (class, label string) {
	switch status {
	case "Normal":
		return "badge-ok", "Normal"
	case "UploadSucc":
		return "badge-info", "Uploaded"
	case "Uploading":
		return "badge-progress", "Uploading"
	case "Transcoding":
		return "badge-progress", "Transcoding"
	case "Checking", "Processing":
		return "badge-progress", status
	case "UploadFail":
		return "badge-error", "Upload failed"
	case "TranscodeFail":
		return "badge-error", "Transcode failed"
	case "Failed":
		return "badge-error", "Failed"
	case "Blocked":
		return "badge-blocked", "Blocked"
	case "Invisible":
		return "badge-muted", "Invisible"
	case "Deleted":
		return "badge-muted", "Deleted"
	case "Success":
		return "badge-ok", "Success"
	case "":
		return "badge-muted", "Unknown"
	}
	return "badge-muted", status
}

// statusHelp explains a media or image status in a tooltip.
func statusHelp(status string) string {
	switch status {
	case "Normal":
		return "Normal: the asset is uploaded and available."
	case "UploadSucc":
		return "UploadSucc: the file is uploaded; transcoding has not finished or was not requested."
	case "Uploading":
		return "Uploading: the file is still being uploaded."
	case "Transcoding":
		return "Transcoding: VOD is producing the playback definitions."
	case "UploadFail":
		return "UploadFail: the upload did not complete."
	case "TranscodeFail":
		return "TranscodeFail: transcoding failed; no new definitions were produced."
	case "Blocked":
		return "Blocked: the asset has been blocked and cannot be played."
	case "Invisible":
		return "Invisible: an older stream of this definition and format; the newest one is Normal."
	}
	return status
}

// invalidTitle: "1 value is not a valid image ID and was not looked up".
func invalidTitle(n int, what string) string {
	if n == 1 {
		return "1 value is not a valid " + what + " and was not looked up"
	}
	return itoa(n) + " values are not valid " + what + "s and were not looked up"
}
