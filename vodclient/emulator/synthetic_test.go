package emulator

import (
	"bytes"
	"encoding/json"
	"net/url"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestSyntheticAssets(t *testing.T) {
	const n = 60
	base := loadSearchCatalog(t)
	e, err := New(Options{Catalog: base, Synthetic: n})
	if err != nil {
		t.Fatal(err)
	}
	c := e.Catalog()
	if len(base.MediaIDs()) != 8 || len(base.ImageIDs()) != 3 {
		t.Fatal("the catalog passed in was changed")
	}
	media, images := c.MediaIDs(), c.ImageIDs()
	if len(media) != 8+2*n || len(images) != 3+n || !slices.Equal(media[:8], base.MediaIDs()) {
		t.Fatalf("%d media, %d images", len(media), len(images))
	}
	synthMedia, synthImages := media[8:], images[3:]
	for _, id := range slices.Concat(synthMedia, synthImages) {
		if !hexID.MatchString(id) {
			t.Errorf("ID %q is not 32 lowercase hex digits", id)
		}
	}

	// Deterministic: another emulator generates the same assets.
	e2, err := New(Options{Catalog: loadSearchCatalog(t), Synthetic: n})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{synthMedia[0], synthMedia[n], synthMedia[2*n-1]} {
		a, _ := c.MediaEntry(id)
		b, ok := e2.Catalog().MediaEntry(id)
		if !ok || !bytes.Equal(a, b) {
			t.Errorf("%s differs between emulators", id)
		}
	}

	// Every entry is valid catalog data: a catalog of them loads.
	var doc struct {
		Images     []json.RawMessage `json:"images"`
		Media      []json.RawMessage `json:"media"`
		Categories []Category        `json:"categories"`
	}
	doc.Categories = base.Categories()
	for _, id := range synthImages {
		raw, _ := c.ImageEntry(id)
		doc.Images = append(doc.Images, raw)
	}
	for _, id := range synthMedia {
		raw, _ := c.MediaEntry(id)
		doc.Media = append(doc.Media, raw)
	}
	raw, _ := json.Marshal(doc)
	reloaded, err := LoadCatalog(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("synthetic entries do not load: %v", err)
	}

	// Kinds, statuses, times, categories, tags, titles.
	cats := map[int64]bool{}
	for _, cat := range base.Categories() {
		if cat.Type == "default" {
			cats[cat.CateID] = true
		}
	}
	statuses := map[string]map[string]bool{"video": {}, "audio": {}, "image": {}}
	uncategorised := 0
	from, to := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	check := func(kind, id string, fields map[string]any) {
		t.Helper()
		statuses[kind][stringAt(fields, "Status")] = true
		at, err := time.Parse(time.RFC3339, stringAt(fields, "CreationTime"))
		if err != nil || at.Before(from) || !at.Before(to) {
			t.Errorf("%s: CreationTime %q", id, stringAt(fields, "CreationTime"))
		}
		if cate, ok := fields["CateId"]; !ok {
			uncategorised++
		} else if !cats[integerOf(cate)] || stringAt(fields, "CateName") == "" {
			t.Errorf("%s: CateId %v, CateName %q", id, cate, stringAt(fields, "CateName"))
		}
		if !strings.HasPrefix(stringAt(fields, "Tags"), "synthetic,") {
			t.Errorf("%s: Tags %q", id, stringAt(fields, "Tags"))
		}
		if words := strings.Fields(stringAt(fields, "Title")); len(words) != 4 {
			t.Errorf("%s: Title %q", id, stringAt(fields, "Title"))
		}
	}
	for i, id := range synthMedia {
		m, _ := reloaded.mediaEntry(id)
		kind := "video"
		if i >= n {
			kind = "audio"
		}
		if isAudio(m) != (kind == "audio") {
			t.Errorf("%s: a synthetic %s that isAudio calls %v", id, kind, isAudio(m))
		}
		check(kind, id, stringAtAny(m, "MediaInfo"))
	}
	for _, id := range synthImages {
		img, _ := reloaded.image(id)
		check("image", id, img)
	}
	for kind, seen := range statuses {
		if least := map[string]int{"video": 4, "audio": 4, "image": 2}[kind]; len(seen) < least || !seen["Normal"] {
			t.Errorf("%s statuses %v", kind, seen)
		}
	}
	if uncategorised == 0 || uncategorised == 3*n {
		t.Errorf("%d of %d assets have no category", uncategorised, 3*n)
	}

	// They are searchable like any other asset.
	_, srv, _ := newSearchServer(t, c)
	for _, kind := range []string{"video", "audio", "image"} {
		_, body := search(t, srv, url.Values{"SearchType": {kind}, "Match": {"Tags = 'synthetic'"}})
		if str(body["Total"]) != strconv.Itoa(n) {
			t.Errorf("%s tagged synthetic: Total %v", kind, body["Total"])
		}
	}
	word := strings.Fields(strings.ToLower(stringAt(stringAtAny(c.mediaAt(8), "MediaInfo"), "Title")))[1]
	want := 0
	for _, id := range synthMedia[:n] {
		m, _ := c.mediaEntry(id)
		if strings.Contains(strings.ToLower(stringAt(m, "MediaInfo", "Title")), word) {
			want++
		}
	}
	if _, body := search(t, srv, url.Values{"Match": {"Title = '" + word + "' and Tags = synthetic"}}); str(body["Total"]) != strconv.Itoa(want) {
		t.Errorf("Title %q: Total %v, want %d", word, body["Total"], want)
	}

	// Their URLs are served: an image, and a normal video's cover, mezzanine
	// and streams.
	u, _ := imageURL(t, srv, synthImages[0], url.Values{})
	if resp, _ := fetch(t, "GET", u); resp.StatusCode != 200 {
		t.Errorf("synthetic image %s: %d", u, resp.StatusCode)
	}
	_, body := search(t, srv, url.Values{"Match": {"Status = Normal and Tags = synthetic"}, "PageSize": {"1"}, "Fields": {"CoverURL,Snapshots,Duration"}})
	video := obj(obj(list(body["MediaList"])[0])["Video"])
	_, body = api(t, srv, "BatchGetMediaInfos", url.Values{"MediaIds": {str(video["VideoId"])}})
	entry := obj(list(body["MediaInfos"])[0])
	urls := []string{str(video["CoverURL"]), str(list(video["Snapshots"])[0]), str(obj(entry["MezzanineInfo"])["FileURL"])}
	for _, p := range list(entry["PlayInfoList"]) {
		urls = append(urls, str(obj(p)["PlayURL"]))
	}
	if len(urls) != 5 {
		t.Errorf("normal synthetic video %v", entry)
	}
	for _, u := range urls {
		if resp, _ := fetch(t, "GET", u); resp.StatusCode != 200 {
			t.Errorf("%s: %d", u, resp.StatusCode)
		}
	}
}

func TestSyntheticOption(t *testing.T) {
	for _, n := range []int{-1, maxSynthetic + 1} {
		if _, err := New(Options{Synthetic: n}); err == nil || !strings.Contains(err.Error(), "Synthetic") {
			t.Errorf("Synthetic %d: %v", n, err)
		}
	}
}

// A ScrollToken traversal reaches every record past the 5,000-hit window,
// each exactly once and in order; PageNo alone stops at the window.
func TestScrollTokenTraversal(t *testing.T) {
	const n = 6000
	e, err := New(Options{Catalog: loadSearchCatalog(t), Synthetic: n})
	if err != nil {
		t.Fatal(err)
	}
	_, srv, _ := newSearchServer(t, e.Catalog())
	for _, tt := range []struct {
		kind, sortBy string
		total        int
	}{
		{"video", "CreationTime:Desc", n + 5},
		{"audio", "CreationTime:Asc", n + 3},
	} {
		t.Run(tt.kind, func(t *testing.T) {
			q := url.Values{"SearchType": {tt.kind}, "SortBy": {tt.sortBy}, "PageSize": {"100"}}
			var items []map[string]any
			take := func(q url.Values) string {
				t.Helper()
				status, body := search(t, srv, q)
				if status != 200 || str(body["Total"]) != strconv.Itoa(tt.total) {
					t.Fatalf("%v: %d Total %v %v", q, status, body["Total"], body["Message"])
				}
				for _, m := range list(body["MediaList"]) {
					items = append(items, obj(m))
				}
				return str(body["ScrollToken"])
			}
			// Pages 1 to 50 by PageNo reach 5,000 records; page 51 is refused.
			var token string
			for pageNo := 1; pageNo <= 50; pageNo++ {
				q.Set("PageNo", strconv.Itoa(pageNo))
				token = take(q)
			}
			q.Set("PageNo", "51")
			if status, body := search(t, srv, q); status != 400 || !strings.Contains(str(body["Message"]), `"PageNo"`) {
				t.Fatalf("page 51 without a token: %d %v", status, body)
			}
			// Then tokens, one after another, until an empty page.
			q.Set("PageNo", "1")
			for range 100 {
				q.Set("ScrollToken", token)
				before := len(items)
				token = take(q)
				if len(items) == before {
					break
				}
			}
			if len(items) != tt.total {
				t.Fatalf("traversal saw %d records, want %d", len(items), tt.total)
			}
			seen := map[string]bool{}
			for i, m := range items {
				id := str(m["MediaId"])
				if seen[id] {
					t.Fatalf("record %d: %s seen twice", i, id)
				}
				seen[id] = true
				if i == 0 {
					continue
				}
				prev := items[i-1]
				order := strings.Compare(str(prev["CreationTime"]), str(m["CreationTime"]))
				if order == 0 {
					order = strings.Compare(str(prev["MediaId"]), id)
				}
				if tt.sortBy == "CreationTime:Desc" && order <= 0 || tt.sortBy == "CreationTime:Asc" && order >= 0 {
					t.Fatalf("records %d and %d out of order: %v, %v", i-1, i, prev, m)
				}
			}
		})
	}

	// From a token, PageNo counts pages past it: page 2 of 50 past the
	// token of page 50 is records 5050 to 5099.
	q := url.Values{"PageNo": {"50"}, "PageSize": {"100"}}
	_, body := search(t, srv, q)
	token := str(body["ScrollToken"])
	_, body = search(t, srv, url.Values{"PageNo": {"51"}, "PageSize": {"100"}, "ScrollToken": {token}})
	if str(body["Code"]) != "InvalidParameter" {
		t.Errorf("PageNo 51 past a token: %v", body)
	}
	_, whole := search(t, srv, url.Values{"PageSize": {"100"}, "ScrollToken": {token}})
	_, half := search(t, srv, url.Values{"PageNo": {"2"}, "PageSize": {"50"}, "ScrollToken": {token}})
	if got, want := hitIDs(half), hitIDs(whole)[50:]; !slices.Equal(got, want) {
		t.Errorf("page 2 of 50 past the token: %v, want %v", got, want)
	}

	// Images stop at the window.
	if status, body := search(t, srv, url.Values{"SearchType": {"image"}, "PageNo": {"50"}, "PageSize": {"100"}}); status != 200 || len(list(body["MediaList"])) != 100 || body["ScrollToken"] != nil {
		t.Errorf("image page 50: %d, %d hits", status, len(list(body["MediaList"])))
	}
	if status, body := search(t, srv, url.Values{"SearchType": {"image"}, "PageNo": {"51"}, "PageSize": {"100"}}); status != 400 || !strings.Contains(str(body["Message"]), "narrow the Match") {
		t.Errorf("image page 51: %d %v", status, body)
	}
}

// Six thousand of each kind cost a few megabytes and build quickly (see
// also BenchmarkSynthetic6000).
func TestSyntheticIsCheap(t *testing.T) {
	base := loadSearchCatalog(t)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	c := base.withSynthetic(6000)
	elapsed := time.Since(start)
	runtime.GC()
	runtime.ReadMemStats(&after)
	grown := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("18000 synthetic assets: %v, %.1f MiB retained", elapsed, float64(grown)/(1<<20))
	if grown > 16<<20 {
		t.Errorf("%d bytes retained, want at most 16 MiB", grown)
	}
	runtime.KeepAlive(c)
}
