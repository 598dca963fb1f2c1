package emulator

import (
	"bytes"
	"testing"
)

// A cover is a plain video-frame-like picture: no play button or other
// motif over the picture that the same seed draws as a photo.
func TestCoverHasNoMotif(t *testing.T) {
	for _, ext := range []string{"png", "jpg"} {
		cover, err := renderPicture(picture{seed: "media/m1", style: styleCover, w: 1920, h: 1080, ext: ext})
		if err != nil {
			t.Fatal(err)
		}
		plain, err := renderPicture(picture{seed: "media/m1", style: stylePhoto, w: 1920, h: 1080, ext: ext})
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(cover, plain) {
			t.Errorf("%s: the cover draws something over the picture", ext)
		}
	}
}
