package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"vodboard/vodclient/emulator"
)

// libraryItems reads the items of a library page: ID and type.
func libraryItems(p *page) (ids, types []string) {
	p.find("library-item").Each(func(_ int, s *goquery.Selection) {
		id, _ := s.Attr("data-id")
		typ, _ := s.Attr("data-type")
		ids = append(ids, id)
		types = append(types, typ)
	})
	return ids, types
}

func libraryTotal(t *testing.T, p *page) int {
	t.Helper()
	el := mustOne(t, p, "library-total")
	n, err := strconv.Atoi(strings.TrimSpace(el.Text()))
	if err != nil {
		t.Fatalf("library-total %q is not digits", el.Text())
	}
	if v, _ := el.Attr("value"); v != strconv.Itoa(n) {
		t.Errorf("library-total value=%q, text %d", v, n)
	}
	return n
}

// searchCalls returns the SearchMedia calls recorded since the last reset.
func (h *harness) searchCalls() []emulator.Call { return h.calls("SearchMedia") }

// lastSearch is the parameters of the one SearchMedia call a page made.
func lastSearch(t *testing.T, h *harness) map[string]string {
	t.Helper()
	calls := h.searchCalls()
	if len(calls) != 1 {
		t.Fatalf("%d SearchMedia calls, want 1", len(calls))
	}
	return calls[0].Params
}

// matchConds parses the Match the emulator received, with its own parser.
func matchConds(t *testing.T, match string) []emulator.MatchCond {
	t.Helper()
	if match == "" {
		return nil
	}
	m, err := emulator.ParseMatch(match)
	if err != nil {
		t.Fatalf("the emulator cannot parse Match %q: %v", match, err)
	}
	return m.Conds()
}

func condFields(conds []emulator.MatchCond) []string {
	var out []string
	for _, c := range conds {
		out = append(out, c.Field)
	}
	return out
}

func TestLibraryIsWhereUsersLand(t *testing.T) {
	t.Parallel()
	h, b := signedIn(t, harnessOptions{})

	root := b.get("/")
	if root.status != http.StatusSeeOther || root.location() != "/library" {
		t.Fatalf("/ answered %d to %q, want 303 to /library", root.status, root.location())
	}
	h.emu.ResetCalls()
	p := b.get("/library")
	mustStatus(t, p, http.StatusOK)
	for _, id := range []string{"library", "filters", "category-tree", "pager", "library-total", "type-tabs"} {
		if p.find(id).Length() == 0 {
			t.Errorf("no %s on /library", id)
		}
	}
	nav := texts(p.doc.Find("nav.nav a"), "")
	if !slices.Equal(nav, []string{"Library", "Lookup", "Settings"}) {
		t.Errorf("navigation reads %q, want Library · Lookup · Settings", nav)
	}
	if cur := p.doc.Find(`nav.nav a[aria-current="page"]`).Text(); cur != "Library" {
		t.Errorf("current nav item %q, want Library", cur)
	}
	params := lastSearch(t, h)
	if params["SearchType"] != "video" || params["SortBy"] != "CreationTime:Desc" || params["PageNo"] != "1" || params["PageSize"] != "20" {
		t.Errorf("default view sent %v, want video, newest first, page 1 of 20", params)
	}
	if params["Match"] != "" {
		t.Errorf("default view sent Match %q, want none", params["Match"])
	}
	ids, types := libraryItems(p)
	if len(ids) != 20 {
		t.Errorf("%d items on the first page, want 20", len(ids))
	}
	for i, typ := range types {
		if typ != "video" {
			t.Errorf("item %s has type %q in the video view", ids[i], typ)
		}
	}
	videos := 0
	for _, id := range h.cat.MediaIDs() {
		if h.cat.MediaType(id) != "video" {
			continue
		}
		videos++
	}
	if total := libraryTotal(t, p); total != videos {
		t.Errorf("library-total %d, want the catalog's %d videos", total, videos)
	}
	if got := p.find("library-summary").Text(); !strings.Contains(got, "1–20 of") {
		t.Errorf("summary %q does not say 1–20 of …", got)
	}
	// Every item links to its detail page and shows a signed thumbnail.
	p.find("library-item").Each(func(_ int, s *goquery.Selection) {
		id, _ := s.Attr("data-id")
		if s.Find(`a[href="/media/`+id+`"]`).Length() == 0 {
			t.Errorf("item %s does not link to /media/%s", id, id)
		}
	})
	if n := p.find("library").Find(`img[src^="` + h.emuURL + `/cdn/cover/"]`).Length(); n == 0 {
		t.Error("no cover thumbnail from a signed emulator URL")
	}

	lookup := b.get("/lookup")
	mustStatus(t, lookup, http.StatusOK)
	for _, id := range []string{"image-lookup", "media-lookup", "reference-lookup"} {
		if lookup.find(id).Length() != 1 {
			t.Errorf("/lookup has no %s form", id)
		}
	}
}

