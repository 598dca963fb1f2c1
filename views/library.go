package views

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// LibraryQuery is one view of the library, exactly as its URL says:
// /library?type=video&q=...&status=Normal&cate=...&tag=...&from=...&to=...
// &sort=newest&page=1&size=20&view=grid&cursor=... Every view is a link.
type LibraryQuery struct {
	Type     string // "video", "audio" or "image"
	Q        string // title words, or an asset ID
	Statuses []string
	Cate     int64  // a category ID; 0: every category
	Tag      string // an exact tag
	From, To string // YYYY-MM-DD, UTC, inclusive; "" leaves the end open
	Sort     string // "newest" or "oldest"
	Page     int    // from 1
	Size     int    // 20, 50 or 100
	View     string // "grid" or "list"
	// Cursor is the ScrollToken that continues past the first 5,000 hits.
	Cursor string
}

// Library defaults; URL leaves them out.
const (
	LibraryDefaultType = "video"
	LibraryDefaultSort = "newest"
	LibraryDefaultSize = 20
	LibraryDefaultView = "grid"
)

// LibrarySizes are the page sizes offered.
var LibrarySizes = []int{20, 50, 100}

// URL is the canonical address of the view: parameters in a fixed order,
// defaults left out.
func (q LibraryQuery) URL() string {
	v := url.Values{}
	set := func(k, val, def string) {
		if val != "" && val != def {
			v.Set(k, val)
		}
	}
	set("type", q.Type, LibraryDefaultType)
	set("q", q.Q, "")
	for _, s := range q.Statuses {
		v.Add("status", s)
	}
	if q.Cate != 0 {
		v.Set("cate", strconv.FormatInt(q.Cate, 10))
	}
	set("tag", q.Tag, "")
	set("from", q.From, "")
	set("to", q.To, "")
	set("sort", q.Sort, LibraryDefaultSort)
	if q.Page > 1 {
		v.Set("page", strconv.Itoa(q.Page))
	}
	if q.Size != 0 && q.Size != LibraryDefaultSize {
		v.Set("size", strconv.Itoa(q.Size))
	}
	set("view", q.View, LibraryDefaultView)
	set("cursor", q.Cursor, "")
	if len(v) == 0 {
		return "/library"
	}
	return "/library?" + encodeOrdered(v, "type", "q", "status", "cate", "tag", "from", "to", "sort", "page", "size", "view", "cursor")
}

// encodeOrdered encodes v with its keys in the given order.
func encodeOrdered(v url.Values, keys ...string) string {
	var b strings.Builder
	for _, k := range keys {
		for _, val := range v[k] {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(url.QueryEscape(k) + "=" + url.QueryEscape(val))
		}
	}
	return b.String()
}

// with returns the query changed by fn, back on the first page: any other
// change than paging starts the results again.
func (q LibraryQuery) with(fn func(*LibraryQuery)) LibraryQuery {
	q.Statuses = slices.Clone(q.Statuses)
	q.Page, q.Cursor = 1, ""
	fn(&q)
	return q
}

// Filtered reports whether any filter narrows the view.
func (q LibraryQuery) Filtered() bool {
	return q.Q != "" || len(q.Statuses) > 0 || q.Cate != 0 || q.Tag != "" || q.From != "" || q.To != ""
}

// Library is the /library page: the view, the category tree and one page
// of results.
type Library struct {
	Query LibraryQuery
	// Statuses are the statuses the type can have, for the filter.
	Statuses []string
	// Categories is the category tree, flattened in display order.
	Categories []CategoryOption
	Items      []LibraryItem
	// Total is the number of hits of the whole search.
	Total int64
	// NextCursor continues video and audio past the first 5,000 hits (the
	// ScrollToken of this page).
	NextCursor string
	// Window is how many hits numbered pages reach (5,000).
	Window int
}

// CategoryOption is one category of the tree.
type CategoryOption struct {
	ID    int64
	Name  string
	Level int // 0 to 2
}

