package vodclient

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestSearchQueryMatch(t *testing.T) {
	day := func(s string) time.Time {
		tm, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	tests := []struct {
		name string
		q    SearchQuery
		want string
	}{
		{"nothing", SearchQuery{}, ""},
		{"title words", SearchQuery{Title: "  launch   keynote "}, "Title = 'launch keynote'"},
		{"exact video ID", SearchQuery{ID: "abc123"}, "VideoId = 'abc123'"},
		{"exact audio ID", SearchQuery{Type: Audio, ID: "abc123"}, "AudioId = 'abc123'"},
		{"exact image ID", SearchQuery{Type: Image, ID: "abc123"}, "ImageId = 'abc123'"},
		{"title or ID", SearchQuery{Title: "abc123", ID: "abc123", TitleOrID: true}, "(Title = 'abc123' or VideoId = 'abc123')"},
		{"title or no ID", SearchQuery{Title: "pasta", TitleOrID: true}, "Title = 'pasta'"},
		{"one status", SearchQuery{Statuses: []string{"Normal"}}, "Status = 'Normal'"},
		{"statuses", SearchQuery{Statuses: []string{"Normal", "Blocked"}}, "Status in ('Normal','Blocked')"},
		{"tag", SearchQuery{Tags: []string{"keynote"}}, "Tags = 'keynote'"},
		{"tags", SearchQuery{Tags: []string{"a", " ", "b"}}, "Tags in ('a','b')"},
		{"category", SearchQuery{CategoryIDs: []int64{1000201}}, "CateId = 1000201"},
		{"categories", SearchQuery{CategoryIDs: []int64{1000200, 1000201}}, "CateId in (1000200,1000201)"},
		{"from", SearchQuery{CreatedFrom: day("2024-01-01")}, "CreationTime = ['2024-01-01T00:00:00Z',)"},
		{"before", SearchQuery{CreatedBefore: day("2024-02-01")}, "CreationTime = (,'2024-02-01T00:00:00Z')"},
		{"between", SearchQuery{CreatedFrom: day("2024-01-01"), CreatedBefore: day("2024-02-01")},
			"CreationTime = ['2024-01-01T00:00:00Z','2024-02-01T00:00:00Z')"},
		{"non-UTC times are written in UTC", SearchQuery{CreatedFrom: time.Date(2024, 1, 1, 8, 0, 0, 0, time.FixedZone("CST", 8*3600))},
			"CreationTime = ['2024-01-01T00:00:00Z',)"},
		{"everything", SearchQuery{Title: "pasta", Statuses: []string{"Normal"}, Tags: []string{"italian"}, CategoryIDs: []int64{7}},
			"Title = 'pasta' and Tags = 'italian' and Status = 'Normal' and CateId = 7"},
		{"quote in a title", SearchQuery{Title: "O'Brien"}, "Title = 'O Brien'"},
		{"closing quote and or", SearchQuery{Title: "x' or Title = 'y"}, "Title = 'x or Title = y'"},
		{"parentheses stay inside the value", SearchQuery{Title: "a) or (b"}, "Title = 'a) or (b'"},
		{"backslash escape", SearchQuery{Title: `\' or 1=1 --`}, "Title = 'or 1=1 --'"},
		{"double quotes and backticks", SearchQuery{Title: "\"a\" `b`"}, "Title = 'a b'"},
		{"control characters", SearchQuery{Title: "a\x00b\nc\td\u2028e"}, "Title = 'a b c d e'"},
		{"only quotes", SearchQuery{Title: `'''\\`}, ""},
		{"hostile tag", SearchQuery{Tags: []string{"x') or ('1"}}, "Tags = 'x ) or ( 1'"},
		{"non-ASCII", SearchQuery{Title: "拉面 教程"}, "Title = '拉面 教程'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.q.match(); got != tt.want {
				t.Errorf("match() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestFuzzyTextIsCapped(t *testing.T) {
	long := strings.Repeat("keynote ", 60) // 480 characters
	got := SearchQuery{Title: long}.match()
	value := strings.TrimSuffix(strings.TrimPrefix(got, "Title = '"), "'")
	if n := len([]rune(value)); n > maxFuzzyRunes || n < maxFuzzyRunes/2 {
		t.Errorf("fuzzy value has %d runes, want at most %d (and not cut to nothing): %q", n, maxFuzzyRunes, value)
	}
	if strings.HasSuffix(value, " ") || strings.Contains(value, "keyn ") {
		t.Errorf("fuzzy value %q is not cut at a word boundary", value)
	}
	hostile := strings.Repeat(`'\) or (`, 70) // 560 characters of syntax
	got = SearchQuery{Title: hostile}.match()
	if strings.Count(got, "'") != 2 || strings.Contains(got, `\`) || !strings.HasPrefix(got, "Title = '") {
		t.Errorf("hostile title became %q, want one quoted value", got)
	}
}

func TestSearchQueryParams(t *testing.T) {
	q, err := SearchQuery{Type: Audio, Sort: OldestFirst, PageNo: 3, PageSize: 50}.normalize()
	if err != nil {
		t.Fatal(err)
	}
	p := q.params()
	want := map[string]string{"SearchType": "audio", "SortBy": "CreationTime:Asc", "PageNo": "3", "PageSize": "50"}
	for k, v := range want {
		if p[k] != v {
			t.Errorf("%s = %q, want %q", k, p[k], v)
		}
	}
	if _, ok := p["Match"]; ok {
		t.Errorf("a query without filters sends Match %q", p["Match"])
	}
	for _, f := range []string{"Title", "Status", "CoverURL", "Duration", "Size", "CateName", "Tags"} {
		if !strings.Contains(","+p["Fields"]+",", ","+f+",") {
			t.Errorf("Fields %q lack %s, which the library shows", p["Fields"], f)
		}
	}
	q, _ = SearchQuery{Type: Image}.normalize()
	if f := q.params()["Fields"]; !strings.Contains(f, "URL") || strings.Contains(f, "CoverURL") {
		t.Errorf("image Fields = %q, want the image URL and no cover", f)
	}
	q, _ = SearchQuery{}.normalize()
	if p := q.params(); p["SearchType"] != "video" || p["SortBy"] != "CreationTime:Desc" || p["PageNo"] != "1" || p["PageSize"] != "20" {
		t.Errorf("defaults: %v", p)
	}
}

func TestSearchQueryLimits(t *testing.T) {
	var window *SearchWindowError
	tests := []struct {
		name    string
		q       SearchQuery
		window  bool // a *SearchWindowError
		invalid bool // ErrInvalidArgument
	}{
		{name: "last page inside the window", q: SearchQuery{PageNo: 50, PageSize: 100}},
		{name: "video past the window", q: SearchQuery{PageNo: 51, PageSize: 100}, window: true, invalid: true},
		{name: "image past the window", q: SearchQuery{Type: Image, PageNo: 251, PageSize: 20}, window: true, invalid: true},
		{name: "scroll token", q: SearchQuery{ScrollToken: "24e0fba7188fae707e146esa54abcdef", PageNo: 5, PageSize: 20}},
		{name: "scroll token reaches 100", q: SearchQuery{ScrollToken: "abc", PageNo: 2, PageSize: 60}, invalid: true},
		{name: "scroll token on images", q: SearchQuery{Type: Image, ScrollToken: "abc"}, invalid: true},
		{name: "malformed scroll token", q: SearchQuery{ScrollToken: "abc' or 1"}, invalid: true},
		{name: "page size 101", q: SearchQuery{PageSize: 101}, invalid: true},
		{name: "page 0 is page 1", q: SearchQuery{PageNo: 0}},
		{name: "negative page", q: SearchQuery{PageNo: -1}, invalid: true},
		{name: "unknown type", q: SearchQuery{Type: "attached"}, invalid: true},
		{name: "bad ID", q: SearchQuery{ID: "a'b"}, invalid: true},
		{name: "image status", q: SearchQuery{Type: Image, Statuses: []string{"Blocked"}}, invalid: true},
		{name: "media status", q: SearchQuery{Statuses: []string{"Blocked", "Checking"}}},
		{name: "unknown status", q: SearchQuery{Statuses: []string{"Normal') or ('"}}, invalid: true},
		{name: "empty time range", q: SearchQuery{CreatedFrom: time.Unix(100, 0), CreatedBefore: time.Unix(100, 0)}, invalid: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.q.normalize()
			if got := errors.As(err, &window); got != tt.window {
				t.Errorf("SearchWindowError = %v, want %v (err %v)", got, tt.window, err)
			}
			if got := errors.Is(err, ErrInvalidArgument); got != tt.invalid {
				t.Errorf("invalid = %v, want %v (err %v)", got, tt.invalid, err)
			}
		})
	}
	_, err := SearchQuery{Type: Image, PageNo: 300}.normalize()
	if err == nil || !strings.Contains(err.Error(), "narrow") {
		t.Errorf("image window error %v does not say to narrow the search", err)
	}
	_, err = SearchQuery{Type: Video, PageNo: 300}.normalize()
	if err == nil || !strings.Contains(err.Error(), "ScrollToken") {
		t.Errorf("video window error %v does not mention the ScrollToken", err)
	}
}
