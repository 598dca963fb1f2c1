// Command gendemo writes the emulator's embedded demo catalog: the images and
// media of a fictional media team, in the exact JSON shapes of GetImageInfo
// and BatchGetMediaInfos. Its output is deterministic.
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
	Images    []any    `json:"images"`
	Media     []any    `json:"media"`
	Forbidden []string `json:"forbidden"`
}

func main() {
	out := flag.String("o", "demo_catalog.json", "output file")
	flag.Parse()
	c := catalog{Images: images(), Media: media(), Forbidden: forbidden()}
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

type category struct {
	id   int64
	name string
}

var (
	catLaunches  = category{1000201, "Product Launches"}
	catCooking   = category{1000202, "Cooking Series"}
	catPodcasts  = category{1000203, "Podcasts"}
	catBroll     = category{1000204, "B-roll Library"}
	catCustomers = category{1000205, "Customer Stories"}
	catTraining  = category{1000206, "Training"}
	catInternal  = category{1000207, "Internal Comms"}
	catBrand     = category{1000301, "Brand Assets"}
	catEvents    = category{1000302, "Event Photos"}
	catSocial    = category{1000303, "Social Media"}
	catThumbs    = category{1000304, "Thumbnails"}
)

func forbidden() []string {
	return []string{
		id("forbidden", "partner-studio-raw-footage"),
		id("forbidden", "legal-hold-deposition"),
		id("forbidden", "agency-draft-campaign-cut"),
	}
}
