package views

import (
	"bytes"
	"context"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/a-h/templ"
)

func renderLight(t *testing.T, c templ.Component) *goquery.Document {
	t.Helper()
	var buf bytes.Buffer
	if err := c.Render(WithLightThumbnails(context.Background()), &buf); err != nil {
		t.Fatalf("render: %v", err)
	}
	doc, err := goquery.NewDocumentFromReader(&buf)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return doc
}

// With light thumbnails, grid and list boxes load vodboard's thumbnail and
// keep the signed original as its fallback; boxes of originals (detail
// pages) and boxes without a usable URL are as before.
func TestLightThumbnails(t *testing.T) {
	img := sampleImages("https://cdn.example")[0]
	box := one(t, renderLight(t, ImageThumb(img, false)), "img")
	attr(t, box, "src", "/thumb/image/"+img.ID)
	attr(t, box, "data-fallback-src", img.URL)
	attr(t, box, "data-resign-url", "/images/"+img.ID+"/thumb")

	box = one(t, renderLight(t, ImageOriginal(img)), "img")
	attr(t, box, "src", img.URL)
	attr(t, box, "data-resign-url", "/images/"+img.ID+"/thumb?original=1")
	if _, ok := box.Attr("data-fallback-src"); ok {
		t.Error("an original has a fallback")
	}

	video := sampleVideo("https://cdn.example")
	box = one(t, renderLight(t, MediaCover(video, true)), "img")
	attr(t, box, "src", "/thumb/media/"+video.ID)
	attr(t, box, "data-fallback-src", video.CoverURL)

	// Without the context, the original as before.
	attr(t, one(t, render(t, ImageThumb(img, false)), "img"), "src", img.URL)

	// A URL that is not http(s) shows no picture at all, light or not.
	if n := renderLight(t, ImageThumb(hostileImage(), false)).Find("img").Length(); n != 0 {
		t.Errorf("%d <img> for a hostile URL", n)
	}
}
