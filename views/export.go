package views

import (
	"context"
	"strings"
)

// ExportLinks are a list's links to itself as a CSV and a JSON file.
type ExportLinks struct {
	CSV, JSON string
	// What names the list in the links' accessible names: "results",
	// "streams", "definitions".
	What string
}

// exportLinks adds format=csv and format=json to base, a local address;
// none when base is not local.
func exportLinks(base, what string) ExportLinks {
	if localURL(base) == "" {
		return ExportLinks{}
	}
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return ExportLinks{CSV: base + sep + "format=csv", JSON: base + sep + "format=json", What: what}
}

type exportURLKey struct{}

// WithExportURL records the address a list rendered under ctx exports
// from: its own, without format. A lookup's results are rendered on
// several paths (the page, the last event of a live lookup, a short link);
// each request sets its address here, and the results link to it.
func WithExportURL(ctx context.Context, u string) context.Context {
	return context.WithValue(ctx, exportURLKey{}, u)
}

// lookupExportLinks are the export links of the lookup rendered under ctx:
// none when its address is not known or nothing was looked up.
func lookupExportLinks(ctx context.Context, l Lookup) ExportLinks {
	u, _ := ctx.Value(exportURLKey{}).(string)
	if l.Requested == 0 || l.refused() {
		return ExportLinks{}
	}
	return exportLinks(u, "results")
}

// exportLinks are the library view's export links: the whole selection,
// every page of it, so the paging and layout are left out.
func (l Library) exportLinks() ExportLinks {
	if l.Total == 0 {
		return ExportLinks{}
	}
	q := l.Query
	q.Page, q.Size, q.View, q.Cursor = 1, LibraryDefaultSize, LibraryDefaultView, ""
	return exportLinks(q.URL(), "all "+FormatInt(l.Total)+" "+TypeNoun(q.Type, l.Total))
}

// streamsExport and playInfosExport are the detail page's table exports.
func (m Media) streamsExport() ExportLinks {
	return exportLinks(mediaPath(m.ID)+"/streams", "video and audio streams")
}

func (m Media) playInfosExport() ExportLinks {
	return exportLinks(mediaPath(m.ID)+"/playinfo", "definitions")
}
