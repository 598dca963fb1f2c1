package emulator

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"
)

// Asset kinds, each with its own URL path under /cdn/ or /oss/:
//
//	image/<ImageId>.<ext>             ImageInfo.URL
//	image/<ImageId>/source.<ext>      ImageInfo.Mezzanine.FileURL
//	cover/<MediaId>.<ext>             MediaInfo.CoverURL
//	snapshot/<MediaId>/<n>.<ext>      MediaInfo.Snapshots[n]
//	sprite/<MediaId>/<n>.<ext>        MediaInfo.SpriteSnapshots[n]
//	mezzanine/<MediaId>.<ext>         MezzanineInfo.FileURL
//	play/<MediaId>/<JobId>.<ext>      PlayInfoList[].PlayURL
//	play/<MediaId>/<JobId>/<n>.ts     segments of an m3u8 play URL
//
// Play URLs serve the embedded demo media (media.go): mp4, m3u8 (with
// signed segment URLs), mp3 and m4a; other formats, like mezzanine files
// other than mp4, mp3 and m4a, get a placeholder of the right type.
const (
	kindImage       = "image"
	kindImageSource = "image-source"
	kindCover       = "cover"
	kindSnapshot    = "snapshot"
	kindSprite      = "sprite"
	kindMezzanine   = "mezzanine"
	kindPlay        = "play"
	kindSegment     = "segment"
)

type asset struct {
	kind string
	id   string // ImageId or MediaId
	job  string // play and segment: JobId (or stream-<i>)
	n    int    // snapshot or sprite index, or segment number
	ext  string
}

func (a asset) path() string {
	id := url.PathEscape(a.id)
	switch a.kind {
	case kindImage:
		return "image/" + id + "." + a.ext
	case kindImageSource:
		return "image/" + id + "/source." + a.ext
	case kindCover:
		return "cover/" + id + "." + a.ext
	case kindSnapshot, kindSprite:
		return fmt.Sprintf("%s/%s/%d.%s", a.kind, id, a.n, a.ext)
	case kindMezzanine:
		return "mezzanine/" + id + "." + a.ext
	case kindPlay:
		return "play/" + id + "/" + url.PathEscape(a.job) + "." + a.ext
	case kindSegment:
		return fmt.Sprintf("play/%s/%s/%d.ts", id, url.PathEscape(a.job), a.n)
	}
	return ""
}

// parseAssetPath is the inverse of asset.path.
func parseAssetPath(p string) (asset, bool) {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		u, err := url.PathUnescape(s)
		if err != nil || u == "" {
			return asset{}, false
		}
		segs[i] = u
	}
	stem := func(s string) (string, string, bool) {
		dot := strings.LastIndexByte(s, '.')
		if dot <= 0 || dot == len(s)-1 {
			return "", "", false
		}
		return s[:dot], s[dot+1:], true
	}
	index := func(s string) (int, bool) {
		n, err := strconv.Atoi(s)
		return n, err == nil && n >= 0 && strconv.Itoa(n) == s
	}
	switch {
	case len(segs) == 2 && (segs[0] == "image" || segs[0] == "cover" || segs[0] == "mezzanine"):
		id, ext, ok := stem(segs[1])
		kind := map[string]string{"image": kindImage, "cover": kindCover, "mezzanine": kindMezzanine}[segs[0]]
		return asset{kind: kind, id: id, ext: ext}, ok
	case len(segs) == 3 && segs[0] == "image":
		name, ext, ok := stem(segs[2])
		return asset{kind: kindImageSource, id: segs[1], ext: ext}, ok && name == "source"
	case len(segs) == 3 && (segs[0] == "snapshot" || segs[0] == "sprite"):
		ns, ext, ok := stem(segs[2])
		n, okN := index(ns)
		return asset{kind: segs[0], id: segs[1], n: n, ext: ext}, ok && okN
	case len(segs) == 3 && segs[0] == "play":
		job, ext, ok := stem(segs[2])
		return asset{kind: kindPlay, id: segs[1], job: job, ext: ext}, ok
	case len(segs) == 4 && segs[0] == "play":
		ns, ext, ok := stem(segs[3])
		n, okN := index(ns)
		return asset{kind: kindSegment, id: segs[1], job: segs[2], n: n}, ok && okN && ext == "ts"
	}
	return asset{}, false
}

