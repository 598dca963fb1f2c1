package web

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"vodboard/vodclient"
)

func TestExportDetailTables(t *testing.T) {
	t.Parallel()
	h, b := signedIn(t, harnessOptions{})
	m := h.findMedia(t, "an asset with video and audio streams and definitions", func(m mediaEntry) bool {
		return len(m.MezzanineInfo.VideoStreamList) > 0 && len(m.MezzanineInfo.AudioStreamList) > 0 && len(m.PlayInfoList) > 1
	})
	streams := readCSVExport(t, b.get("/media/"+m.MediaID+"/streams?format=csv"), "media-"+m.MediaID+"-streams")
	if !slices.Equal(streams.header, documentedStreamColumns) {
		t.Errorf("streams header %q, want the documented %q", streams.header, documentedStreamColumns)
	}
	var kinds []string
	for _, r := range streams.rows {
		kinds = append(kinds, r["kind"])
		if r["media_id"] != m.MediaID || r["codec"] == "" {
			t.Errorf("stream row %v", r)
		}
		// Each kind fills its own columns only.
		if (r["kind"] == "video") != (r["width"] != "") || (r["kind"] == "audio") != (r["channels"] != "") {
			t.Errorf("%s stream row fills width %q and channels %q", r["kind"], r["width"], r["channels"])
		}
	}
	want := slices.Concat(slices.Repeat([]string{"video"}, len(m.MezzanineInfo.VideoStreamList)), slices.Repeat([]string{"audio"}, len(m.MezzanineInfo.AudioStreamList)))
	if !slices.Equal(kinds, want) {
		t.Errorf("stream rows %q, want %q", kinds, want)
	}

	defs := readJSONExport(t, b.get("/media/"+m.MediaID+"/playinfo?format=json"), "media-"+m.MediaID+"-playinfo")
	if !slices.Equal(defs.Columns, documentedPlayInfoColumns) || !defs.Complete {
		t.Errorf("definitions columns %q, want the documented %q", defs.Columns, documentedPlayInfoColumns)
	}
	got := column(defs.Rows, func(r map[string]any) string { return jsonText(r["definition"]) + "/" + jsonText(r["status"]) })
	wantDefs := column(m.PlayInfoList, func(p struct{ Status, Definition string }) string { return p.Definition + "/" + p.Status })
	if !slices.Equal(got, wantDefs) {
		t.Errorf("definitions %q, want %q", got, wantDefs)
	}
	for _, r := range defs.Rows {
		if _, ok := r["encrypted"].(bool); !ok {
			t.Errorf("encrypted %#v, want a JSON boolean", r["encrypted"])
		}
	}

	const missing = "0000000000000000000000000000dead"
	mustStatus(t, b.get("/media/"+missing+"/streams?format=csv"), http.StatusNotFound)
	mustStatus(t, b.get("/media/"+url.PathEscape("bad id!")+"/playinfo"), http.StatusBadRequest)
}

func TestExportsCarryNoSignedURL(t *testing.T) {
	t.Parallel()
	h, b := signedIn(t, harnessOptions{})
	media := h.findMedia(t, "an asset with definitions", func(m mediaEntry) bool { return len(m.PlayInfoList) > 0 })
	targets := []string{
		"/images?ids=" + strings.Join(h.cat.ImageIDs()[:20], ","),
		"/media?ids=" + strings.Join(h.cat.MediaIDs()[:20], ",") + "&refs=" + h.cat.ReferenceIDs()[0],
		"/library?type=video",
		"/library?type=audio",
		"/library?type=image",
		"/media/" + media.MediaID + "/streams",
		"/media/" + media.MediaID + "/playinfo",
	}
	for _, target := range targets {
		for _, format := range []string{"csv", "json"} {
			sep := "?"
			if strings.Contains(target, "?") {
				sep = "&"
			}
			p := b.get(target + sep + "format=" + format)
			mustStatus(t, p, http.StatusOK)
			for _, signed := range []string{"auth_key", "Signature", "Expires=", "OSSAccessKeyId", "http", h.emuURL} {
				if i := strings.Index(p.body, signed); i >= 0 {
					t.Errorf("%s as %s carries %q: …%s…", target, format, signed, p.body[max(0, i-80):min(len(p.body), i+80)])
				}
			}
		}
	}
	// With a public URL, detail links are absolute: to the dashboard, never
	// to the API's URLs.
	h2, b2 := signedIn(t, harnessOptions{publicURL: "https://vod.example.com"})
	img := h2.cat.ImageIDs()[0]
	f := readCSVExport(t, b2.get("/images?format=csv&ids="+img), "images")
	if got := f.rows[0]["detail"]; got != "https://vod.example.com/images/"+img {
		t.Errorf("detail %q, want the public URL of /images/%s", got, img)
	}
}