func TestLibraryParameters(t *testing.T) {
	t.Parallel()
	h, b := signedIn(t, harnessOptions{})
	cats := h.cat.Categories()
	var parent emulator.Category
	for _, c := range cats {
		if c.Level == 0 && len(subcategoryIDs(cats, c.CateID)) > 2 {
			parent = c
			break
		}
	}
	if parent.CateID == 0 {
		t.Fatal("the demo catalog has no level-0 category with subcategories")
	}
	subtree := subcategoryIDs(cats, parent.CateID)
	tag := firstTag(t, h)

	tests := []struct {
		name  string
		query string
		check func(t *testing.T, p *page, params map[string]string, conds []emulator.MatchCond)
	}{
		{"type audio", "type=audio", func(t *testing.T, p *page, params map[string]string, _ []emulator.MatchCond) {
			if params["SearchType"] != "audio" {
				t.Errorf("SearchType %q", params["SearchType"])
			}
			_, types := libraryItems(p)
			if len(types) == 0 || slices.ContainsFunc(types, func(s string) bool { return s != "audio" }) {
				t.Errorf("audio view shows %q", types)
			}
		}},
		{"type image", "type=image", func(t *testing.T, p *page, params map[string]string, _ []emulator.MatchCond) {
			if params["SearchType"] != "image" {
				t.Errorf("SearchType %q", params["SearchType"])
			}
			if n := p.find("library").Find(`img[src^="` + h.emuURL + `/cdn/image/"]`).Length(); n == 0 {
				t.Error("image view shows no signed image thumbnails")
			}
			if got := texts(p.doc.Find(`[data-status-filter]`), "value"); !slices.Equal(got, []string{"Normal", "Uploading", "UploadFail"}) {
				t.Errorf("image status filters %q", got)
			}
		}},
		{"title words", "q=Kitchen+Table", func(t *testing.T, p *page, _ map[string]string, conds []emulator.MatchCond) {
			if len(conds) != 1 || conds[0].Field != "Title" || conds[0].Values[0] != "Kitchen Table" {
				t.Errorf("Match conditions %+v, want Title = 'Kitchen Table'", conds)
			}
			p.find("library-item").Each(func(_ int, s *goquery.Selection) {
				if title := s.Find(".card-title").Text(); !strings.Contains(strings.ToLower(title), "kitchen table") {
					t.Errorf("item %q does not match the search", title)
				}
			})
			if v, _ := p.doc.Find(`input[name="q"]`).Attr("value"); v != "Kitchen Table" {
				t.Errorf("search box holds %q", v)
			}
		}},
		{"an ID finds its asset", "q=" + h.cat.MediaIDs()[3], func(t *testing.T, p *page, _ map[string]string, conds []emulator.MatchCond) {
			if !slices.Equal(condFields(conds), []string{"Title", "VideoId"}) {
				t.Errorf("Match fields %q, want Title or VideoId", condFields(conds))
			}
			if ids, _ := libraryItems(p); !slices.Equal(ids, []string{h.cat.MediaIDs()[3]}) {
				t.Errorf("searching an ID shows %q", ids)
			}
		}},
		{"statuses", "status=Normal&status=Blocked", func(t *testing.T, p *page, _ map[string]string, conds []emulator.MatchCond) {
			if len(conds) != 1 || conds[0].Field != "Status" || !slices.Equal(conds[0].Values, []string{"Normal", "Blocked"}) {
				t.Errorf("Match %+v, want Status in (Normal, Blocked)", conds)
			}
			for _, st := range texts(p.find("library").Find(".badge[data-status]"), "data-status") {
				if st != "Normal" && st != "Blocked" {
					t.Errorf("an item with status %s in a Normal/Blocked view", st)
				}
			}
			if p.doc.Find(`input[name="status"][value="Blocked"][checked]`).Length() != 1 {
				t.Error("the Blocked checkbox is not checked")
			}
		}},
		{"category takes in its subcategories", "cate=" + strconv.FormatInt(parent.CateID, 10), func(t *testing.T, p *page, _ map[string]string, conds []emulator.MatchCond) {
			if len(conds) != 1 || conds[0].Field != "CateId" {
				t.Fatalf("Match %+v, want CateId in (...)", conds)
			}
			var got []int64
			for _, v := range conds[0].Values {
				n, _ := strconv.ParseInt(v, 10, 64)
				got = append(got, n)
			}
			slices.Sort(got)
			if !slices.Equal(got, subtree) {
				t.Errorf("CateId in %v, want the category and its subcategories %v", got, subtree)
			}
			if libraryTotal(t, p) == 0 {
				t.Error("no item in the category")
			}
			if p.doc.Find(`input[name="cate"][value="`+strconv.FormatInt(parent.CateID, 10)+`"][checked]`).Length() != 1 {
				t.Error("the category is not selected in the tree")
			}
		}},
		{"tag", "tag=" + url.QueryEscape(tag), func(t *testing.T, p *page, _ map[string]string, conds []emulator.MatchCond) {
			if len(conds) != 1 || conds[0].Field != "Tags" || conds[0].Values[0] != tag {
				t.Errorf("Match %+v, want Tags = %q", conds, tag)
			}
			if libraryTotal(t, p) == 0 {
				t.Errorf("no item tagged %q", tag)
			}
		}},
		{"dates", "from=2024-03-01&to=2024-06-30", func(t *testing.T, p *page, _ map[string]string, conds []emulator.MatchCond) {
			if len(conds) != 1 || conds[0].Field != "CreationTime" || conds[0].Low != "2024-03-01T00:00:00Z" || conds[0].High != "2024-07-01T00:00:00Z" ||
				!conds[0].LowClosed || conds[0].HighClosed {
				t.Errorf("Match %+v, want CreationTime = ['2024-03-01T00:00:00Z','2024-07-01T00:00:00Z')", conds)
			}
			for _, d := range texts(p.find("library").Find("time[datetime]"), "datetime") {
				if d < "2024-03-01" || d >= "2024-07-01" {
					t.Errorf("an item created %s in a March–June view", d)
				}
			}
		}},
		{"oldest first", "sort=oldest", func(t *testing.T, p *page, params map[string]string, _ []emulator.MatchCond) {
			if params["SortBy"] != "CreationTime:Asc" {
				t.Errorf("SortBy %q", params["SortBy"])
			}
			dates := texts(p.find("library").Find("time[datetime]"), "datetime")
			if len(dates) < 2 || !slices.IsSorted(dates) {
				t.Errorf("oldest-first dates %q are not ascending", dates)
			}
		}},
		{"page 2", "page=2", func(t *testing.T, p *page, params map[string]string, _ []emulator.MatchCond) {
			if params["PageNo"] != "2" {
				t.Errorf("PageNo %q", params["PageNo"])
			}
			if got := p.find("library-summary").Text(); !strings.Contains(got, "21–40 of") {
				t.Errorf("summary %q, want 21–40 of …", got)
			}
			if p.find("pager").Find(`[aria-current="page"][data-page="2"]`).Length() != 1 {
				t.Error("the pager does not mark page 2 as current")
			}
		}},
		{"size 50", "size=50", func(t *testing.T, p *page, params map[string]string, _ []emulator.MatchCond) {
			if params["PageSize"] != "50" {
				t.Errorf("PageSize %q", params["PageSize"])
			}
			if ids, _ := libraryItems(p); len(ids) != 50 {
				t.Errorf("%d items, want 50", len(ids))
			}
		}},
		{"list view", "view=list", func(t *testing.T, p *page, _ map[string]string, _ []emulator.MatchCond) {
			if p.doc.Find(`table[data-testid="library"]`).Length() != 1 || p.find("library-item").First().Is("tr") == false {
				t.Error("the list view is not a table of items")
			}
		}},
		{"everything at once", "type=audio&q=Render&status=Normal&cate=" + strconv.FormatInt(parent.CateID, 10) +
			"&tag=podcast&from=2024-01-01&to=2025-12-31&sort=oldest&size=50&view=list",
			func(t *testing.T, p *page, params map[string]string, conds []emulator.MatchCond) {
				want := []string{"Title", "Tags", "Status", "CateId", "CreationTime"}
				if !slices.Equal(condFields(conds), want) {
					t.Errorf("Match fields %q, want %q", condFields(conds), want)
				}
				if params["SearchType"] != "audio" || params["SortBy"] != "CreationTime:Asc" || params["PageSize"] != "50" {
					t.Errorf("params %v", params)
				}
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h.emu.ResetCalls()
			p := b.get("/library?" + tc.query)
			mustStatus(t, p, http.StatusOK)
			params := lastSearch(t, h)
			tc.check(t, p, params, matchConds(t, params["Match"]))
		})
	}
}

