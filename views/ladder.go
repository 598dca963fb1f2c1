package views

import (
	"cmp"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Ladder is the bitrate-ladder chart of an asset: one mark per PlayInfo,
// resolution (lines) against bitrate on a log scale, with the source
// file's bitrate as a reference line. It is drawn as server-side SVG; the
// geometry is worked out here, in viewBox units.
type Ladder struct {
	Width, Height          float64
	Left, Right, Top, Bot  float64 // the plot area
	XTicks, YTicks         []LadderTick
	Marks                  []LadderMark
	Labels                 []LadderLabel
	Reference              *LadderTick // the source's bitrate, if known
	AudioOnly              bool
	Summary                string
	HasHDR, HasEncrypted   bool
	HasInvisible, HasFmts2 bool
}

// LadderTick is an axis tick or the reference line: its position and label.
type LadderTick struct {
	Pos   float64
	Label string
}

// LadderMark is one PlayInfo on the chart.
type LadderMark struct {
	X, Y       float64
	Definition string
	Format     string
	Status     string
	HDR        bool
	Encrypted  bool
	Secondary  bool // Invisible
	Title      string
}

// LadderLabel names the definition at a point, once per point.
type LadderLabel struct {
	X, Y float64
	Text string
}

// Chart geometry, in viewBox units: readable at 420 px wide.
const (
	ladderW, ladderH = 480.0, 280.0
	ladderLeft       = 56.0
	ladderRight      = 16.0
	ladderTop        = 16.0
	ladderBottom     = 44.0
)

// placeLabel puts a definition's label above its mark, else below, else to
// its right, wherever it does not overlap a label already placed; ok is
// false when every place is taken (the mark's title still names it).
func placeLabel(placed []LadderLabel, x, y float64, text string) (LadderLabel, bool) {
	w := 7.5 * float64(len(text))
	overlaps := func(c LadderLabel) bool {
		for _, p := range placed {
			pw := 7.5 * float64(len(p.Text))
			if math.Abs(p.X-c.X) < (w+pw)/2+2 && math.Abs(p.Y-c.Y) < 13 {
				return true
			}
		}
		return false
	}
	for _, c := range []LadderLabel{{X: x, Y: y - 10, Text: text}, {X: x, Y: y + 20, Text: text}, {X: x + 10 + w/2, Y: y + 4, Text: text}, {X: x - 10 - w/2, Y: y + 4, Text: text}} {
		if !overlaps(c) {
			return c, true
		}
	}
	return LadderLabel{}, false
}

// LadderFor charts m's PlayInfos; ok is false when none has a bitrate.
func LadderFor(m Media) (l Ladder, ok bool) {
	type point struct {
		pi   PlayInfo
		rate float64
	}
	var pts []point
	lo, hi := math.Inf(1), math.Inf(-1)
	maxH := 0
	for _, pi := range m.PlayInfos {
		if pi.Bitrate <= 0 {
			continue
		}
		pts = append(pts, point{pi, pi.Bitrate})
		lo, hi = min(lo, pi.Bitrate), max(hi, pi.Bitrate)
		maxH = max(maxH, pi.Height)
	}
	if len(pts) == 0 {
		return l, false
	}
	streamsLo, streamsHi := lo, hi
	ref := m.Mezzanine.Bitrate
	if ref > 0 {
		lo, hi = min(lo, ref), max(hi, ref)
	}
	l = Ladder{Width: ladderW, Height: ladderH, Left: ladderLeft, Right: ladderW - ladderRight, Top: ladderTop, Bot: ladderH - ladderBottom}
	l.AudioOnly = maxH == 0
	// A log scale from a little under the lowest to a little over the
	// highest bitrate, at least a factor of 4 wide.
	lo, hi = lo/1.4, hi*1.4
	if hi/lo < 4 {
		mid := math.Sqrt(lo * hi)
		lo, hi = mid/2, mid*2
	}
	x := func(rate float64) float64 {
		return l.Left + (math.Log(rate)-math.Log(lo))/(math.Log(hi)-math.Log(lo))*(l.Right-l.Left)
	}
	top := float64(maxH) * 1.12
	y := func(h int) float64 {
		if l.AudioOnly {
			return (l.Top + l.Bot) / 2
		}
		return l.Bot - float64(h)/top*(l.Bot-l.Top)
	}
	for _, t := range bitrateTicks(lo, hi) {
		l.XTicks = append(l.XTicks, LadderTick{Pos: x(t), Label: shortRate(t)})
	}
	if !l.AudioOnly {
		seen := map[int]bool{}
		for _, p := range pts {
			if h := p.pi.Height; h > 0 && !seen[h] {
				seen[h] = true
				l.YTicks = append(l.YTicks, LadderTick{Pos: y(h), Label: strconv.Itoa(h)})
			}
		}
	}
	if ref > 0 {
		l.Reference = &LadderTick{Pos: x(ref), Label: "Source " + FormatBitrate(ref)}
	}
	formats := map[string]bool{}
	labelled := map[string]bool{}
	for _, p := range pts {
		pi := p.pi
		mk := LadderMark{
			X: x(p.rate), Y: y(pi.Height), Definition: pi.Definition, Format: strings.ToLower(pi.Format), Status: pi.Status,
			HDR: isHDR(pi.HDRType), Encrypted: pi.Encrypted, Secondary: pi.Status == "Invisible",
		}
		mk.Title = markTitle(pi)
		l.Marks = append(l.Marks, mk)
		formats[mk.Format] = true
		l.HasHDR = l.HasHDR || mk.HDR
		l.HasEncrypted = l.HasEncrypted || mk.Encrypted
		l.HasInvisible = l.HasInvisible || mk.Secondary
		key := fmt.Sprintf("%.0f,%.0f,%s", mk.X, mk.Y, pi.Definition)
		if !labelled[key] && !mk.Secondary {
			labelled[key] = true
			if lb, ok := placeLabel(l.Labels, mk.X, mk.Y, cmp.Or(pi.Definition, "?")); ok {
				l.Labels = append(l.Labels, lb)
			}
		}
	}
	l.HasFmts2 = len(formats) > 1
	l.Summary = ladderSummary(len(pts), streamsLo, streamsHi, ref)
	return l, true
}

func isHDR(t string) bool {
	t = strings.ToUpper(strings.TrimSpace(t))
	return t != "" && t != "SDR"
}

func markTitle(pi PlayInfo) string {
	parts := []string{cmp.Or(pi.Definition, "?"), strings.ToLower(pi.Format)}
	if r := FormatResolution(pi.Width, pi.Height); r != "" {
		parts = append(parts, r)
	}
	parts = append(parts, FormatBitrate(pi.Bitrate))
	if isHDR(pi.HDRType) {
		parts = append(parts, pi.HDRType)
	}
	if pi.Encrypted {
		parts = append(parts, "encrypted")
	}
	if pi.Status != "" && pi.Status != "Normal" {
		parts = append(parts, pi.Status)
	}
	return strings.Join(parts, " · ")
}

func ladderSummary(n int, lo, hi, ref float64) string {
	s := fmt.Sprintf("%s from %s to %s.", plural(n, "stream", "streams"), FormatBitrate(lo), FormatBitrate(hi))
	if ref > 0 {
		s += " The source file runs at " + FormatBitrate(ref) + "."
	}
	return s
}

// bitrateTicks are the 1-2-5 steps (in Kbps) between lo and hi.
func bitrateTicks(lo, hi float64) []float64 {
	var out []float64
	for decade := math.Pow(10, math.Floor(math.Log10(lo))); decade <= hi; decade *= 10 {
		for _, m := range []float64{1, 2, 5} {
			if t := decade * m; t >= lo && t <= hi {
				out = append(out, t)
			}
		}
	}
	return out
}

// shortRate labels a tick: 500 -> "500k", 2000 -> "2M".
func shortRate(kbps float64) string {
	if kbps >= 1000 {
		return strconv.FormatFloat(kbps/1000, 'f', -1, 64) + "M"
	}
	return strconv.FormatFloat(kbps, 'f', -1, 64) + "k"
}

// f1 formats a coordinate.
func f1(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }
