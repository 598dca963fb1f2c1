package views

import (
	"cmp"
	"slices"
	"strings"
)

// Player is the detail page's player: the definitions a browser can play
// straight from their signed PlayURLs, or why nothing can play.
type Player struct {
	MediaID string
	// Audio plays in an <audio> element: the asset has no picture.
	Audio bool
	// Poster is the signed cover URL (SafeURL decides whether it is used).
	Poster string
	// Sources are the playable Normal definitions, lowest first.
	Sources []PlayerSource
	// Default is the index in Sources played without script: the highest
	// up to 720 lines, native formats first. static/player.js picks again
	// for the size of the screen.
	Default int
	// Unavailable explains why nothing plays; Sources is then empty.
	Unavailable *PlayerProblem
	// Unplayable are Normal definitions in formats a browser cannot play
	// (DASH, FLV): listed, not offered.
	Unplayable []PlayerSource
}

// PlayerSource is one playable definition in one format.
type PlayerSource struct {
	Definition string
	Format     string
	Width      int
	Height     int
	Bitrate    float64 // Kbps
	// URL is the signed PlayURL, already accepted by SafeURL.
	URL string
	// HLS sources play through hls.js where the browser has no native HLS.
	HLS bool
}

// Key names the source across re-signing: definition and format.
func (s PlayerSource) Key() string { return s.Definition + "/" + s.Format }

// Label is what the switcher shows: "HD · mp4 · 1280×720".
func (s PlayerSource) Label() string {
	parts := []string{cmp.Or(s.Definition, "?"), s.Format}
	if r := FormatResolution(s.Width, s.Height); r != "" {
		parts = append(parts, r)
	} else if s.Bitrate > 0 {
		parts = append(parts, FormatBitrate(s.Bitrate))
	}
	return strings.Join(parts, " · ")
}

// PlayerProblem is why an asset cannot play in the browser.
type PlayerProblem struct {
	// Reason is data-reason: encrypted, not-ready, failed, blocked or format.
	Reason  string
	Title   string
	Message string
}

// browserFormats are the PlayInfo formats a browser plays, natively or
// (m3u8) through hls.js.
var browserFormats = map[string]bool{"mp4": true, "m3u8": true, "mp3": true, "m4a": true}

// PlayerFor works out the player of m from its status and PlayInfos.
func PlayerFor(m Media) Player {
	p := Player{MediaID: m.ID, Audio: m.AudioOnly(), Poster: m.CoverURL}
	if m.Status == "Blocked" {
		p.Unavailable = &PlayerProblem{Reason: "blocked", Title: "This asset is blocked",
			Message: "ApsaraVideo VOD has blocked this asset, so it cannot be played. Unblock it in the VOD console (Media Review) if the block was a mistake."}
		return p
	}
	var encrypted []PlayInfo
	refused := 0 // play URLs the allowlist refused
	for _, pi := range m.PlayInfos {
		if pi.Status == "Invisible" {
			continue
		}
		format := strings.ToLower(pi.Format)
		src := PlayerSource{Definition: pi.Definition, Format: format, Width: pi.Width, Height: pi.Height, Bitrate: pi.Bitrate, HLS: format == "m3u8"}
		switch {
		case pi.Encrypted:
			encrypted = append(encrypted, pi)
		case !browserFormats[format]:
			p.Unplayable = append(p.Unplayable, src)
		case SafeURL(pi.PlayURL) == "":
			// A URL the allowlist refuses never reaches src.
			refused++
		default:
			src.URL = pi.PlayURL
			p.Sources = append(p.Sources, src)
		}
	}
	slices.SortStableFunc(p.Sources, func(a, b PlayerSource) int {
		return cmp.Or(cmp.Compare(a.Height, b.Height), cmp.Compare(a.Bitrate, b.Bitrate), cmp.Compare(formatRank(a.Format), formatRank(b.Format)))
	})
	if len(p.Sources) == 0 {
		p.Unavailable = unavailable(m, encrypted, p.Unplayable)
		if refused > 0 && p.Unavailable.Reason == "not-ready" {
			p.Unavailable = &PlayerProblem{Reason: "format", Title: "No playable address",
				Message: "The play URLs ApsaraVideo VOD returned are not web addresses a browser may load, so vodboard does not play them."}
		}
		return p
	}
	p.Default = defaultSource(p.Sources)
	return p
}