// exportLink is the href of the export link of format in sel of p.
func exportLink(t *testing.T, p *page, sel, format string) string {
	t.Helper()
	a := p.doc.Find(sel).Find(`[data-testid="export-` + format + `"]`)
	if a.Length() != 1 {
		t.Fatalf("%s: %d export-%s links, want 1; body: %s", sel, a.Length(), format, excerpt(p.body))
	}
	href, _ := a.Attr("href")
	if _, ok := a.Attr("download"); !ok || !a.HasClass("btn") {
		t.Errorf("%s: the export-%s link is not a download button", sel, format)
	}
	return href
}

func TestExportButtons(t *testing.T) {
	t.Parallel()
	h, b := signedIn(t, harnessOptions{})

	t.Run("library", func(t *testing.T) {
		view := "/library?type=audio&status=Normal&sort=oldest&page=2&size=20&view=list"
		p := b.get(view)
		mustStatus(t, p, http.StatusOK)
		csvURL := exportLink(t, p, ".results-toolbar", "csv")
		if want := "/library?type=audio&status=Normal&sort=oldest&format=csv"; csvURL != want {
			t.Errorf("CSV link %q, want the filters without paging: %q", csvURL, want)
		}
		if got := exportLink(t, p, ".results-toolbar", "json"); got != strings.Replace(csvURL, "format=csv", "format=json", 1) {
			t.Errorf("JSON link %q", got)
		}
		f := readCSVExport(t, b.get(csvURL), "library-audio")
		if total := libraryTotal(t, p); len(f.rows) != total {
			t.Errorf("the export has %d rows, the view %d", len(f.rows), total)
		}
		// The links follow the filters when htmx swaps the results.
		frag := b.get("/library?type=audio&status=Blocked", htmx, withHeader("HX-Target", "library-results"))
		if got := exportLink(t, frag, ".results-toolbar", "csv"); got != "/library?type=audio&status=Blocked&format=csv" {
			t.Errorf("the swapped results link to %q", got)
		}
		if empty := b.get("/library?q=zzzz-nothing-matches"); empty.find("export-csv").Length() != 0 {
			t.Error("an empty view offers an export")
		}
	})

	t.Run("lookups", func(t *testing.T) {
		ids := h.cat.ImageIDs()[:2]
		for _, opts := range [][]reqOption{nil, {htmx}} {
			p := b.get("/images?ids="+strings.Join(ids, ","), opts...)
			mustStatus(t, p, http.StatusOK)
			csvURL := exportLink(t, p, ".results-head", "csv")
			f := readCSVExport(t, b.get(csvURL), "images")
			if got := column(f.rows, func(r map[string]string) string { return r["id"] }); !slices.Equal(got, ids) {
				t.Errorf("the lookup's export link %q exports %q, want %q", csvURL, got, ids)
			}
		}
		media := h.cat.MediaIDs()[0]
		p := b.get("/media?ids=" + media + "&refs=" + h.cat.ReferenceIDs()[0])
		readJSONExport(t, b.get(exportLink(t, p, ".results-head", "json")), "media")
		if refused := b.get("/images?ids=" + strings.Join(ids, ",") + ",bad!"); refused.find("export-csv").Length() != 0 {
			t.Error("a refused lookup offers an export")
		}
	})

	t.Run("short link", func(t *testing.T) {
		ids := h.cat.ImageIDs()[:101]
		p := b.get("/images?ids=" + strings.Join(ids, ","))
		link := p.location()
		if p.status != http.StatusSeeOther || !strings.HasPrefix(link, "/l/") {
			t.Fatalf("a lookup of 101 IDs answered %d to %q, want a short link", p.status, link)
		}
		// The live page's results arrive in the stream's last event, which
		// links to the short link's export.
		events := b.get(link, withHeader("Accept", "text/event-stream"))
		if !strings.Contains(events.body, `href="`+link+`?format=csv"`) {
			t.Errorf("the finished results do not link to %s?format=csv", link)
		}
		f := readCSVExport(t, b.get(link+"?format=csv"), "images")
		if got := column(f.rows, func(r map[string]string) string { return r["id"] }); !slices.Equal(got, ids) {
			t.Errorf("the short link exports %d rows, want the %d IDs in order", len(got), len(ids))
		}
	})

	t.Run("detail page", func(t *testing.T) {
		m := h.findMedia(t, "an asset with streams and definitions", func(m mediaEntry) bool {
			return len(m.MezzanineInfo.VideoStreamList) > 0 && len(m.PlayInfoList) > 0
		})
		p := b.get("/media/" + m.MediaID)
		mustStatus(t, p, http.StatusOK)
		if got := exportLink(t, p, "#video-streams", "csv"); got != "/media/"+m.MediaID+"/streams?format=csv" {
			t.Errorf("streams export link %q", got)
		}
		if got := exportLink(t, p, "#definitions", "json"); got != "/media/"+m.MediaID+"/playinfo?format=json" {
			t.Errorf("definitions export link %q", got)
		}
	})
}

