package views

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Hint is one thing a media engineer would point out about an asset: what
// is off, in one plain sentence, and what to do about it.
type Hint struct {
	// Kind is data-hint: no-audio, invisible-duplicates, encrypted,
	// transcode-failed, not-ready, rotated, odd-aspect, ladder-gap,
	// hdr-sdr-mix or archived.
	Kind   string
	Text   string
	Action string
	// Warn marks a problem rather than a note.
	Warn bool
}

// ladderGapRatio is the largest bitrate step between neighbouring
// definitions that a ladder should have.
const ladderGapRatio = 2.5

// HintsFor lists what is off with m, most pressing first; none when nothing
// is.
func HintsFor(m Media) []Hint {
	var hints []Hint
	add := func(kind string, warn bool, text, action string) {
		hints = append(hints, Hint{Kind: kind, Text: text, Action: action, Warn: warn})
	}
	normal := normalPlayInfos(m)
	switch m.Status {
	case "TranscodeFail":
		add("transcode-failed", true, "Transcoding failed, so no new definitions were produced.",
			"Check the source file and the transcoding template group, then submit a new transcoding job.")
	case "Uploading", "UploadSucc", "Transcoding", "Checking":
		if len(normal) == 0 || m.Status == "Transcoding" {
			add("not-ready", false, "The asset is not fully ready: "+statusHelp(m.Status),
				"Wait for VOD to finish; the definitions listed below are what exists so far.")
		}
	}
	if encryptedAny(normal) {
		add("encrypted", false, "Some definitions are encrypted, so browsers cannot play them on their own.",
			"Play them in the ApsaraVideo Player (PlayAuth) or through your HLS key service.")
	}
	if !m.AudioOnly() && len(m.Mezzanine.VideoStreams) > 0 && len(m.Mezzanine.AudioStreams) == 0 {
		add("no-audio", true, "The source file has a video stream but no audio stream: viewers will hear nothing.",
			"If sound was expected, re-export the source with its audio track and upload it again.")
	}
	if n := m.invisibleCount(); n > 0 {
		text := "1 stream is an older, Invisible duplicate of a current definition."
		if n > 1 {
			text = itoa(n) + " streams are older, Invisible duplicates of current definitions."
		}
		add("invisible-duplicates", false, text,
			"Delete the Invisible streams (DeleteStream) if nobody needs them, to stop paying for their storage.")
	}
	for _, v := range m.Mezzanine.VideoStreams {
		if r := strings.TrimSpace(v.Rotate); r != "" && r != "0" && r != "0.0" {
			add("rotated", true, "The source video carries a rotation of "+r+"°: some players show it sideways.",
				"Re-export the source with the rotation applied to the pixels.")
			break
		}
	}
	for _, v := range m.Mezzanine.VideoStreams {
		if why := oddAspect(v); why != "" {
			add("odd-aspect", true, why, "Check the source's pixel and display aspect ratios; transcoding may stretch or letterbox it.")
			break
		}
	}
	if why := ladderGap(normal); why != "" {
		add("ladder-gap", true, why, "Adjust the bitrates of the transcoding template group so that each step is at most 2.5 times the one below.")
	}
	if hdr, sdr := hdrMix(normal); hdr > 0 && sdr > 0 {
		add("hdr-sdr-mix", false, fmt.Sprintf("The definitions mix HDR (%d) and SDR (%d): viewers switching between them see the colours change.", hdr, sdr),
			"Use one dynamic range across the ladder, or make sure players pick consistently.")
	}
	if c := m.StorageClass; c != "" && c != "Standard" {
		text := "The source is stored as " + c + ", not Standard: playback or download may need a restore first."
		if m.RestoreStatus != "" {
			text += " Restore status: " + m.RestoreStatus + "."
		}
		add("archived", false, text, "Restore it in the VOD console (RestoreMedia) before you need it, or move it back to Standard.")
	}
	return hints
}

