package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"vodboard/vodclient/emulator"
)

// playInfo is a PlayInfoList entry of a crafted catalog.
type playInfo struct {
	def, format, status string
	h                   int
	kbps                float64
	hdr, encrypt        string
	stream              string // "video" (default) or "audio"
}

// crafted is a media entry built for one player, ladder or hint case.
type crafted struct {
	id, status, storage string
	video, audio        []map[string]any // source streams
	plays               []playInfo
}

func videoStream(extra map[string]any) map[string]any {
	s := map[string]any{"Index": "0", "CodecName": "h264", "Width": "1920", "Height": "1080", "Sar": "1:1", "Dar": "16:9", "Rotate": "0"}
	for k, v := range extra {
		s[k] = v
	}
	return s
}

var audioStream = map[string]any{"Index": "1", "CodecName": "aac", "Channels": "2", "SampleRate": "48000"}

func (c crafted) entry() map[string]any {
	plays := []any{}
	for i, p := range c.plays {
		typ := p.stream
		if typ == "" {
			typ = "video"
		}
		w := p.h * 16 / 9
		pi := map[string]any{
			"JobId": fmt.Sprintf("%s-job%d", c.id, i), "Definition": p.def, "Format": p.format, "StreamType": typ,
			"Status": p.status, "PlayURL": fmt.Sprintf("https://cdn.example.com/%s/%d.%s", c.id, i, p.format),
			"Width": w, "Height": p.h, "Bitrate": fmt.Sprint(p.kbps), "Duration": "60.0", "Size": 1000, "HDRType": p.hdr,
		}
		if p.encrypt != "" {
			pi["Encrypt"], pi["EncryptType"] = 1, p.encrypt
		}
		plays = append(plays, pi)
	}
	status := c.status
	if status == "" {
		status = "Normal"
	}
	storage := c.storage
	if storage == "" {
		storage = "Standard"
	}
	streams := func(l []map[string]any) []any {
		out := []any{}
		for _, s := range l {
			out = append(out, s)
		}
		return out
	}
	return map[string]any{
		"MediaId": c.id,
		"MediaInfo": map[string]any{
			"MediaId": c.id, "Title": "Case " + c.id, "Status": status, "StorageClass": storage,
			"CoverURL": "https://img.example.com/" + c.id + ".jpg", "CreationTime": "2025-01-01T00:00:00Z",
		},
		"MezzanineInfo": map[string]any{
			"MediaId": c.id, "FileName": c.id + ".mov", "Bitrate": "9000", "Duration": "60.0",
			"VideoStreamList": streams(c.video), "AudioStreamList": streams(c.audio),
		},
		"PlayInfoList": plays,
	}
}