func TestExportIsCompressed(t *testing.T) {
	t.Parallel()
	_, b := signedIn(t, harnessOptions{})
	p := b.get("/library?format=csv", withHeader("Accept-Encoding", "gzip"))
	mustStatus(t, p, http.StatusOK)
	if p.header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding %q, want gzip", p.header.Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(strings.NewReader(p.body))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("the gzipped export does not decompress: %v", err)
	}
	p.body, p.header = string(plain), p.header.Clone()
	f := readCSVExport(t, p, "library-video")
	if total := libraryTotal(t, b.get("/library")); len(f.rows) != total {
		t.Errorf("%d rows, want %d", len(f.rows), total)
	}
}

func TestExportsGetALongerDeadline(t *testing.T) {
	t.Parallel()
	e := echo.New()
	e.Use(requestDeadline(Config{}))
	var left time.Duration
	e.GET("/x", func(c echo.Context) error {
		deadline, _ := c.Request().Context().Deadline()
		left = time.Until(deadline)
		return nil
	})
	for _, tc := range []struct {
		target, accept string
		export         bool
	}{
		{"/x", "", false},
		{"/x?format=csv", "", true},
		{"/x?format=nonsense", "", true},
		{"/x", "application/json", true},
	} {
		req := httptest.NewRequest(http.MethodGet, tc.target, nil)
		req.Header.Set("Accept", tc.accept)
		e.ServeHTTP(httptest.NewRecorder(), req)
		long := left > DefaultRequestTimeout
		if long != tc.export || left > exportTimeout {
			t.Errorf("%s (Accept %q): %v left, want the export deadline: %v", tc.target, tc.accept, left.Round(time.Second), tc.export)
		}
	}
}

// heapProbe is the client of an export: it counts what arrives and, at
// every tenth flush (a page of rows), how much heap the process holds
// after a collection.
type heapProbe struct {
	h       *harness
	header  http.Header
	status  int
	bytes   int
	flushes int
	// searchesAtFirstFlush: SearchMedia calls made when the first rows
	// arrived.
	searchesAtFirstFlush int
	live                 []uint64
}

func (p *heapProbe) Header() http.Header         { return p.header }
func (p *heapProbe) WriteHeader(status int)      { p.status = status }
func (p *heapProbe) Write(b []byte) (int, error) { p.bytes += len(b); return len(b), nil }

func (p *heapProbe) Flush() {
	p.flushes++
	if p.flushes == 1 {
		p.searchesAtFirstFlush = len(p.h.calls("SearchMedia"))
	}
	if p.flushes%10 == 0 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		p.live = append(p.live, m.HeapAlloc)
	}
}

// TestExportMemoryIsFlat exports 10,000 rows and checks that they stream:
// the first page reaches the client before the second is asked for, and
// the heap the process keeps does not grow with the rows written. Not
// parallel: it reads the whole process's heap.
func TestExportMemoryIsFlat(t *testing.T) {
	h, b := signedIn(t, harnessOptions{synthetic: 10_000, rateLimits: vodclient.NewRateLimits(nil)})
	h.emu.SetRateLimit("SearchMedia", 0)
	total := libraryTotal(t, b.get("/library"))
	h.emu.ResetCalls()

	probe := &heapProbe{h: h, header: http.Header{}}
	b.serveTo("/library?format=csv", probe)
	if probe.status != http.StatusOK {
		t.Fatalf("status %d", probe.status)
	}
	if probe.searchesAtFirstFlush != 1 {
		t.Errorf("the first rows arrived after %d SearchMedia calls, want 1: the export does not stream", probe.searchesAtFirstFlush)
	}
	if pages := (total + 99) / 100; probe.flushes < pages {
		t.Errorf("%d flushes for %d pages", probe.flushes, pages)
	}
	if len(probe.live) < 5 {
		t.Fatalf("%d heap samples", len(probe.live))
	}
	// From the first sample (1,000 rows in) to the last (10,000), the
	// heap must not grow with the rows: a copy of them would be several
	// MB (each row is about 200 bytes of CSV, more as Go values).
	first, last := probe.live[0], probe.live[len(probe.live)-1]
	growth := int64(last) - int64(first)
	rows := (len(probe.live) - 1) * 10 * 100
	t.Logf("%d rows, %d bytes sent; heap after GC %.1f MB at row 1000, %.1f MB at row %d (%+d bytes, %.1f bytes a row)",
		total, probe.bytes, float64(first)/(1<<20), float64(last)/(1<<20), rows+1000, growth, float64(growth)/float64(rows))
	if growth > 1<<20 {
		t.Errorf("the heap grew by %d bytes over %d rows: the export holds its rows", growth, rows)
	}
}

// serveTo answers a GET as the browser's session into w.
func (b *browser) serveTo(target string, w http.ResponseWriter, opts ...reqOption) {
	req := b.request(target)
	for _, o := range opts {
		o(req)
	}
	b.h.srv.ServeHTTP(w, req)
}