func normalPlayInfos(m Media) []PlayInfo {
	var out []PlayInfo
	for _, p := range m.PlayInfos {
		if p.Status != "Invisible" {
			out = append(out, p)
		}
	}
	return out
}

func encryptedAny(infos []PlayInfo) bool {
	return slices.ContainsFunc(infos, func(p PlayInfo) bool { return p.Encrypted })
}

// oddAspect explains a non-square pixel aspect ratio, or a display aspect
// ratio that is not the stream's width to height.
func oddAspect(v VideoStream) string {
	if sar, ok := parseRatio(v.Sar); ok && math.Abs(sar-1) > 0.01 {
		return "The source's pixels are not square (SAR " + v.Sar + "): players must stretch it to display it correctly."
	}
	dar, ok := parseRatio(v.Dar)
	if !ok || v.Width <= 0 || v.Height <= 0 {
		return ""
	}
	if want := float64(v.Width) / float64(v.Height); math.Abs(dar-want)/want > 0.02 {
		return fmt.Sprintf("The source's display aspect ratio (DAR %s) differs from its %d×%d frame.", v.Dar, v.Width, v.Height)
	}
	return ""
}

// parseRatio reads "16:9" or "1:1"; "0:1" and "N/A" are not ratios.
func parseRatio(s string) (float64, bool) {
	a, b, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok {
		return 0, false
	}
	x, err1 := strconv.ParseFloat(a, 64)
	y, err2 := strconv.ParseFloat(b, 64)
	if err1 != nil || err2 != nil || x <= 0 || y <= 0 {
		return 0, false
	}
	return x / y, true
}

// ladderGap finds, per format, neighbouring video definitions more than
// ladderGapRatio apart in bitrate, or a lower definition with a higher
// bitrate than a higher one.
func ladderGap(infos []PlayInfo) string {
	byFormat := map[string][]PlayInfo{}
	var formats []string
	for _, p := range infos {
		if p.Height <= 0 || p.Bitrate <= 0 || p.StreamType == "audio" {
			continue
		}
		f := strings.ToLower(p.Format)
		if _, ok := byFormat[f]; !ok {
			formats = append(formats, f)
		}
		byFormat[f] = append(byFormat[f], p)
	}
	for _, f := range formats {
		ladder := byFormat[f]
		slices.SortStableFunc(ladder, func(a, b PlayInfo) int {
			return cmp.Or(cmp.Compare(a.Height, b.Height), cmp.Compare(a.Bitrate, b.Bitrate))
		})
		for i := 1; i < len(ladder); i++ {
			lo, hi := ladder[i-1], ladder[i]
			switch {
			case lo.Height < hi.Height && lo.Bitrate > hi.Bitrate:
				return fmt.Sprintf("In %s, %s (%d lines) has a higher bitrate (%s) than %s (%d lines, %s).", f,
					cmp.Or(lo.Definition, "a definition"), lo.Height, FormatBitrate(lo.Bitrate), cmp.Or(hi.Definition, "the next"), hi.Height, FormatBitrate(hi.Bitrate))
			case hi.Bitrate > ladderGapRatio*lo.Bitrate && lo.Height < hi.Height:
				return fmt.Sprintf("In %s, the step from %s (%s) to %s (%s) is %.1f times: players jump in quality when switching.", f,
					cmp.Or(lo.Definition, "a definition"), FormatBitrate(lo.Bitrate), cmp.Or(hi.Definition, "the next"), FormatBitrate(hi.Bitrate), hi.Bitrate/lo.Bitrate)
			}
		}
	}
	return ""
}

// hdrMix counts HDR and SDR video definitions.
func hdrMix(infos []PlayInfo) (hdr, sdr int) {
	for _, p := range infos {
		if p.StreamType == "audio" || p.Height <= 0 {
			continue
		}
		if isHDR(p.HDRType) {
			hdr++
		} else {
			sdr++
		}
	}
	return hdr, sdr
}
