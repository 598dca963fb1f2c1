package web

import (
	"net/url"
	"strings"

	"vodboard/views"
)

// exampleSize bounds the IDs of one example lookup.
const exampleSize = 40

// demoExamples are the "Try these" links of demo mode, drawn from the
// emulator's demo catalog.
func (a *app) demoExamples() []views.Example {
	cat := a.deps.DemoCatalog
	if cat == nil {
		return nil
	}
	images, media, refs, forbidden := cat.ImageIDs(), cat.MediaIDs(), cat.ReferenceIDs(), cat.ForbiddenIDs()
	link := func(path string, params ...string) string {
		v := url.Values{}
		for i := 0; i+1 < len(params); i += 2 {
			v.Set(params[i], params[i+1])
		}
		return path + "?" + v.Encode()
	}
	// The catalog starts with hand-made entries that cover every image type
	// and media status; the library shows the rest.
	images, media = images[:min(len(images), exampleSize)], media[:min(len(media), exampleSize)]
	var ex []views.Example
	if len(images) > 0 {
		ex = append(ex, views.Example{Label: "Demo images", Description: "Every image type and status, as a thumbnail grid", URL: link("/images", "ids", strings.Join(images, ","))})
	}
	if len(media) > 0 {
		ex = append(ex, views.Example{Label: "Demo media", Description: "Video and audio, every status, with stream and definition counts", URL: link("/media", "ids", strings.Join(media, ","))})
	}
	if len(media) > 2 && len(forbidden) > 0 {
		mixed := []string{media[0], media[1], "0000000000000000000000000000dead", forbidden[0]}
		ex = append(ex, views.Example{Label: "Missing and forbidden IDs", Description: "Two assets, one ID that does not exist, one without permission", URL: link("/media", "ids", strings.Join(mixed, ","))})
	}
	if len(refs) > 0 {
		ex = append(ex, views.Example{Label: "By reference ID", Description: "Assets found through their custom reference IDs", URL: link("/media", "refs", strings.Join(append(refs[:min(3, len(refs)):min(3, len(refs))], "no-such-reference"), ","))})
	}
	return ex
}