// LibraryItem is one hit: a video, an audio file or an image.
type LibraryItem struct {
	ID           string
	Type         string // "video", "audio" or "image"
	Title        string
	Status       string
	CateName     string
	Tags         []string
	Duration     float64 // seconds; video and audio
	Size         int64   // bytes; video and audio
	StorageClass string
	ImageType    string
	Ext          string
	Created      Timestamp
	// ThumbURL is the signed cover or image URL; rendered only if SafeURL
	// accepts it.
	ThumbURL string
}

// DetailURL is the item's own page.
func (it LibraryItem) DetailURL() string {
	if it.Type == "image" {
		return imagePath(it.ID)
	}
	return mediaPath(it.ID)
}

func (it LibraryItem) title() string {
	if it.Title != "" {
		return it.Title
	}
	return "Untitled " + TypeNoun(it.Type, 1)
}

// thumb is the item's cover or image box; an expired URL is re-signed
// through /images/{id}/thumb or /media/{id}/cover.
func (it LibraryItem) thumb(small bool) thumb {
	if it.Type == "image" {
		return thumb{DOMID: thumbDOMID(it.ID), URL: it.ThumbURL, Light: lightImagePath(it.ID), Alt: it.Title, ResignURL: resignURL(thumbPath(it.ID), small), Empty: "No image", Small: small}
	}
	empty := "No cover"
	if it.Type == "audio" {
		empty = "Audio"
	}
	return thumb{DOMID: coverDOMID(it.ID), URL: it.ThumbURL, Light: lightCoverPath(it.ID), Alt: "Cover of " + it.title(), ResignURL: resignURL(coverPath(it.ID), small), Empty: empty, Small: small}
}

// TypeNoun names n assets of type t: "video", "audio files", "images".
func TypeNoun(t string, n int64) string {
	one, many := "video", "videos"
	switch t {
	case "audio":
		one, many = "audio file", "audio files"
	case "image":
		one, many = "image", "images"
	}
	if n == 1 {
		return one
	}
	return many
}

// LibraryTypes are the type tabs, in order.
var LibraryTypes = []struct{ Value, Label string }{
	{"video", "Videos"}, {"audio", "Audio"}, {"image", "Images"},
}

// first and last are the 1-based positions of the page's items.
func (l Library) first() int64 {
	if len(l.Items) == 0 {
		return 0
	}
	return int64(l.Query.Page-1)*int64(l.Query.Size) + 1
}

func (l Library) last() int64 { return l.first() + int64(len(l.Items)) - 1 }

// windowPages is the last numbered page: the pages inside the window.
func (l Library) windowPages() int {
	size := max(l.Query.Size, 1)
	pages := int((l.Total + int64(size) - 1) / int64(size))
	return min(pages, max(l.Window, size)/size)
}

// PageLink is one entry of the pager: a page number, or a gap.
type PageLink struct {
	N       int
	URL     string
	Current bool
	Gap     bool
}

// Pager is the navigation under the results.
type Pager struct {
	Prev, Next string // "" when there is none
	// NextScrolls: Next continues past the numbered pages with the cursor.
	NextScrolls bool
	Pages       []PageLink
	// LastNumbered links back to the last numbered page from past the window.
	LastNumbered string
	// WindowEnd explains that images cannot be paged past the window.
	WindowEnd bool
}

// pager works out the navigation for the current page.
func (l Library) pager() Pager {
	q := l.Query
	last := l.windowPages()
	var p Pager
	at := func(n int) string {
		nq := q
		nq.Page, nq.Cursor = n, ""
		return nq.URL()
	}
	more := int64(q.Page)*int64(q.Size) < l.Total
	if q.Cursor != "" {
		// Past the window: only onwards, with this page's token.
		if more && l.NextCursor != "" {
			nq := q
			nq.Page, nq.Cursor = q.Page+1, l.NextCursor
			p.Next, p.NextScrolls = nq.URL(), true
		}
		if last > 0 {
			p.LastNumbered = at(last)
		}
		return p
	}
	if q.Page > 1 {
		p.Prev = at(min(q.Page-1, max(last, 1)))
	}
	switch {
	case q.Page < last:
		p.Next = at(q.Page + 1)
	case more && q.Page == last && l.NextCursor != "" && q.Type != "image":
		nq := q
		nq.Page, nq.Cursor = q.Page+1, l.NextCursor
		p.Next, p.NextScrolls = nq.URL(), true
	case more && q.Page >= last:
		p.WindowEnd = true
	}
	if last > 1 {
		for _, n := range pageNumbers(q.Page, last) {
			if n == 0 {
				p.Pages = append(p.Pages, PageLink{Gap: true})
				continue
			}
			p.Pages = append(p.Pages, PageLink{N: n, URL: at(n), Current: n == q.Page})
		}
	}
	return p
}

