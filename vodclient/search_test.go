package vodclient_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"vodboard/vodclient"
	"vodboard/vodclient/emulator"
)

// newSearchWorld is a world whose emulator has opts (a synthetic catalog).
func newSearchWorld(t testing.TB, opts emulator.Options) *world {
	t.Helper()
	emu, err := emulator.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	key := emulator.DemoKey()
	cred, err := vodclient.AccessKey(key.AccessKeyID, key.AccessKeySecret)
	if err != nil {
		t.Fatal(err)
	}
	c, err := vodclient.New(vodclient.Config{Region: "cn-shanghai", Endpoint: srv.URL, Credential: cred,
		Pacer: vodclient.NewRateLimits(vodclient.DocumentedRateLimits())})
	if err != nil {
		t.Fatal(err)
	}
	return &world{emu: emu, srv: srv, client: c}
}

func (w *world) searchCalls() []emulator.Call {
	var out []emulator.Call
	for _, c := range w.emu.Calls() {
		if c.Action == "SearchMedia" {
			out = append(out, c)
		}
	}
	return out
}

func TestSearchMedia(t *testing.T) {
	w := newWorld(t, nil)
	ctx := context.Background()

	page, err := w.client.SearchMedia(ctx, vodclient.SearchQuery{PageSize: 10})
	if err != nil {
		t.Fatal(err)
	}
	if page.Total <= 10 || len(page.Items) != 10 || page.ScrollToken == "" {
		t.Fatalf("first page: Total %d, %d items, ScrollToken %q", page.Total, len(page.Items), page.ScrollToken)
	}
	for _, it := range page.Items {
		if it.MediaType != vodclient.Video || it.Video == nil || it.Video.VideoID != it.MediaID || it.Video.Title == "" || it.Video.Status == "" {
			t.Errorf("item %+v lacks the fields the library shows", it)
		}
		if it.Video.CoverURL != "" {
			res, err := http.Get(it.Video.CoverURL)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusOK {
				t.Errorf("cover of %s: %d", it.MediaID, res.StatusCode)
			}
		}
	}
	times := func(p vodclient.SearchPage) []string {
		var out []string
		for _, it := range p.Items {
			out = append(out, it.CreationTime.Time.Format("2006-01-02T15:04:05Z"))
		}
		return out
	}
	if got := times(page); !slices.IsSortedFunc(got, func(a, b string) int { return strings.Compare(b, a) }) {
		t.Errorf("newest first: %q", got)
	}
	oldest, err := w.client.SearchMedia(ctx, vodclient.SearchQuery{Sort: vodclient.OldestFirst, PageSize: 10})
	if err != nil {
		t.Fatal(err)
	}
	if got := times(oldest); !slices.IsSorted(got) || oldest.Total != page.Total {
		t.Errorf("oldest first: %q (Total %d)", got, oldest.Total)
	}

	w.emu.ResetCalls()
	q := vodclient.SearchQuery{Type: vodclient.Image, Title: "hero", Statuses: []string{"Normal"}, PageSize: 5}
	imgs, err := w.client.SearchMedia(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if len(imgs.Items) == 0 || imgs.ScrollToken != "" {
		t.Errorf("image search: %d items, ScrollToken %q", len(imgs.Items), imgs.ScrollToken)
	}
	for _, it := range imgs.Items {
		if it.Image == nil || !strings.Contains(strings.ToLower(it.Image.Title), "hero") || it.Image.Status != "Normal" || it.Image.URL == "" {
			t.Errorf("image hit %+v", it.Image)
		}
	}
	calls := w.searchCalls()
	if len(calls) != 1 {
		t.Fatalf("%d SearchMedia calls", len(calls))
	}
	p := calls[0].Params
	if p["SearchType"] != "image" || p["Match"] != "Title = 'hero' and Status = 'Normal'" || p["PageSize"] != "5" || !strings.Contains(p["Fields"], "URL") {
		t.Errorf("the emulator received %v", p)
	}
}

func TestSearchMediaPastTheWindow(t *testing.T) {
	const extra = 5050
	w := newSearchWorld(t, emulator.Options{Synthetic: extra})
	ctx := context.Background()

	seen := map[string]bool{}
	add := func(p vodclient.SearchPage) {
		for _, it := range p.Items {
			if seen[it.MediaID] {
				t.Errorf("%s seen twice", it.MediaID)
			}
			seen[it.MediaID] = true
		}
	}
	var last vodclient.SearchPage
	for n := 1; n <= vodclient.SearchWindow/100; n++ {
		p, err := w.client.SearchMedia(ctx, vodclient.SearchQuery{PageNo: n, PageSize: 100})
		if err != nil {
			t.Fatalf("page %d: %v", n, err)
		}
		add(p)
		last = p
	}
	total := int(last.Total)
	if total <= vodclient.SearchWindow {
		t.Fatalf("Total %d, want past the window", total)
	}
	_, err := w.client.SearchMedia(ctx, vodclient.SearchQuery{PageNo: 51, PageSize: 100})
	var window *vodclient.SearchWindowError
	if !errors.As(err, &window) || !window.Type.Scrollable() {
		t.Errorf("page 51 of 100: %v, want a SearchWindowError", err)
	}
	for token := last.ScrollToken; len(seen) < total; {
		if token == "" {
			t.Fatalf("no ScrollToken after %d of %d", len(seen), total)
		}
		p, err := w.client.SearchMedia(ctx, vodclient.SearchQuery{ScrollToken: token, PageSize: 100})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Items) == 0 {
			t.Fatalf("an empty page after %d of %d", len(seen), total)
		}
		add(p)
		token = p.ScrollToken
	}
	if len(seen) != total {
		t.Errorf("walked %d videos, Total says %d", len(seen), total)
	}

	w.emu.ResetCalls()
	_, err = w.client.SearchMedia(ctx, vodclient.SearchQuery{Type: vodclient.Image, PageNo: 51, PageSize: 100})
	if !errors.As(err, &window) || window.Type.Scrollable() || !strings.Contains(err.Error(), "narrow") {
		t.Errorf("images past the window: %v", err)
	}
	if n := len(w.searchCalls()); n != 0 {
		t.Errorf("%d calls sent for a page the API would refuse", n)
	}
}