// extOf returns the lower-case extension of a URL's path or a file name.
func extOf(s string) string {
	if u, err := url.Parse(s); err == nil {
		s = u.Path
	}
	ext := strings.ToLower(strings.TrimPrefix(path.Ext(s), "."))
	if ext == "" || len(ext) > 5 || strings.Trim(ext, "abcdefghijklmnopqrstuvwxyz0123456789") != "" {
		return ""
	}
	return ext
}

// pictureExt maps an original extension to one the emulator can draw.
func pictureExt(ext, fallback string) string {
	switch ext {
	case "png", "jpg", "jpeg":
		return ext
	}
	return fallback
}

// imageAsset names an image's URL by the extension of its catalog URL,
// else of its original file; without either, snapshots (which VOD takes
// as JPEG) are .jpg and other images .png.
func imageAsset(id string, img map[string]any) asset {
	ext := extOf(stringAt(img, "URL"))
	if ext == "" {
		ext = extOf(stringAt(img, "Mezzanine", "OriginalFileName"))
	}
	if ext == "" {
		ext = extOf(stringAt(img, "Mezzanine", "FileURL"))
	}
	if ext == "" && strings.Contains(stringAt(img, "ImageType"), "Snapshot") {
		ext = "jpg"
	}
	return asset{kind: kindImage, id: id, ext: pictureExt(ext, "png")}
}

func imageSourceAsset(id string, img map[string]any) asset {
	ext := extOf(stringAt(img, "Mezzanine", "OriginalFileName"))
	if ext == "" {
		ext = extOf(stringAt(img, "Mezzanine", "FileURL"))
	}
	return asset{kind: kindImageSource, id: id, ext: pictureExt(ext, "png")}
}

func coverAsset(id, coverURL string) asset {
	return asset{kind: kindCover, id: id, ext: pictureExt(extOf(coverURL), "jpg")}
}

func snapshotAsset(id string, n int, snapshotURL string) asset {
	return asset{kind: kindSnapshot, id: id, n: n, ext: pictureExt(extOf(snapshotURL), "jpg")}
}

func spriteAsset(id string, n int, spriteURL string) asset {
	return asset{kind: kindSprite, id: id, n: n, ext: pictureExt(extOf(spriteURL), "jpg")}
}

func mezzanineAsset(id string, mz map[string]any) asset {
	ext := extOf(stringAt(mz, "FileName"))
	if ext == "" {
		ext = extOf(stringAt(mz, "FileURL"))
	}
	return asset{kind: kindMezzanine, id: id, ext: cmpOr(ext, "mp4")}
}

func playAsset(id string, i int, pi map[string]any) asset {
	job := stringAt(pi, "JobId")
	if job == "" {
		job = fmt.Sprintf("stream-%d", i)
	}
	ext := extOf("x." + strings.ToLower(stringAt(pi, "Format")))
	if ext == "" {
		ext = extOf(stringAt(pi, "PlayURL"))
	}
	return asset{kind: kindPlay, id: id, job: job, ext: cmpOr(ext, "mp4")}
}

// stringAt walks nested objects and returns the string found, or "".
func stringAt(m map[string]any, keys ...string) string {
	var v any = m
	for _, k := range keys {
		o, ok := v.(map[string]any)
		if !ok {
			return ""
		}
		v = o[k]
	}
	s, _ := v.(string)
	return s
}

// numberAt is stringAt for numbers and numeric strings.
func numberAt(m map[string]any, keys ...string) int {
	var v any = m
	for _, k := range keys {
		o, ok := v.(map[string]any)
		if !ok {
			return 0
		}
		v = o[k]
	}
	f, _ := numberOf(v)
	return int(f)
}