// subcategoryIDs returns id and every category below it, sorted.
func subcategoryIDs(cats []emulator.Category, id int64) []int64 {
	out := []int64{id}
	for i := 0; i < len(out); i++ {
		for _, c := range cats {
			if c.ParentID == out[i] {
				out = append(out, c.CateID)
			}
		}
	}
	slices.Sort(out)
	return out
}

// firstTag is a tag of the catalog's first video.
func firstTag(t *testing.T, h *harness) string {
	t.Helper()
	for _, id := range h.cat.MediaIDs() {
		m := h.media(t, id)
		if tags := strings.Split(m.MediaInfo.Tags, ","); tags[0] != "" && h.cat.MediaType(id) == "video" {
			return tags[0]
		}
	}
	t.Fatal("no tagged video in the catalog")
	return ""
}

func TestLibraryRefusesBadParameters(t *testing.T) {
	t.Parallel()
	h, b := signedIn(t, harnessOptions{})
	tests := []struct{ query, param, value string }{
		{"type=movie", "type", "movie"},
		{"type=video&type=audio", "type", "video,audio"},
		{"status=Deleted", "status", "Deleted"},
		{"type=image&status=Blocked", "status", "Blocked"},
		{"cate=abc", "cate", "abc"},
		{"cate=-1", "cate", "-1"},
		{"cate=999999999", "cate", "999999999"},
		{"from=2024-13-01", "from", "2024-13-01"},
		{"from=2024-05-01&to=2024-04-01", "to", "2024-04-01"},
		{"sort=random", "sort", "random"},
		{"page=0", "page", "0"},
		{"page=two", "page", "two"},
		{"page=251", "page", "251"},
		{"type=image&page=51&size=100", "page", "51"},
		{"size=30", "size", "30"},
		{"view=tiles", "view", "tiles"},
		{"cursor=" + url.QueryEscape("x' or '1"), "cursor", "x' or '1"},
		{"type=image&cursor=abc", "cursor", "abc"},
		{"q=" + strings.Repeat("a", 501), "q", strings.Repeat("a", 20)},
		{"tag=" + strings.Repeat("t", 65), "tag", strings.Repeat("t", 20)},
	}
	for _, tc := range tests {
		t.Run(tc.query[:min(len(tc.query), 40)], func(t *testing.T) {
			h.emu.ResetCalls()
			for _, hx := range []bool{false, true} {
				var opts []reqOption
				if hx {
					opts = append(opts, htmx, withHeader("HX-Target", "library-results"))
				}
				p := b.get("/library?"+tc.query, opts...)
				mustStatus(t, p, http.StatusBadRequest)
				msg := mustOne(t, p, "error").Text()
				if !strings.Contains(msg, tc.param) || !strings.Contains(msg, tc.value) {
					t.Errorf("htmx=%v: the error does not name %s and %q: %s", hx, tc.param, tc.value, strings.Join(strings.Fields(msg), " "))
				}
			}
			if n := len(h.searchCalls()); n != 0 {
				t.Errorf("%d SearchMedia calls for a refused view, want none", n)
			}
		})
	}
}

