// Command gendemo writes the emulator's embedded demo catalog: the images and
// media of a fictional media team, in the exact JSON shapes of GetImageInfo
// and BatchGetMediaInfos, and the team's category tree as GetCategories
// describes it. The first entries showcase every case the dashboard renders;
// the library after them is two years of uploads. Its output is
// deterministic.
//
//	go run ./internal/gendemo -o demo_catalog.json
package main

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"time"
)

type catalog struct {
	Images     []any          `json:"images"`
	Media      []any          `json:"media"`
	Forbidden  []string       `json:"forbidden"`
	Categories []categoryInfo `json:"categories"`
}

func main() {
	out := flag.String("o", "demo_catalog.json", "output file")
	flag.Parse()
	c := catalog{Images: images(), Media: media(), Forbidden: forbidden(), Categories: categories()}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(c); err != nil {
		slog.Error("encode demo catalog", "err", err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		slog.Error("write demo catalog", "err", err)
		os.Exit(1)
	}
}

// id returns a stable 32-hex-digit ID, shaped like the real ones.
func id(parts ...any) string {
	sum := md5.Sum([]byte(fmt.Sprint(append([]any{"vodboard-demo"}, parts...)...)))
	return hex.EncodeToString(sum[:])
}

const (
	appID    = "app-1000000"
	bucket   = "outin-4c8a1f0e5d3b11efb2f200163e1c7426.oss-cn-shanghai.aliyuncs.com"
	cdnHost  = "https://vod.northwind-media.example"
	imgHost  = "https://img.northwind-media.example"
	regionID = "cn-shanghai"
)

var epoch = time.Date(2024, 1, 8, 9, 30, 0, 0, time.UTC)

func ts(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

func forbidden() []string {
	return []string{
		id("forbidden", "partner-studio-raw-footage"),
		id("forbidden", "legal-hold-deposition"),
		id("forbidden", "agency-draft-campaign-cut"),
	}
}