// playerCases are the assets the player, ladder and hint tests open.
func playerCases() []crafted {
	ladder := func(format string) []playInfo {
		return []playInfo{{"FD", format, "Normal", 360, 400, "", "", ""}, {"SD", format, "Normal", 720, 900, "", "", ""}, {"HD", format, "Normal", 1080, 2000, "", "", ""}}
	}
	v := []map[string]any{videoStream(nil)}
	a := []map[string]any{audioStream}
	return []crafted{
		{id: "clean", video: v, audio: a, plays: append(ladder("mp4"), ladder("m3u8")...)},
		{id: "video", video: v, audio: a, plays: append(append(ladder("mp4"), ladder("m3u8")...),
			playInfo{"HD", "mp4", "Invisible", 1080, 2100, "", "", ""}, playInfo{"HD", "mpd", "Normal", 1080, 2000, "", "", ""})},
		{id: "audio", audio: a, plays: []playInfo{{"SQ", "mp3", "Normal", 0, 128, "", "", "audio"}, {"HQ", "m4a", "Normal", 0, 256, "", "", "audio"}}},
		{id: "encrypted", video: v, audio: a, plays: []playInfo{{"HD", "m3u8", "Normal", 1080, 2000, "", "AliyunVoDEncryption", ""}}},
		{id: "hlsenc", video: v, audio: a, plays: []playInfo{{"HD", "m3u8", "Normal", 1080, 2000, "", "HLSEncryption", ""}}},
		{id: "transcoding", status: "Transcoding", video: v, audio: a},
		{id: "failed", status: "TranscodeFail", video: v, audio: a},
		{id: "blocked", status: "Blocked", video: v, audio: a, plays: ladder("mp4")},
		{id: "mpdonly", video: v, audio: a, plays: []playInfo{{"HD", "mpd", "Normal", 1080, 2000, "", "", ""}, {"SD", "flv", "Normal", 720, 900, "", "", ""}}},
		{id: "noaudio", video: v, plays: ladder("mp4")},
		{id: "rotated", video: []map[string]any{videoStream(map[string]any{"Rotate": "90"})}, audio: a, plays: ladder("mp4")},
		{id: "oddaspect", video: []map[string]any{videoStream(map[string]any{"Sar": "4:3"})}, audio: a, plays: ladder("mp4")},
		{id: "ladderstep", video: v, audio: a, plays: []playInfo{{"FD", "mp4", "Normal", 360, 300, "", "", ""}, {"HD", "mp4", "Normal", 1080, 2000, "", "", ""}}},
		{id: "ladderinverted", video: v, audio: a, plays: []playInfo{{"SD", "mp4", "Normal", 720, 2500, "", "", ""}, {"HD", "mp4", "Normal", 1080, 2000, "", "", ""}}},
		{id: "hdrmix", video: v, audio: a, plays: []playInfo{{"SD", "mp4", "Normal", 720, 900, "", "", ""}, {"HD", "mp4", "Normal", 1080, 2000, "HDR10", "", ""}}},
		{id: "archived", storage: "Archive", video: v, audio: a, plays: ladder("mp4")},
	}
}