// pageNumbers lists the pages to offer around current, 0 standing for a
// gap: 1 … 4 5 [6] 7 8 … 250.
func pageNumbers(current, last int) []int {
	var out []int
	prev := 0
	for n := 1; n <= last; n++ {
		if n == 1 || n == last || (n >= current-2 && n <= current+2) {
			if prev != 0 && n-prev > 1 {
				out = append(out, 0)
			}
			out = append(out, n)
			prev = n
		}
	}
	return out
}

// ActiveFilter is a filter in force, with the address of the view without it.
type ActiveFilter struct {
	Label     string
	RemoveURL string
}

// activeFilters lists the filters in force, each removable.
func (l Library) activeFilters() []ActiveFilter {
	q := l.Query
	var out []ActiveFilter
	add := func(label string, fn func(*LibraryQuery)) {
		out = append(out, ActiveFilter{Label: label, RemoveURL: q.with(fn).URL()})
	}
	if q.Q != "" {
		add("Search: "+q.Q, func(q *LibraryQuery) { q.Q = "" })
	}
	for _, s := range q.Statuses {
		_, label := statusStyle(s)
		add("Status: "+label, func(q *LibraryQuery) {
			q.Statuses = slices.DeleteFunc(q.Statuses, func(x string) bool { return x == s })
		})
	}
	if q.Cate != 0 {
		add("Category: "+l.categoryName(q.Cate), func(q *LibraryQuery) { q.Cate = 0 })
	}
	if q.Tag != "" {
		add("Tag: "+q.Tag, func(q *LibraryQuery) { q.Tag = "" })
	}
	if q.From != "" {
		add("From "+q.From, func(q *LibraryQuery) { q.From = "" })
	}
	if q.To != "" {
		add("To "+q.To, func(q *LibraryQuery) { q.To = "" })
	}
	return out
}

func (l Library) categoryName(id int64) string {
	for _, c := range l.Categories {
		if c.ID == id {
			return c.Name
		}
	}
	return strconv.FormatInt(id, 10)
}

// clearURL is the view with no filter, keeping type, sort, size and view.
func (l Library) clearURL() string {
	return l.Query.with(func(q *LibraryQuery) {
		q.Q, q.Statuses, q.Cate, q.Tag, q.From, q.To = "", nil, 0, "", "", ""
	}).URL()
}

// typeURL is the first page of type t with the current filters that apply
// to it (image statuses differ from media statuses).
func (l Library) typeURL(t string) string {
	return l.Query.with(func(q *LibraryQuery) {
		if (q.Type == "image") != (t == "image") {
			q.Statuses = nil
		}
		q.Type = t
	}).URL()
}

// viewURL is this page shown as grid or list.
func (l Library) viewURL(view string) string {
	q := l.Query
	q.View = view
	return q.URL()
}

// emptyText says what to change when nothing matched.
func (l Library) emptyText() string {
	noun := TypeNoun(l.Query.Type, 2)
	if l.Query.Filtered() {
		return "No " + noun + " match these filters. Remove a filter, widen the dates or try other words."
	}
	return "This account has no " + noun + " in this region yet."
}

// statusChecked reports whether status s is among the filters.
func (l Library) statusChecked(s string) bool { return slices.Contains(l.Query.Statuses, s) }

// lookupPath is where "Open in lookup" sends the selected IDs.
func (l Library) lookupPath() string {
	if l.Query.Type == "image" {
		return "/images"
	}
	return "/media"
}

func coverPath(id string) string  { return mediaPath(id) + "/cover" }
func coverDOMID(id string) string { return "cover-" + domSafe(id) }