// formatRank puts native formats before HLS among equals.
func formatRank(f string) int {
	if f == "m3u8" {
		return 1
	}
	return 0
}

// defaultSource is the best source up to 720 lines (the lowest when all are
// taller): highest, then highest bitrate, then a native format.
func defaultSource(srcs []PlayerSource) int {
	better := func(a, b PlayerSource) bool {
		return cmp.Or(cmp.Compare(a.Height, b.Height), cmp.Compare(a.Bitrate, b.Bitrate), cmp.Compare(formatRank(b.Format), formatRank(a.Format))) > 0
	}
	best := -1
	for i, s := range srcs {
		if s.Height <= 720 && (best < 0 || better(s, srcs[best])) {
			best = i
		}
	}
	return max(best, 0)
}

func unavailable(m Media, encrypted []PlayInfo, unplayable []PlayerSource) *PlayerProblem {
	switch {
	case len(encrypted) > 0:
		return encryptedProblem(encrypted)
	case len(unplayable) > 0:
		var formats []string
		for _, s := range unplayable {
			if !slices.Contains(formats, s.Format) {
				formats = append(formats, s.Format)
			}
		}
		return &PlayerProblem{Reason: "format", Title: "No definition plays in a browser",
			Message: "This asset is transcoded only to " + strings.Join(formats, ", ") + ", which browsers cannot play without a dedicated player. Add an mp4 or HLS (m3u8) definition to its transcoding template group to preview it here."}
	case m.Status == "UploadFail" || m.Status == "TranscodeFail":
		_, label := statusStyle(m.Status)
		return &PlayerProblem{Reason: "failed", Title: label,
			Message: "There is nothing to play: " + strings.ToLower(label) + ". Upload the source again or start a new transcoding job in the VOD console."}
	}
	return &PlayerProblem{Reason: "not-ready", Title: "Not ready to play yet",
		Message: "ApsaraVideo VOD has no playable definition of this asset yet (status " + cmp.Or(m.Status, "unknown") + "). Definitions appear here as transcoding finishes; reload later."}
}

func encryptedProblem(infos []PlayInfo) *PlayerProblem {
	for _, pi := range infos {
		if pi.EncryptType == "AliyunVoDEncryption" {
			return &PlayerProblem{Reason: "encrypted", Title: "Encrypted with Alibaba Cloud proprietary cryptography",
				Message: "These definitions play only in the ApsaraVideo Player, with a PlayAuth credential from GetVideoPlayAuth; a browser's own player cannot decrypt them."}
		}
	}
	return &PlayerProblem{Reason: "encrypted", Title: "Encrypted with HLS standard encryption",
		Message: "These definitions are AES-128 encrypted HLS: a player needs the decryption key from your key service (which calls KMS to decrypt the data key and checks the viewer's token). The preview here has no key service, so it does not play them."}
}

// problem is why nothing plays, or nil when a source does; a Player with
// neither (a zero value) has nothing ready.
func (p Player) problem() *PlayerProblem {
	switch {
	case p.Unavailable != nil:
		return p.Unavailable
	case len(p.Sources) == 0 || p.Default < 0 || p.Default >= len(p.Sources):
		return unavailable(Media{}, nil, nil)
	}
	return nil
}

func playerKind(p Player) string {
	if p.Audio {
		return "audio"
	}
	return "video"
}

func playerPath(id string) string { return mediaPath(id) + "/player" }

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// unplayableWhy names what the browser lacks for these formats.
func unplayableWhy(srcs []PlayerSource) string {
	var why []string
	for _, s := range srcs {
		var w string
		switch s.Format {
		case "mpd":
			w = "DASH needs a DASH player such as dash.js"
		case "flv":
			w = "FLV needs flv.js or the ApsaraVideo Player"
		default:
			w = s.Format + " is not a browser format"
		}
		if !slices.Contains(why, w) {
			why = append(why, w)
		}
	}
	return strings.Join(why, "; ")
}