func playerCatalog(t testing.TB) *emulator.Catalog {
	t.Helper()
	var media []any
	for _, c := range playerCases() {
		media = append(media, c.entry())
	}
	raw, err := json.Marshal(map[string]any{"media": media})
	if err != nil {
		t.Fatal(err)
	}
	cat, err := emulator.LoadCatalog(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

func TestPlayer(t *testing.T) {
	t.Parallel()
	_, b := signedIn(t, harnessOptions{catalog: playerCatalog(t)})
	open := func(t *testing.T, id string) *page {
		t.Helper()
		p := b.get("/media/" + id)
		mustStatus(t, p, http.StatusOK)
		return p
	}
	unavailable := []struct{ id, reason, says string }{
		{"encrypted", "encrypted", "ApsaraVideo Player"},
		{"hlsenc", "encrypted", "key service"},
		{"transcoding", "not-ready", "Transcoding"},
		{"failed", "failed", "Transcode failed"},
		{"blocked", "blocked", "blocked"},
		{"mpdonly", "format", "mpd, flv"},
	}
	for _, tc := range unavailable {
		t.Run(tc.id, func(t *testing.T) {
			p := open(t, tc.id)
			player := mustOne(t, p, "player")
			box := mustOne(t, p, "player-unavailable")
			if got := box.AttrOr("data-reason", ""); got != tc.reason {
				t.Errorf("data-reason %q, want %q", got, tc.reason)
			}
			if !strings.Contains(box.Text(), tc.says) {
				t.Errorf("the explanation does not say %q: %s", tc.says, strings.Join(strings.Fields(box.Text()), " "))
			}
			if n := player.Find("video, audio").Length(); n != 0 {
				t.Errorf("%d media elements beside the explanation", n)
			}
		})
	}

	t.Run("video", func(t *testing.T) {
		p := open(t, "video")
		player := mustOne(t, p, "player")
		video := player.Find("video")
		if video.Length() != 1 || player.Find("audio").Length() != 0 {
			t.Fatalf("want one <video>: %d video, %d audio", video.Length(), player.Find("audio").Length())
		}
		if poster := video.AttrOr("poster", ""); !strings.Contains(poster, "/cdn/cover/video.") {
			t.Errorf("poster %q is not the signed cover", poster)
		}
		var got []string
		mustOne(t, p, "player-definitions").Find("button").Each(func(_ int, s *goquery.Selection) {
			got = append(got, s.AttrOr("data-definition", "")+"/"+s.AttrOr("data-format", ""))
			if src := s.AttrOr("data-src", ""); !strings.Contains(src, "/cdn/play/video/") || !strings.Contains(src, "auth_key=") {
				t.Errorf("switcher %s plays %q, not its signed PlayURL", s.Text(), src)
			}
			if label := s.Text(); !strings.Contains(label, s.AttrOr("data-definition", "")) || !strings.Contains(label, "×") {
				t.Errorf("switcher label %q lacks the definition or resolution", label)
			}
		})
		want := []string{"FD/mp4", "FD/m3u8", "SD/mp4", "SD/m3u8", "HD/mp4", "HD/m3u8"}
		if !slices.Equal(got, want) {
			t.Errorf("switcher offers %q, want %q (Normal only, lowest first, no mpd)", got, want)
		}
		if pressed := player.Find(`button[aria-pressed="true"]`); pressed.Length() != 1 || pressed.AttrOr("data-format", "") != "mp4" ||
			video.AttrOr("src", "") != pressed.AttrOr("data-src", "") {
			t.Errorf("the default definition is not a native mp4 that the <video> starts with")
		}
		if u := mustOne(t, p, "player-unplayable"); !strings.Contains(u.Text(), "mpd") || !strings.Contains(u.Text(), "DASH") {
			t.Errorf("the mpd definition is not explained: %s", u.Text())
		}
	})
	t.Run("audio", func(t *testing.T) {
		p := open(t, "audio")
		player := mustOne(t, p, "player")
		if player.Find("audio").Length() != 1 || player.Find("video").Length() != 0 {
			t.Fatal("an audio-only asset does not get one <audio>")
		}
		if n := player.Find(`[data-testid="player-definitions"] button`).Length(); n != 2 {
			t.Errorf("%d audio definitions offered, want mp3 and m4a", n)
		}
	})
	t.Run("player fragment", func(t *testing.T) {
		p := b.get("/media/video/player", htmx)
		mustStatus(t, p, http.StatusOK)
		if p.isFullPage() || mustOne(t, p, "player").Find(`[data-testid="player-definitions"] button`).Length() != 6 {
			t.Error("the player fragment is not the player alone with its six definitions")
		}
	})
	t.Run("scripts only where there is a player", func(t *testing.T) {
		p := open(t, "video")
		if p.doc.Find(`script[src*="/static/hls.light.min"]`).Length() != 1 || p.doc.Find(`script[src*="/static/player."]`).Length() != 1 {
			t.Error("the detail page does not link hls.js and player.js")
		}
		if lib := b.get("/library"); lib.doc.Find(`script[src*="hls.light"]`).Length() != 0 {
			t.Error("hls.js is linked on a page without a player")
		}
	})
}

func TestBitrateLadder(t *testing.T) {
	t.Parallel()
	h, b := signedIn(t, harnessOptions{catalog: playerCatalog(t)})
	p := b.get("/media/video")
	mustStatus(t, p, http.StatusOK)
	chart := mustOne(t, p, "bitrate-ladder")
	var marks []string
	chart.Find(`[data-testid="ladder-mark"]`).Each(func(_ int, s *goquery.Selection) {
		marks = append(marks, s.AttrOr("data-definition", "")+"/"+s.AttrOr("data-format", "")+"/"+s.AttrOr("data-status", ""))
	})
	var want []string
	for _, c := range playerCases() {
		if c.id == "video" {
			for _, pi := range c.plays {
				want = append(want, pi.def+"/"+pi.format+"/"+pi.status)
			}
		}
	}
	if !slices.Equal(marks, want) {
		t.Errorf("ladder marks %q, want one per PlayInfo %q", marks, want)
	}
	if chart.Find(`[data-testid="ladder-mark"][data-status="Invisible"]`).HasClass("is-secondary") == false {
		t.Error("the Invisible mark is not drawn as secondary")
	}
	if chart.Find(`[data-testid="ladder-reference"]`).Length() != 1 || !strings.Contains(chart.Text(), "Source 9 Mbps") {
		t.Errorf("no reference line for the source's 9000 Kbps: %s", chart.Find("text").Text())
	}
	for _, label := range []string{"Bitrate (Kbps, log scale)", "Height (lines)"} {
		if !strings.Contains(chart.Text(), label) {
			t.Errorf("axis label %q missing", label)
		}
	}
	hdr := b.get("/media/hdrmix")
	if mustOne(t, hdr, "bitrate-ladder").Find(`[data-definition="HD"].is-hdr`).Length() != 1 {
		t.Error("the HDR definition is not marked HDR")
	}
	enc := b.get("/media/encrypted")
	if mustOne(t, enc, "bitrate-ladder").Find(`.is-encrypted`).Length() != 1 {
		t.Error("the encrypted definition is not marked")
	}
	_ = h
}

func TestAssetHints(t *testing.T) {
	t.Parallel()
	_, b := signedIn(t, harnessOptions{catalog: playerCatalog(t)})
	tests := []struct {
		id   string
		want []string
	}{
		{"clean", nil},
		{"video", []string{"invisible-duplicates"}},
		{"noaudio", []string{"no-audio"}},
		{"encrypted", []string{"encrypted"}},
		{"transcoding", []string{"not-ready"}},
		{"failed", []string{"transcode-failed"}},
		{"rotated", []string{"rotated"}},
		{"oddaspect", []string{"odd-aspect"}},
		{"ladderstep", []string{"ladder-gap"}},
		{"ladderinverted", []string{"ladder-gap"}},
		{"hdrmix", []string{"hdr-sdr-mix"}},
		{"archived", []string{"archived"}},
	}
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			p := b.get("/media/" + tc.id)
			mustStatus(t, p, http.StatusOK)
			got := texts(p.doc.Find(`[data-testid="asset-hints"] [data-hint]`), "data-hint")
			if !slices.Equal(got, tc.want) {
				t.Errorf("hints %q, want %q", got, tc.want)
			}
			if tc.want == nil && p.find("asset-hints").Length() != 0 {
				t.Error("an empty hint list is shown")
			}
			p.doc.Find(`[data-hint]`).Each(func(_ int, s *goquery.Selection) {
				if strings.TrimSpace(s.Find(".hint-text").Text()) == "" || strings.TrimSpace(s.Find(".hint-action").Text()) == "" {
					t.Errorf("hint %s lacks its sentence or what to do", s.AttrOr("data-hint", ""))
				}
			})
		})
	}
}

func TestPlayerNeverPlaysHostileURLs(t *testing.T) {
	t.Parallel()
	_, b := signedIn(t, harnessOptions{catalog: playerCatalog(t), upstream: hostileURLs})
	for _, id := range []string{"video", "audio"} {
		p := b.get("/media/" + id)
		mustStatus(t, p, http.StatusOK)
		assertInert(t, p.doc)
		p.doc.Find(`[data-testid="player"] [src], [data-testid="player"] [data-src], [data-testid="player"] [poster]`).Each(func(_ int, s *goquery.Selection) {
			for _, attr := range []string{"src", "data-src", "poster"} {
				v := strings.ToLower(strings.TrimSpace(s.AttrOr(attr, "")))
				if v != "" && !strings.HasPrefix(v, "https://") && !strings.HasPrefix(v, "http://") || strings.HasPrefix(v, "//") {
					t.Errorf("%s: %s=%q reached the player", id, attr, v)
				}
			}
		})
	}
}
