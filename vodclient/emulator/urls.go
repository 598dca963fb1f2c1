package emulator

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

const (
	// OSSAccessKeyID is the OSSAccessKeyId carried by the emulator's
	// OSS-style signed URLs.
	OSSAccessKeyID = "LTAI5tVodboardEmulatorOSS"

	defaultAuthTimeout = 3600 * time.Second
	maxOSSAuthTimeout  = 2592000 * time.Second
	maxCDNAuthTimeout  = 100 * 365 * 24 * time.Hour // "unlimited", kept clear of overflow
)

// urlSigner signs asset URLs for one response.
type urlSigner struct {
	base   string // scheme://host of the request
	urlKey string
	now    time.Time
}

func (e *Emulator) signer(r *http.Request) urlSigner {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return urlSigner{base: scheme + "://" + r.Host, urlKey: e.urlKey, now: e.now()}
}

func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// cdnAuthHash is md5("<path>-<expiry>-<rand>-<uid>-<key>") of CDN type-A auth.
func cdnAuthHash(path string, expiry int64, rnd, uid, key string) string {
	sum := md5.Sum(fmt.Appendf(nil, "%s-%d-%s-%s-%s", path, expiry, rnd, uid, key))
	return hex.EncodeToString(sum[:])
}

// ossSignature is the OSS V1 query signature of a GET of path.
func ossSignature(key string, expires int64, path string) string {
	m := hmac.New(sha1.New, []byte(key))
	fmt.Fprintf(m, "GET\n\n\n%d\n%s", expires, path)
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// cdn returns a CDN type-A signed URL of asset path p:
// /cdn/<p>?auth_key=<expiry>-<rand>-<uid>-<md5>.
func (s urlSigner) cdn(p string, ttl time.Duration) string {
	path := "/cdn/" + p
	exp := s.now.Add(min(ttl, maxCDNAuthTimeout)).Unix()
	rnd, uid := randHex(8), "0"
	return fmt.Sprintf("%s%s?auth_key=%d-%s-%s-%s", s.base, path, exp, rnd, uid, cdnAuthHash(path, exp, rnd, uid, s.urlKey))
}

// oss returns an OSS-style signed URL of asset path p:
// /oss/<p>?Expires=..&OSSAccessKeyId=..&Signature=...
func (s urlSigner) oss(p string, ttl time.Duration) string {
	path := "/oss/" + p
	exp := s.now.Add(min(ttl, maxOSSAuthTimeout)).Unix()
	return fmt.Sprintf("%s%s?Expires=%d&OSSAccessKeyId=%s&Signature=%s", s.base, path, exp, OSSAccessKeyID,
		url.QueryEscape(ossSignature(s.urlKey, exp, path)))
}

// sign signs p in the scheme named by prefix ("cdn" or "oss").
func (s urlSigner) sign(prefix, p string, ttl time.Duration) string {
	if prefix == "oss" {
		return s.oss(p, ttl)
	}
	return s.cdn(p, ttl)
}

// verifyAssetURL checks the signature and expiry of an asset request and
// returns the scheme ("cdn" or "oss"), the asset path and the expiry.
func (e *Emulator) verifyAssetURL(r *http.Request) (prefix, assetPath string, expiry time.Time, reason string) {
	path := r.URL.EscapedPath()
	q := r.URL.Query()
	now := e.now()
	var exp int64
	switch {
	case strings.HasPrefix(path, "/cdn/"):
		prefix, assetPath = "cdn", strings.TrimPrefix(path, "/cdn/")
		parts := strings.Split(q.Get("auth_key"), "-")
		if len(parts) != 4 {
			return "", "", time.Time{}, "missing or malformed auth_key"
		}
		var err error
		exp, err = strconv.ParseInt(parts[0], 10, 64)
		if err != nil {
			return "", "", time.Time{}, "malformed auth_key timestamp"
		}
		want := cdnAuthHash(path, exp, parts[1], parts[2], e.urlKey)
		if !hmac.Equal([]byte(want), []byte(strings.ToLower(parts[3]))) {
			return "", "", time.Time{}, "auth_key does not match"
		}
	case strings.HasPrefix(path, "/oss/"):
		prefix, assetPath = "oss", strings.TrimPrefix(path, "/oss/")
		var err error
		exp, err = strconv.ParseInt(q.Get("Expires"), 10, 64)
		if err != nil || q.Get("OSSAccessKeyId") != OSSAccessKeyID || q.Get("Signature") == "" {
			return "", "", time.Time{}, "missing or malformed Expires, OSSAccessKeyId or Signature"
		}
		want := ossSignature(e.urlKey, exp, path)
		if !hmac.Equal([]byte(want), []byte(q.Get("Signature"))) {
			return "", "", time.Time{}, "signature does not match"
		}
	default:
		return "", "", time.Time{}, "unknown URL scheme"
	}
	expiry = time.Unix(exp, 0)
	if now.After(expiry) {
		return "", "", time.Time{}, "URL expired"
	}
	return prefix, assetPath, expiry, ""
}

// urlOptions are the AuthTimeout and OutputType parameters.
type urlOptions struct {
	prefix string // "cdn" or "oss"
	ttl    time.Duration
}

func parseURLOptions(p url.Values) (urlOptions, *apiError) {
	o := urlOptions{prefix: "cdn", ttl: defaultAuthTimeout}
	if p.Has("OutputType") {
		switch v := p.Get("OutputType"); v {
		case "cdn", "oss":
			o.prefix = v
		default:
			return o, errInvalid("OutputType", "Valid values: cdn, oss.")
		}
	}
	if p.Has("AuthTimeout") {
		n, err := strconv.ParseInt(p.Get("AuthTimeout"), 10, 64)
		if err != nil || n < 1 {
			return o, errInvalid("AuthTimeout", "It must be an integer of at least 1 (seconds).")
		}
		if o.prefix == "oss" && n > int64(maxOSSAuthTimeout/time.Second) {
			return o, errInvalid("AuthTimeout", "With OutputType oss it must be at most 2592000 (30 days).")
		}
		o.ttl = time.Duration(min(n, int64(maxCDNAuthTimeout/time.Second))) * time.Second
	}
	return o, nil
}

// rewriteImage replaces the URLs of an ImageInfo copy with signed emulator
// URLs. Every image gets a URL, whatever its status and even if its
// catalog entry has none, as the real service always returns one. The
// Mezzanine file is always an OSS URL, as in the real service.
func (s urlSigner) rewriteImage(img map[string]any, o urlOptions) {
	id := img["ImageId"].(string)
	img["URL"] = s.sign(o.prefix, imageAsset(id, img).path(), o.ttl)
	if mz, ok := img["Mezzanine"].(map[string]any); ok {
		if u, _ := mz["FileURL"].(string); u != "" {
			mz["FileURL"] = s.oss(imageSourceAsset(id, img).path(), o.ttl)
		}
	}
}

// rewriteMedia replaces the URLs of a MediaInfos entry copy: cover,
// snapshots, sprite snapshots and play URLs as CDN URLs, the mezzanine
// file as an OSS URL.
func (s urlSigner) rewriteMedia(entry map[string]any, ttl time.Duration) {
	id := entry["MediaId"].(string)
	if info, ok := entry["MediaInfo"].(map[string]any); ok {
		if u, _ := info["CoverURL"].(string); u != "" {
			info["CoverURL"] = s.cdn(coverAsset(id, u).path(), ttl)
		}
		for i, v := range asArray(info["Snapshots"]) {
			if u, _ := v.(string); u != "" {
				info["Snapshots"].([]any)[i] = s.cdn(snapshotAsset(id, i, u).path(), ttl)
			}
		}
		for i, v := range asArray(info["SpriteSnapshots"]) {
			if u, _ := v.(string); u != "" {
				info["SpriteSnapshots"].([]any)[i] = s.cdn(spriteAsset(id, i, u).path(), ttl)
			}
		}
	}
	if mz, ok := entry["MezzanineInfo"].(map[string]any); ok {
		if u, _ := mz["FileURL"].(string); u != "" {
			mz["FileURL"] = s.oss(mezzanineAsset(id, mz).path(), ttl)
		}
	}
	for i, v := range asArray(entry["PlayInfoList"]) {
		pi, _ := v.(map[string]any)
		if u, _ := pi["PlayURL"].(string); u != "" {
			pi["PlayURL"] = s.cdn(playAsset(id, i, pi).path(), ttl)
		}
	}
}