func TestLibraryHostileSearchText(t *testing.T) {
	t.Parallel()
	h, b := signedIn(t, harnessOptions{})
	hostile := []string{
		`O'Brien`,
		`x' or Title = 'y`,
		`') or (Status = 'Blocked`,
		`a) or (b`,
		`keynote or CateId in (1,2)`,
		`\' or 1=1 --`,
		`back\\slash\`,
		"tab\tnew\nline\x00nul",
		`"double" and 'single'`,
		strings.Repeat(`'\) or (`, 62) + "tail", // 500 characters
	}
	for _, q := range hostile {
		t.Run(q[:min(len(q), 24)], func(t *testing.T) {
			h.emu.ResetCalls()
			p := b.get("/library?q=" + url.QueryEscape(q))
			mustStatus(t, p, http.StatusOK)
			match := lastSearch(t, h)["Match"]
			if match == "" {
				return // nothing searchable was left: every item matches
			}
			conds := matchConds(t, match)
			if len(conds) != 1 || conds[0].Field != "Title" || conds[0].Op != "=" || len(conds[0].Values) != 1 {
				t.Fatalf("search text %q changed the Match structure: %q parses to %+v", q, match, conds)
			}
			v := conds[0].Values[0]
			if strings.ContainsAny(v, `'\`) || len([]rune(v)) > 60 {
				t.Errorf("title value %q keeps a quote or backslash, or is over 60 characters", v)
			}
			if got, _ := p.doc.Find(`input[name="q"]`).Attr("value"); got != strings.TrimSpace(q) && !strings.ContainsRune(q, 0) {
				t.Errorf("the search box lost the text: %q", got)
			}
		})
	}
}

func TestLibraryPageAndFragment(t *testing.T) {
	t.Parallel()
	_, b := signedIn(t, harnessOptions{})
	const target = "/library?type=image&status=Normal&sort=oldest&view=list"
	full := b.get(target)
	mustStatus(t, full, http.StatusOK)
	if !full.isFullPage() {
		t.Fatal("no full page")
	}
	results := b.get(target, htmx, withHeader("HX-Target", "library-results"))
	mustStatus(t, results, http.StatusOK)
	whole := b.get(target, htmx, withHeader("HX-Target", "library"))
	mustStatus(t, whole, http.StatusOK)
	for name, p := range map[string]*page{"results fragment": results, "library fragment": whole} {
		if p.isFullPage() || p.doc.Find("header.topbar").Length() != 0 {
			t.Errorf("%s carries the layout", name)
		}
		if got := p.header.Get("HX-Push-Url"); got != target {
			t.Errorf("%s: HX-Push-Url %q, want the canonical %q", name, got, target)
		}
	}
	if results.find("filters").Length() != 0 || results.find("pager").Length() != 1 {
		t.Error("the results fragment should hold the results and pager, not the filters")
	}
	if whole.find("filters").Length() != 1 || whole.doc.Find("#library").Length() != 1 {
		t.Error("the library fragment should hold the filters and #library")
	}
	fullIDs, _ := libraryItems(full)
	for name, p := range map[string]*page{"results fragment": results, "library fragment": whole} {
		if ids, _ := libraryItems(p); !slices.Equal(ids, fullIDs) || len(ids) == 0 {
			t.Errorf("%s items %q, full page %q", name, ids, fullIDs)
		}
	}
	// A form GET with empty fields pushes the canonical URL.
	formGet := b.get("/library?type=image&q=&status=Normal&cate=&from=&to=&tag=&sort=oldest&size=20&view=list", htmx, withHeader("HX-Target", "library-results"))
	if got := formGet.header.Get("HX-Push-Url"); got != target {
		t.Errorf("form GET pushes %q, want %q", got, target)
	}
}

func TestLibraryFetchesCategoriesOncePerSession(t *testing.T) {
	t.Parallel()
	h, b := signedIn(t, harnessOptions{})
	h.emu.ResetCalls()
	for _, q := range []string{"", "?page=2", "?type=audio", "?type=image&view=list"} {
		mustStatus(t, b.get("/library"+q), http.StatusOK)
	}
	if n := len(h.calls("SearchMedia")); n != 4 {
		t.Errorf("%d SearchMedia calls for 4 pages, want one a page", n)
	}
	first := len(h.calls("GetCategories"))
	if first == 0 {
		t.Fatal("no GetCategories call: where does the tree come from?")
	}
	mustStatus(t, b.get("/library?page=3"), http.StatusOK)
	if n := len(h.calls("GetCategories")); n != first {
		t.Errorf("GetCategories calls went from %d to %d: the tree is not cached", first, n)
	}
	// Another session has its own cache.
	b2 := h.browser(t)
	b2.mustSignIn(h.key)
	mustStatus(t, b2.get("/library"), http.StatusOK)
	if n := len(h.calls("GetCategories")); n != 2*first {
		t.Errorf("a second session made %d GetCategories calls, want %d", n-first, first)
	}
}

func TestLibraryPagesPastTheWindow(t *testing.T) {
	t.Parallel()
	const extra = 5050
	h, b := signedIn(t, harnessOptions{synthetic: extra})
	p := b.get("/library?size=100&page=50")
	mustStatus(t, p, http.StatusOK)
	total := libraryTotal(t, p)
	if total <= 5000 {
		t.Fatalf("total %d, want past 5,000", total)
	}
	pager := p.find("pager")
	if pager.Find(`[data-page="51"]`).Length() != 0 {
		t.Error("the pager offers page 51 of 100, past the window")
	}
	next, ok := pager.Find(`a[data-pager="next"]`).Attr("href")
	if !ok || !strings.Contains(next, "cursor=") {
		t.Fatalf("the last numbered page has no Next with a cursor: %q", next)
	}
	seen := map[string]bool{}
	ids, _ := libraryItems(p)
	for _, id := range ids {
		seen[id] = true
	}
	shown := len(ids)
	for pages := 0; next != ""; pages++ {
		if pages > 5 {
			t.Fatal("Next never ends")
		}
		h.emu.ResetCalls()
		p = b.get(next)
		mustStatus(t, p, http.StatusOK)
		if tok := lastSearch(t, h)["ScrollToken"]; tok == "" {
			t.Error("a page past the window was asked without a ScrollToken")
		}
		ids, _ := libraryItems(p)
		for _, id := range ids {
			if seen[id] {
				t.Errorf("%s shown twice", id)
			}
			seen[id] = true
		}
		shown += len(ids)
		if want := strconv.Itoa(5000 + pages*100 + 1); !strings.Contains(p.find("library-summary").Text(), want+"–") {
			t.Errorf("summary %q does not start at %s", p.find("library-summary").Text(), want)
		}
		next, _ = p.find("pager").Find(`a[data-pager="next"]`).Attr("href")
	}
	if shown != total-4900 {
		t.Errorf("pages 50 onwards showed %d videos, want the last %d", shown, total-4900)
	}

	// Images stop at the window and say why.
	img := b.get("/library?type=image&size=100&page=50")
	mustStatus(t, img, http.StatusOK)
	if img.find("window-end").Length() != 1 {
		t.Error("the last image page does not explain the 5,000 limit")
	}
	if img.find("pager").Find(`a[data-pager="next"]`).Length() != 0 {
		t.Error("the last image page offers Next")
	}
}

func TestMediaCoverIsResigned(t *testing.T) {
	t.Parallel()
	h, b := signedIn(t, harnessOptions{})
	m := h.findMedia(t, "a video with a cover", func(m mediaEntry) bool {
		return m.MediaInfo.CoverURL != "" && h.cat.MediaType(m.MediaID) == "video"
	})
	p := b.get("/media/"+m.MediaID+"/cover", htmx)
	mustStatus(t, p, http.StatusOK)
	box := mustOne(t, p, "thumb")
	if id, _ := box.Attr("id"); id != "cover-"+m.MediaID {
		t.Errorf("cover box id %q", id)
	}
	src, _ := box.Find("img").Attr("src")
	res, err := http.Get(src)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("re-signed cover %s answered %d", src, res.StatusCode)
	}
	if small := b.get("/media/"+m.MediaID+"/cover?small=1", htmx); small.find("thumb").HasClass("thumb-sm") == false {
		t.Error("a small cover box came back large")
	}
	mustStatus(t, b.get("/media/"+"0000000000000000000000000000dead"+"/cover", htmx), http.StatusNotFound)
}