// serveAsset serves a signed /cdn/ or /oss/ URL. No API signature is
// needed; the URL's own signature and expiry are checked. Like a CDN or
// bucket set up for web players, any origin may read the answers (hls.js
// fetches playlists and segments with XHR): CORS allows all origins and
// preflights are answered without a signature, since they return nothing.
func (e *Emulator) serveAsset(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Expose-Headers", "Accept-Ranges, Content-Length, Content-Range, ETag, Expires")
	if r.Method == http.MethodOptions {
		h.Set("Access-Control-Allow-Methods", "GET, HEAD")
		h.Set("Access-Control-Allow-Headers", "Range, If-Range, If-None-Match, If-Modified-Since")
		h.Set("Access-Control-Max-Age", "86400")
		h.Set("Allow", "GET, HEAD, OPTIONS")
		w.WriteHeader(http.StatusNoContent)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD, OPTIONS")
		http.Error(w, "405 method not allowed", http.StatusMethodNotAllowed)
		return
	}
	prefix, p, expiry, reason := e.verifyAssetURL(r)
	if reason != "" {
		http.Error(w, "403 Forbidden: "+reason, http.StatusForbidden)
		return
	}
	a, ok := parseAssetPath(p)
	if !ok {
		http.NotFound(w, r)
		return
	}
	body, err := e.assetContent(r, prefix, a, expiry)
	if err != nil {
		http.Error(w, "500 "+err.Error(), http.StatusInternalServerError)
		return
	}
	if body.bytes == nil {
		http.NotFound(w, r)
		return
	}
	maxAge := int(expiry.Sub(e.now()) / time.Second)
	h.Set("Content-Type", body.ctype)
	h.Set("Cache-Control", fmt.Sprintf("private, max-age=%d", max(maxAge, 0)))
	h.Set("Expires", expiry.UTC().Format(http.TimeFormat))
	if body.etag != "" {
		h.Set("ETag", body.etag) // lets If-Range and If-None-Match work
	}
	// ServeContent answers HEAD, Range (206, multipart for several ranges,
	// 416) and conditional requests.
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body.bytes))
}

// assetBody is what an asset resolves to: a picture to render, or bytes.
type assetBody struct {
	pic   *picture
	bytes []byte
	ctype string
	etag  string // set for fixed content (embedded media)
}

func fileBody(f *mediaFile) assetBody {
	return assetBody{bytes: f.body, ctype: f.ctype, etag: f.etag}
}

// assetContent returns the bytes, type and ETag of an asset; its bytes are
// nil if the catalog has no such asset.
func (e *Emulator) assetContent(r *http.Request, prefix string, a asset, expiry time.Time) (assetBody, error) {
	body, ok := e.resolveAsset(r, prefix, a, expiry)
	switch {
	case !ok:
		return assetBody{}, nil
	case body.pic != nil:
		b, ctype, err := e.picture(*body.pic)
		return assetBody{bytes: b, ctype: ctype}, err
	}
	return body, nil
}

// resolveAsset maps an asset path back to the catalog entry it was signed
// for and reports whether there is one.
func (e *Emulator) resolveAsset(r *http.Request, prefix string, a asset, expiry time.Time) (assetBody, bool) {
	c := e.catalog
	placeholderBody := func(ext string) (assetBody, bool) {
		b, ctype := placeholder(ext)
		return assetBody{bytes: b, ctype: ctype}, true
	}
	switch a.kind {
	case kindImage, kindImageSource:
		img, ok := c.image(a.id)
		if !ok {
			return assetBody{}, false
		}
		want := imageAsset(a.id, img)
		if a.kind == kindImageSource {
			want = imageSourceAsset(a.id, img)
		}
		if want != a {
			return assetBody{}, false
		}
		style := stylePhoto
		if t := stringAt(img, "ImageType"); strings.Contains(t, "SpriteSnapshot") && !strings.Contains(t, "SpriteOriginSnapshot") {
			style = styleSprite
		}
		return assetBody{pic: &picture{seed: "image/" + a.id, style: style,
			w: numberAt(img, "Mezzanine", "Width"), h: numberAt(img, "Mezzanine", "Height"), ext: a.ext}}, true
	}

	m, ok := c.mediaEntry(a.id)
	if !ok {
		return assetBody{}, false
	}
	switch a.kind {
	case kindCover:
		if coverAsset(a.id, stringAt(m, "MediaInfo", "CoverURL")) != a {
			return assetBody{}, false
		}
		w, h, audio := mediaDims(m)
		w, h = fitWithin(w, h, coverSide)
		style := styleCover
		if audio {
			style = styleAudio
		}
		return assetBody{pic: &picture{seed: "media/" + a.id, style: style, w: w, h: h, ext: a.ext}}, true
	case kindSnapshot:
		snaps := asArray(stringAtAny(m, "MediaInfo")["Snapshots"])
		if a.n >= len(snaps) {
			return assetBody{}, false
		}
		u, _ := snaps[a.n].(string)
		if snapshotAsset(a.id, a.n, u) != a {
			return assetBody{}, false
		}
		w, h, _ := mediaDims(m)
		w, h = fitWithin(w, h, coverSide)
		return assetBody{pic: &picture{seed: "media/" + a.id, style: styleFrame, variant: a.n + 1, w: w, h: h, ext: a.ext}}, true
	case kindSprite:
		sprites := asArray(stringAtAny(m, "MediaInfo")["SpriteSnapshots"])
		if a.n >= len(sprites) {
			return assetBody{}, false
		}
		u, _ := sprites[a.n].(string)
		if spriteAsset(a.id, a.n, u) != a {
			return assetBody{}, false
		}
		w, h, _ := mediaDims(m)
		w, h = fitWithin(w, h, spriteSide)
		return assetBody{pic: &picture{seed: "sprite/" + a.id, style: styleSprite, variant: a.n, w: w, h: h, ext: a.ext}}, true
	case kindMezzanine:
		mz, ok := m["MezzanineInfo"].(map[string]any)
		if !ok || mezzanineAsset(a.id, mz) != a {
			return assetBody{}, false
		}
		if f := media().mezzanineFile(a.ext); f != nil {
			return fileBody(f), true
		}
		return placeholderBody(a.ext)
	case kindPlay, kindSegment:
		plays := asArray(m["PlayInfoList"])
		for i, v := range plays {
			pi, _ := v.(map[string]any)
			want := playAsset(a.id, i, pi)
			if want.job != a.job {
				continue
			}
			return e.resolvePlay(r, prefix, a, want, pi, plays, expiry)
		}
	}
	return assetBody{}, false
}

