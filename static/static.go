// Package static serves vodboard's embedded front-end assets (stylesheet,
// behaviour script, vendored htmx, icon) under content-hashed URLs.
//
// Hashed names ("/static/app.3f2a9c1b.js") are cached for a year as
// immutable; the plain names ("/static/app.js") still work but are cached
// briefly, so a stale page never pins an old asset.
package static

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"sort"
	"strings"
	"time"
)

// Names of the assets the layout links.
const (
	CSS     = "app.css"
	JS      = "app.js"
	HTMX    = "htmx.min.js"
	SSE     = "htmx-ext-sse.min.js"
	Icon    = "icon.svg"
	Library = "library.js"
	A11y    = "a11y.js"
	HLS     = "hls.light.min.js"
	Player  = "player.js"
)

// Prefix is the URL path under which Handler serves the assets.
const Prefix = "/static/"

const (
	immutableCache = "public, max-age=31536000, immutable"
	shortCache     = "public, max-age=300"
)

//go:embed *.css *.js *.svg
var embedded embed.FS

// Assets is the set of embedded files with their content hashes, computed
// once by New and never changed afterwards.
type Assets struct {
	byName   map[string]*asset // "app.js"
	byHashed map[string]*asset // "app.3f2a9c1b.js"
}

type asset struct {
	name        string
	hashedName  string
	contentType string
	etag        string
	data        []byte
}

// New reads the embedded files and hashes their contents.
func New() *Assets {
	a, err := newAssets(embedded)
	if err != nil {
		// The files are compiled in; failing to read them is a build defect.
		panic(fmt.Sprintf("static: %v", err))
	}
	return a
}

func newAssets(fsys fs.FS) (*Assets, error) {
	a := &Assets{byName: map[string]*asset{}, byHashed: map[string]*asset{}}
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		full := hex.EncodeToString(sum[:])
		as := &asset{
			name:        name,
			hashedName:  hashedName(name, full[:8]),
			contentType: contentType(name),
			etag:        `"` + full[:32] + `"`,
			data:        data,
		}
		a.byName[name] = as
		a.byHashed[as.hashedName] = as
		return nil
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// hashedName inserts the hash before the last extension:
// "htmx.min.js" -> "htmx.min.3f2a9c1b.js".
func hashedName(name, hash string) string {
	ext := path.Ext(name)
	return strings.TrimSuffix(name, ext) + "." + hash + ext
}

// contentType prefers a fixed table: mime.TypeByExtension depends on the
// host's mime.types files.
func contentType(name string) string {
	switch ext := strings.ToLower(path.Ext(name)); ext {
	case ".css":
		return "text/css; charset=utf-8"
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	case ".png":
		return "image/png"
	case ".txt":
		return "text/plain; charset=utf-8"
	default:
		if ct := mime.TypeByExtension(ext); ct != "" {
			return ct
		}
		return "application/octet-stream"
	}
}

// Path returns the content-hashed URL of the named asset, e.g.
// Path("app.js") == "/static/app.3f2a9c1b.js". An unknown name yields its
// unhashed URL, which Handler answers with 404.
func (a *Assets) Path(name string) string {
	if as, ok := a.byName[name]; ok {
		return Prefix + as.hashedName
	}
	return Prefix + name
}

// Names lists the embedded asset names, sorted.
func (a *Assets) Names() []string {
	names := make([]string, 0, len(a.byName))
	for n := range a.byName {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// FS returns the embedded files under their plain names.
func (a *Assets) FS() fs.FS { return embedded }

// Handler serves the assets at Prefix: hashed names with a one-year immutable
// cache, plain names with a short cache, anything else 404. Mount it at
// Prefix without stripping the prefix.
func (a *Assets) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
			return
		}
		name, ok := strings.CutPrefix(r.URL.Path, Prefix)
		if !ok || name == "" || strings.Contains(name, "/") {
			http.NotFound(w, r)
			return
		}
		cache := immutableCache
		as, ok := a.byHashed[name]
		if !ok {
			cache = shortCache
			if as, ok = a.byName[name]; !ok {
				http.NotFound(w, r)
				return
			}
		}
		h := w.Header()
		h.Set("Content-Type", as.contentType)
		h.Set("Cache-Control", cache)
		h.Set("ETag", as.etag)
		h.Set("X-Content-Type-Options", "nosniff")
		http.ServeContent(w, r, as.name, time.Time{}, bytes.NewReader(as.data))
	})
}