func TestSearchMediaTextNeverBecomesSyntax(t *testing.T) {
	w := newWorld(t, nil)
	hostile := []string{
		`x' or Title = 'y`, `') or (Status = 'Blocked`, `a) or (b`, `\' or 1=1 --`, `back\slash\`,
		"ctl\x00\x1f\u2028chars", `"dq" 'sq'`, strings.Repeat(`'\) or (`, 70),
	}
	for _, text := range hostile {
		for _, q := range []vodclient.SearchQuery{{Title: text}, {Type: vodclient.Image, Title: text}, {Tags: []string{text}}} {
			w.emu.ResetCalls()
			if _, err := w.client.SearchMedia(context.Background(), q); err != nil {
				t.Fatalf("%q: %v", text, err)
			}
			match := w.searchCalls()[0].Params["Match"]
			m, err := emulator.ParseMatch(match)
			if err != nil {
				t.Fatalf("%q became a Match the emulator refuses: %q: %v", text, match, err)
			}
			conds := m.Conds()
			if m.Cond == nil || len(conds) != 1 || len(conds[0].Values) != 1 || strings.ContainsAny(conds[0].Values[0], `'\`) {
				t.Errorf("%q changed the structure of Match %q: %+v", text, match, conds)
			}
		}
	}
}

func TestCategoryTree(t *testing.T) {
	w := newWorld(t, nil)
	cats := emulator.DemoCatalog().Categories()
	if len(cats) == 0 {
		t.Skip("the demo catalog has no categories")
	}
	w.emu.ResetCalls()
	tree, err := w.client.CategoryTree(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	var walk func(nodes []vodclient.CategoryNode, level int)
	walk = func(nodes []vodclient.CategoryNode, level int) {
		for _, n := range nodes {
			if int(n.Level) != level {
				t.Errorf("%s at depth %d says Level %d", n.CateName, level, n.Level)
			}
			got = append(got, fmt.Sprintf("%d<%d %s", n.CateID, n.ParentID, n.CateName))
			walk(n.Children, level+1)
		}
	}
	walk(tree, 0)
	var want []string
	parents := 0
	for _, c := range cats {
		want = append(want, fmt.Sprintf("%d<%d %s", c.CateID, c.ParentID, c.CateName))
		if c.Level < 2 && slices.ContainsFunc(cats, func(k emulator.Category) bool { return k.ParentID == c.CateID }) {
			parents++
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("tree\n%q\nwant the catalog's categories\n%q", got, want)
	}
	var calls int
	for _, c := range w.emu.Calls() {
		if c.Action == "GetCategories" {
			calls++
		}
	}
	if calls != 1+parents {
		t.Errorf("%d GetCategories calls, want 1 for the root and 1 for each of the %d categories with subcategories", calls, parents)
	}
}

func TestSearchRateLimitIsShared(t *testing.T) {
	// Two clients of one AccessKey, on the process-wide limits, make 60
	// SearchMedia calls at once: more than the 50 a second the emulator
	// allows. The shared limiter keeps every one under it.
	callsAtOnceByTwoClients(t, 60, func(c *vodclient.Client, _ int) error {
		_, err := c.SearchMedia(context.Background(), vodclient.SearchQuery{PageSize: 1})
		return err
	})
}