// resolvePlay resolves a play URL, or a segment of one, of stream pi
// (whose own URL is want) to embedded media or a placeholder.
func (e *Emulator) resolvePlay(r *http.Request, prefix string, a, want asset, pi map[string]any, plays []any, expiry time.Time) (assetBody, bool) {
	dm := media()
	const m3u8Type = "application/vnd.apple.mpegurl"
	switch {
	case a.kind == kindSegment:
		if want.ext != "m3u8" {
			return assetBody{}, false
		}
		c := dm.clipFor(pi, true)
		if a.n >= len(c.hls.segments) {
			return assetBody{}, false
		}
		return fileBody(c.hls.segments[a.n]), true
	case want != a:
		return assetBody{}, false
	case a.ext == "m3u8":
		if strings.EqualFold(stringAt(pi, "Definition"), "AUTO") {
			if b := e.masterPlaylist(r, prefix, a.id, pi, plays, expiry); b != nil {
				return assetBody{bytes: b, ctype: m3u8Type}, true
			}
		}
		return assetBody{bytes: e.mediaPlaylist(r, prefix, a, dm.clipFor(pi, true), expiry), ctype: m3u8Type}, true
	}
	if f := dm.playFile(pi, a.ext); f != nil {
		return fileBody(f), true
	}
	b, ctype := placeholder(a.ext)
	return assetBody{bytes: b, ctype: ctype}, true
}

func stringAtAny(m map[string]any, key string) map[string]any {
	o, _ := m[key].(map[string]any)
	return o
}

// mediaDims returns the picture size of a media asset: the mezzanine's
// size, else its first video stream's (rotation applied), else the largest
// play stream's; audio-only media get square cover artwork, and media with
// none of these 0×0 (the default picture size).
func mediaDims(m map[string]any) (w, h int, audio bool) {
	mz := stringAtAny(m, "MezzanineInfo")
	if w, h = numberAt(mz, "Width"), numberAt(mz, "Height"); w > 0 && h > 0 {
		return w, h, false
	}
	if vs := asArray(mz["VideoStreamList"]); len(vs) > 0 {
		v, _ := vs[0].(map[string]any)
		w, h = numberAt(v, "Width"), numberAt(v, "Height")
		if rot := numberAt(v, "Rotate"); rot == 90 || rot == 270 {
			w, h = h, w
		}
		if w > 0 && h > 0 {
			return w, h, false
		}
	}
	video := false
	for _, v := range asArray(m["PlayInfoList"]) {
		p, _ := v.(map[string]any)
		if stringAt(p, "StreamType") == "video" {
			video = true
		}
		if pw, ph := numberAt(p, "Width"), numberAt(p, "Height"); pw*ph > w*h {
			w, h = pw, ph
		}
	}
	if w > 0 && h > 0 {
		return w, h, false
	}
	if !video && len(asArray(m["PlayInfoList"])) > 0 || len(asArray(mz["AudioStreamList"])) > 0 {
		return coverSide, coverSide, true
	}
	return 0, 0, false
}
